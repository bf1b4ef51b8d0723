// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "core/store/event_store.h"

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

/// The complaint commands of the `tattle` command line: report, complaints, settings, and the exports
/// (csv --by, json, abuseipdb, dshield). Thin: options in, the planner/stores/writers of core and reports
/// do the work. Kept apart from main.cpp, which only registers and dispatches them.
namespace tattle::cli {

class ReportCommands {
public:
    using OpenStore = std::function<Result<core::EventStore>()>;

    /// Adds report, complaints and settings to app, and json/abuseipdb/dshield to `exportCmd`; `exportCsv`
    /// gets --by.
    void add(CLI::App& app, CLI::App* exportCmd, CLI::App* exportCsv);
    bool parsed() const;
    /// True when `export csv` was given with --by.
    bool csvGrouped() const { return !m_csvBy.empty(); }
    int run(const OpenStore& openStore);

private:
    int runReport(const OpenStore& openStore);
    int runComplaints(const OpenStore& openStore);
    int runSettings();
    int runExport(const OpenStore& openStore);

    CLI::App* m_report = nullptr;
    CLI::App* m_complaints = nullptr;
    CLI::App* m_settings = nullptr;
    CLI::App* m_settingsShow = nullptr;
    CLI::App* m_settingsSet = nullptr;
    CLI::App* m_settingsPath = nullptr;
    CLI::App* m_exportCsv = nullptr;
    CLI::App* m_exportJson = nullptr;
    CLI::App* m_exportAbuseIpdb = nullptr;
    CLI::App* m_exportDshield = nullptr;

    // report
    std::string m_contact, m_since, m_until, m_outDir, m_smtp, m_from, m_caFile;
    std::vector<std::string> m_categories;
    std::int64_t m_minEvents = 1;
    std::size_t m_maxSources = 100;
    bool m_mailto = false;
    bool m_allGrades = false, m_send = false, m_dryRun = false, m_yes = false, m_again = false,
         m_allowPlain = false;
    // complaints
    bool m_complaintsJson = false;
    // settings
    std::string m_key, m_value;
    // exports
    std::string m_csvBy, m_jsonBy = "ip", m_output, m_exportSince;
    std::int64_t m_dshieldUser = 0;
};

} // namespace tattle::cli
