// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/result.h"
#include "core/store/event_store.h"
#include "core/store/sqlite.h"
#include "core/time.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tattle::core {

/// Which stored events a browse or count looks at. Every set field narrows the set.
struct BrowseFilter {
    std::optional<Micros> since, until; ///< time range (until exclusive)
    std::optional<IpAddress> source;
    std::optional<int> port; ///< destination port
    std::optional<int> protocol; ///< IANA protocol number
    std::string category; ///< signature id, exact
    /// Case-insensitive substring of the event's rule, interface or category (not the raw line: those are
    /// stored compressed).
    std::string text;
};

/// The column events are ordered by; ties are broken by time, then by event id. Category groups events by
/// category in the order the categories were first stored (an index order, not the alphabet).
enum class EventSortColumn {
    Id,
    Time,
    Source,
    SourcePort,
    Destination,
    DestinationPort,
    Protocol,
    Category,
    Action
};

struct EventSort {
    EventSortColumn column = EventSortColumn::Time;
    bool descending = false;
};

/// One stored event as the events table shows it.
struct EventRow {
    std::int64_t id = 0;
    Micros ts = 0;
    int action = 0; ///< 0 block, 1 allow
    int direction = 0; ///< 0 unknown, 1 in, 2 out
    std::optional<int> proto, srcPort, dstPort;
    IpAddress src, dst; ///< dst invalid when the log has none
    std::string category, rule, iface;
    std::int64_t count = 1;
};

/// Where a page ended: the sort key, time and id of its last row. The next page starts after it (keyset
/// paging: every page costs the same however deep it is).
struct EventCursor {
    std::variant<std::monostate, std::int64_t, std::string> key; ///< monostate for NULL; blobs as bytes
    Micros ts = 0;
    std::int64_t id = 0;
};

struct EventPage {
    std::vector<EventRow> rows;
    std::optional<EventCursor> next; ///< nullopt when this was the last page
};

/// Counts of probes per bucket of time, per port, per source and per network owner, for the charts.
struct EventStatistics {
    struct Bucket {
        Micros start = 0;
        std::int64_t events = 0;
    };
    struct PortCount {
        int proto = -1, port = -1;
        std::int64_t events = 0;
    };
    struct NamedCount {
        std::string name;
        std::int64_t events = 0;
    };
    Micros bucketSize = 0;
    std::vector<Bucket> overTime; ///< ascending, empty buckets left out
    std::vector<PortCount> topPorts;
    std::vector<NamedCount> topSources, topOwners, topCountries;
};

/// What one source aimed at: protocol, destination port and category, with counts.
struct SourceTarget {
    int proto = -1, port = -1; ///< -1 when unknown / none
    std::string category;
    std::int64_t events = 0, blocked = 0;
    Micros firstSeen = 0, lastSeen = 0;
};

/// The most active sources (from the per-source summary table, inbound events), and how many there are.
struct SourceRanking {
    std::vector<SourceSummary> top; ///< most events first; ports/protocols/patterns left empty
    std::int64_t sources = 0, events = 0; ///< all sources and their events, the top included
};

/// Read-only queries over the events of a database for interactive front ends: pages of events in any
/// sort order and filter, counts, statistics and original lines. Holds its own connection, so each
/// thread opens its own browser.
class EventBrowser {
public:
    /// Opens an existing tattle database read-only.
    static Result<EventBrowser> open(const std::filesystem::path& path);

    /// Up to `limit` events after `after` (from the start when nullopt) in the given order.
    Result<EventPage> page(const BrowseFilter& filter, const EventSort& sort,
        const std::optional<EventCursor>& after, std::size_t limit);
    /// How many events the filter matches.
    Result<std::int64_t> count(const BrowseFilter& filter);
    /// The original log lines of the given events, in the same order ("" for an unknown id).
    Result<std::vector<std::string>> rawLines(const std::vector<std::int64_t>& eventIds);
    /// What a source aimed at, most events first (from the per-source summary table: no event scan).
    Result<std::vector<SourceTarget>> targets(const IpAddress& source);
    /// The `limit` sources with the most events with their counts and categories (most events first), and
    /// the totals over every source. Memory stays bounded by `limit` whatever the number of sources.
    Result<SourceRanking> topSources(std::size_t limit);
    /// Sources some recorded complaint covered (empty before the complaints table exists).
    Result<std::vector<IpAddress>> reportedSources();
    /// Events over time (buckets chosen so there are at most maxBuckets), top `top` destination
    /// ports, sources, organisations and countries (the last two from looked-up networks).
    Result<EventStatistics> statistics(std::size_t maxBuckets = 200, std::size_t top = 10);

private:
    explicit EventBrowser(sql::Database db);
    sql::Database m_db;
};

} // namespace tattle::core
