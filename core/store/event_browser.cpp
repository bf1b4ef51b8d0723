// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/event_browser.h"

#include "core/text_util.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <zstd.h>

namespace tattle::core {

namespace {

struct Blob {
    std::string bytes;
};
using Param = std::variant<std::int64_t, std::string, Blob>;

/// A WHERE clause and its parameters, bound in order (?1, ?2 ... are not used: plain ?).
struct Where {
    std::string sql;
    std::vector<Param> params;

    void add(std::string clause)
    {
        sql += sql.empty() ? " WHERE " : " AND ";
        sql += clause;
    }
};

Blob addressBlob(const IpAddress& a)
{
    return Blob {std::string(reinterpret_cast<const char*>(a.data()), a.size())};
}

std::string lowered(std::string_view s)
{
    std::string out(s);
    std::transform(
        out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

Where filterClause(const BrowseFilter& f)
{
    Where w;
    if (f.since) {
        w.add("e.ts >= ?");
        w.params.emplace_back(*f.since);
    }
    if (f.until) {
        w.add("e.ts < ?");
        w.params.emplace_back(*f.until);
    }
    if (f.source && f.source->isValid()) {
        w.add("e.src = ?");
        w.params.emplace_back(addressBlob(*f.source));
    }
    if (f.port) {
        w.add("e.dst_port = ?");
        w.params.emplace_back(std::int64_t(*f.port));
    }
    if (f.protocol) {
        w.add("e.proto = ?");
        w.params.emplace_back(std::int64_t(*f.protocol));
    }
    if (!f.category.empty()) {
        w.add("e.category = (SELECT id FROM labels WHERE text = ?)");
        w.params.emplace_back(f.category);
    }
    if (!f.text.empty()) {
        // instr() rather than LIKE: the user's % and _ are plain characters.
        const std::string labels = "(SELECT id FROM labels WHERE instr(lower(text), ?) > 0)";
        w.add("(e.rule IN " + labels + " OR e.iface IN " + labels + " OR e.category IN " + labels + ")");
        for (int i = 0; i < 3; ++i)
            w.params.emplace_back(lowered(f.text));
    }
    return w;
}

std::string sortExpression(EventSortColumn c)
{
    switch (c) {
    case EventSortColumn::Id:
        return "e.id";
    case EventSortColumn::Time:
        return "e.ts";
    case EventSortColumn::Source:
        return "e.src";
    case EventSortColumn::SourcePort:
        return "e.src_port";
    case EventSortColumn::Destination:
        return "e.dst";
    case EventSortColumn::DestinationPort:
        return "e.dst_port";
    case EventSortColumn::Protocol:
        return "e.proto";
    case EventSortColumn::Category:
        return "e.category"; // the label id: groups by category in an index's order (see events_category)
    case EventSortColumn::Action:
        return "e.action";
    }
    return "e.id";
}

void bindAll(sql::Statement& st, const std::vector<Param>& params)
{
    int i = 1;
    for (const auto& p : params) {
        if (const auto* n = std::get_if<std::int64_t>(&p))
            st.bind(i, *n);
        else if (const auto* s = std::get_if<std::string>(&p))
            st.bind(i, std::string_view(*s));
        else {
            const auto& b = std::get<Blob>(p).bytes;
            st.bindBlob(i, b.data(), b.size());
        }
        ++i;
    }
}

std::optional<int> optionalInt(const sql::Statement& st, int column)
{
    if (st.isNull(column)) return std::nullopt;
    return int(st.int64(column));
}

IpAddress addressColumn(const sql::Statement& st, int column)
{
    if (st.isNull(column)) return {};
    const auto b = st.blob(column);
    return IpAddress::fromBytes(b.data(), b.size());
}

/// Bucket sizes a chart axis reads well in.
Micros niceBucket(Micros span, std::size_t maxBuckets)
{
    constexpr Micros minute = 60 * kMicrosPerSecond, hour = 60 * minute;
    for (Micros b : {minute, 5 * minute, 15 * minute, 30 * minute, hour, 3 * hour, 6 * hour, 12 * hour,
             24 * hour, 7 * 24 * hour, 30 * 24 * hour})
        if (span / b < Micros(maxBuckets)) return b;
    return span / Micros(maxBuckets) + 1;
}

} // namespace

EventBrowser::EventBrowser(sql::Database db)
    : m_db(std::move(db))
{
}

Result<EventBrowser> EventBrowser::open(const std::filesystem::path& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return fail(ErrorKind::NotFound, "The database '" + path.string() + "' does not exist.");
    try {
        auto db = sql::Database::open(path, sql::Database::Mode::ReadOnly);
        if (db.queryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'") == 0)
            return fail(ErrorKind::Format, "'" + path.string() + "' is not a tattle database.");
        return EventBrowser(std::move(db));
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, "Cannot open the database '" + path.string() + "': " + e.what());
    }
}

Result<EventPage> EventBrowser::page(const BrowseFilter& filter, const EventSort& sort,
    const std::optional<EventCursor>& after, std::size_t limit)
{
    try {
        Where w = filterClause(filter);
        const std::string key = sortExpression(sort.column);
        const bool byId = sort.column == EventSortColumn::Id;
        const bool byTime = sort.column == EventSortColumn::Time;
        const char* cmp = sort.descending ? "<" : ">";
        // Ties are broken by time, then id: (key, ts, id) is the order of the (key, ts) indexes, so a page
        // is an index range seek however deep it starts (row values compare in one step).
        if (after) {
            const auto& k = after->key;
            if (byId) {
                w.add(std::string("e.id ") + cmp + " ?");
                w.params.emplace_back(after->id);
            } else if (byTime) {
                w.add(std::string("(e.ts, e.id) ") + cmp + " (?, ?)");
                w.params.emplace_back(after->ts);
                w.params.emplace_back(after->id);
            } else if (std::holds_alternative<std::monostate>(k)) {
                // NULLs sort first ascending and last descending (SQLite).
                w.add(sort.descending
                        ? "(" + key + " IS NULL AND (e.ts, e.id) < (?, ?))"
                        : "((" + key + " IS NULL AND (e.ts, e.id) > (?, ?)) OR " + key + " IS NOT NULL)");
                w.params.emplace_back(after->ts);
                w.params.emplace_back(after->id);
            } else {
                std::string clause = "(" + key + ", e.ts, e.id) " + cmp + " (?, ?, ?)";
                if (sort.descending) clause = "(" + clause + " OR " + key + " IS NULL)";
                w.add(clause);
                if (std::holds_alternative<std::int64_t>(k))
                    w.params.emplace_back(std::get<std::int64_t>(k));
                else
                    w.params.emplace_back(Blob {std::get<std::string>(k)});
                w.params.emplace_back(after->ts);
                w.params.emplace_back(after->id);
            }
        }
        const std::string dir = sort.descending ? " DESC" : " ASC";
        std::string sql
            = "SELECT e.id, e.ts, e.action, e.direction, e.proto, e.src, e.src_port, e.dst, e.dst_port, "
              "(SELECT text FROM labels WHERE id = e.category), "
              "(SELECT text FROM labels WHERE id = e.rule), "
              "(SELECT text FROM labels WHERE id = e.iface), coalesce(e.count, 1), "
            + key + " FROM events e" + w.sql + " ORDER BY ";
        sql += byId  ? "e.id" + dir
            : byTime ? "e.ts" + dir + ", e.id" + dir
                     : key + dir + ", e.ts" + dir + ", e.id" + dir;
        sql += " LIMIT " + std::to_string(limit + 1);
        auto st = m_db.prepare(sql);
        bindAll(st, w.params);
        EventPage page;
        page.rows.reserve(std::min<std::size_t>(limit, 4096));
        EventCursor last;
        while (st.step()) {
            if (page.rows.size() == limit) {
                page.next = last;
                break;
            }
            EventRow r;
            r.id = st.int64(0);
            r.ts = st.int64(1);
            r.action = int(st.int64(2));
            r.direction = int(st.int64(3));
            r.proto = optionalInt(st, 4);
            r.src = addressColumn(st, 5);
            r.srcPort = optionalInt(st, 6);
            r.dst = addressColumn(st, 7);
            r.dstPort = optionalInt(st, 8);
            r.category = st.text(9);
            r.rule = st.text(10);
            r.iface = st.text(11);
            r.count = st.int64(12);
            last.id = r.id;
            last.ts = r.ts;
            if (st.isNull(13))
                last.key = std::monostate {};
            else if (sort.column == EventSortColumn::Source || sort.column == EventSortColumn::Destination) {
                const auto b = st.blob(13);
                last.key = std::string(reinterpret_cast<const char*>(b.data()), b.size());
            } else {
                last.key = st.int64(13);
            }
            page.rows.push_back(std::move(r));
        }
        return page;
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot read the events: ") + e.what());
    }
}

Result<std::int64_t> EventBrowser::count(const BrowseFilter& filter)
{
    try {
        const Where w = filterClause(filter);
        auto st = m_db.prepare("SELECT count(*) FROM events e" + w.sql);
        bindAll(st, w.params);
        return st.step() ? st.int64(0) : 0;
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot count the events: ") + e.what());
    }
}

Result<std::vector<std::string>> EventBrowser::rawLines(const std::vector<std::int64_t>& eventIds)
{
    std::vector<std::string> out(eventIds.size());
    try {
        auto st = m_db.prepare("SELECT raw_block, raw_index FROM events WHERE id = ?");
        auto blockSt = m_db.prepare("SELECT data FROM raw_blocks WHERE id = ?");
        std::map<std::int64_t, std::string> blocks; // decompressed, each block once
        for (std::size_t i = 0; i < eventIds.size(); ++i) {
            st.reset();
            st.bind(1, eventIds[i]);
            if (!st.step()) continue;
            const std::int64_t blockId = st.int64(0), index = st.int64(1);
            auto it = blocks.find(blockId);
            if (it == blocks.end()) {
                blockSt.reset();
                blockSt.bind(1, blockId);
                std::string text;
                if (blockSt.step()) {
                    const auto blob = blockSt.blob(0);
                    const unsigned long long size = ZSTD_getFrameContentSize(blob.data(), blob.size());
                    if (size != ZSTD_CONTENTSIZE_ERROR && size != ZSTD_CONTENTSIZE_UNKNOWN
                        && size <= (64u << 20)) {
                        text.resize(size);
                        if (ZSTD_isError(ZSTD_decompress(text.data(), text.size(), blob.data(), blob.size())))
                            text.clear();
                    }
                }
                it = blocks.emplace(blockId, std::move(text)).first;
            }
            const std::string& text = it->second;
            std::size_t pos = 0;
            for (std::int64_t n = 0; n < index && pos != std::string::npos; ++n) {
                pos = text.find('\n', pos);
                if (pos != std::string::npos) ++pos;
            }
            if (pos == std::string::npos || pos > text.size()) continue;
            const std::size_t end = text.find('\n', pos);
            out[i] = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        }
        return out;
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot read the original lines: ") + e.what());
    }
}

Result<std::vector<SourceTarget>> EventBrowser::targets(const IpAddress& source)
{
    try {
        auto st = m_db.prepare("SELECT sp.proto, sp.dst_port, l.text, sp.events, sp.blocked, sp.first_seen, "
                               "sp.last_seen FROM source_ports sp JOIN labels l ON l.id = sp.category "
                               "WHERE sp.src = ? ORDER BY sp.events DESC, sp.proto, sp.dst_port");
        st.bindBlob(1, source.data(), source.size());
        std::vector<SourceTarget> out;
        while (st.step())
            out.push_back({int(st.int64(0)), int(st.int64(1)), std::string(st.text(2)), st.int64(3),
                st.int64(4), st.int64(5), st.int64(6)});
        return out;
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot read what the source aimed at: ") + e.what());
    }
}

Result<SourceRanking> EventBrowser::topSources(std::size_t limit)
{
    try {
        SourceRanking r;
        {
            auto st = m_db.prepare("SELECT count(*), coalesce(sum(e), 0) FROM (SELECT sum(events) AS e FROM "
                                   "source_ports GROUP BY src)");
            if (st.step()) {
                r.sources = st.int64(0);
                r.events = st.int64(1);
            }
        }
        auto st = m_db.prepare("SELECT src, sum(events), sum(blocked), min(first_seen), max(last_seen) FROM "
                               "source_ports GROUP BY src ORDER BY 2 DESC, 1 LIMIT ?");
        st.bind(1, std::int64_t(limit));
        while (st.step()) {
            SourceSummary s;
            s.src = addressColumn(st, 0);
            s.events = st.int64(1);
            s.blocked = st.int64(2);
            s.firstSeen = st.int64(3);
            s.lastSeen = st.int64(4);
            r.top.push_back(std::move(s));
        }
        auto cats = m_db.prepare("SELECT l.text, sum(sp.events) FROM source_ports sp JOIN labels l ON l.id = "
                                 "sp.category WHERE sp.src = ? GROUP BY l.text ORDER BY 2 DESC, 1");
        for (auto& s : r.top) {
            cats.reset();
            cats.bindBlob(1, s.src.data(), s.src.size());
            while (cats.step())
                s.categories.emplace_back(cats.text(0));
        }
        return r;
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot rank the sources: ") + e.what());
    }
}

Result<std::vector<IpAddress>> EventBrowser::reportedSources()
{
    try {
        std::vector<IpAddress> out;
        if (m_db.queryInt(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'complaint_sources'")
            == 0)
            return out;
        auto st = m_db.prepare("SELECT DISTINCT src FROM complaint_sources ORDER BY src");
        while (st.step())
            out.push_back(addressColumn(st, 0));
        return out;
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot read which sources were reported: ") + e.what());
    }
}

Result<EventStatistics> EventBrowser::statistics(std::size_t maxBuckets, std::size_t top)
{
    EventStatistics s;
    try {
        const std::int64_t first = m_db.queryInt("SELECT coalesce(min(ts), 0) FROM events");
        const std::int64_t last = m_db.queryInt("SELECT coalesce(max(ts), 0) FROM events");
        s.bucketSize = niceBucket(last - first + 1, std::max<std::size_t>(1, maxBuckets));
        const Micros origin = first - first % s.bucketSize;
        {
            auto st = m_db.prepare("SELECT (ts - ?1) / ?2, count(*) FROM events GROUP BY 1 ORDER BY 1");
            st.bind(1, origin);
            st.bind(2, s.bucketSize);
            while (st.step())
                s.overTime.push_back({origin + st.int64(0) * s.bucketSize, st.int64(1)});
        }
        const std::string limit = " LIMIT " + std::to_string(top);
        {
            auto st = m_db.prepare(
                "SELECT proto, dst_port, sum(events) FROM source_ports GROUP BY proto, dst_port "
                "ORDER BY 3 DESC, 1, 2"
                + limit);
            while (st.step())
                s.topPorts.push_back({int(st.int64(0)), int(st.int64(1)), st.int64(2)});
        }
        {
            auto st = m_db.prepare(
                "SELECT src, sum(events) FROM source_ports GROUP BY src ORDER BY 2 DESC, 1" + limit);
            while (st.step())
                s.topSources.push_back({addressColumn(st, 0).toString(), st.int64(1)});
        }
        for (auto [column, target] :
            {std::pair {"CASE n.org WHEN '' THEN n.name ELSE n.org END", &s.topOwners},
                std::pair {"n.country", &s.topCountries}}) {
            auto st = m_db.prepare(std::string("SELECT ") + column
                + ", sum(sp.events) FROM source_ports sp JOIN source_networks sn ON sn.src = sp.src "
                  "JOIN networks n ON n.id = sn.network_id WHERE "
                + column + " <> '' GROUP BY 1 ORDER BY 2 DESC, 1" + limit);
            while (st.step())
                target->push_back({sanitizeForDisplay(st.text(0)), st.int64(1)});
        }
        return s;
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database, std::string("Cannot count the events for the charts: ") + e.what());
    }
}

} // namespace tattle::core
