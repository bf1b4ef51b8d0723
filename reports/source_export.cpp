// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/source_export.h"

#include "core/text_util.h"
#include "reports/csv_writer.h"

#include <algorithm>
#include <iomanip>
#include <nlohmann/json.hpp>

namespace tattle::reports {

namespace {

template<typename T> std::string joined(const std::vector<T>& items, const char* sep = " ")
{
    std::string s;
    for (const auto& i : items) {
        if (!s.empty()) s += sep;
        if constexpr (std::is_same_v<T, std::string>)
            s += i;
        else
            s += std::to_string(i);
    }
    return s;
}

std::string portsSummary(const std::vector<int>& ports, std::size_t max)
{
    if (ports.size() <= max) return joined(ports, ",");
    std::vector<int> first(ports.begin(), ports.begin() + std::ptrdiff_t(max));
    return joined(first, ",") + ",... (" + std::to_string(ports.size()) + ")";
}

} // namespace

void writeSourcesJson(std::ostream& out, const std::vector<core::SourceSummary>& sources)
{
    out << '[';
    bool first = true;
    for (const auto& s : sources) {
        nlohmann::json o;
        o["src"] = s.src.toString();
        o["events"] = s.events;
        o["blocked"] = s.blocked;
        o["first_seen"] = core::formatRfc3339(s.firstSeen);
        o["last_seen"] = core::formatRfc3339(s.lastSeen);
        o["ports"] = s.ports;
        o["protocols"] = s.protocols;
        o["categories"] = s.categories;
        o["patterns"] = s.patterns;
        out << (first ? "\n" : ",\n") << o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        first = false;
    }
    out << (first ? "]\n" : "\n]\n");
}

void writeSourcesCsv(std::ostream& out, const std::vector<core::SourceSummary>& sources, bool spreadsheetSafe)
{
    CsvWriter csv(out, spreadsheetSafe);
    csv.row({"src", "events", "blocked", "first_seen", "last_seen", "ports", "protocols", "categories",
        "patterns"});
    for (const auto& s : sources) {
        csv.text(s.src.toString()).number(s.events).number(s.blocked);
        csv.text(core::formatRfc3339(s.firstSeen)).text(core::formatRfc3339(s.lastSeen));
        csv.text(joined(s.ports))
            .text(joined(s.protocols))
            .text(joined(s.categories))
            .text(joined(s.patterns));
        csv.endRow();
    }
}

void writeSourcesTable(std::ostream& out, const core::SourcePage& page, std::size_t limit)
{
    out << std::left << std::setw(40) << "SOURCE" << std::right << std::setw(9) << "EVENTS"
        << "  " << std::left << std::setw(21) << "FIRST SEEN (UTC)" << std::setw(21) << "LAST SEEN (UTC)"
        << "PORTS / CATEGORIES\n";
    std::size_t n = 0;
    for (const auto& s : page.sources) {
        if (limit && n++ >= limit) break;
        out << std::left << std::setw(40) << s.src.toString() << std::right << std::setw(9) << s.events
            << "  " << std::left << std::setw(21) << core::formatRfc3339(s.firstSeen) << std::setw(21)
            << core::formatRfc3339(s.lastSeen) << portsSummary(s.ports, 8) << "  "
            << joined(s.categories, ",");
        if (!s.patterns.empty()) out << "  [" << joined(s.patterns, ",") << "]";
        out << '\n';
    }
    const std::size_t shown = limit ? std::min(limit, page.sources.size()) : page.sources.size();
    if (page.total > shown) out << "... " << page.total - shown << " more sources (use --limit 0 for all)\n";
}

void writeSourcesTable(std::ostream& out, const std::vector<core::SourceSummary>& sources, std::size_t limit)
{
    core::SourcePage page;
    page.sources = sources;
    page.total = sources.size();
    writeSourcesTable(out, page, limit);
}

} // namespace tattle::reports
