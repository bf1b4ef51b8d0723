// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/complaint_message.h"

#include <algorithm>

namespace tattle::reports {

Result<MailMessage> complaintMessage(
    const Complaint& complaint, const Template& tmpl, const ComplaintMessageOptions& options)
{
    if (auto ok = checkAddress(complaint.contactEmail, "abuse contact"); !ok)
        return std::unexpected(ok.error());
    auto rendered = renderComplaint(tmpl, complaint, options.limits);
    if (!rendered) return std::unexpected(rendered.error());

    MailMessage m;
    m.from = options.from;
    m.to = {{"", complaint.contactEmail}};
    m.replyTo = options.replyTo;
    m.bcc = options.bcc;
    m.subject = rendered->subject;
    m.date = options.date != 0 ? options.date : complaint.createdAt;
    m.utcOffsetSeconds = options.utcOffsetSeconds;
    m.body = std::move(rendered->body);
    m.extraHeaders.emplace_back("X-Mailer", std::string("tattle ") + TATTLE_VERSION);
    if (options.draft) m.extraHeaders.emplace_back("X-Unsent", "1");

    XarfOptions xarf;
    xarf.reporter = {
        complaint.reporter.organisation.empty() ? complaint.reporter.name : complaint.reporter.organisation,
        options.from.address, ""};
    xarf.now = complaint.createdAt;
    xarf.limits = options.limits;
    xarf.ownAddresses = complaint.ownAddresses;
    xarf.ownAddressMask = complaint.ownAddressMask;
    switch (options.machineReadable) {
    case MachineReadable::None:
        break;
    case MachineReadable::XarfV4: {
        const std::size_t n = std::min(complaint.sources.size(), kMaxXarfAttachments);
        for (std::size_t i = 0; i < n; ++i) {
            auto attachment = xarfV4Attachment(complaint.sources[i], options.xarfType, xarf);
            if (!attachment) return std::unexpected(attachment.error());
            m.attachments.push_back(std::move(*attachment));
        }
        break;
    }
    case MachineReadable::Xarf02:
        if (complaint.sources.size() != 1)
            return fail(ErrorKind::Usage,
                "An X-ARF 0.2 report is about one source address; this complaint covers "
                    + std::to_string(complaint.sources.size())
                    + ". Use XARF v4 or no machine-readable part.");
        m.subject = xarf02Subject(complaint.sources[0]);
        if (auto ok = makeXarf02Message(m, complaint.sources[0], xarf); !ok)
            return std::unexpected(ok.error());
        break;
    }
    return m;
}

std::string emlFileName(const Complaint& complaint, int n)
{
    std::string name = core::formatRfc3339(complaint.createdAt).substr(0, 10) + "-";
    for (const char c : complaint.contactEmail.substr(0, 100)) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
            || c == '-' || c == '_' || c == '@';
        name.push_back(ok ? c : '_');
    }
    if (n > 0) name += "-" + std::to_string(n);
    return name + ".eml";
}

} // namespace tattle::reports
