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

const std::string kHead = "Mar 30 09:30:41 bsd ipmon[812]: 09:30:41.000001 ";
const std::string kSyn = "fxp0 @0:2 b 203.0.113.5,41234 -> 192.0.2.10,23 PR tcp len 20 40 -S IN";

Parsed parse(std::string_view line, const core::ParseContext& ctx = test::syslogContext())
{
    return test::parseLine(*parsers::makeIpfilterParser(), line, ctx);
}

TEST(IpfilterParser, GoldenThroughSyslog)
{
    test::expectGolden(*parsers::makeIpfilterParser(), test::syslogContext(), "ipfilter", "syslog");
}

TEST(IpfilterParser, GoldenOwnLogFile)
{
    // ipmon's own file: dd/mm/yyyy dates in the machine's local time (UTC here).
    test::expectGolden(*parsers::makeIpfilterParser(), test::syslogContext(), "ipfilter", "file");
}

TEST(IpfilterParser, GoldenBrokenRecords)
{
    test::expectGolden(*parsers::makeIpfilterParser(), test::syslogContext(), "ipfilter", "broken");
}

TEST(IpfilterParser, RuleCountInterfaceAndExtra)
{
    Parsed p = parse(
        kHead + "3x ce0 @0:1 b 203.0.113.25,43873 -> 192.0.2.243,22 PR tcp len 20 100 -AP K-S IN mbcast");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.count, 3u);
    EXPECT_EQ(p.event.rule, "@0:1");
    EXPECT_EQ(p.event.iface, "ce0");
    EXPECT_EQ(p.event.extra, R"({"action":"b","flags":"K-S mbcast"})");
    EXPECT_EQ(p.event.tcpFlags, tcpflag::kAck | tcpflag::kPsh);

    p = parse(kHead + kSyn);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.count, 1u);
    EXPECT_EQ(p.event.extra, R"({"action":"b"})");

    p = parse(kHead + "fxp0 @0:1 Sb 203.0.113.9 -> 192.0.2.10 PR tcp len 20 24 IN reason:pullup-fail");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.extra, R"({"action":"Sb","flags":"reason:pullup-fail"})");
}

TEST(IpfilterParser, ActionLetters)
{
    struct Case {
        std::string_view letter;
        ParseStatus status;
        Action action;
    } cases[] = {
        {"p", ParseStatus::Event, Action::Allow},
        {"P", ParseStatus::Event, Action::Allow},
        {"b", ParseStatus::Event, Action::Block},
        {"B", ParseStatus::Event, Action::Block},
        {"Sb", ParseStatus::Event, Action::Block},
        {"Sp", ParseStatus::Event, Action::Allow},
        {"L", ParseStatus::Event, Action::Allow},
        {"n", ParseStatus::Event, Action::Allow},
        {"?", ParseStatus::Malformed, Action::Block},
        {"bb", ParseStatus::Malformed, Action::Block},
        {"S", ParseStatus::Malformed, Action::Block},
    };
    for (const Case& c : cases) {
        const std::string line = kHead + "fxp0 @0:2 " + std::string(c.letter)
            + " 203.0.113.5,1 -> 192.0.2.10,2 PR udp len 20 30 IN";
        const Parsed p = parse(line);
        EXPECT_EQ(p.status, c.status) << line << ": " << p.reason;
        if (p.status == ParseStatus::Event) {
            EXPECT_EQ(p.event.action, c.action) << line;
        }
    }
}

TEST(IpfilterParser, TcpFlagLetters)
{
    struct Case {
        std::string_view flags;
        bool ok;
        std::uint8_t bits;
    } cases[] = {
        {"-S", true, tcpflag::kSyn},
        {"-AS", true, tcpflag::kSyn | tcpflag::kAck},
        {"-AP", true, tcpflag::kAck | tcpflag::kPsh},
        {"-AF", true, tcpflag::kAck | tcpflag::kFin},
        {"-R", true, tcpflag::kRst},
        {"-ARSFUPEC", true, 0xff},
        {"-s", false, 0},
        {"-SX", false, 0},
    };
    for (const Case& c : cases) {
        const std::string line = kHead + "fxp0 @0:2 b 203.0.113.5,1 -> 192.0.2.10,2 PR tcp len 20 40 "
            + std::string(c.flags) + " IN";
        const Parsed p = parse(line);
        if (!c.ok) {
            EXPECT_EQ(p.status, ParseStatus::Malformed) << line;
            continue;
        }
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        EXPECT_TRUE(p.event.hasTcpFlags);
        EXPECT_EQ(p.event.tcpFlags, c.bits) << line;
    }
    // ipmon -v adds sequence, acknowledgement and window numbers after the flags.
    const Parsed p
        = parse(kHead + "fxp0 @0:2 b 203.0.113.5,1 -> 192.0.2.10,2 PR tcp len 20 40 -S 123 0 65535 IN");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.tcpFlags, tcpflag::kSyn);
    EXPECT_EQ(p.event.direction, Direction::In);
}

TEST(IpfilterParser, IcmpNames)
{
    struct Case {
        std::string_view proto, name;
        int type, code;
    } cases[] = {
        {"icmp", "echo/0", 8, 0},
        {"icmp", "echoreply/0", 0, 0},
        {"icmp", "unreach/port", 3, 3},
        {"icmp", "unreach/host", 3, 1},
        {"icmp", "unreach/needfrag", 3, 4},
        {"icmp", "unreach/admin_prohibit", 3, 13},
        {"icmp", "unreach/10", 3, 10},
        {"icmp", "redirect/host", 5, 1},
        {"icmp", "timxceed/transit", 11, 0},
        {"icmp", "timxceed/reassem", 11, 1},
        {"icmp", "paramprob/optmissing", 12, 1},
        {"icmp", "timestamp/0", 13, 0},
        {"icmp", "maskreply/0", 18, 0},
        {"icmp", "icmptype(42)/7", 42, 7},
        {"icmp", "icmptype(420)/7", -1, -1},
        {"icmp", "echo/bogus", 8, -1},
        {"icmp", "bogus/0", -1, -1},
        {"icmp", "echo", -1, -1},
        {"icmpv6", "echo/0", 128, 0},
        {"icmpv6", "echoreply/0", 129, 0},
        {"icmpv6", "unreach/noport", 1, 4},
        {"icmpv6", "neighborsolicit/0", 135, 0},
        {"icmpv6", "toobig/0", 2, 0},
        {"icmpv6", "icmpv6type(99)/0", 99, 0},
    };
    for (const Case& c : cases) {
        const bool v6 = c.proto == "icmpv6";
        const std::string line = kHead + "fxp0 @0:3 b "
            + (v6 ? "2001:db8::7 -> 2001:db8::10" : "203.0.113.7 -> 192.0.2.10") + " PR "
            + std::string(c.proto) + " len 20 84 " + std::string(c.proto) + " " + std::string(c.name) + " IN";
        const Parsed p = parse(line);
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        EXPECT_EQ(p.event.proto, v6 ? core::proto::kIcmpV6 : core::proto::kIcmp);
        EXPECT_EQ(p.event.icmpType, c.type) << line;
        EXPECT_EQ(p.event.icmpCode, c.code) << line;
    }
}

TEST(IpfilterParser, SolarisSampleWithItsSyslogHeaderRestored)
{
    // The Wazuh sample lost its syslog header (so its date); with one the records are complete.
    const std::string text = test::readFile(test::samplesDir() / "logs/ipfilter/wazuh-solaris-ipmon.log");
    const auto lines = test::nonEmptyLines(text);
    ASSERT_EQ(lines.size(), 3u);
    auto lp = parsers::makeIpfilterParser()->open(test::syslogContext());
    for (std::string_view line : lines)
        EXPECT_EQ(test::parseLine(*lp, line).status, ParseStatus::Malformed) << line;
    Parsed p = test::parseLine(*lp, "Mar 30 09:30:39 sol " + std::string(lines[0]));
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.count, 3u);
    EXPECT_EQ(p.event.iface, "ce0");
    EXPECT_EQ(p.event.src.toString(), "10.4.0.25");
    EXPECT_EQ(p.event.srcPort, 43873);
    EXPECT_EQ(p.event.dst.toString(), "10.4.122.243");
    EXPECT_EQ(p.event.dstPort, 22);
    EXPECT_EQ(p.event.action, Action::Block);
    EXPECT_EQ(p.event.direction, Direction::In);
    p = test::parseLine(*lp, "Mar 30 09:31:53 sol " + std::string(lines[1]));
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.proto, core::proto::kUdp);
    EXPECT_EQ(p.event.dst.toString(), "255.255.255.255");
    EXPECT_EQ(p.event.extra, R"({"action":"b","flags":"mbcast"})");
    p = test::parseLine(*lp, "Mar 30 09:30:40 sol " + std::string(lines[2]));
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.action, Action::Allow);
    EXPECT_EQ(p.event.direction, Direction::Out);
    EXPECT_EQ(p.event.rule, "@0:14");
}

TEST(IpfilterParser, OtherLinesAreNotMine)
{
    const std::string lines[] = {
        "",
        "Mar 30 09:30:51 bsd sshd[20010]: Invalid user PR from 203.0.113.50 port 40022",
        "Mar 30 09:30:51 bsd kernel: 09:30:41.000001 " + kSyn,
        "PR 12345: fix the build",
        "12:00:00 lunch PR review",
        "12:00:00.5 fxp0 0:1 b 203.0.113.5,1 -> 192.0.2.10,2 PR udp len 20 30",
    };
    for (const std::string& line : lines) {
        const Parsed p = parse(line);
        EXPECT_EQ(p.status, ParseStatus::NotMine) << line << ": " << p.reason;
    }
}

TEST(IpfilterParser, EventIsResetBetweenLines)
{
    auto lp = parsers::makeIpfilterParser()->open(test::syslogContext());
    ASSERT_EQ(test::parseLine(*lp,
                  kHead + "9x ce0 @0:1 b 203.0.113.25,43873 -> 192.0.2.243,22 PR tcp len 20 100 -AP K-S IN")
                  .status,
        ParseStatus::Event);
    core::Event e;
    std::string reason;
    ASSERT_EQ(
        lp->parse(kHead + "fxp0 @0:3 p 203.0.113.7 -> 192.0.2.10 PR icmp len 20 84 icmp echo/0", e, reason),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(e.count, 1u);
    EXPECT_FALSE(e.hasTcpFlags);
    EXPECT_EQ(e.srcPort, -1);
    EXPECT_EQ(e.direction, Direction::Unknown);
    EXPECT_EQ(e.extra, R"({"action":"p"})");
    EXPECT_EQ(e.icmpType, 8);
}

TEST(IpfilterParser, HostileInputNeverCrashes)
{
    const std::vector<std::string> seeds = {kHead + kSyn,
        "Mar 30 09:30:39 sol ipmon[11523]: [ID 702911 local0.warning] 09:30:39.300795 3x ce0 @0:1 b "
        "203.0.113.25,43873 -> 192.0.2.243,22 PR tcp len 20 100 -AP IN",
        "30/03/2024 09:30:39.300795 fxp0 @0:2 b 2001:db8::1,1 -> 2001:db8::2,2 PR udp len 40 60 OUT",
        kHead
            + "fxp0 @0:3 b 203.0.113.7 -> 192.0.2.10 PR icmp len 20 84 icmp unreach/port for 1.2.3.4,5 - "
              "6.7.8.9,10"};
    EXPECT_GT(test::fuzzParser(*parsers::makeIpfilterParser(), seeds), 0);
}

TEST(IpfilterParser, TenMegabyteLines)
{
    const std::size_t big = 10 * 1024 * 1024;
    std::string prs;
    while (prs.size() < big)
        prs += " PR ";
    struct Case {
        const char* name;
        std::string line;
        ParseStatus status;
    } cases[] = {
        {"RepeatedPR", prs, ParseStatus::NotMine},
        {"HugeTail", kHead + kSyn + std::string(big, ' ') + "OUT", ParseStatus::Event},
        {"HugeFlags", kHead + kSyn + std::string(big / 4, ' ') + std::string(big, 'x'), ParseStatus::Event},
        {"HugeGroup",
            kHead + "fxp0 @" + std::string(big, '0') + ":1 b 203.0.113.5,1 -> 192.0.2.10,2 PR udp len 1 2",
            ParseStatus::Malformed},
        {"Ids", "Mar 30 09:30:39 sol ipmon[1]: [ID " + std::string(big, '['), ParseStatus::Ignored},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const Parsed p = parse(c.line);
        EXPECT_EQ(test::statusName(p.status), test::statusName(c.status)) << p.reason;
        EXPECT_LE(p.event.extra.size(), 1024u);
    }
}

TEST(IpfilterSniff, Scores)
{
    auto parser = parsers::makeIpfilterParser();
    const std::string rec = kHead + kSyn;
    const std::string sshd
        = "Mar 30 06:25:03 bsd sshd[20010]: Invalid user admin from 203.0.113.50 port 40022";
    std::vector<std::string_view> head(10, rec);
    EXPECT_GE(parser->sniff(head).score, 95);
    head.assign(20, sshd);
    head[4] = rec;
    EXPECT_EQ(parser->sniff(head).score, 55);
    head.assign(10, sshd);
    EXPECT_EQ(parser->sniff(head).score, 0);
    const std::string noDate = "ipmon[1]: 09:30:41.000001 " + kSyn;
    head.assign(3, noDate);
    const core::Sniff s = parser->sniff(head);
    EXPECT_EQ(s.score, 0);
    EXPECT_NE(s.reason.find("none could be read"), std::string::npos) << s.reason;
    EXPECT_EQ(parser->sniff({}).score, 0);
}

TEST(IpfilterSniff, RegistryDetectsIpmonFiles)
{
    const parsers::ParserRegistry registry = parsers::makeDefaultRegistry();
    for (const char* name : {"syslog.log", "file.log"}) {
        const std::string text = test::readFile(test::dataDir() / "logs/ipfilter" / name);
        const parsers::Detection d = registry.detect(test::nonEmptyLines(text));
        ASSERT_NE(d.parser, nullptr) << name;
        EXPECT_EQ(d.parser->id(), "ipfilter") << name;
    }
    EXPECT_NE(parsers::makeIpfilterParser()->description().find("ipmon"), std::string_view::npos);
}

TEST(IpfilterParser, ThroughputSanityCheck)
{
    const std::vector<std::string> lines = {kHead + kSyn,
        "30/03/2024 09:30:39.300795 fxp0 @0:2 b 203.0.113.5,41234 -> 192.0.2.10,22 PR tcp len 20 40 -S IN",
        "Mar 30 06:25:03 bsd sshd[20010]: Invalid user admin from 203.0.113.50 port 40022"};
    test::measureThroughput("ipfilter", *parsers::makeIpfilterParser(), lines);
}

} // namespace
