// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/result.h"
#include "core/time.h"
#include "reports/template.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tattle::reports {

/// Probes of one source at one protocol and destination port (or ICMP type): one line of evidence.
struct ProbeGroup {
    int proto = -1; ///< IANA protocol number
    int dstPort = -1; ///< -1 when none (ICMP, or not logged)
    int icmpType = -1;
    std::string service; ///< what the port is, e.g. "SMB / Microsoft-DS (TCP 445)" (signature table)
    std::string meaning; ///< one or two plain sentences on why it is probed
    std::uint64_t count = 0;
    core::Micros firstSeen = 0, lastSeen = 0;
    std::vector<int> sourcePorts; ///< distinct source ports seen (possibly only some of them)
    std::uint64_t distinctSourcePorts = 0; ///< how many distinct ones there were (>= sourcePorts.size())
    std::vector<std::string> destinations; ///< the reporter's addresses that were probed
};

/// One source address and what the logs show of it.
struct ReportedSource {
    core::IpAddress address;
    std::string network; ///< e.g. "203.0.113.0/24" (empty when unknown)
    std::string asn; ///< e.g. "AS64496"
    std::string asName; ///< e.g. "EXAMPLE-NET"
    core::Micros firstSeen = 0, lastSeen = 0;
    std::uint64_t eventCount = 0;
    /// Only packets whose sender address is easily forged (UDP only, ICMP only): the complaint then says
    /// the address may be forged.
    bool weakEvidence = false;
    std::string evidence; ///< the evidence grade in plain words
    std::vector<ProbeGroup> probes;
    std::vector<std::string> logLines; ///< original log lines, oldest first (may be a part of them)
    std::uint64_t totalLogLines = 0; ///< how many there are in all (>= logLines.size())
};

/// Who complains, and how their clock is kept.
struct Reporter {
    std::string name;
    std::string email;
    std::string organisation;
    /// The firewall's time zone as a user reads it, e.g. "Europe/Berlin (UTC+01:00)".
    std::string timeZone;
    /// How the clock is kept, e.g. "its clock is kept in sync by NTP" (empty: not stated).
    std::string clock;
};

/// One complaint: everything a template may show. Built by the report command from the store and the
/// resolver; rendered by renderComplaint().
struct Complaint {
    std::string contactName; ///< e.g. "Example Networks abuse team" (empty: "abuse team")
    std::string contactEmail;
    Reporter reporter;
    std::vector<ReportedSource> sources;
    core::Micros createdAt = 0;
    /// The reporter's own addresses, in every text form the logs use; with a non-empty mask each one is
    /// replaced by it in log lines and destinations (the "mask my address" setting).
    std::vector<std::string> ownAddresses;
    std::string ownAddressMask;
};

/// Bounds of what one complaint shows per source: desks want cropped logs (REFERENCE B4: 5-50 lines).
struct ExcerptLimits {
    std::size_t linesPerSource = 20;
    std::size_t lineChars = 300; ///< longer log lines are cut, ending in "..."
    std::size_t probesPerSource = 25; ///< the rest are summed up in one line
};

/// The values the complaint templates use. Top level: subject, contact_name, contact_email,
/// source_summary ("the address 203.0.113.7" / "3 addresses"), source_count, event_count, first_seen,
/// last_seen, report_time (UTC ISO 8601 with Z), reporter_name, reporter_email, reporter_organisation,
/// reporter_signature (name, organisation, e-mail on lines), reporter_time_zone, clock, any_weak
/// ("yes" or empty), and the list `sources`, each with: address, network, asn, as_name, network_line
/// ("Network: 203.0.113.0/24, AS64496 EXAMPLE-NET" or empty), first_seen, last_seen, event_count,
/// evidence, weak ("yes" or empty), probe_summary (pre-rendered, wrapped at 72 columns, with what each
/// port means), log_excerpt (at most linesPerSource lines), log_excerpt_note ("20 of 1,234 lines shown"
/// or empty), and the lists `probes` (protocol, port, service, meaning, count, first_seen, last_seen,
/// source_ports, destinations) and `log_lines` (line) for templates that lay them out themselves.
TemplateValues complaintValues(const Complaint& complaint, const ExcerptLimits& limits = {});

/// The default subject: "Unsolicited connection attempts from 203.0.113.7 (AS64496), 2024-03-05" or
/// "... from 3 addresses in your network, 2024-03-01 to 2024-03-05".
std::string complaintSubject(const Complaint& complaint);

/// A rendered complaint. A template whose first line is "Subject: ..." sets the subject (the line is
/// not part of the body); otherwise the subject is complaintSubject().
struct RenderedComplaint {
    std::string subject;
    std::string body;
};
Result<RenderedComplaint> renderComplaint(
    const Template& tmpl, const Complaint& complaint, const ExcerptLimits& limits = {});

/// The log lines a complaint shows for a source: at most limits.linesPerSource of them, each made one
/// line of valid UTF-8 (control characters become spaces), cut to limits.lineChars (ending in "...")
/// and with the own addresses masked when `mask` is not empty.
std::vector<std::string> excerptLines(const ReportedSource& source, const ExcerptLimits& limits,
    const std::vector<std::string>& ownAddresses, std::string_view mask);

/// text with every occurrence of each address (not inside a longer address or number) replaced by mask.
std::string maskAddresses(
    std::string_view text, const std::vector<std::string>& addresses, std::string_view mask);

/// "1,234,567".
std::string formatCount(std::uint64_t n);

/// Words re-flowed to lines of at most `width` characters (a longer word stays whole); the first line
/// starts with firstIndent, the others with restIndent. No trailing newline.
std::string wrapText(
    std::string_view text, std::size_t width, std::string_view firstIndent, std::string_view restIndent);

} // namespace tattle::reports
