// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/result.h"
#include "core/store/sqlite.h"
#include "core/time.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tattle::core {

class SignatureTable;

/// The schema version this build writes (the number of migrations in resources/schema).
int currentSchemaVersion() noexcept;

/// A past import, as the imports table records it.
struct ImportRecord {
    std::int64_t id = 0;
    std::string path, format;
    Micros startedAt = 0;
    std::optional<Micros> finishedAt;
    std::uint64_t firstLine = 1, prefixLines = 0, prefixBytes = 0;
    std::uint32_t prefixHash = 0;
    std::uint64_t linesRead = 0, eventsStored = 0, linesIgnored = 0, linesSkipped = 0;
};

/// A line an import skipped, with why.
struct SkippedLine {
    std::uint64_t lineNo = 0;
    std::string reason;
    std::string text;
};

/// Which events a per-source summary counts.
struct SourceQuery {
    /// Which events count: probes of this machine (direction in or unknown, the default), traffic it sent
    /// (out), or both.
    enum class Direction { Inbound, Outbound, Any };
    Direction direction = Direction::Inbound;
    std::vector<std::string> categories; ///< signature ids or groups; empty for all
    std::optional<Micros> since, until; ///< time range (until exclusive)
    /// At most this many sources, those with the most events (0: all). Only their details are built, so
    /// the top of a large database is cheap.
    std::size_t limit = 0;
};

/// Everything one source did, summarised.
struct SourceSummary {
    IpAddress src;
    std::int64_t events = 0, blocked = 0;
    Micros firstSeen = 0, lastSeen = 0;
    std::vector<int> ports; ///< distinct destination ports, ascending
    std::vector<std::string> protocols; ///< distinct protocol names
    std::vector<std::string> categories; ///< distinct signature ids, most events first
    std::vector<std::string> patterns; ///< source-level patterns matched (port-scan, blaster ...)
};

/// The top of the summary: query.limit sources, and how many there are.
struct SourcePage {
    std::vector<SourceSummary> sources;
    std::size_t total = 0;
};

/// The SQLite database of events: schema and migrations, string interning, and the queries the front
/// ends need. Only this class and the importer's writer hold SQL.
class EventStore {
public:
    /// Opens or creates a database, applying any missing migrations. Refuses a database written by a
    /// newer tattle, and a file that is not a tattle database.
    static Result<EventStore> open(const std::filesystem::path& path);

    sql::Database& database() noexcept { return m_db; }
    const std::filesystem::path& path() const noexcept { return m_path; }

    /// Id of an interned string, creating it when new (call inside a transaction when writing in bulk).
    std::int64_t labelId(std::string_view text);
    /// The string behind a label id (empty when unknown).
    std::string labelText(std::int64_t id);

    /// Earlier imports of a file, by path or by the hash of its first line, newest first; an import by
    /// another format that stored no event is left out.
    std::vector<ImportRecord> priorImports(
        const std::string& path, std::uint32_t firstLineHash, std::string_view format);
    std::vector<ImportRecord> imports();
    std::vector<SkippedLine> skippedLines(std::int64_t importId, int limit);
    std::int64_t eventCount();

    /// Per-source summaries, most events first. Patterns come from the signature table.
    Result<std::vector<SourceSummary>> sources(const SourceQuery& query, const SignatureTable& signatures);
    /// The same, with how many sources there are in all (more than returned when query.limit cut them).
    Result<SourcePage> sourcePage(const SourceQuery& query, const SignatureTable& signatures);

    /// The original log line of an event.
    Result<std::string> rawLine(std::int64_t eventId);

    /// Secondary indexes on events are dropped for a bulk import and built again after it: building them
    /// once is several times faster than keeping them up to date row by row.
    void dropEventIndexes();
    void createEventIndexes();

    /// Imports append per-source counts to a staging table as they commit; this merges them into the
    /// per-source table in one sorted pass (also run on open, after an interrupted import).
    void mergeStagedSummaries();

private:
    EventStore(sql::Database db, std::filesystem::path path);
    void migrate();
    sql::Database m_db;
    std::filesystem::path m_path;
    std::unordered_map<std::string, std::int64_t> m_labels;
};

} // namespace tattle::core
