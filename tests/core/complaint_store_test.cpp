// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/importer.h"
#include "core/resources.h"
#include "core/signatures.h"
#include "core/store/complaint_store.h"
#include "core/store/event_store.h"
#include "test_parser.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace tattle;
using namespace tattle::core;

namespace {

const SignatureTable& signatures()
{
    static const SignatureTable table = [] {
        auto t = SignatureTable::load(resourcesDir().value() / "signatures.json");
        EXPECT_TRUE(t);
        return std::move(*t);
    }();
    return table;
}

constexpr Micros kDay = 86'400 * kMicrosPerSecond;

IpAddress ip(const char* t)
{
    return IpAddress::parse(t).value();
}

class ComplaintStoreTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        static int n = 0;
        dir = test::scratchDir() / ("complaints-" + std::to_string(++n));
        std::filesystem::create_directories(dir);
        auto s = EventStore::open(dir / "t.db");
        ASSERT_TRUE(s) << s.error().message;
        store.emplace(std::move(*s));
        parser = test::makeTestCsvParser();
    }
    void import(const std::string& name, const std::string& lines)
    {
        test::writeFile(dir / name, lines);
        auto r = importFile(*store, signatures(), *parser, dir / name, {});
        ASSERT_TRUE(r) << r.error().message;
    }
    std::vector<ReportableEvent> events(EventFilter f = {})
    {
        ComplaintStore cs(store->database());
        std::vector<ReportableEvent> out;
        auto r = cs.forEachEvent(f, [&](const ReportableEvent& e) {
            out.push_back(e);
            return true;
        });
        EXPECT_TRUE(r);
        return out;
    }

    std::filesystem::path dir;
    std::optional<EventStore> store;
    std::unique_ptr<Parser> parser;
};

const char* kLog = "2024-03-05T10:00:00Z,block,tcp,192.0.2.7,40001,198.51.100.2,445,S\n"
                   "2024-03-05T10:05:00Z,block,tcp,192.0.2.7,40002,198.51.100.2,445,S\n"
                   "2024-03-05T11:00:00Z,block,udp,203.0.113.9,5353,198.51.100.2,137\n"
                   "2024-03-05T12:00:00Z,out,tcp,198.51.100.2,5000,192.0.2.7,80\n";

} // namespace

TEST_F(ComplaintStoreTest, SchemaIsAtTheCurrentVersionWithTheComplaintTables)
{
    EXPECT_EQ(store->database().queryInt("PRAGMA user_version"), currentSchemaVersion());
    for (const char* t : {"complaints", "complaint_sources", "complaint_events"})
        EXPECT_EQ(
            store->database().queryInt(
                std::string("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='") + t + "'"),
            1)
            << t;
    // A database whose version was set back below 4 but has the tables upgrades without an error.
    store->database().exec("PRAGMA user_version = 3");
    store.reset();
    auto again = EventStore::open(dir / "t.db");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->database().queryInt("PRAGMA user_version"), currentSchemaVersion());
}

TEST_F(ComplaintStoreTest, WalksEventsBySourceWithFlagsAndCategories)
{
    import("a.log", kLog);
    auto all = events();
    ASSERT_EQ(all.size(), 3u) << "the outbound line is not a probe";
    EXPECT_EQ(all[0].src, ip("192.0.2.7"));
    EXPECT_TRUE(all[0].hasTcpFlags);
    EXPECT_EQ(all[0].tcpFlags, tcpflag::kSyn);
    EXPECT_EQ(all[0].dstPort, 445);
    EXPECT_EQ(all[0].category, "smb");
    EXPECT_LT(all[0].time, all[1].time);
    EXPECT_EQ(all[2].proto, proto::kUdp);
    EXPECT_FALSE(all[2].hasTcpFlags);

    EventFilter f;
    f.since = parseRfc3339("2024-03-05T10:30:00Z");
    EXPECT_EQ(events(f).size(), 1u);
    f = {};
    f.categories = {"smb"};
    EXPECT_EQ(events(f).size(), 2u);
    f.inboundOnly = false;
    f.categories.clear();
    EXPECT_EQ(events(f).size(), 4u);
}

TEST_F(ComplaintStoreTest, RecordedEventsAreNotWalkedAgainAndHistoryCooldownResponsiveness)
{
    import("a.log", kLog);
    auto before = events();
    ASSERT_EQ(before.size(), 3u);
    ComplaintStore cs(store->database());
    const Micros created = *parseRfc3339("2024-03-06T00:00:00Z");
    NewComplaint c;
    c.record.contactEmail = "Abuse@Example.NET";
    c.record.contactName = "Example Networks abuse team";
    c.record.method = ComplaintMethod::Eml;
    c.record.createdAt = created;
    c.record.messageId = "<1@example.org>";
    c.record.subject = "Unsolicited connection attempts";
    c.sources = {{ip("192.0.2.7"), 2}};
    c.eventIds = {before[0].id, before[1].id};
    auto id = cs.record(c);
    ASSERT_TRUE(id) << id.error().message;

    auto left = events();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].src, ip("203.0.113.9"));
    EventFilter again;
    again.unreportedOnly = false;
    EXPECT_EQ(events(again).size(), 3u) << "the user may ask to report again";
    EXPECT_EQ(cs.complaintsOfEvent(before[0].id).value(), std::vector<std::int64_t> {*id});
    EXPECT_TRUE(cs.complaintsOfEvent(before[2].id).value().empty());
    EXPECT_EQ(cs.eventsOf(*id).value(), (std::vector<std::int64_t> {before[0].id, before[1].id}));
    EXPECT_EQ(cs.reportedEventCount().value(), 2);
    const auto ofSource = cs.complaintsOfSource(ip("192.0.2.7"));
    ASSERT_TRUE(ofSource);
    ASSERT_EQ(ofSource->size(), 1u);
    EXPECT_EQ(ofSource->front().id, *id);
    EXPECT_TRUE(cs.complaintsOfSource(ip("203.0.113.9"))->empty());
    const auto sources = cs.sourcesOf(*id);
    ASSERT_TRUE(sources);
    ASSERT_EQ(sources->size(), 1u);
    EXPECT_EQ(sources->front().first, ip("192.0.2.7"));
    EXPECT_EQ(sources->front().second, 2);

    auto list = cs.list("abuse@example.net");
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    const auto& r = list->front();
    EXPECT_EQ(r.contactEmail, "abuse@example.net");
    EXPECT_EQ(r.method, ComplaintMethod::Eml);
    EXPECT_EQ(r.sources, 1);
    EXPECT_EQ(r.events, 2);
    EXPECT_EQ(r.firstEvent, before[0].time);
    EXPECT_EQ(r.lastEvent, before[1].time);
    EXPECT_FALSE(r.sentAt);
    EXPECT_TRUE(cs.list("other@example.net")->empty());
    ASSERT_TRUE(cs.markSent(*id, created + 5, "<2@example.org>"));
    EXPECT_EQ(cs.list()->front().sentAt, created + 5);
    EXPECT_EQ(cs.list()->front().messageId, "<2@example.org>");
    EXPECT_FALSE(cs.markSent(*id + 100, created, "<x@example.org>"));

    // Cooldown: 7 days from the complaint.
    EXPECT_EQ(cs.cooldownUntil("ABUSE@example.net", 7, created + kDay).value(), created + 7 * kDay);
    EXPECT_FALSE(cs.cooldownUntil("abuse@example.net", 7, created + 7 * kDay).value());
    EXPECT_FALSE(cs.cooldownUntil("abuse@example.net", 0, created + kDay).value());
    EXPECT_FALSE(cs.cooldownUntil("other@example.net", 7, created).value());

    // Responsiveness: nothing after the complaint yet; then a later import shows the source went on.
    auto resp = cs.responsiveness(*id);
    ASSERT_TRUE(resp);
    EXPECT_TRUE(resp->stopped());
    EXPECT_EQ(cs.responsivenessSummary().value(), (std::pair<std::int64_t, std::int64_t> {1, 0}));
    import("b.log",
        "2024-03-07T09:00:00Z,block,tcp,192.0.2.7,40100,198.51.100.2,22,S\n"
        "2024-03-08T09:00:00Z,block,tcp,192.0.2.7,40101,198.51.100.2,22,S\n"
        "2024-03-08T10:00:00Z,block,tcp,203.0.113.9,40101,198.51.100.2,22,S\n");
    resp = cs.responsiveness(*id);
    ASSERT_TRUE(resp);
    EXPECT_FALSE(resp->stopped());
    EXPECT_EQ(resp->laterEvents, 2);
    EXPECT_EQ(resp->sourcesStillActive, 1);
    EXPECT_EQ(resp->lastSeen, parseRfc3339("2024-03-08T09:00:00Z"));
    EXPECT_EQ(cs.responsivenessSummary().value(), (std::pair<std::int64_t, std::int64_t> {1, 1}));
    EXPECT_FALSE(cs.responsiveness(*id + 1));

    // History per contact.
    NewComplaint c2 = c;
    c2.record.createdAt = created + 10 * kDay;
    c2.record.method = ComplaintMethod::Smtp;
    c2.eventIds = {events().front().id};
    ASSERT_TRUE(cs.record(c2));
    NewComplaint c3 = c;
    c3.record.contactEmail = "noc@example.com";
    c3.eventIds = {events().front().id};
    ASSERT_TRUE(cs.record(c3));
    auto h = cs.history();
    ASSERT_TRUE(h);
    ASSERT_EQ(h->size(), 2u);
    EXPECT_EQ(h->front().contactEmail, "abuse@example.net");
    EXPECT_EQ(h->front().complaints, 2);
    EXPECT_EQ(h->front().events, 3);
    EXPECT_EQ(h->front().lastAt, created + 10 * kDay);
}

TEST_F(ComplaintStoreTest, RecordRefusesEmptyOrUnknownAndRollsBack)
{
    import("a.log", kLog);
    ComplaintStore cs(store->database());
    NewComplaint c;
    c.record.contactEmail = "abuse@example.net";
    EXPECT_FALSE(cs.record(c)) << "no events";
    c.eventIds = {999999};
    auto r = cs.record(c);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::NotFound);
    c.record.contactEmail.clear();
    c.eventIds = {events().front().id};
    EXPECT_FALSE(cs.record(c));
    EXPECT_EQ(store->database().queryInt("SELECT count(*) FROM complaints"), 0);
    // Hostile text is stored as given (it is data), and read back unchanged.
    c.record.contactEmail = "abuse@example.net";
    c.record.subject = "x\r\nBcc: victim@example.com";
    c.record.contactName = std::string(5000, 'n') + "\xC3\xA9";
    ASSERT_TRUE(cs.record(c));
    EXPECT_EQ(cs.list()->front().subject, c.record.subject);
    EXPECT_EQ(cs.list()->front().contactName, c.record.contactName);
    EXPECT_EQ(complaintMethodFromName("mailto"), ComplaintMethod::Mailto);
    EXPECT_FALSE(complaintMethodFromName("fax"));
}
