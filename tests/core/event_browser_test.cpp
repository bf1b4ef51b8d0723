// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/importer.h"
#include "core/resources.h"
#include "core/signatures.h"
#include "core/store/event_browser.h"
#include "test_parser.h"
#include "test_support.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>

namespace tattle::core {
namespace {

namespace fs = std::filesystem;

/// One line of the tests' CSV format: TIME,ACTION,PROTO,SRC,SPORT,DST,DPORT.
std::string csvLine(int second, const std::string& src, const std::string& proto, int dpt, bool allow)
{
    std::string t = "2024-03-01T10:" + std::string(second / 60 < 10 ? "0" : "") + std::to_string(second / 60)
        + ":" + (second % 60 < 10 ? "0" : "") + std::to_string(second % 60) + "Z";
    if (proto == "icmp") return t + "," + (allow ? "allow" : "block") + ",icmp," + src + ",,192.0.2.10,\n";
    return t + "," + (allow ? "allow" : "block") + "," + proto + "," + src + ","
        + std::to_string(40000 + second) + ",192.0.2.10," + std::to_string(dpt) + "\n";
}

class EventBrowserTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        // 60 events: three sources, TCP/UDP ports and port-less ICMP (NULL ports), blocks and allows.
        std::string log;
        const char* sources[] = {"203.0.113.5", "198.51.100.7", "2001:db8::9"};
        const char* protos[] = {"tcp", "udp", "icmp"};
        const int ports[] = {445, 22, 3389, 53, 23};
        for (int i = 0; i < 60; ++i)
            log += csvLine(i, sources[i % 3], protos[(i / 3) % 3], ports[i % 5], i % 7 == 0);
        test::writeFile(m_dir / "events.csv", log);
        auto store = EventStore::open(m_db);
        ASSERT_TRUE(store) << store.error().message;
        auto sigs = SignatureTable::load(fs::path(TATTLE_RESOURCES_DIR) / "signatures.json");
        ASSERT_TRUE(sigs);
        const auto parser = test::makeTestCsvParser();
        ImportOptions o;
        o.context.zone = *TimeZone::fromName("UTC");
        auto r = importFile(*store, *sigs, *parser, m_dir / "events.csv", o);
        ASSERT_TRUE(r) << r.error().message;
        ASSERT_EQ(r->eventsStored, 60u);
    }

    std::vector<EventRow> all(
        EventBrowser& b, const BrowseFilter& f, const EventSort& s, std::size_t pageSize)
    {
        std::vector<EventRow> out;
        std::optional<EventCursor> after;
        for (int guard = 0; guard < 1000; ++guard) {
            auto page = b.page(f, s, after, pageSize);
            EXPECT_TRUE(page) << page.error().message;
            if (!page) break;
            EXPECT_LE(page->rows.size(), pageSize);
            out.insert(out.end(), page->rows.begin(), page->rows.end());
            if (!page->next) break;
            after = page->next;
        }
        return out;
    }

    fs::path m_dir = test::scratchDir();
    fs::path m_db = m_dir / "events.db";
};

/// A filter with some fields set.
template<typename Fn> BrowseFilter with(Fn set)
{
    BrowseFilter f;
    set(f);
    return f;
}

/// The reference order: by the key (for the columns, the column's value and then the time; NULL first
/// ascending, last descending), then by id.
template<typename Key> std::vector<std::int64_t> expectedOrder(std::vector<EventRow> rows, Key key, bool desc)
{
    std::stable_sort(rows.begin(), rows.end(), [&](const EventRow& a, const EventRow& b) {
        const auto ka = key(a), kb = key(b);
        if (ka != kb) return desc ? kb < ka : ka < kb;
        return desc ? b.id < a.id : a.id < b.id;
    });
    std::vector<std::int64_t> ids;
    for (const auto& r : rows)
        ids.push_back(r.id);
    return ids;
}

std::vector<std::int64_t> idsOf(const std::vector<EventRow>& rows)
{
    std::vector<std::int64_t> ids;
    for (const auto& r : rows)
        ids.push_back(r.id);
    return ids;
}

TEST_F(EventBrowserTest, KeysetPagesInEveryOrderMatchOneSortedList)
{
    auto b = EventBrowser::open(m_db);
    ASSERT_TRUE(b) << b.error().message;
    const auto rows = all(*b, {}, {EventSortColumn::Id, false}, 1000);
    ASSERT_EQ(rows.size(), 60u);
    std::map<std::string, std::int64_t> labelIds;
    {
        auto db = sql::Database::open(m_db, sql::Database::Mode::ReadOnly);
        for (auto st = db.prepare("SELECT text, id FROM labels"); st.step();)
            labelIds[std::string(st.text(0))] = st.int64(1);
    }
    // std::optional<int> orders nullopt first, as SQLite orders NULL.
    auto bytes
        = [](const IpAddress& a) { return std::string(reinterpret_cast<const char*>(a.data()), a.size()); };
    const std::map<EventSortColumn, std::function<std::vector<std::int64_t>(bool)>> reference {
        {EventSortColumn::Id,
            [&](bool d) {
                return expectedOrder(
                    rows, [](const EventRow& r) { return r.id; }, d);
            }},
        {EventSortColumn::Time,
            [&](bool d) {
                return expectedOrder(
                    rows, [](const EventRow& r) { return r.ts; }, d);
            }},
        {EventSortColumn::Source,
            [&](bool d) {
                return expectedOrder(
                    rows, [&](const EventRow& r) { return std::pair(bytes(r.src), r.ts); }, d);
            }},
        {EventSortColumn::SourcePort,
            [&](bool d) {
                return expectedOrder(
                    rows, [](const EventRow& r) { return std::pair(r.srcPort, r.ts); }, d);
            }},
        {EventSortColumn::DestinationPort,
            [&](bool d) {
                return expectedOrder(
                    rows, [](const EventRow& r) { return std::pair(r.dstPort, r.ts); }, d);
            }},
        {EventSortColumn::Protocol,
            [&](bool d) {
                return expectedOrder(
                    rows, [](const EventRow& r) { return std::pair(r.proto, r.ts); }, d);
            }},
        // By label id (the order categories were first stored in), then time.
        {EventSortColumn::Category,
            [&](bool d) {
                return expectedOrder(
                    rows, [&](const EventRow& r) { return std::pair(labelIds.at(r.category), r.ts); }, d);
            }},
        {EventSortColumn::Action,
            [&](bool d) {
                return expectedOrder(
                    rows, [](const EventRow& r) { return std::pair(r.action, r.ts); }, d);
            }},
    };
    for (const auto& [column, expected] : reference)
        for (bool desc : {false, true})
            for (std::size_t pageSize : {1u, 7u, 60u, 500u}) {
                const auto got = all(*b, {}, {column, desc}, pageSize);
                EXPECT_EQ(idsOf(got), expected(desc))
                    << "column " << int(column) << (desc ? " desc" : " asc") << " page " << pageSize;
            }
}

TEST_F(EventBrowserTest, FiltersNarrowAndCountAgrees)
{
    auto b = EventBrowser::open(m_db);
    ASSERT_TRUE(b);
    const auto everything = all(*b, {}, {}, 1000);
    struct Case {
        const char* name;
        BrowseFilter filter;
        std::function<bool(const EventRow&)> matches;
    };
    const Micros t0 = everything.front().ts;
    std::vector<Case> cases {
        {"none", {}, [](const EventRow&) { return true; }},
        {"source", with([&](BrowseFilter& f) { f.source = IpAddress::parse("2001:db8::9"); }),
            [](const EventRow& r) { return r.src.toString() == "2001:db8::9"; }},
        {"port", with([&](BrowseFilter& f) { f.port = 445; }),
            [](const EventRow& r) { return r.dstPort == 445; }},
        {"protocol", with([&](BrowseFilter& f) { f.protocol = 1; }),
            [](const EventRow& r) { return r.proto == 1; }},
        {"category", with([&](BrowseFilter& f) { f.category = "smb"; }),
            [](const EventRow& r) { return r.category == "smb"; }},
        {"text (category, any case)", with([&](BrowseFilter& f) { f.text = "SM"; }),
            [](const EventRow& r) { return r.category.find("sm") != std::string::npos; }},
        {"time range", with([&](BrowseFilter& f) {
             f.since = t0 + 10 * kMicrosPerSecond;
             f.until = t0 + 20 * kMicrosPerSecond;
         }),
            [&](const EventRow& r) {
                return r.ts >= t0 + 10 * kMicrosPerSecond && r.ts < t0 + 20 * kMicrosPerSecond;
            }},
        {"port and protocol", with([&](BrowseFilter& f) {
             f.port = 22;
             f.protocol = 17;
         }),
            [](const EventRow& r) { return r.dstPort == 22 && r.proto == 17; }},
        // Negatives: nothing matches, and the user's wildcards are plain characters.
        {"unknown category", with([&](BrowseFilter& f) { f.category = "no-such-category"; }),
            [](const EventRow&) { return false; }},
        {"wildcard text", with([&](BrowseFilter& f) { f.text = "%"; }),
            [](const EventRow&) { return false; }},
        {"quote in text", with([&](BrowseFilter& f) { f.text = "' OR 1=1 --"; }),
            [](const EventRow&) { return false; }},
        {"absent source", with([&](BrowseFilter& f) { f.source = IpAddress::parse("192.0.2.99"); }),
            [](const EventRow&) { return false; }},
    };
    for (const auto& c : cases) {
        std::vector<std::int64_t> expected;
        for (const auto& r : everything)
            if (c.matches(r)) expected.push_back(r.id);
        const auto got = all(*b, c.filter, {EventSortColumn::Id, false}, 7);
        EXPECT_EQ(idsOf(got), expected) << c.name;
        // The positive cases must match something, the negatives nothing: neither passes by accident.
        EXPECT_EQ(expected.empty(),
            std::string(c.name).find("unknown") == 0 || std::string(c.name).find("absent") == 0
                || std::string(c.name).find("wildcard") == 0 || std::string(c.name).find("quote") == 0)
            << c.name;
        auto n = b->count(c.filter);
        ASSERT_TRUE(n) << c.name;
        EXPECT_EQ(*n, std::int64_t(expected.size())) << c.name;
    }
}

TEST_F(EventBrowserTest, RawLinesTargetsAndStatistics)
{
    auto b = EventBrowser::open(m_db);
    ASSERT_TRUE(b);
    const auto rows = all(*b, {}, {EventSortColumn::Id, false}, 1000);
    auto lines = b->rawLines({rows[0].id, 999999, rows[59].id});
    ASSERT_TRUE(lines);
    ASSERT_EQ(lines->size(), 3u);
    EXPECT_EQ((*lines)[0], "2024-03-01T10:00:00Z,allow,tcp,203.0.113.5,40000,192.0.2.10,445");
    EXPECT_EQ((*lines)[1], "");
    EXPECT_EQ((*lines)[2], "2024-03-01T10:00:59Z,block,udp,2001:db8::9,40059,192.0.2.10,23");

    auto targets = b->targets(*IpAddress::parse("203.0.113.5"));
    ASSERT_TRUE(targets);
    std::int64_t sum = 0;
    for (const auto& t : *targets)
        sum += t.events;
    EXPECT_EQ(sum, 20);
    auto none = b->targets(*IpAddress::parse("192.0.2.99"));
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());

    auto stats = b->statistics(10, 3);
    ASSERT_TRUE(stats) << stats.error().message;
    std::int64_t overTime = 0;
    for (const auto& bucket : stats->overTime)
        overTime += bucket.events;
    EXPECT_EQ(overTime, 60);
    EXPECT_LE(stats->overTime.size(), 10u);
    ASSERT_EQ(stats->topSources.size(), 3u);
    EXPECT_EQ(stats->topSources[0].events, 20);
    EXPECT_EQ(stats->topPorts.size(), 3u);
    EXPECT_TRUE(stats->topOwners.empty()); // nothing looked up
}

TEST_F(EventBrowserTest, TopSourcesAreBoundedAndCountEverySource)
{
    auto b = EventBrowser::open(m_db);
    ASSERT_TRUE(b);
    for (std::size_t limit : {0u, 1u, 2u, 3u, 100u}) {
        auto r = b->topSources(limit);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(r->top.size(), std::min<std::size_t>(limit, 3)) << limit;
        EXPECT_EQ(r->sources, 3) << limit;
        EXPECT_EQ(r->events, 60) << limit;
        for (const auto& s : r->top) {
            EXPECT_EQ(s.events, 20);
            EXPECT_FALSE(s.categories.empty());
            EXPECT_LE(s.firstSeen, s.lastSeen);
        }
    }
}

TEST(EventBrowserOpen, RefusesMissingAndForeignFiles)
{
    const auto dir = test::scratchDir();
    auto missing = EventBrowser::open(dir / "missing.db");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::NotFound);
    test::writeFile(dir / "text.db", "this is not SQLite\n");
    EXPECT_FALSE(EventBrowser::open(dir / "text.db"));
    {
        auto db = sql::Database::open(dir / "other.db");
        db.exec("CREATE TABLE t(x)");
    }
    auto other = EventBrowser::open(dir / "other.db");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().kind, ErrorKind::Format);
}

} // namespace
} // namespace tattle::core
