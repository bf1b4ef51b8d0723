// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/event.h"
#include "core/parser.h"
#include "parser_golden.h"
#include "parsers/builtin_parsers.h"
#include "parsers/parser_registry.h"
#include "syslog_parsers_test_util.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace {

using namespace tattle;
using core::Action;
using core::Direction;
using core::ParseStatus;
using test::Parsed;
namespace tcpflag = core::tcpflag;

const std::string kHead = "Mar  5 12:34:56 fw filterlog[812]: ";
// The IPv4 part up to the protocol data, with placeholders for the protocol number and name.
std::string v4(std::string_view action, std::string_view dir, int proto, std::string_view name)
{
    return "5,,,1000000103,em0,match," + std::string(action) + "," + std::string(dir)
        + ",4,0x0,,51,54321,0,none," + std::to_string(proto) + "," + std::string(name)
        + ",44,203.0.113.5,192.0.2.10,";
}
const std::string kTcpSyn = v4("block", "in", 6, "tcp") + "41234,22,0,S,1234567890,,1024,,mss";

Parsed parse(std::string_view line, const core::ParseContext& ctx = test::syslogContext())
{
    return test::parseLine(*parsers::makePfsenseParser(), line, ctx);
}

// --- golden files -------------------------------------------------------------------------------

TEST(PfsenseParser, GoldenBsdSyslog)
{
    // Every protocol layout of pfSense's filterlog in RFC 3164 framing, and lines that are not records.
    test::expectGolden(*parsers::makePfsenseParser(), test::syslogContext(), "pfsense", "bsd-syslog");
}

TEST(PfsenseParser, GoldenRfc5424)
{
    // OPNsense and pfSense 2.7+ RFC 5424 framing, OPNsense's keyword ICMP layout; the zone must not matter.
    const auto zone = core::TimeZone::fromName("Asia/Tokyo");
    ASSERT_TRUE(zone.has_value());
    test::expectGolden(*parsers::makePfsenseParser(), test::syslogContext(2024, test::kJune2024, *zone),
        "pfsense", "rfc5424");
}

TEST(PfsenseParser, GoldenBrokenRecords)
{
    test::expectGolden(*parsers::makePfsenseParser(), test::syslogContext(), "pfsense", "broken");
}

// --- fields ----------------------------------------------------------------------------------------

TEST(PfsenseParser, VendorDetailsInRuleIfaceAndExtra)
{
    Parsed p = parse(kHead + kTcpSyn);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.rule, "5");
    EXPECT_EQ(p.event.iface, "em0");
    EXPECT_EQ(p.event.extra, R"({"rule_number":5,"tracker":"1000000103","reason":"match"})");
    EXPECT_EQ(p.event.count, 1u);

    // A rule inside an anchor, OPNsense's hash label, an action that is not pass or block.
    p = parse(kHead
        + "100,3,userrules/"
          "*,02f4bab031b57d1e30553ce08e0ec131,igb0.20,state-mismatch,rdr,out,4,0x0,,64,1,0,DF,"
          "6,tcp,60,198.51.100.77,203.0.113.200,60000,8080,0,FA,100,200,512,,");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.rule, "100.userrules/*.3");
    EXPECT_EQ(p.event.iface, "igb0.20");
    EXPECT_EQ(p.event.extra,
        R"({"rule_number":100,"sub_rule":3,"anchor":"userrules/*","tracker":"02f4bab031b57d1e30553ce08e0ec131",)"
        R"("reason":"state-mismatch","action":"rdr"})");
    EXPECT_EQ(p.event.action, Action::Allow);
    EXPECT_EQ(p.event.direction, Direction::Out);

    // OPNsense writes label "0" when it has none: no tracker then.
    p = parse(
        kHead + "5,,,0,em0,match,block,in,4,0x0,,51,54321,0,none,17,udp,44,203.0.113.5,192.0.2.10,1,2,3");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.extra, R"({"rule_number":5,"reason":"match"})");

    // Hostile anchor text still gives valid JSON and a displayable rule.
    p = parse(kHead
        + "7,1,a\"\\\x01\xff,1,em0,match,block,in,4,0x0,,51,54321,0,none,17,udp,44,203.0.113.5,"
          "192.0.2.10,1,2,3");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_TRUE(core::isValidUtf8(p.event.rule));
    EXPECT_TRUE(core::isValidUtf8(p.event.extra));
    EXPECT_NE(p.event.extra.find(R"("anchor":"a\"\\\u0001)"), std::string::npos) << p.event.extra;
}

struct ActionCase {
    std::string_view word, dir;
    ParseStatus status;
    Action action;
    Direction direction;
};

TEST(PfsenseParser, ActionsAndDirections)
{
    const ActionCase cases[] = {
        {"pass", "in", ParseStatus::Event, Action::Allow, Direction::In},
        {"block", "out", ParseStatus::Event, Action::Block, Direction::Out},
        {"reject", "in", ParseStatus::Event, Action::Block, Direction::In},
        {"synproxy-drop", "in", ParseStatus::Event, Action::Block, Direction::In},
        {"nat", "out", ParseStatus::Event, Action::Allow, Direction::Out},
        {"binat", "in/out", ParseStatus::Event, Action::Allow, Direction::Unknown},
        {"scrub", "in", ParseStatus::Event, Action::Allow, Direction::In},
        {"unkn(42)", "in", ParseStatus::Malformed, Action::Block, Direction::Unknown},
        {"Block", "in", ParseStatus::Malformed, Action::Block, Direction::Unknown},
        {"", "in", ParseStatus::Malformed, Action::Block, Direction::Unknown},
        {"block", "unkn(3)", ParseStatus::Malformed, Action::Block, Direction::Unknown},
        {"block", "", ParseStatus::Malformed, Action::Block, Direction::Unknown},
    };
    for (const ActionCase& c : cases) {
        const std::string line = kHead + v4(c.word, c.dir, 17, "udp") + "1,2,3";
        const Parsed p = parse(line);
        EXPECT_EQ(p.status, c.status) << line << ": " << p.reason;
        if (c.status != ParseStatus::Event) continue;
        EXPECT_EQ(p.event.action, c.action) << line;
        EXPECT_EQ(p.event.direction, c.direction) << line;
    }
}

struct FlagCase {
    std::string_view letters;
    bool ok;
    std::uint8_t bits;
};

TEST(PfsenseParser, TcpFlagLetters)
{
    const FlagCase cases[] = {
        {"S", true, tcpflag::kSyn},
        {"SA", true, tcpflag::kSyn | tcpflag::kAck},
        {"PA", true, tcpflag::kPsh | tcpflag::kAck},
        {"FA", true, tcpflag::kFin | tcpflag::kAck},
        {"R", true, tcpflag::kRst},
        {"RA", true, tcpflag::kRst | tcpflag::kAck},
        {"FSRPAUEC", true, 0xff},
        {"SEW", true, tcpflag::kSyn | tcpflag::kEce | tcpflag::kCwr},
        {"", true, 0},
        {"s", false, 0},
        {"S.", false, 0},
        {"X", false, 0},
        {"S A", false, 0},
    };
    for (const FlagCase& c : cases) {
        const std::string line
            = kHead + v4("block", "in", 6, "tcp") + "41234,22,0," + std::string(c.letters) + ",1,,1024,,";
        const Parsed p = parse(line);
        if (!c.ok) {
            EXPECT_EQ(p.status, ParseStatus::Malformed) << line;
            EXPECT_EQ(p.reason, "bad TCP flags");
            continue;
        }
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        EXPECT_TRUE(p.event.hasTcpFlags);
        EXPECT_EQ(p.event.tcpFlags, c.bits) << c.letters;
    }
}

struct IcmpCase {
    std::string_view data;
    int type, code;
};

TEST(PfsenseParser, IcmpLayouts)
{
    const IcmpCase cases[] = {
        // pfSense print-icmp.c
        {"request,4711,1", 8, 0},
        {"reply,4711,1", 0, 0},
        {"unreachproto,192.0.2.99,47", 3, 2},
        {"unreachport,192.0.2.99,TCP,80", 3, 3},
        {"needfrag,192.0.2.99,1400", 3, 4},
        {"needfrag,192.0.2.99 need to frag", 3, 4},
        {"unreach,net 192.0.2.99 unreachable56", 3, 0},
        {"unreach,host 192.0.2.99 unreachable56", 3, 1},
        {"unreach,192.0.2.99 unreachable - source route failed", 3, 5},
        {"unreach,net 192.0.2.99 unreachable - unknown", 3, 6},
        {"unreach,host 192.0.2.99 unreachable - unknown", 3, 7},
        {"unreach,192.0.2.99 unreachable - source host isolated", 3, 8},
        {"unreach,net 192.0.2.99 unreachable - admin prohibited", 3, 9},
        {"unreach,host 192.0.2.99 unreachable - admin prohibited", 3, 10},
        {"unreach,net 192.0.2.99 unreachable - tos prohibited", 3, 11},
        {"unreach,host 192.0.2.99 unreachable - tos prohibited", 3, 12},
        {"unreach,host 192.0.2.99 unreachable - admin prohibited filter", 3, 13},
        {"unreach,host 192.0.2.99 unreachable - host precedence violation", 3, 14},
        {"unreach,host 192.0.2.99 unreachable - precedence cutoff", 3, 15},
        {"unreach,192.0.2.99 unreachable", 3, -1},
        {"redirect,redirect 192.0.2.99 to net 192.0.2.1", 5, 0},
        {"redirect,redirect 192.0.2.99 to host 192.0.2.1", 5, 1},
        {"redirect,redirect-tos 192.0.2.99 to net 192.0.2.1", 5, 2},
        {"redirect,redirect-tos 192.0.2.99 to host 192.0.2.1", 5, 3},
        {"timexceed,time exceeded in-transit", 11, 0},
        {"timexceed,ip reassembly time exceeded56", 11, 1},
        {"timexceed,time exceeded-#7", 11, -1},
        {"paramprob, parameter problem - octet 20", 12, 0},
        {"paramprob, parameter problem - code 2", 12, 2},
        {"maskreply, address mask is 0xffffff00", 18, 0},
        {"tstamp,1,2", 13, 0},
        {"tstampreply, 1,2,00:00:01.000,00:00:01.000,00:00:01.000", 14, 0},
        {"routeradv30:00,1,", 9, 0},
        {"source quench56", 4, 0},
        {"router solicitation8", 10, 0},
        {"information request8", 15, 0},
        {"address mask request12", 17, 0},
        {"type-??8", -1, -1},
        {"datalength=36", -1, -1},
        // OPNsense
        {"datalength=64,echoreq,0,1,2,", 8, 0},
        {"datalength=64,echorep,0,1,2,", 0, 0},
        {"datalength=36,unreach,port-unr,,,", 3, 3},
        {"datalength=36,unreach,filter-prohib,,,", 3, 13},
        {"datalength=36,timex,transit,,,", 11, 0},
        {"datalength=36,redir,redir-host,,,", 5, 1},
        {"datalength=36,unknown(99),3,,,", 99, 3},
        {"datalength=36,unknown(300),3,,,", -1, -1},
        {"datalength=1,truncated-icmp=1,,,,", -1, -1},
        {"", -1, -1},
    };
    for (const IcmpCase& c : cases) {
        const std::string line = kHead + v4("block", "in", 1, "icmp") + std::string(c.data);
        const Parsed p = parse(line);
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        EXPECT_EQ(p.event.proto, core::proto::kIcmp);
        EXPECT_EQ(p.event.icmpType, c.type) << c.data;
        EXPECT_EQ(p.event.icmpCode, c.code) << c.data;
        EXPECT_EQ(p.event.srcPort, -1);
        EXPECT_FALSE(p.event.hasTcpFlags);
    }
}

TEST(PfsenseParser, Icmp6Keywords)
{
    const IcmpCase cases[] = {
        {"datalength=24,echoreq,0,1,1,", 128, 0},
        {"datalength=24,neighbradv,0,,,", 136, 0},
        {"datalength=24,routersol,0,,,", 133, 0},
        {"datalength=24,toobig,0,,,1280", 2, 0},
        {"datalength=24,unreach,port-unr,,,", 1, 4},
        {"datalength=24,unreach,admin-unr,,,", 1, 1},
        {"datalength=24,paramprob,nxthdr,,,", 4, 1},
        {"datalength=24,unknown(77),0,,,", 77, 0},
        {"", -1, -1},
    };
    for (const IcmpCase& c : cases) {
        const std::string line = kHead
            + "5,,,0,em0,match,block,in,6,0x00,0x00000,255,ipv6-icmp,58,24,2001:db8::1,2001:db8::2,"
            + std::string(c.data);
        const Parsed p = parse(line);
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        EXPECT_EQ(p.event.proto, core::proto::kIcmpV6);
        EXPECT_EQ(p.event.icmpType, c.type) << c.data;
        EXPECT_EQ(p.event.icmpCode, c.code) << c.data;
    }
}

TEST(PfsenseParser, Ipv6AddressesAreCanonical)
{
    const Parsed p = parse(kHead
        + "9,,,1,em0,match,block,in,6,0x00,0x00000,57,TCP,6,40,2001:0DB8:0000:0000:0000:0000:0000:0001,"
          "2001:db8:0:0:1::10,51515,443,0,S,1,,65535,,");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.src.toString(), "2001:db8::1");
    EXPECT_EQ(p.event.dst.toString(), "2001:db8::1:0:0:10");
}

TEST(PfsenseParser, FramingsGiveTheSameEvent)
{
    const std::string csv = kTcpSyn;
    const std::string lines[] = {
        "Mar  5 12:34:56 fw filterlog[812]: " + csv,
        "Mar  5 12:34:56 fw filterlog: " + csv,
        "Mar  5 12:34:56 filterlog: " + csv,
        "<134>Mar  5 12:34:56 filterlog: " + csv,
        "Mar  5 12:34:56 fw.example.org fw filterlog[1]: " + csv,
        "2024-03-05T12:34:56+00:00 fw filterlog[812]: " + csv,
        "2024-03-05T13:34:56.000000+01:00 fw filterlog[812]: " + csv,
        "<134>1 2024-03-05T12:34:56Z fw filterlog 812 - - " + csv,
        "<134>1 2024-03-05T12:34:56Z fw filterlog 812 - [meta sequenceId=\"1\"][x y=\"]\"] " + csv,
        "<134>1 2024-03-05T12:34:56Z fw filterlog 812 - - \xEF\xBB\xBF" + csv,
        "Mar  5 12:34:56 fw filterlog[812]: " + csv + "\r",
    };
    for (const std::string& line : lines) {
        const Parsed p = parse(line);
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        EXPECT_EQ(core::formatRfc3339(p.event.time), "2024-03-05T12:34:56Z") << line;
        EXPECT_EQ(p.event.src.toString(), "203.0.113.5");
        EXPECT_EQ(p.event.dstPort, 22);
        EXPECT_EQ(p.event.tcpFlags, tcpflag::kSyn);
    }
}

TEST(PfsenseParser, OtherProgramsAreNotMine)
{
    const std::string lines[] = {
        "",
        "Mar  5 12:34:56 fw sshd[1]: Invalid user filterlog from 203.0.113.50 port 40022",
        "Mar  5 12:34:56 fw sshd[1]: filterlog: " + kTcpSyn,
        "Mar  5 12:34:56 fw kernel: filterlog " + kTcpSyn,
        "Mar  5 12:34:56 fw filterlogd: " + kTcpSyn,
        "Mar  5 12:34:56 fw nofilterlog: " + kTcpSyn,
        "<134>1 2024-03-05T12:34:56Z fw sshd 1 - - filterlog: " + kTcpSyn,
        "Mar  5 12:34:56 a b c filterlog: " + kTcpSyn, // the tag is too far in to be the tag
        kTcpSyn,
        "Mar  5 12:34:56 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=192.0.2.10 PROTO=TCP",
    };
    for (const std::string& line : lines) {
        const Parsed p = parse(line);
        EXPECT_EQ(p.status, ParseStatus::NotMine) << line << ": " << p.reason;
    }
}

TEST(PfsenseParser, FilterlogOwnMessagesAreIgnored)
{
    const std::string lines[] = {
        "Mar  5 12:34:56 fw filterlog[812]: Failed to initialize: pflog0: No such device exists",
        "Mar  5 12:34:56 fw filterlog[812]: [pflog: invalid header length!]",
        "Mar  5 12:34:56 fw filterlog[812]: [|pflog]",
        "Mar  5 12:34:56 fw filterlog[812]: ",
    };
    for (const std::string& line : lines) {
        const Parsed p = parse(line);
        EXPECT_EQ(p.status, ParseStatus::Ignored) << line << ": " << p.reason;
    }
}

TEST(PfsenseParser, EveryTruncationBeforeThePortsIsMalformed)
{
    const std::string line = kHead + kTcpSyn;
    const std::size_t csv = kHead.size();
    const std::size_t ports = line.find("41234,22,0,S") + std::string_view("41234,22,0,").size();
    for (std::size_t n = csv + 1; n < ports; ++n) {
        const std::string cut = line.substr(0, n);
        const Parsed p = parse(cut);
        EXPECT_EQ(p.status, ParseStatus::Malformed) << cut;
    }
    for (std::size_t n = ports + 1; n <= line.size(); ++n) {
        const std::string cut = line.substr(0, n);
        const Parsed p = parse(cut);
        EXPECT_EQ(p.status, ParseStatus::Event) << cut << ": " << p.reason;
    }
}

TEST(PfsenseParser, EventIsResetBetweenLines)
{
    auto lp = parsers::makePfsenseParser()->open(test::syslogContext());
    Parsed a = test::parseLine(*lp,
        kHead
            + "100,3,anchor,1,igb0,match,rdr,in,4,0x0,,64,1,0,DF,6,tcp,60,198.51.100.77,203.0.113.200,"
              "60000,8080,0,FA,100,200,512,,");
    ASSERT_EQ(a.status, ParseStatus::Event) << a.reason;
    core::Event e = a.event;
    std::string reason;
    ASSERT_EQ(lp->parse(kHead + v4("block", "in", 1, "icmp") + "request,1,2", e, reason), ParseStatus::Event)
        << reason;
    EXPECT_FALSE(e.hasTcpFlags);
    EXPECT_EQ(e.tcpFlags, 0);
    EXPECT_EQ(e.srcPort, -1);
    EXPECT_EQ(e.rule, "5");
    EXPECT_EQ(e.iface, "em0");
    EXPECT_EQ(e.action, Action::Block);
    EXPECT_EQ(e.direction, Direction::In);
    EXPECT_EQ(e.icmpType, 8);
    EXPECT_EQ(e.extra.find("anchor"), std::string::npos);
}

TEST(PfsenseParser, YearInferredFromTheFileTime)
{
    // Without --year, a December line in a file written in January belongs to the year before.
    const Parsed p = parse("Dec 31 23:59:59 fw filterlog: " + kTcpSyn, test::syslogContext(0, 1704153600));
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(core::formatRfc3339(p.event.time), "2023-12-31T23:59:59Z");
    EXPECT_TRUE(p.event.timeGuessed);
}

TEST(PfsenseParser, HostileInputNeverCrashes)
{
    const std::vector<std::string> seeds = {kHead + kTcpSyn,
        "<134>1 2024-03-05T12:34:56Z fw filterlog 1 - [m a=\"b\"] " + v4("pass", "out", 17, "udp") + "1,2,3",
        kHead + v4("block", "in", 1, "icmp") + "unreach,host 192.0.2.1 unreachable - admin prohibited filter",
        kHead + "9,,,1,em0,match,block,in,6,0x00,0x00000,57,TCP,6,40,2001:db8::1,2001:db8::2,1,2,0,S,1,,1,,",
        "filterlog: ,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"};
    EXPECT_GT(test::fuzzParser(*parsers::makePfsenseParser(), seeds), 0);
}

TEST(PfsenseParser, TenMegabyteLines)
{
    const std::size_t big = 10 * 1024 * 1024;
    struct Case {
        const char* name;
        std::string line;
        ParseStatus status;
    };
    std::vector<Case> cases;
    cases.push_back({"Junk", std::string(big, 'f'), ParseStatus::NotMine});
    cases.push_back({"Nuls", std::string(big, '\0'), ParseStatus::NotMine});
    std::string tags;
    while (tags.size() < big)
        tags += "filterlog: ";
    cases.push_back({"RepeatedTag", tags, ParseStatus::Ignored}); // no record: filterlog's own text
    cases.push_back({"Commas", kHead + std::string(big, ','), ParseStatus::Ignored});
    cases.push_back({"HugeOptions", kHead + kTcpSyn + std::string(big, ';'), ParseStatus::Event});
    cases.push_back({"HugeInterface",
        kHead + "5,,,1," + std::string(big, 'e') + ",match,block,in,4,0x0,,51,1,0,none,17,udp,44,203.0.113.5,"
            + "192.0.2.10,1,2,3",
        ParseStatus::Malformed});
    cases.push_back(
        {"OpenStructuredData", "<134>1 2024-03-05T12:34:56Z fw filterlog 1 - [a b=\"" + std::string(big, ']'),
            ParseStatus::Malformed});
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const Parsed p = parse(c.line);
        EXPECT_EQ(test::statusName(p.status), test::statusName(c.status)) << p.reason;
        EXPECT_LE(p.event.extra.size(), 1024u);
    }
}

// --- detection ------------------------------------------------------------------------------------

TEST(PfsenseSniff, Scores)
{
    auto parser = parsers::makePfsenseParser();
    const std::string rec = kHead + kTcpSyn;
    const std::string sshd
        = "Mar  5 06:25:03 fw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022";
    std::vector<std::string_view> head(10, rec);
    core::Sniff s = parser->sniff(head);
    EXPECT_GE(s.score, 95) << s.reason;

    head.assign(40, sshd);
    head[3] = rec;
    head[20] = rec;
    s = parser->sniff(head);
    EXPECT_GE(s.score, 60) << s.reason;
    EXPECT_LT(s.score, 90) << s.reason;

    head[20] = sshd;
    s = parser->sniff(head);
    EXPECT_GE(s.score, parsers::ParserRegistry::kMinScore) << s.reason;

    head.assign(10, sshd);
    s = parser->sniff(head);
    EXPECT_EQ(s.score, 0);
    EXPECT_FALSE(s.reason.empty());

    const std::string broken = kHead + "5,,,1,em0,match,block,in,4,0x0,,51";
    head.assign(5, broken);
    s = parser->sniff(head);
    EXPECT_EQ(s.score, 0);
    EXPECT_NE(s.reason.find("none"), std::string::npos) << s.reason;
    EXPECT_EQ(parser->sniff({}).score, 0);
}

TEST(PfsenseSniff, RegistryDetectsFilterlogFiles)
{
    const parsers::ParserRegistry registry = parsers::makeDefaultRegistry();
    for (const char* name : {"bsd-syslog.log", "rfc5424.log"}) {
        const std::string text = test::readFile(test::dataDir() / "logs/pfsense" / name);
        const auto head = test::nonEmptyLines(text);
        const parsers::Detection d = registry.detect(head);
        ASSERT_NE(d.parser, nullptr) << name;
        EXPECT_EQ(d.parser->id(), "pfsense") << name;
    }
    EXPECT_NE(registry.find("pfsense"), nullptr);
}

TEST(PfsenseParser, Identity)
{
    auto parser = parsers::makePfsenseParser();
    EXPECT_EQ(parser->id(), "pfsense");
    EXPECT_NE(parser->description().find("filterlog"), std::string_view::npos);
}

TEST(PfsenseParser, ThroughputSanityCheck)
{
    const std::vector<std::string> lines = {kHead + kTcpSyn,
        "<134>1 2024-03-05T12:34:56.868451+00:00 fw filterlog 92653 - - " + v4("pass", "out", 17, "udp")
            + "53001,53,56",
        "Mar  5 12:34:59 fw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022"};
    test::measureThroughput("pfsense", *parsers::makePfsenseParser(), lines);
}

} // namespace
