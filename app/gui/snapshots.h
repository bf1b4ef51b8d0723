// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/importer.h"
#include "core/resolver/grouping.h"
#include "core/resolver/resolver.h"
#include "core/result.h"
#include "core/settings.h"
#include "core/store/complaint_store.h"
#include "core/store/event_browser.h"
#include "reports/mime_message.h"
#include "reports/report_planner.h"
#include "reports/smtp_sender.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

/// The background side of the window: each function opens its own connection to the database, calls the
/// core, parsers or reports libraries and returns a value snapshot for a model to swap in. No widgets here;
/// they run on the thread pool.
namespace tattle::app {

/// The most active sources grouped by abuse contact -> network -> source, with each source's summary.
struct SourceTreeData {
    std::vector<core::resolver::SourceGroup> groups;
    std::map<core::IpAddress, core::SourceSummary> summaries; ///< of the sources in groups
    std::set<core::IpAddress> reported; ///< sources a recorded complaint covered
    std::int64_t events = 0; ///< of every source
    std::int64_t sources = 0; ///< every source
    std::int64_t otherSources = 0, otherEvents = 0; ///< the less active sources left out of groups
};
/// The tree holds the kMaxTreeSources most active sources: enough to complain about, bounded in memory
/// whatever the database holds (the events view shows every source).
inline constexpr std::size_t kMaxTreeSources = 20'000;
Result<SourceTreeData> loadSourceTree(
    const std::filesystem::path& db, std::size_t maxSources = kMaxTreeSources);

/// What the details pane shows for one source.
struct SourceDetails {
    core::IpAddress source;
    std::string status; ///< "resolved", "special", "failed" or "" (never looked up)
    std::string summary; ///< network, organisation, country, AS, contact in a few lines
    std::string registryRecord; ///< the raw WHOIS/RDAP answer, "" when none
    std::vector<std::string> probes; ///< "TCP 445 SMB / Microsoft-DS: 12 events" ...
    std::vector<std::string> rawLines; ///< the first original lines, oldest first
    std::int64_t events = 0;
};
Result<SourceDetails> loadSourceDetails(
    const std::filesystem::path& db, const core::IpAddress& source, std::size_t maxLines = 200);

/// The charts' numbers, with port meanings from the signature table ("TCP 445 SMB / Microsoft-DS").
struct ChartData {
    core::EventStatistics stats;
    std::vector<std::string> portLabels; ///< parallel to stats.topPorts
};
Result<ChartData> loadChartData(const std::filesystem::path& db);

/// One file to import and how to read it.
struct ImportRequest {
    std::filesystem::path file;
    std::string format; ///< parser id; "" to detect
    std::string timeZone; ///< IANA name, "UTC" or "+HH:MM"; "" for this machine's
    int year = 0; ///< 0 to infer
};
/// Imports one file into db (created when missing). progress(done, total) is called from the worker.
Result<core::ImportResult> runImport(const std::filesystem::path& db, const ImportRequest& request,
    const std::function<void(std::uint64_t, std::uint64_t)>& progress, const std::atomic<bool>* cancel);

/// What the user chose about lookups (settings) and where the servers are (tests point them at fakes).
struct LookupRequest {
    std::vector<core::IpAddress> sources; ///< empty: every stored source
    bool useRdap = true, useWhois = true, reverseDns = true, offline = false;
    std::vector<std::string> endpoints; ///< HOST=ADDR:PORT
    std::vector<std::string> rdapBases; ///< FROM=TO
    std::string dnsServer; ///< ADDR[:PORT] for the Abusix zone and reverse DNS; "" for the system's
    double timeoutSeconds = 0; ///< 0: the resolver's defaults
    std::string rate; ///< minimum interval between queries to one server ("1ms" in tests); "" default
};
Result<core::resolver::ResolveReport> runLookup(const std::filesystem::path& db, const LookupRequest& request,
    const std::function<void(const core::resolver::ResolveProgress&)>& progress,
    const std::atomic<bool>* cancel);

/// The parser ids and descriptions, for the format chooser.
std::vector<std::pair<std::string, std::string>> availableFormats();

/// What detection says about a file: the chosen format (or "" when none) and every candidate, best first;
/// whether the format's timestamps carry no year or zone (so the user is asked).
struct FormatGuess {
    std::string format;
    std::vector<std::pair<std::string, int>> candidates;
    bool needsYear = false, needsTimeZone = false;
    std::string error; ///< the file could not be read
};
FormatGuess detectFormat(const std::filesystem::path& file);

/// The settings from file (defaults when it does not exist).
Result<core::Settings> loadSettingsFile(const std::filesystem::path& file);

/// One complaint the composer offers: the plan (what it covers) and the message generated from it.
struct ComposerItem {
    reports::PlannedComplaint planned;
    reports::MailMessage message; ///< To, Subject, body as generated (the user edits a copy)
    std::string error; ///< the message could not be generated (e.g. no reporter address set)
};
/// The review queue: a complaint per abuse contact over the events not reported yet, the skipped
/// sources, and the history of complaints per contact.
struct ComposerData {
    std::vector<ComposerItem> items;
    std::vector<reports::SkippedSource> skipped;
    std::vector<core::ContactHistory> history;
    std::vector<core::ComplaintRecord> complaints; ///< newest first
};
Result<ComposerData> loadComposer(
    const std::filesystem::path& db, const core::Settings& settings, bool allGrades);

/// How a complaint leaves the composer.
struct FinishRequest {
    reports::PlannedComplaint planned;
    reports::MailMessage message; ///< with the user's edits
    core::ComplaintMethod method = core::ComplaintMethod::Eml;
    std::filesystem::path emlFile; ///< for Eml
    reports::SmtpOptions smtp; ///< for Smtp
};
struct FinishResult {
    std::int64_t complaintId = 0;
    std::string messageId;
    std::string bytes; ///< the message as composed (RFC 5322)
    std::string smtpReply; ///< the server's last reply, for Smtp
};
/// Composes the (edited) message, sends or saves it as asked, then records the complaint and the events
/// it covers (they count as reported from then on). Nothing is recorded when sending or saving fails.
Result<FinishResult> finishComplaint(const std::filesystem::path& db, const FinishRequest& request);

/// Writes the per-source summary as spreadsheet-safe CSV.
Result<void> exportSourcesCsv(const std::filesystem::path& db, const std::filesystem::path& out);

} // namespace tattle::app
