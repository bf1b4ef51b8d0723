// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "core/time.h"
#include "reports/complaint.h"
#include "reports/mime_message.h"

#include <string>
#include <string_view>

namespace tattle::reports {

/// Machine-readable abuse reports for desks that process them automatically. "XARF" names three
/// unrelated generations (REFERENCE B1); tattle writes two, deliberately:
///  - XARF v4 (JSON, xarf.org, the current one; AWS's Abuse Signal API validates against it): category
///    "connection", type "port_scan" or "login_attack". One JSON document per source address (its
///    source_identifier is one address), attached as application/json to the plain-text complaint in a
///    multipart/mixed message. The RFC 6522 multipart/report layout with "Feedback-Type: xarf" is not
///    used: that value is unofficial, and a standard ARF receiver would reject the message.
///  - X-ARF 0.2 (YAML in e-mail, x-arf.org), still received by fail2ban-era tooling (blocklist.de,
///    CEDO send it): only its login-attack report type, the one whose schema
///    (abuse_login-attack_0.1.2.json) receivers are known to accept; there is no port-scan type to
///    match, so asking for 0.2 for a port scan is an error. XARF v3 (Abusix JSON) is not written.
enum class XarfType { PortScan, LoginAttack };

/// The "org, contact, domain" of an XARF v4 reporter or sender.
struct XarfParty {
    std::string org; ///< at most 200 characters (longer is cut)
    std::string contact; ///< an e-mail address (checked)
    std::string domain; ///< empty: the contact's domain
};

struct XarfOptions {
    XarfParty reporter;
    /// The party that files the report; empty org and contact: the reporter.
    XarfParty sender;
    core::Micros now = 0; ///< when the report is made (X-ARF 0.2 Date: uses the incident times)
    /// Original log lines carried as base64 evidence (with a sha256 hash), bounded like the text.
    bool includeEvidence = true;
    ExcerptLimits limits;
    /// The reporter's own addresses and their mask, as in Complaint (masked lines, no destination_ip).
    std::vector<std::string> ownAddresses;
    std::string ownAddressMask;
};

/// The XARF v4 JSON document (2-space indented) for one source: xarf_version "4.2.0", report_id (random
/// UUID v4), timestamp (last seen), reporter, sender, source_identifier, source_port (when one port
/// was used), category "connection", type, evidence_source "firewall_logs", protocol (the one with the
/// most events), first_seen, last_seen, destination_ip (when one, not masked), destination_port (when
/// one), ports_scanned (port_scan), service and attempt_count (login_attack), description (plain words,
/// including "may be forged" for weak evidence, at most 1000 characters), tags, and evidence. Usage error
/// when the reporter's contact is not an e-mail address or the source has no probes.
Result<std::string> xarfV4Json(const ReportedSource& source, XarfType type, const XarfOptions& options);

/// The same as an attachment "xarf-<address>.json" (application/json; charset=utf-8).
Result<Attachment> xarfV4Attachment(const ReportedSource& source, XarfType type, const XarfOptions& options);

/// The X-ARF 0.2 YAML report (report.txt) for a login attack by one source.
Result<std::string> xarf02Report(const ReportedSource& source, const XarfOptions& options);

/// Makes `message` an X-ARF 0.2 message: adds "X-XARF: PLAIN" and "Auto-Submitted: auto-generated"
/// (RFC 3834), then report.txt and the evidence (logs.txt) as the 2nd and 3rd parts. The body stays the
/// human-readable first part. Call before composeMessage(); the message must have no attachments yet.
Result<void> makeXarf02Message(
    MailMessage& message, const ReportedSource& source, const XarfOptions& options);

/// The subject X-ARF 0.2 recommends: "abuse report about 203.0.113.7 - 2024-03-05T11:34:56Z".
std::string xarf02Subject(const ReportedSource& source);

/// A random UUID version 4 (RFC 9562), lower-case.
std::string makeUuidV4();

/// SHA-256 of data as 64 lower-case hex digits (FIPS 180-4).
std::string sha256Hex(std::string_view data);

/// The service name X-ARF and XARF use for a TCP port ("ssh" for 22, ...), empty when not a login service.
std::string_view loginServiceName(int port) noexcept;

} // namespace tattle::reports
