// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "reports/complaint.h"
#include "reports/mime_message.h"
#include "reports/template.h"
#include "reports/xarf.h"

#include <optional>
#include <string>
#include <vector>

namespace tattle::reports {

/// Which machine-readable part goes with the text (see xarf.h for the choice).
enum class MachineReadable { None, XarfV4, Xarf02 };

/// How one complaint becomes one e-mail.
struct ComplaintMessageOptions {
    Mailbox from; ///< the reporter (settings)
    std::optional<Mailbox> replyTo;
    std::vector<std::string> bcc; ///< e.g. a copy to the reporter
    core::Micros date = 0; ///< the Date header; 0: the complaint's createdAt
    int utcOffsetSeconds = 0; ///< the reporter's offset for the Date header
    MachineReadable machineReadable = MachineReadable::None;
    XarfType xarfType = XarfType::PortScan;
    /// For an .eml the user opens to edit and send: "X-Unsent: 1" (Outlook opens it as a draft).
    bool draft = false;
    ExcerptLimits limits;
};

/// At most this many XARF v4 documents are attached (one per source); the text covers all sources.
inline constexpr std::size_t kMaxXarfAttachments = 50;

/// The e-mail for a complaint: To the contact, subject and text from the template, the machine-readable
/// part chosen (XARF v4: one JSON per source, the first kMaxXarfAttachments; X-ARF 0.2: only for a
/// complaint about one source, which must be a login attack), "X-Mailer: tattle <version>". Errors: no
/// contact address, a template error (naming file and line), an XARF error.
Result<MailMessage> complaintMessage(
    const Complaint& complaint, const Template& tmpl, const ComplaintMessageOptions& options);

/// A file name for the complaint's .eml: "<UTC date>-<contact address>[-<n>].eml" with only letters,
/// digits, ".", "-", "_" and "@" (n > 0 tells complaints of one day to one contact apart).
std::string emlFileName(const Complaint& complaint, int n = 0);

} // namespace tattle::reports
