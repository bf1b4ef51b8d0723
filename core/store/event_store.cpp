// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/event_store.h"

#include "core/event.h"
#include "core/signatures.h"

#include <algorithm>
#include <set>
#include <sqlite3.h>
#include <unordered_map>
#include <zstd.h>

namespace tattle::core {

extern const std::string_view kMigrations[];
extern const int kMigrationCount;

int currentSchemaVersion() noexcept
{
    return kMigrationCount;
}

namespace {

IpAddress addressFromBlob(std::span<const std::uint8_t> b)
{
    return IpAddress::fromBytes(b.data(), b.size());
}

ImportRecord readImport(const sql::Statement& st)
{
    ImportRecord r;
    r.id = st.int64(0);
    r.path = std::string(st.text(1));
    r.format = std::string(st.text(2));
    r.startedAt = st.int64(3);
    if (!st.isNull(4)) r.finishedAt = st.int64(4);
    r.firstLine = std::uint64_t(st.int64(5));
    r.prefixLines = std::uint64_t(st.int64(6));
    r.prefixBytes = std::uint64_t(st.int64(7));
    r.prefixHash = std::uint32_t(st.int64(8));
    r.linesRead = std::uint64_t(st.int64(9));
    r.eventsStored = std::uint64_t(st.int64(10));
    r.linesIgnored = std::uint64_t(st.int64(11));
    r.linesSkipped = std::uint64_t(st.int64(12));
    return r;
}

constexpr const char* kImportColumns = "id, path, format, started_at, finished_at, first_line, prefix_lines, "
                                       "prefix_bytes, prefix_hash, lines_read, events_stored, lines_ignored, "
                                       "lines_skipped";

} // namespace

EventStore::EventStore(sql::Database db, std::filesystem::path path)
    : m_db(std::move(db))
    , m_path(std::move(path))
{
}

Result<EventStore> EventStore::open(const std::filesystem::path& path)
{
    try {
        EventStore store(sql::Database::open(path), path);
        store.migrate();
        // An import that was killed while its indexes were dropped left them missing, and its per-source
        // counts staged.
        store.createEventIndexes();
        store.mergeStagedSummaries();
        return store;
    } catch (const sql::DbError& e) {
        if ((e.code() & 0xFF) == SQLITE_NOTADB)
            return fail(
                ErrorKind::Database, "'" + path.string() + "' is not a tattle database (not SQLite).");
        if ((e.code() & 0xFF) == SQLITE_CANTOPEN)
            return fail(ErrorKind::Database, "Cannot open the database '" + path.string() + "'.");
        return fail(ErrorKind::Database, "Database '" + path.string() + "': " + e.what());
    }
}

void EventStore::migrate()
{
    const int version = int(m_db.queryInt("PRAGMA user_version"));
    if (version > kMigrationCount)
        throw sql::DbError(SQLITE_ERROR,
            "written by a newer tattle (schema " + std::to_string(version) + ", this one knows "
                + std::to_string(kMigrationCount) + ")");
    if (version == 0) {
        // A file that has tables but no version is someone else's database: leave it alone.
        if (m_db.queryInt("SELECT count(*) FROM sqlite_master") > 0)
            throw sql::DbError(SQLITE_NOTADB, "not a tattle database");
    }
    for (int v = version; v < kMigrationCount; ++v) {
        sql::Transaction tx(m_db);
        m_db.exec(kMigrations[v]);
        m_db.exec("PRAGMA user_version=" + std::to_string(v + 1));
        tx.commit();
    }
}

std::int64_t EventStore::labelId(std::string_view text)
{
    std::string key(text);
    if (auto it = m_labels.find(key); it != m_labels.end()) return it->second;
    auto find = m_db.prepare("SELECT id FROM labels WHERE text = ?");
    find.bind(1, text);
    std::int64_t id;
    if (find.step()) {
        id = find.int64(0);
    } else {
        auto ins = m_db.prepare("INSERT INTO labels(text) VALUES (?)");
        ins.bind(1, text).run();
        id = m_db.lastInsertId();
    }
    m_labels.emplace(std::move(key), id);
    return id;
}

std::string EventStore::labelText(std::int64_t id)
{
    for (const auto& [text, lid] : m_labels) {
        if (lid == id) return text;
    }
    auto st = m_db.prepare("SELECT text FROM labels WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return {};
    std::string text(st.text(0));
    m_labels.emplace(text, id);
    return text;
}

std::vector<ImportRecord> EventStore::priorImports(
    const std::string& path, std::uint32_t firstLineHash, std::string_view format)
{
    // An import by another parser that stored nothing was the wrong format: its lines do not count as
    // imported, or the right format could never read the file afterwards.
    auto st = m_db.prepare(std::string("SELECT ") + kImportColumns
        + " FROM imports WHERE (path = ?1 OR first_line_hash = ?2) AND prefix_lines > 0 AND (format = ?3 OR "
          "events_stored > 0) ORDER BY id DESC");
    st.bind(1, path).bind(2, std::int64_t(firstLineHash)).bind(3, format);
    std::vector<ImportRecord> out;
    while (st.step())
        out.push_back(readImport(st));
    return out;
}

std::vector<ImportRecord> EventStore::imports()
{
    auto st = m_db.prepare(std::string("SELECT ") + kImportColumns + " FROM imports ORDER BY id");
    std::vector<ImportRecord> out;
    while (st.step())
        out.push_back(readImport(st));
    return out;
}

std::vector<SkippedLine> EventStore::skippedLines(std::int64_t importId, int limit)
{
    auto st
        = m_db.prepare("SELECT line_no, reason, text FROM skipped_lines WHERE import_id = ? ORDER BY line_no "
                       "LIMIT ?");
    st.bind(1, importId).bind(2, limit);
    std::vector<SkippedLine> out;
    while (st.step()) {
        auto b = st.blob(2);
        out.push_back({std::uint64_t(st.int64(0)), std::string(st.text(1)),
            std::string(reinterpret_cast<const char*>(b.data()), b.size())});
    }
    return out;
}

std::int64_t EventStore::eventCount()
{
    return m_db.queryInt("SELECT count(*) FROM events");
}

void EventStore::dropEventIndexes()
{
    m_db.exec("DROP INDEX IF EXISTS events_src_ts; DROP INDEX IF EXISTS events_ts; "
              "DROP INDEX IF EXISTS events_dst_port_ts; DROP INDEX IF EXISTS events_category_ts;");
}

void EventStore::mergeStagedSummaries()
{
    if (m_db.queryInt("SELECT EXISTS (SELECT 1 FROM source_ports_staging)") == 0) return;
    sql::Transaction tx(m_db);
    // GROUP BY yields rows in primary-key order, so the upsert walks source_ports once, front to back.
    // ("WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT.)
    m_db.exec(
        "INSERT INTO source_ports(src, proto, dst_port, category, events, blocked, first_seen, last_seen) "
        "SELECT src, proto, dst_port, category, sum(events), sum(blocked), min(first_seen), max(last_seen) "
        "FROM source_ports_staging WHERE true GROUP BY src, proto, dst_port, category "
        "ON CONFLICT DO UPDATE SET events = events + excluded.events, blocked = blocked + excluded.blocked, "
        "first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen);"
        "DELETE FROM source_ports_staging;");
    tx.commit();
}

void EventStore::createEventIndexes()
{
    // events_dst_port_ts and events_category_ts let the desktop app's events table sort (and filter) by
    // port and category a page at a time, ties by time, instead of sorting every event.
    m_db.exec("CREATE INDEX IF NOT EXISTS events_src_ts ON events(src, ts);"
              "CREATE INDEX IF NOT EXISTS events_ts ON events(ts);"
              "CREATE INDEX IF NOT EXISTS events_dst_port_ts ON events(dst_port, ts);"
              "CREATE INDEX IF NOT EXISTS events_category_ts ON events(category, ts);");
}

Result<std::vector<SourceSummary>> EventStore::sources(const SourceQuery& q, const SignatureTable& sigs)
{
    auto page = sourcePage(q, sigs);
    if (!page) return std::unexpected(page.error());
    return std::move(page->sources);
}

Result<SourcePage> EventStore::sourcePage(const SourceQuery& q, const SignatureTable& sigs)
{
    try {
        std::size_t total = 0;
        // Category ids to filter on: a name matches a signature id or a whole group.
        std::set<std::int64_t> wanted;
        for (const auto& name : q.categories) {
            bool known = false;
            for (const auto& s : sigs.signatures()) {
                if (s.id == name || s.group == name) {
                    wanted.insert(labelId(s.id));
                    known = true;
                }
            }
            if (!known) return fail(ErrorKind::Usage, "Unknown category '" + name + "'.");
        }
        std::string inList;
        for (auto id : wanted)
            inList += (inList.empty() ? "" : ",") + std::to_string(id);

        // Both queries give rows of one shape: src, proto, port, category, events, blocked, first, last.
        // The per-source table holds inbound events only (what probed this machine) and answers the plain
        // summary at once; any other question is answered from the events themselves, in the same shape:
        // src, proto, port, category, events, blocked, first, last, ordered by source.
        std::string sqlText;
        if (!q.since && !q.until && q.direction == SourceQuery::Direction::Inbound) {
            sqlText = "SELECT src, proto, dst_port, category, events, blocked, first_seen, last_seen FROM "
                      "source_ports";
            if (!wanted.empty()) sqlText += " WHERE category IN (" + inList + ")";
            sqlText += " ORDER BY src";
        } else {
            sqlText = "SELECT src, coalesce(proto, -1), coalesce(dst_port, -1), category, count(*), "
                      "sum(action = 0), min(ts), max(ts) FROM events WHERE ts >= ?1 AND ts < ?2";
            if (q.direction == SourceQuery::Direction::Inbound) sqlText += " AND direction != 2";
            if (q.direction == SourceQuery::Direction::Outbound) sqlText += " AND direction = 2";
            if (!wanted.empty()) sqlText += " AND category IN (" + inList + ")";
            sqlText += " GROUP BY src, proto, dst_port, category";
        }
        const bool fromSummary = !q.since && !q.until && q.direction == SourceQuery::Direction::Inbound;
        // With a limit, the summary table is read twice: once for each source's total (a streaming GROUP
        // BY over the primary key), then only the top sources' rows, by key.
        std::vector<IpAddress> top;
        if (fromSummary && q.limit > 0) {
            std::string totals = "SELECT src, sum(events) FROM source_ports";
            if (!wanted.empty()) totals += " WHERE category IN (" + inList + ")";
            totals += " GROUP BY src";
            std::vector<std::pair<std::int64_t, IpAddress>> all;
            for (auto t = m_db.prepare(totals); t.step();)
                all.emplace_back(t.int64(1), addressFromBlob(t.blob(0)));
            const auto byEvents = [](const auto& x, const auto& y) {
                return x.first != y.first ? x.first > y.first : x.second < y.second;
            };
            total = all.size();
            const std::size_t n = std::min(q.limit, all.size());
            std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(n), all.end(), byEvents);
            all.resize(n);
            for (const auto& [events, src] : all)
                top.push_back(src);
            std::sort(top.begin(), top.end());
            sqlText = "SELECT src, proto, dst_port, category, events, blocked, first_seen, last_seen FROM "
                      "source_ports WHERE src = ?1";
            if (!wanted.empty()) sqlText += " AND category IN (" + inList + ")";
        }
        auto st = m_db.prepare(sqlText);
        if (!fromSummary) {
            st.bind(1, q.since.value_or(std::numeric_limits<std::int64_t>::min()));
            st.bind(2, q.until.value_or(std::numeric_limits<std::int64_t>::max()));
        }
        // Label ids are small and dense: a vector indexed by id.
        std::vector<std::string> labels;
        for (auto all = m_db.prepare("SELECT id, text FROM labels"); all.step();) {
            const auto id = std::size_t(all.int64(0));
            if (id < (std::size_t(1) << 24)) {
                if (labels.size() <= id) labels.resize(id + 1);
                labels[id] = std::string(all.text(1));
            }
        }
        static const std::string kUnknownLabel = "unknown";

        // Rows come ordered by source (the primary key, or GROUP BY), so one source is summed at a time.
        std::vector<SourceSummary> out;
        SourceSummary cur;
        std::vector<std::pair<std::int64_t, std::int64_t>> categoryEvents; // label id, events
        std::vector<int> ports, protos;
        std::vector<Target> targets;
        auto finish = [&] {
            if (cur.events == 0) return;
            std::sort(ports.begin(), ports.end());
            ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
            cur.ports = ports;
            std::sort(protos.begin(), protos.end());
            protos.erase(std::unique(protos.begin(), protos.end()), protos.end());
            for (int p : protos)
                cur.protocols.push_back(protoName(p));
            // Most events first; ties by name, so the order does not depend on label ids.
            std::vector<std::pair<const std::string*, std::int64_t>> cats;
            for (const auto& [id, n] : categoryEvents) {
                const std::string* name
                    = id >= 0 && std::size_t(id) < labels.size() ? &labels[std::size_t(id)] : &kUnknownLabel;
                auto it
                    = std::find_if(cats.begin(), cats.end(), [&](const auto& c) { return c.first == name; });
                if (it == cats.end())
                    cats.emplace_back(name, n);
                else
                    it->second += n;
            }
            std::sort(cats.begin(), cats.end(), [](const auto& x, const auto& y) {
                return x.second != y.second ? x.second > y.second : *x.first < *y.first;
            });
            for (const auto& c : cats)
                cur.categories.push_back(*c.first);
            cur.patterns = sigs.matchPatterns(targets);
            out.push_back(std::move(cur));
            cur = SourceSummary {};
            categoryEvents.clear();
            ports.clear();
            protos.clear();
            targets.clear();
        };
        std::size_t nextTop = 0;
        const auto step = [&]() -> bool {
            if (!(fromSummary && q.limit > 0)) return st.step();
            while (true) {
                if (st.step()) return true;
                if (nextTop == top.size()) return false;
                st.reset();
                st.bindBlob(1, top[nextTop].data(), top[nextTop].size());
                ++nextTop;
            }
        };
        while (step()) {
            const IpAddress src = addressFromBlob(st.blob(0));
            if (src != cur.src) finish();
            const int proto = int(st.int64(1));
            const int port = int(st.int64(2));
            if (cur.events == 0) {
                cur.src = src;
                cur.firstSeen = st.int64(6);
                cur.lastSeen = st.int64(7);
            }
            cur.events += st.int64(4);
            cur.blocked += st.int64(5);
            cur.firstSeen = std::min(cur.firstSeen, st.int64(6));
            cur.lastSeen = std::max(cur.lastSeen, st.int64(7));
            categoryEvents.emplace_back(st.int64(3), st.int64(4));
            if (proto >= 0) protos.push_back(proto);
            const bool icmp = proto == proto::kIcmp || proto == proto::kIcmpV6;
            if (port >= 0 && !icmp) ports.push_back(port);
            targets.push_back({proto, port});
        }
        finish();
        std::sort(out.begin(), out.end(), [](const SourceSummary& x, const SourceSummary& y) {
            return x.events != y.events ? x.events > y.events : x.src < y.src;
        });
        if (top.empty() || !fromSummary) total = out.size();
        if (q.limit > 0 && out.size() > q.limit) out.resize(q.limit);
        return SourcePage {std::move(out), total};
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot read the source summary: ") + e.what());
    }
}

Result<std::string> EventStore::rawLine(std::int64_t eventId)
{
    try {
        auto st
            = m_db.prepare("SELECT b.data, e.raw_index FROM events e JOIN raw_blocks b ON b.id = e.raw_block "
                           "WHERE e.id = ?");
        st.bind(1, eventId);
        if (!st.step()) return fail(ErrorKind::NotFound, "No event " + std::to_string(eventId) + ".");
        auto blob = st.blob(0);
        const auto index = st.int64(1);
        const unsigned long long size = ZSTD_getFrameContentSize(blob.data(), blob.size());
        if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (64u << 20))
            return fail(
                ErrorKind::Database, "The stored line of event " + std::to_string(eventId) + " is damaged.");
        std::string text(size, '\0');
        const size_t n = ZSTD_decompress(text.data(), text.size(), blob.data(), blob.size());
        if (ZSTD_isError(n))
            return fail(
                ErrorKind::Database, "The stored line of event " + std::to_string(eventId) + " is damaged.");
        std::size_t pos = 0;
        for (std::int64_t i = 0; i < index; ++i) {
            pos = text.find('\n', pos);
            if (pos == std::string::npos) return fail(ErrorKind::Database, "Stored line index out of range.");
            ++pos;
        }
        const std::size_t end = text.find('\n', pos);
        return text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, e.what());
    }
}

} // namespace tattle::core
