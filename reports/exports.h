// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/evidence.h"
#include "core/report_policy.h"
#include "core/result.h"
#include "core/signatures.h"
#include "core/store/complaint_store.h"
#include "core/store/event_store.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

/// Exports for services and spreadsheets: the stored events as CSV or JSON Lines, AbuseIPDB's bulk report
/// CSV (with its reporting policy applied) and DShield's firewall log submission format.
namespace tattle::reports {

/// What one source did, gathered from its events for the exports.
struct ExportSource {
    core::IpAddress address;
    std::int64_t events = 0;
    core::Micros firstSeen = 0, lastSeen = 0;
    std::set<std::pair<int, int>> targets; ///< (protocol, destination port or -1)
    std::set<std::string> categories; ///< signature ids
    core::EvidenceAssessment evidence;
};

/// Gathers the sources of the events that match filter (by address).
Result<std::vector<ExportSource>> collectExportSources(
    core::EventStore& store, const core::EventFilter& filter);

/// Writes the events as RFC 4180 CSV with a header row: id, time (RFC 3339 UTC), action, proto, src,
/// src_port, dst, dst_port, icmp_type, icmp_code, tcp_flags, count, category. Spreadsheet-safe.
/// Returns the number of rows.
Result<std::int64_t> writeEventsCsv(
    std::ostream& out, core::EventStore& store, const core::EventFilter& filter);

/// Writes the events as JSON Lines with the keys of the CSV columns (null where absent) and raw (the
/// original line). Returns the number of lines.
Result<std::int64_t> writeEventsJson(
    std::ostream& out, core::EventStore& store, const core::EventFilter& filter);

/// AbuseIPDB's reporting policy (https://www.abuseipdb.com/reporting-policy) and bulk-report limits
/// (https://www.abuseipdb.com/bulk-report).
inline constexpr int kAbuseIpdbMaxAgeDays = 60; ///< "no older than 60 days"
inline constexpr std::size_t kAbuseIpdbMaxRows = 9'999; ///< 10,000 lines including the heading
inline constexpr std::size_t kAbuseIpdbCommentBytes = 1'024; ///< longer comments are truncated by them
inline constexpr std::size_t kAbuseIpdbMaxBytes = 2'000'000; ///< "under 2 MB"

struct AbuseIpdbOptions {
    core::Micros now = 0;
    int maxAgeDays = kAbuseIpdbMaxAgeDays;
};

/// What an AbuseIPDB export wrote and what it left out, per reason (for the account on stderr).
struct AbuseIpdbAccount {
    std::int64_t rows = 0;
    std::map<std::string, std::int64_t> leftOut; ///< reason -> sources
};

/// AbuseIPDB category numbers for what a source did: 14 Port Scan always, 22 SSH, 23 IoT Targeted
/// (telnet, ADB, TR-069, MQTT, Modbus), 15 Hacking (exploit targets: Windows RPC/SMB/NetBIOS, worm ports,
/// remote desktops, databases). Ascending, without duplicates.
std::vector<int> abuseIpdbCategories(const ExportSource& source, const core::SignatureTable& signatures);

/// A field in AbuseIPDB's CSV dialect: enclosed in double quotes when needed, a quote escaped by a backslash
/// (which does not escape itself), control characters replaced by spaces.
std::string abuseIpdbField(std::string_view text);

/// Writes the bulk-report CSV ("IP,Categories,ReportDate,Comment"): one row per source that passes the
/// never-report policy (special addresses, own networks, allow-list, research scanners), whose evidence
/// is a completed connection (the policy refuses likely forged sources: SYN and UDP floods, "UDP
/// connections cannot be reported"), and that was seen in the last maxAgeDays (only those events
/// count). ReportDate is the first of them (ISO 8601 with offset); the comment says what was probed,
/// without the reporter's addresses.
AbuseIpdbAccount writeAbuseIpdbCsv(std::ostream& out, const std::vector<ExportSource>& sources,
    const core::SignatureTable& signatures, const core::ReportPolicy& policy,
    const AbuseIpdbOptions& options);

/// The whole export: gathers the sources of the events that match filter and were seen in the last
/// maxAgeDays, writes them with writeAbuseIpdbCsv(), and counts the sources seen only before that.
Result<AbuseIpdbAccount> exportAbuseIpdb(std::ostream& out, core::EventStore& store,
    const core::EventFilter& filter, const core::SignatureTable& signatures, const core::ReportPolicy& policy,
    const AbuseIpdbOptions& options);

/// Writes DShield's firewall log submission lines (tab-separated: "yyyy-mm-dd HH:MM:SS +00:00", user id,
/// count, source, source port or ICMP type, target, target port or ICMP code, protocol number, TCP flags
/// for TCP) for the events that match filter from sources the policy does not refuse. Returns the lines
/// written; `skipped` counts the events left out.
Result<std::int64_t> writeDshieldLog(std::ostream& out, core::EventStore& store,
    const core::EventFilter& filter, const core::ReportPolicy& policy, std::int64_t userId,
    std::int64_t& skipped);

/// TCP flags as letters in header order, e.g. "S", "SA", "FPA" (F S R P A U E C).
std::string tcpFlagLetters(std::uint8_t flags);

} // namespace tattle::reports
