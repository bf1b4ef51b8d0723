// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/importer.h"
#include "core/signatures.h"
#include "core/store/event_store.h"
#include "test_parser.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <zlib.h>

using namespace tattle;
using namespace tattle::core;

namespace {

const SignatureTable& signatures()
{
    static const SignatureTable t
        = *SignatureTable::load(std::filesystem::path(TATTLE_RESOURCES_DIR) / "signatures.json");
    return t;
}

std::string line(
    int minute, const char* src, int dport, const char* proto = "tcp", const char* action = "block")
{
    char buf[160];
    std::snprintf(buf, sizeof buf, "2024-03-01T10:%02d:00Z,%s,%s,%s,40000,198.51.100.1,%d\n", minute, action,
        proto, src, dport);
    return buf;
}

class ImporterTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        dir = test::scratchDir();
        auto s = EventStore::open(dir / "t.db");
        ASSERT_TRUE(s) << s.error().message;
        store.emplace(std::move(*s));
        parser = test::makeTestCsvParser();
    }
    ImportResult import(const std::filesystem::path& file, ImportOptions opts = {})
    {
        auto r = importFile(*store, signatures(), *parser, file, std::move(opts));
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return r ? *r : ImportResult {};
    }
    std::int64_t count(const char* sql) { return store->database().queryInt(sql); }

    std::filesystem::path dir;
    std::optional<EventStore> store;
    std::unique_ptr<Parser> parser;
};

} // namespace

TEST_F(ImporterTest, StoresEventsCountsLinesAndKeepsSkippedOnes)
{
    test::writeFile(dir / "a.log",
        "# header\n" + line(0, "203.0.113.5", 445) + "noise from sshd\n" + "garbage,line\n"
            + line(1, "203.0.113.5", 445) + line(2, "2001:0db8::0001", 22) + "\n");
    auto r = import(dir / "a.log");
    EXPECT_EQ(r.format, "test-csv");
    EXPECT_EQ(r.linesRead, 7u);
    EXPECT_EQ(r.eventsStored, 3u);
    EXPECT_EQ(r.linesIgnored, 3u); // header, noise, blank
    EXPECT_EQ(r.linesSkipped, 1u);
    ASSERT_EQ(r.firstSkipped.size(), 1u);
    EXPECT_EQ(r.firstSkipped[0].lineNo, 4u);
    EXPECT_EQ(r.firstSkipped[0].reason, "expected 7 fields");
    EXPECT_EQ(count("SELECT count(*) FROM events"), 3);
    auto skipped = store->skippedLines(r.importId, 10);
    ASSERT_EQ(skipped.size(), 1u);
    EXPECT_EQ(skipped[0].text, "garbage,line");
    auto imports = store->imports();
    ASSERT_EQ(imports.size(), 1u);
    EXPECT_EQ(imports[0].eventsStored, 3u);
    EXPECT_EQ(imports[0].linesSkipped, 1u);
    EXPECT_TRUE(imports[0].finishedAt.has_value());
    EXPECT_EQ(imports[0].path, (dir / "a.log").string());
}

TEST_F(ImporterTest, QuotesTheOriginalLineOfEveryEvent)
{
    std::string content;
    for (int i = 0; i < 1000; ++i)
        content += line(i % 60, "203.0.113.7", 1000 + i);
    test::writeFile(dir / "q.log", content);
    import(dir / "q.log");
    // Events span several compressed blocks; each one gives back its own line.
    for (std::int64_t id : {1, 256, 257, 999, 1000}) {
        auto raw = store->rawLine(id);
        ASSERT_TRUE(raw) << raw.error().message;
        const auto lineNo
            = store->database().queryInt("SELECT line_no FROM events WHERE id = " + std::to_string(id));
        EXPECT_EQ(*raw + "\n", line(int((lineNo - 1) % 60), "203.0.113.7", int(1000 + lineNo - 1)));
    }
    EXPECT_FALSE(store->rawLine(5000));
}

TEST_F(ImporterTest, ImportingTheSameFileAgainStoresNothing)
{
    test::writeFile(dir / "a.log", line(0, "203.0.113.5", 445) + line(1, "203.0.113.6", 139));
    EXPECT_EQ(import(dir / "a.log").eventsStored, 2u);
    auto again = import(dir / "a.log");
    EXPECT_EQ(again.eventsStored, 0u);
    EXPECT_EQ(again.linesRead, 0u);
    EXPECT_EQ(again.linesAlreadyImported, 2u);
    EXPECT_EQ(count("SELECT count(*) FROM events"), 2);
    EXPECT_EQ(count("SELECT sum(events) FROM source_ports"), 2);
}

TEST_F(ImporterTest, AGrownFileStoresOnlyItsNewLines)
{
    std::string content = line(0, "203.0.113.5", 445) + line(1, "203.0.113.6", 139);
    test::writeFile(dir / "a.log", content);
    import(dir / "a.log");
    content += line(2, "203.0.113.7", 23) + line(3, "203.0.113.5", 445);
    test::writeFile(dir / "a.log", content);
    auto r = import(dir / "a.log");
    EXPECT_EQ(r.linesAlreadyImported, 2u);
    EXPECT_EQ(r.linesRead, 2u);
    EXPECT_EQ(r.eventsStored, 2u);
    EXPECT_EQ(count("SELECT count(*) FROM events"), 4);
    EXPECT_EQ(count("SELECT min(line_no) FROM events WHERE import_id = 2"), 3);
    EXPECT_EQ(count("SELECT events FROM source_ports WHERE dst_port = 445"), 2);
}

TEST_F(ImporterTest, ARenamedOrCompressedCopyIsRecognised)
{
    const std::string content = line(0, "203.0.113.5", 445) + line(1, "203.0.113.6", 139);
    test::writeFile(dir / "ufw.log", content);
    import(dir / "ufw.log");
    std::filesystem::rename(dir / "ufw.log", dir / "ufw.log.1");
    EXPECT_EQ(import(dir / "ufw.log.1").eventsStored, 0u);
    gzFile gz = gzopen((dir / "ufw.log.2.gz").c_str(), "wb");
    gzwrite(gz, content.data(), unsigned(content.size()));
    gzclose(gz);
    EXPECT_EQ(import(dir / "ufw.log.2.gz").eventsStored, 0u);
    EXPECT_EQ(count("SELECT count(*) FROM events"), 2);
}

TEST_F(ImporterTest, AFileWithTheSameNameButOtherContentIsImportedWhole)
{
    test::writeFile(dir / "a.log", line(0, "203.0.113.5", 445) + line(1, "203.0.113.6", 139));
    import(dir / "a.log");
    // Rotated: same name, new content that happens to share the first line.
    test::writeFile(
        dir / "a.log", line(0, "203.0.113.5", 445) + line(5, "203.0.113.9", 22) + line(6, "203.0.113.9", 23));
    auto r = import(dir / "a.log");
    // Only a whole earlier prefix counts: an identical first line alone is a new event at another time.
    EXPECT_EQ(r.linesAlreadyImported, 0u);
    EXPECT_EQ(r.eventsStored, 3u);
    test::writeFile(dir / "a.log", line(9, "198.51.100.77", 80));
    EXPECT_EQ(import(dir / "a.log").eventsStored, 1u);
}

TEST_F(ImporterTest, AnUnterminatedLastLineIsStoredOnce)
{
    std::string content = line(0, "203.0.113.5", 445);
    std::string last = line(1, "203.0.113.6", 139);
    last.pop_back();
    test::writeFile(dir / "a.log", content + last);
    EXPECT_EQ(import(dir / "a.log").eventsStored, 2u);
    EXPECT_EQ(import(dir / "a.log").eventsStored, 0u); // unchanged: nothing new
    // The writer finishes the line and adds another.
    test::writeFile(dir / "a.log", content + last + "\n" + line(2, "203.0.113.7", 23));
    auto r = import(dir / "a.log");
    EXPECT_EQ(r.eventsStored, 1u);
    EXPECT_EQ(count("SELECT count(*) FROM events"), 3);
}

TEST_F(ImporterTest, SummarisesPerSource)
{
    std::string content;
    for (int i = 0; i < 5; ++i)
        content += line(i, "203.0.113.5", 445);
    content += line(10, "203.0.113.5", 139) + line(11, "203.0.113.5", 137, "udp");
    for (int p = 1; p <= 12; ++p)
        content += line(20, "198.51.100.200", p);
    content += line(30, "2001:db8::abc", 0, "icmp", "allow");
    content += line(31, "192.0.2.10", 53, "udp", "out"); // sent by this machine: not a probe
    test::writeFile(dir / "s.log", content);
    import(dir / "s.log");
    auto rows = store->sources({}, signatures());
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 3u);
    const auto& scanner = (*rows)[0];
    EXPECT_EQ(scanner.src.toString(), "198.51.100.200");
    EXPECT_EQ(scanner.events, 12);
    EXPECT_EQ(scanner.patterns, std::vector<std::string> {"port-scan"});
    const auto& worm = (*rows)[1];
    EXPECT_EQ(worm.src.toString(), "203.0.113.5");
    EXPECT_EQ(worm.events, 7);
    EXPECT_EQ(worm.blocked, 7);
    EXPECT_EQ(worm.ports, (std::vector<int> {137, 139, 445}));
    EXPECT_EQ(worm.protocols, (std::vector<std::string> {"tcp", "udp"}));
    EXPECT_EQ(worm.categories, (std::vector<std::string> {"smb", "netbios-ns", "netbios-ssn"}));
    EXPECT_EQ(worm.patterns, std::vector<std::string> {"netbios-sweep"});
    EXPECT_EQ(formatRfc3339(worm.firstSeen), "2024-03-01T10:00:00Z");
    EXPECT_EQ(formatRfc3339(worm.lastSeen), "2024-03-01T10:11:00Z");
    const auto& v6 = (*rows)[2];
    EXPECT_EQ(v6.src.toString(), "2001:db8::abc");
    EXPECT_EQ(v6.blocked, 0);
    EXPECT_TRUE(v6.ports.empty());
    EXPECT_EQ(v6.categories, std::vector<std::string> {"ping"});

    // By category (id or group) and by time: the same numbers from the events table.
    SourceQuery smb;
    smb.categories = {"smb"};
    auto onlySmb = store->sources(smb, signatures());
    ASSERT_TRUE(onlySmb);
    ASSERT_EQ(onlySmb->size(), 1u);
    EXPECT_EQ((*onlySmb)[0].events, 5);
    SourceQuery windows;
    windows.categories = {"windows"};
    EXPECT_EQ((*store->sources(windows, signatures()))[0].events, 7);
    SourceQuery since;
    since.since = *parseRfc3339("2024-03-01T10:04:00Z");
    since.until = *parseRfc3339("2024-03-01T10:21:00Z");
    auto recent = store->sources(since, signatures());
    ASSERT_TRUE(recent);
    ASSERT_EQ(recent->size(), 2u);
    EXPECT_EQ((*recent)[0].events, 12);
    EXPECT_EQ((*recent)[1].events, 3);
    SourceQuery outbound;
    outbound.direction = SourceQuery::Direction::Outbound;
    auto sent = store->sources(outbound, signatures());
    ASSERT_TRUE(sent);
    ASSERT_EQ(sent->size(), 1u);
    EXPECT_EQ((*sent)[0].src.toString(), "192.0.2.10");
    SourceQuery any;
    any.direction = SourceQuery::Direction::Any;
    EXPECT_EQ(store->sources(any, signatures())->size(), 4u);
    SourceQuery unknown;
    unknown.categories = {"no-such-category"};
    EXPECT_FALSE(store->sources(unknown, signatures()));

    // The top of the summary: the same rows, cut, with the total; from the summary table (two passes) and
    // from the events (a time range).
    for (const bool fromEvents : {false, true}) {
        SCOPED_TRACE(fromEvents ? "from the events" : "from the summary table");
        for (const std::size_t limit : {1u, 2u, 3u, 5u}) {
            SourceQuery top;
            top.limit = limit;
            if (fromEvents) top.since = *parseRfc3339("2024-01-01T00:00:00Z");
            auto page = store->sourcePage(top, signatures());
            ASSERT_TRUE(page);
            EXPECT_EQ(page->total, 3u);
            ASSERT_EQ(page->sources.size(), std::min<std::size_t>(limit, 3));
            for (std::size_t i = 0; i < page->sources.size(); ++i) {
                EXPECT_EQ(page->sources[i].src, (*rows)[i].src) << limit;
                EXPECT_EQ(page->sources[i].events, (*rows)[i].events);
                EXPECT_EQ(page->sources[i].ports, (*rows)[i].ports);
                EXPECT_EQ(page->sources[i].categories, (*rows)[i].categories);
                EXPECT_EQ(page->sources[i].patterns, (*rows)[i].patterns);
            }
        }
    }
    SourceQuery topSmb;
    topSmb.categories = {"smb"};
    topSmb.limit = 1;
    auto smbPage = store->sourcePage(topSmb, signatures());
    ASSERT_TRUE(smbPage);
    EXPECT_EQ(smbPage->total, 1u);
    ASSERT_EQ(smbPage->sources.size(), 1u);
    EXPECT_EQ(smbPage->sources[0].events, 5);
    EXPECT_EQ(smbPage->sources[0].categories, std::vector<std::string> {"smb"});
}

TEST_F(ImporterTest, ABadFileLosesNothingStoredBefore)
{
    test::writeFile(dir / "good.log", line(0, "203.0.113.5", 445));
    import(dir / "good.log");
    std::string junk(4096, '\0');
    for (std::size_t i = 0; i < junk.size(); ++i)
        junk[i] = char(i * 37 % 256);
    test::writeFile(dir / "junk.bin", junk);
    auto r = import(dir / "junk.bin");
    EXPECT_EQ(r.eventsStored, 0u);
    EXPECT_GT(r.linesSkipped, 0u);
    EXPECT_EQ(count("SELECT count(*) FROM events"), 1);
    EXPECT_FALSE(importFile(*store, signatures(), *parser, dir / "missing.log", {}));
    EXPECT_EQ(count("SELECT count(*) FROM events"), 1);
}

TEST_F(ImporterTest, CancelStopsAndKeepsWhatWasRead)
{
    std::string content;
    for (int i = 0; i < 100000; ++i)
        content += line(i % 60, "203.0.113.5", 445);
    test::writeFile(dir / "big.log", content);
    std::atomic<bool> cancel {true};
    ImportOptions opts;
    opts.cancel = &cancel;
    auto r = import(dir / "big.log", opts);
    EXPECT_TRUE(r.cancelled);
    EXPECT_LT(r.linesRead, 100000u);
    EXPECT_EQ(count("SELECT count(*) FROM events"), std::int64_t(r.eventsStored));
    // Importing again carries on where the cancelled import stopped.
    cancel = false;
    auto rest = import(dir / "big.log", opts);
    EXPECT_EQ(rest.linesAlreadyImported, r.linesRead);
    EXPECT_EQ(count("SELECT count(*) FROM events"), 100000);
}

TEST_F(ImporterTest, BulkImportScopeRebuildsIndexes)
{
    test::writeFile(dir / "a.log", line(0, "203.0.113.5", 445));
    {
        BulkImportScope bulk(*store, 100'000'000);
        EXPECT_EQ(count("SELECT count(*) FROM sqlite_master WHERE name = 'events_src_ts'"), 0);
        import(dir / "a.log");
    }
    EXPECT_EQ(count("SELECT count(*) FROM sqlite_master WHERE name = 'events_src_ts'"), 1);
}

// Databases of schema 2 are upgraded: those made before the staging table had its own migration have the
// table already (it was then part of 001), later ones get it from 003; both keep their events.
TEST(EventStore, UpgradesSchemaTwoDatabases)
{
    auto dir = test::scratchDir();
    for (const bool hadStaging : {true, false}) {
        SCOPED_TRACE(hadStaging ? "staging table present" : "staging table absent");
        const auto path = dir / (hadStaging ? "with.db" : "without.db");
        {
            auto s = EventStore::open(path);
            ASSERT_TRUE(s);
            s->database().exec("CREATE TABLE keep_me(x); INSERT INTO keep_me VALUES (42)");
            if (!hadStaging) s->database().exec("DROP TABLE source_ports_staging");
            s->database().exec("PRAGMA user_version = 2");
        }
        auto s = EventStore::open(path);
        ASSERT_TRUE(s) << s.error().message;
        EXPECT_EQ(s->database().queryInt("PRAGMA user_version"), currentSchemaVersion());
        EXPECT_EQ(
            s->database().queryInt(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'source_ports_staging'"),
            1);
        EXPECT_EQ(s->database().queryInt("SELECT x FROM keep_me"), 42);
    }
}

TEST(EventStore, RefusesFilesThatAreNotItsDatabase)
{
    auto dir = test::scratchDir();
    test::writeFile(
        dir / "text.db", "this is not sqlite at all, just some text that is long enough............\n");
    auto notDb = EventStore::open(dir / "text.db");
    ASSERT_FALSE(notDb);
    EXPECT_NE(notDb.error().message.find("text.db"), std::string::npos);

    sqlite3* raw = nullptr;
    sqlite3_open((dir / "other.db").c_str(), &raw);
    sqlite3_exec(raw, "CREATE TABLE mine(x)", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    EXPECT_FALSE(EventStore::open(dir / "other.db"));

    {
        auto s = EventStore::open(dir / "new.db");
        ASSERT_TRUE(s);
        EXPECT_EQ(s->database().queryInt("PRAGMA user_version"), currentSchemaVersion());
        // Write-ahead logging: readers (the GUI, `tattle sources`) are not blocked by an import.
        auto mode = s->database().prepare("PRAGMA journal_mode");
        ASSERT_TRUE(mode.step());
        EXPECT_EQ(mode.text(0), "wal");
        s->database().exec("PRAGMA user_version = 999");
    }
    auto newer = EventStore::open(dir / "new.db");
    ASSERT_FALSE(newer);
    EXPECT_NE(newer.error().message.find("newer"), std::string::npos);
}
