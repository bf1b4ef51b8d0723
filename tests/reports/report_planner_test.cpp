// SPDX-License-Identifier: GPL-3.0-or-later
// The planner and the exports on a real database: events imported with the test CSV format, networks and
// contacts stored in the resolver's cache as a lookup would store them. The sources are public addresses
// because the never-report policy rightly refuses documentation ranges; nothing is ever sent to them.
#include "../core/test_parser.h"
#include "core/importer.h"
#include "core/resolver/cache.h"
#include "core/resources.h"
#include "core/store/complaint_store.h"
#include "mime_support.h"
#include "reports/complaint_message.h"
#include "reports/exports.h"
#include "reports/report_planner.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <map>
#include <sstream>

namespace tattle::reports {
namespace {

using core::IpAddress;
using core::Micros;
using core::SkipReason;

const core::SignatureTable& signatures()
{
    static const core::SignatureTable table = [] {
        auto t = core::SignatureTable::load(core::resourcesDir().value() / "signatures.json");
        EXPECT_TRUE(t);
        return std::move(*t);
    }();
    return table;
}

IpAddress ip(const char* t)
{
    return IpAddress::parse(t).value();
}

constexpr Micros kDay = 86'400 * core::kMicrosPerSecond;

// A: good evidence (SYNs in two minutes), contact abuse@example.net through its network.
// B: UDP only (weak), same network.  C: private.  D: allowed TCP (strong), contact by the user's override.
// E: Censys.  F: own network.  G: allow-listed.  H: good evidence but nobody to complain to.
const char* kLog = "2024-03-05T10:00:00Z,block,tcp,74.125.225.229,40001,198.51.100.2,445,S\n"
                   "2024-03-05T10:07:00Z,block,tcp,74.125.225.229,40002,198.51.100.2,445,S\n"
                   "2024-03-05T10:08:00Z,block,tcp,74.125.225.229,40003,198.51.100.2,139,S\n"
                   "2024-03-05T10:09:00Z,block,udp,74.125.1.1,137,198.51.100.2,137\n"
                   "2024-03-05T10:10:00Z,block,tcp,10.0.0.5,5000,198.51.100.2,22,S\n"
                   "2024-03-05T10:11:00Z,allow,tcp,130.59.31.80,5000,198.51.100.2,22,S\n"
                   "2024-03-05T10:12:00Z,block,tcp,162.142.125.7,5000,198.51.100.2,80,S\n"
                   "2024-03-05T10:14:00Z,block,tcp,162.142.125.7,5001,198.51.100.2,80,S\n"
                   "2024-03-05T10:15:00Z,block,tcp,1.1.1.1,5000,198.51.100.2,80,S\n"
                   "2024-03-05T10:16:00Z,block,tcp,1.1.1.1,5000,198.51.100.2,81,S\n"
                   "2024-03-05T10:16:00Z,block,tcp,8.8.8.8,5000,198.51.100.2,80,S\n"
                   "2024-03-05T10:18:00Z,block,tcp,8.8.8.8,5000,198.51.100.2,81,S\n"
                   "2024-03-05T10:20:00Z,block,tcp,200.57.141.161,5000,198.51.100.2,3389,S\n"
                   "2024-03-05T10:25:00Z,block,tcp,200.57.141.161,5000,198.51.100.2,3389,S\n";

class PlannerTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        static int n = 0;
        dir = test::scratchDir() / ("planner-" + std::to_string(++n));
        std::filesystem::create_directories(dir);
        auto s = core::EventStore::open(dir / "t.db");
        ASSERT_TRUE(s) << s.error().message;
        store.emplace(std::move(*s));
        parser = test::makeTestCsvParser();
        import("a.log", kLog);
        core::resolver::NetworkCache cache(store->database());
        core::resolver::NetworkInfo info;
        info.range = *core::resolver::IpRange::parseCidr("74.125.0.0/16");
        info.name = "EXAMPLE-NET";
        info.orgName = m_org;
        info.asn = 64496;
        info.asName = "EXAMPLE-AS";
        info.registry = "arin";
        info.abuse.push_back({"Abuse@Example.NET", core::resolver::ContactSource::Rdap, 90});
        const Micros now = *core::parseRfc3339("2024-03-06T00:00:00Z");
        const auto id = cache.storeNetwork(info, "rdap", now, 30 * kDay, "");
        for (const char* a : {"74.125.225.229", "74.125.1.1"}) {
            core::resolver::SourceLink link;
            link.src = ip(a);
            link.lookup = link.src;
            link.networkId = id;
            link.status = "resolved";
            link.resolvedAt = now;
            cache.linkSource(link);
        }
        cache.setOverride(*core::resolver::IpRange::parseCidr("130.59.0.0/16"), "noc@example.com", now);
        // Even a scanner with a contact is left out.
        cache.setOverride(
            *core::resolver::IpRange::parseCidr("162.142.125.0/24"), "abuse@censys.example", now);
        cache.setOverride(*core::resolver::IpRange::parseCidr("1.1.1.0/24"), "abuse@own.example", now);
        cache.setOverride(*core::resolver::IpRange::parseCidr("8.8.8.0/24"), "abuse@allowed.example", now);

        settings.reporter = {"Ann Reporter", "ann@example.org", "Example Org", "kept in sync by NTP"};
        settings.logTimeZone = "UTC";
        settings.ownNetworks = {"1.1.1.0/24", "198.51.100.2"};
        settings.allowList = {"8.8.8.0/24"};
        settings.cooldownDays = 7;
        auto list = core::ScannerList::load(core::resourcesDir().value() / "scanners.json");
        ASSERT_TRUE(list) << list.error().message;
        auto p = core::ReportPolicy::create(settings, *list);
        ASSERT_TRUE(p);
        policy.emplace(std::move(*p));
    }

    void import(const std::string& name, const std::string& lines)
    {
        test::writeFile(dir / name, lines);
        auto r = core::importFile(*store, signatures(), *parser, dir / name, {});
        ASSERT_TRUE(r) << r.error().message;
    }

    ReportPlan plan(PlanQuery q = {})
    {
        if (q.now == 0) q.now = *core::parseRfc3339("2024-03-06T12:00:00Z");
        auto p = planComplaints(*store, signatures(), settings, *policy, q);
        EXPECT_TRUE(p) << (p ? "" : p.error().message);
        return p ? *p : ReportPlan {};
    }

    static std::map<std::string, SkipReason> skippedBy(const ReportPlan& p)
    {
        std::map<std::string, SkipReason> out;
        for (const auto& s : p.skipped)
            out[s.address.toString()] = s.reason;
        return out;
    }

    std::string m_org = "Example Networks";
    std::filesystem::path dir;
    std::optional<core::EventStore> store;
    std::unique_ptr<core::Parser> parser;
    core::Settings settings;
    std::optional<core::ReportPolicy> policy;
};

} // namespace

TEST_F(PlannerTest, OneComplaintPerContactAndEverySkippedSourceSaysWhy)
{
    const auto p = plan();
    ASSERT_EQ(p.complaints.size(), 2u);
    EXPECT_EQ(p.eventsConsidered, 14);
    const auto& first = p.complaints[0];
    EXPECT_EQ(first.complaint.contactEmail, "abuse@example.net");
    EXPECT_EQ(first.complaint.contactName, "Example Networks abuse team");
    EXPECT_EQ(first.eventCount(), 3);
    EXPECT_FALSE(first.cooldownUntil);
    ASSERT_EQ(first.complaint.sources.size(), 1u);
    const auto& a = first.complaint.sources[0];
    EXPECT_EQ(a.address, ip("74.125.225.229"));
    EXPECT_EQ(a.network, "74.125.0.0/16");
    EXPECT_EQ(a.asn, "AS64496");
    EXPECT_EQ(a.asName, "EXAMPLE-AS");
    EXPECT_EQ(a.eventCount, 3u);
    EXPECT_FALSE(a.weakEvidence);
    EXPECT_NE(a.evidence.find("Good"), std::string::npos) << a.evidence;
    EXPECT_EQ(a.firstSeen, core::parseRfc3339("2024-03-05T10:00:00Z"));
    EXPECT_EQ(a.lastSeen, core::parseRfc3339("2024-03-05T10:08:00Z"));
    ASSERT_EQ(a.probes.size(), 2u);
    EXPECT_EQ(a.probes[0].dstPort, 445);
    EXPECT_EQ(a.probes[0].count, 2u);
    EXPECT_NE(a.probes[0].service.find("445"), std::string::npos) << a.probes[0].service;
    EXPECT_FALSE(a.probes[0].meaning.empty());
    EXPECT_EQ(a.probes[0].sourcePorts, (std::vector<int> {40001, 40002}));
    EXPECT_EQ(a.probes[0].destinations, std::vector<std::string> {"198.51.100.2"});
    ASSERT_EQ(a.logLines.size(), 3u);
    EXPECT_EQ(a.logLines[0], "2024-03-05T10:00:00Z,block,tcp,74.125.225.229,40001,198.51.100.2,445,S");
    EXPECT_EQ(a.totalLogLines, 3u);
    EXPECT_EQ(first.complaint.reporter.name, "Ann Reporter");
    EXPECT_EQ(first.complaint.reporter.timeZone, "UTC");
    EXPECT_EQ(first.complaint.reporter.clock, "kept in sync by NTP");
    EXPECT_TRUE(first.complaint.ownAddresses.empty()) << "masking is off";

    EXPECT_EQ(p.complaints[1].complaint.contactEmail, "noc@example.com");
    EXPECT_NE(p.complaints[1].complaint.sources[0].evidence.find("Strong"), std::string::npos);

    const auto skipped = skippedBy(p);
    EXPECT_EQ(skipped.size(), 6u);
    EXPECT_EQ(skipped.at("74.125.1.1"), SkipReason::WeakEvidence);
    EXPECT_EQ(skipped.at("10.0.0.5"), SkipReason::SpecialAddress);
    EXPECT_EQ(skipped.at("162.142.125.7"), SkipReason::ResearchScanner);
    EXPECT_EQ(skipped.at("1.1.1.1"), SkipReason::OwnNetwork);
    EXPECT_EQ(skipped.at("8.8.8.8"), SkipReason::AllowListed);
    EXPECT_EQ(skipped.at("200.57.141.161"), SkipReason::NoContact);
    for (const auto& s : p.skipped) {
        EXPECT_FALSE(s.why.empty()) << s.address.toString();
        EXPECT_GT(s.events, 0);
    }
}

TEST_F(PlannerTest, AllGradesIncludesWeakEvidenceMarkedAsPossiblyForged)
{
    PlanQuery q;
    q.allGrades = true;
    const auto p = plan(q);
    ASSERT_EQ(p.complaints[0].complaint.contactEmail, "abuse@example.net");
    ASSERT_EQ(p.complaints[0].complaint.sources.size(), 2u);
    const auto& b = p.complaints[0].complaint.sources[1];
    EXPECT_EQ(b.address, ip("74.125.1.1"));
    EXPECT_TRUE(b.weakEvidence);
    EXPECT_NE(b.evidence.find("UDP"), std::string::npos);
    auto tmpl = Template::load(core::resourcesDir().value() / "templates" / "abuse-complaint.txt");
    ASSERT_TRUE(tmpl);
    auto text = renderComplaint(*tmpl, p.complaints[0].complaint);
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_NE(text->body.find("may be forged"), std::string::npos);
    EXPECT_EQ(skippedBy(p).count("74.125.1.1"), 0u);
}

TEST_F(PlannerTest, AFullComplaintDefersTheLeastActiveSources)
{
    PlanQuery q;
    q.allGrades = true;
    q.maxSourcesPerComplaint = 1;
    auto p = plan(q);
    ASSERT_EQ(p.complaints[0].complaint.contactEmail, "abuse@example.net");
    ASSERT_EQ(p.complaints[0].complaint.sources.size(), 1u);
    EXPECT_EQ(p.complaints[0].complaint.sources[0].address, ip("74.125.225.229"));
    EXPECT_EQ(p.complaints[0].eventCount(), 3) << "the deferred source's event is not covered";
    EXPECT_EQ(p.complaints[0].evidence.size(), 1u);
    EXPECT_EQ(skippedBy(p).at("74.125.1.1"), SkipReason::Deferred);
    // Once the first is recorded, the deferred one is planned.
    core::ComplaintStore cs(store->database());
    ASSERT_TRUE(cs.record(
        complaintRecord(p.complaints[0], core::ComplaintMethod::Eml, q.now, "<a@example.org>", "s")));
    p = plan(q);
    ASSERT_FALSE(p.complaints.empty());
    EXPECT_EQ(p.complaints[0].complaint.sources[0].address, ip("74.125.1.1"));
}

TEST_F(PlannerTest, QueryFiltersContactTimeCategoryAndMinimum)
{
    PlanQuery q;
    q.contact = "NOC@example.com";
    auto p = plan(q);
    ASSERT_EQ(p.complaints.size(), 1u);
    EXPECT_EQ(p.complaints[0].complaint.contactEmail, "noc@example.com");
    EXPECT_EQ(skippedBy(p).at("74.125.225.229"), SkipReason::NotThisContact);

    q = {};
    q.since = core::parseRfc3339("2024-03-05T10:05:00Z");
    p = plan(q);
    ASSERT_FALSE(p.complaints.empty());
    EXPECT_EQ(p.complaints[0].complaint.contactEmail, "abuse@example.net");
    EXPECT_EQ(p.complaints[0].eventCount(), 2) << "the 10:00 event is before --since";

    q = {};
    q.categories = {"ssh"};
    p = plan(q);
    ASSERT_EQ(p.complaints.size(), 1u);
    EXPECT_EQ(p.complaints[0].complaint.contactEmail, "noc@example.com");

    q = {};
    q.categories = {"no-such-category"};
    EXPECT_FALSE(planComplaints(*store, signatures(), settings, *policy, q));

    q = {};
    q.minEvents = 3;
    p = plan(q);
    ASSERT_EQ(p.complaints.size(), 1u);
    EXPECT_EQ(skippedBy(p).at("130.59.31.80"), SkipReason::TooFewEvents);
}

TEST_F(PlannerTest, RecordedEventsAreNeverPlannedAgainAndCooldownHoldsNewOnes)
{
    auto p = plan();
    core::ComplaintStore cs(store->database());
    const Micros made = *core::parseRfc3339("2024-03-06T12:00:00Z");
    for (const auto& c : p.complaints)
        ASSERT_TRUE(cs.record(complaintRecord(c, core::ComplaintMethod::Eml, made, "<x@example.org>", "s")));
    p = plan();
    EXPECT_TRUE(p.complaints.empty()) << "every event is reported";
    PlanQuery again;
    again.includeReported = true;
    EXPECT_EQ(plan(again).complaints.size(), 2u) << "unless the user asks";

    import("b.log",
        "2024-03-07T10:00:00Z,block,tcp,74.125.225.229,40100,198.51.100.2,22,S\n"
        "2024-03-07T10:30:00Z,block,tcp,74.125.225.229,40101,198.51.100.2,22,S\n");
    PlanQuery q;
    q.now = made + kDay;
    p = plan(q);
    ASSERT_EQ(p.complaints.size(), 1u);
    EXPECT_EQ(p.complaints[0].eventCount(), 2) << "only the new events";
    ASSERT_TRUE(p.complaints[0].cooldownUntil);
    EXPECT_EQ(*p.complaints[0].cooldownUntil, made + 7 * kDay);
    q.now = made + 8 * kDay;
    p = plan(q);
    ASSERT_EQ(p.complaints.size(), 1u);
    EXPECT_FALSE(p.complaints[0].cooldownUntil);
}

TEST_F(PlannerTest, OwnAddressesAreMaskedWhenAsked)
{
    settings.maskOwnAddress = true;
    settings.ownAddressMask = "[my address]";
    const auto p = plan();
    const auto& c = p.complaints[0].complaint;
    EXPECT_NE(std::find(c.ownAddresses.begin(), c.ownAddresses.end(), "198.51.100.2"), c.ownAddresses.end());
    auto tmpl = Template::load(core::resourcesDir().value() / "templates" / "abuse-complaint.txt");
    ASSERT_TRUE(tmpl);
    auto text = renderComplaint(*tmpl, c);
    ASSERT_TRUE(text);
    EXPECT_EQ(text->body.find("198.51.100.2"), std::string::npos) << text->body;
    EXPECT_NE(text->body.find("[my address]"), std::string::npos);
}

TEST_F(PlannerTest, HostileRegistryTextCannotAddHeaders)
{
    // The organisation name comes from a WHOIS answer: CR/LF, a long non-ASCII name.
    core::resolver::NetworkCache cache(store->database());
    core::resolver::NetworkInfo info;
    info.range = *core::resolver::IpRange::parseCidr("74.125.0.0/16");
    info.orgName = "Evil\r\nBcc: victim@example.com\r\n" + std::string(3000, 'x') + " Grüße \xE2\x80\xA8";
    info.asName = "AS\r\nX-Injected: 1";
    info.asn = 64496;
    info.abuse.push_back({"abuse@example.net", core::resolver::ContactSource::Rdap, 90});
    cache.storeNetwork(info, "rdap", *core::parseRfc3339("2024-03-06T00:00:00Z"), 30 * kDay, "");
    settings.reporter.name = "Ann\r\nBcc: x@example.com";
    const auto p = plan();
    ASSERT_FALSE(p.complaints.empty());
    auto tmpl = Template::load(core::resourcesDir().value() / "templates" / "abuse-complaint.txt");
    ASSERT_TRUE(tmpl);
    ComplaintMessageOptions o;
    o.from = {settings.reporter.name, settings.reporter.email};
    o.machineReadable = MachineReadable::XarfV4;
    auto m = complaintMessage(p.complaints[0].complaint, *tmpl, o);
    ASSERT_TRUE(m) << m.error().message;
    auto composed = composeMessage(*m);
    ASSERT_TRUE(composed) << composed.error().message;
    const auto& bytes = composed->bytes;
    EXPECT_EQ(bytes.find("\r\nBcc:"), std::string::npos);
    EXPECT_EQ(bytes.find("\r\nX-Injected"), std::string::npos);
    EXPECT_EQ(composed->envelope.recipients, std::vector<std::string> {"abuse@example.net"});
    test::expectWellFormedLines(bytes);
    const auto parsed = test::parseWithPython(bytes);
    EXPECT_FALSE(parsed.is_null());
}

TEST_F(PlannerTest, AbuseIpdbExportFollowsItsPolicy)
{
    std::ostringstream out;
    AbuseIpdbOptions o;
    o.now = *core::parseRfc3339("2024-03-20T00:00:00Z");
    core::EventFilter f;
    f.unreportedOnly = false;
    auto account = exportAbuseIpdb(out, *store, f, signatures(), *policy, o);
    ASSERT_TRUE(account) << account.error().message;
    const std::string csv = out.str();
    EXPECT_TRUE(csv.starts_with("IP,Categories,ReportDate,Comment\r\n")) << csv;
    EXPECT_EQ(account->rows, 1) << csv;
    EXPECT_NE(csv.find("130.59.31.80,\"14,22\",2024-03-05T10:11:00+00:00,"), std::string::npos) << csv;
    EXPECT_NE(csv.find("2024-03-05T10:11:00+00:00"), std::string::npos) << csv;
    EXPECT_EQ(csv.find("198.51.100.2"), std::string::npos) << "never the reporter's address";
    EXPECT_EQ(account->leftOut.at("no completed TCP connection (a blocked SYN may be forged)"), 2);
    EXPECT_EQ(account->leftOut.at("no TCP (UDP/ICMP sender addresses are forged easily)"), 1);
    EXPECT_EQ(account->leftOut.at("special-address"), 1);
    EXPECT_EQ(account->leftOut.at("research-scanner"), 1);
    EXPECT_EQ(account->leftOut.at("own-network"), 1);
    EXPECT_EQ(account->leftOut.at("allow-listed"), 1);

    // 60 days later everything is too old.
    std::ostringstream late;
    o.now = *core::parseRfc3339("2024-06-01T00:00:00Z");
    account = exportAbuseIpdb(late, *store, f, signatures(), *policy, o);
    ASSERT_TRUE(account);
    EXPECT_EQ(account->rows, 0);
    EXPECT_EQ(account->leftOut.at("older than 60 days"), 4);
    EXPECT_EQ(account->leftOut.at("research-scanner"), 1) << "the policy's reasons come first";
    EXPECT_EQ(late.str(), "IP,Categories,ReportDate,Comment\r\n");
}

TEST(AbuseIpdb, FieldsUseItsBackslashDialectAndCategoriesFollowTheProbes)
{
    EXPECT_EQ(abuseIpdbField("plain"), "plain");
    EXPECT_EQ(abuseIpdbField("14,22"), "\"14,22\"");
    EXPECT_EQ(abuseIpdbField("say \"hi\""), "\"say \\\"hi\\\"\"");
    EXPECT_EQ(abuseIpdbField("a\r\nb"), "a  b");
    EXPECT_EQ(abuseIpdbField("back\\slash"), "\"back\\slash\"");
    ExportSource s;
    s.categories = {"ssh", "smb", "telnet"};
    EXPECT_EQ(abuseIpdbCategories(s, signatures()), (std::vector<int> {14, 15, 22, 23}));
    s.categories = {"http"};
    EXPECT_EQ(abuseIpdbCategories(s, signatures()), std::vector<int> {14});
}

TEST_F(PlannerTest, DshieldLinesAreTabSeparatedAndLeaveOutRefusedSources)
{
    std::ostringstream out;
    core::EventFilter f;
    f.unreportedOnly = false;
    std::int64_t skipped = 0;
    auto n = writeDshieldLog(out, *store, f, *policy, 12345, skipped);
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(*n, 7) << out.str();
    EXPECT_EQ(skipped, 7);
    std::istringstream lines(out.str());
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line, "2024-03-05 10:09:00 +00:00\t12345\t1\t74.125.1.1\t137\t198.51.100.2\t137\t17");
    std::getline(lines, line);
    EXPECT_EQ(line, "2024-03-05 10:00:00 +00:00\t12345\t1\t74.125.225.229\t40001\t198.51.100.2\t445\t6\tS");
    EXPECT_EQ(tcpFlagLetters(0x12), "SA");
}

TEST_F(PlannerTest, EventsCsvAndJson)
{
    std::ostringstream csv, json;
    core::EventFilter f;
    f.unreportedOnly = false;
    auto rows = writeEventsCsv(csv, *store, f);
    ASSERT_TRUE(rows);
    EXPECT_EQ(*rows, 14);
    EXPECT_TRUE(csv.str().starts_with("id,time,action,proto,src,src_port,dst,dst_port,icmp_type,icmp_code,"
                                      "tcp_flags,count,category\r\n"));
    EXPECT_NE(
        csv.str().find(",2024-03-05T10:11:00Z,allow,tcp,130.59.31.80,5000,198.51.100.2,22,,,SYN,1,ssh\r\n"),
        std::string::npos)
        << csv.str();
    rows = writeEventsJson(json, *store, f);
    ASSERT_TRUE(rows);
    std::istringstream in(json.str());
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        const auto j = nlohmann::json::parse(line);
        EXPECT_TRUE(j.contains("raw"));
        EXPECT_TRUE(j["icmp_type"].is_null());
        ++n;
    }
    EXPECT_EQ(n, 14);
}

} // namespace tattle::reports

namespace tattle::reports {

TEST(ComplaintMessageOptions, FollowTheSettingsAndTheProbes)
{
    Complaint c;
    ReportedSource s;
    s.address = *core::IpAddress::parse("192.0.2.7");
    ProbeGroup ssh;
    ssh.proto = core::proto::kTcp;
    ssh.dstPort = 22;
    s.probes = {ssh};
    c.sources = {s};
    EXPECT_EQ(suggestedXarfType(c), XarfType::LoginAttack);
    core::Settings settings;
    settings.logTimeZone = "+02:00";
    settings.machineReadable = "xarf02";
    const Mailbox from {"Ann", "ann@example.org"};
    auto o = complaintMessageOptions(c, settings, from, 1'000 * core::kMicrosPerSecond);
    EXPECT_EQ(o.machineReadable, MachineReadable::Xarf02);
    EXPECT_EQ(o.xarfType, XarfType::LoginAttack);
    EXPECT_EQ(o.utcOffsetSeconds, 7200);
    EXPECT_EQ(o.from.address, "ann@example.org");
    EXPECT_EQ(o.date, 1'000 * core::kMicrosPerSecond);
    // A port among the probes makes it a port scan, which X-ARF 0.2 cannot carry: XARF v4 instead.
    ProbeGroup http = ssh;
    http.dstPort = 80;
    c.sources[0].probes.push_back(http);
    EXPECT_EQ(suggestedXarfType(c), XarfType::PortScan);
    o = complaintMessageOptions(c, settings, from, 0);
    EXPECT_EQ(o.machineReadable, MachineReadable::XarfV4);
    settings.machineReadable = "none";
    EXPECT_EQ(complaintMessageOptions(c, settings, from, 0).machineReadable, MachineReadable::None);
    EXPECT_EQ(suggestedXarfType(Complaint {}), XarfType::PortScan);
}

} // namespace tattle::reports
