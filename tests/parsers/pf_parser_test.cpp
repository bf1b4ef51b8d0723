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

const std::string kOld = "Mar  5 12:34:56.123456 rule 2/(match) block in on em0: ";
const std::string kNew = "2024-03-05 12:34:56.123456 rule 3/0(match): block in on em0: ";
const std::string kSyn = "203.0.113.5.41234 > 192.0.2.10.22: S 1234567890:1234567890(0) win 16384 (DF)";

Parsed parse(std::string_view line, const core::ParseContext& ctx = test::syslogContext())
{
    return test::parseLine(*parsers::makePfParser(), line, ctx);
}

// --- golden files -------------------------------------------------------------------------------

TEST(PfParser, GoldenOpenBsdTcpdump)
{
    test::expectGolden(*parsers::makePfParser(), test::syslogContext(), "pf", "openbsd-tcpdump");
}

TEST(PfParser, GoldenFreeBsdTcpdump)
{
    // The local times of -tttt are read in the user's zone: UTC here, so the golden times stay readable.
    test::expectGolden(*parsers::makePfParser(), test::syslogContext(), "pf", "freebsd-tcpdump");
}

TEST(PfParser, GoldenThroughSyslog)
{
    // pflogd piped to logger, pfSense 2.1's two-line "tcpdump -v" records, pflogd's own messages.
    test::expectGolden(*parsers::makePfParser(), test::syslogContext(), "pf", "syslog");
}

TEST(PfParser, GoldenBrokenRecords)
{
    test::expectGolden(*parsers::makePfParser(), test::syslogContext(), "pf", "broken");
}

// --- fields ----------------------------------------------------------------------------------------

TEST(PfParser, RuleInterfaceAndExtra)
{
    Parsed p = parse(kOld + kSyn);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.rule, "2");
    EXPECT_EQ(p.event.iface, "em0");
    EXPECT_EQ(p.event.extra, R"({"reason":"match"})");

    p = parse("2024-03-05 12:34:56 rule 12.blocklist/ssh.4/5(memory): synproxy-drop out on vlan20: " + kSyn);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.rule, "12.blocklist/ssh.4");
    EXPECT_EQ(p.event.iface, "vlan20");
    EXPECT_EQ(p.event.action, Action::Block);
    EXPECT_EQ(p.event.direction, Direction::Out);
    EXPECT_EQ(p.event.extra, R"({"reason":"memory","action":"synproxy-drop"})");

    p = parse("2024-03-05 12:34:56 rule 1/unkn(99): rdr in on em0: " + kSyn);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.extra, R"({"reason":"99","action":"rdr"})");
    EXPECT_EQ(p.event.action, Action::Allow);
}

struct ActionCase {
    std::string_view action, dir;
    bool ok;
    Action expected;
    Direction direction;
};

TEST(PfParser, ActionsAndDirections)
{
    const ActionCase cases[] = {
        {"pass", "in", true, Action::Allow, Direction::In},
        {"block", "out", true, Action::Block, Direction::Out},
        {"match", "in", true, Action::Allow, Direction::In},
        {"synproxy-drop", "in", true, Action::Block, Direction::In},
        {"scrub", "in/out", true, Action::Allow, Direction::Unknown},
        {"nat", "out", true, Action::Allow, Direction::Out},
        {"block", "fwd", true, Action::Block, Direction::Unknown},
        {"unkn(12)", "in", false, Action::Block, Direction::Unknown},
        {"BLOCK", "in", false, Action::Block, Direction::Unknown},
        {"block", "unkn(7)", false, Action::Block, Direction::Unknown},
    };
    for (const ActionCase& c : cases) {
        const std::string line = "Mar  5 12:34:56 rule 1/(match) " + std::string(c.action) + " "
            + std::string(c.dir) + " on em0: " + kSyn;
        const Parsed p = parse(line);
        if (!c.ok) {
            EXPECT_EQ(p.status, ParseStatus::Malformed) << line;
            continue;
        }
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        EXPECT_EQ(p.event.action, c.expected) << line;
        EXPECT_EQ(p.event.direction, c.direction) << line;
    }
}

struct FlagCase {
    std::string_view payload;
    bool tcp;
    std::uint8_t flags;
};

TEST(PfParser, TcpFlagsOldAndNew)
{
    const FlagCase cases[] = {
        {"S 1:1(0) win 512", true, tcpflag::kSyn},
        {"S 1:1(0) ack 2 win 512", true, tcpflag::kSyn | tcpflag::kAck},
        {". ack 2 win 512", true, tcpflag::kAck},
        {". 1:1(0) win 512", true, 0},
        {"R 0:0(0) win 0", true, tcpflag::kRst},
        {"R 0:0(0) ack 5 win 0", true, tcpflag::kRst | tcpflag::kAck},
        {"FP 1:10(9) ack 1 win 512 urg 3", true,
            tcpflag::kFin | tcpflag::kPsh | tcpflag::kAck | tcpflag::kUrg},
        {"SWE 1:1(0) win 512", true, tcpflag::kSyn | tcpflag::kCwr | tcpflag::kEce},
        {"Flags [S], seq 1, win 512, length 0", true, tcpflag::kSyn},
        {"Flags [S.], seq 1, ack 2, win 512, length 0", true, tcpflag::kSyn | tcpflag::kAck},
        {"Flags [P.], seq 1:10, ack 1, length 9", true, tcpflag::kPsh | tcpflag::kAck},
        {"Flags [F.], seq 1", true, tcpflag::kFin | tcpflag::kAck},
        {"Flags [R], seq 1", true, tcpflag::kRst},
        {"Flags [SEW], seq 1", true, tcpflag::kSyn | tcpflag::kEce | tcpflag::kCwr},
        {"Flags [U.], seq 1", true, tcpflag::kUrg | tcpflag::kAck},
        {"Flags [none], seq 1", true, 0},
        {"udp 57", false, 0},
        {"UDP, length 57", false, 0},
        {"4242+ A? example.org. (29)", false, 0},
        {"NBT UDP PACKET(137): QUERY; REQUEST; BROADCAST", false, 0},
    };
    for (const FlagCase& c : cases) {
        const std::string line = kOld + "203.0.113.5.41234 > 192.0.2.10.22: " + std::string(c.payload);
        const Parsed p = parse(line);
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        if (c.tcp) {
            EXPECT_EQ(p.event.proto, core::proto::kTcp) << line;
            EXPECT_TRUE(p.event.hasTcpFlags);
            EXPECT_EQ(p.event.tcpFlags, c.flags) << line;
        } else {
            EXPECT_EQ(p.event.proto, core::proto::kUdp) << line;
            EXPECT_FALSE(p.event.hasTcpFlags);
        }
    }
    EXPECT_EQ(parse(kOld + "203.0.113.5.1 > 192.0.2.10.2: Flags [S!], seq 1").status, ParseStatus::Malformed);
    EXPECT_EQ(parse(kOld + "203.0.113.5.1 > 192.0.2.10.2: Flags [S").status, ParseStatus::Malformed);
}

struct IcmpCase {
    std::string_view payload;
    int proto, type, code;
};

TEST(PfParser, IcmpTexts)
{
    const IcmpCase cases[] = {
        {"icmp: echo request", 1, 8, 0},
        {"icmp: echo reply", 1, 0, 0},
        {"ICMP echo request, id 1, seq 2, length 64", 1, 8, 0},
        {"icmp: 192.0.2.10 udp port 137 unreachable", 1, 3, 3},
        {"ICMP 192.0.2.10 tcp port 80 unreachable, length 36", 1, 3, 3},
        {"icmp: 192.0.2.10 protocol 47 unreachable", 1, 3, 2},
        {"icmp: 192.0.2.10 unreachable - need to frag (mtu 1400)", 1, 3, 4},
        {"icmp: net 192.0.2.0 unreachable", 1, 3, 0},
        {"icmp: host 192.0.2.10 unreachable", 1, 3, 1},
        {"icmp: host 192.0.2.10 unreachable - admin prohibited", 1, 3, 10},
        {"icmp: net 192.0.2.0 unreachable - admin prohibited", 1, 3, 9},
        {"icmp: host 192.0.2.10 unreachable - admin prohibited filter", 1, 3, 13},
        {"icmp: 192.0.2.10 unreachable - source route failed", 1, 3, 5},
        {"icmp: source quench", 1, 4, 0},
        {"icmp: redirect 192.0.2.10 to host 192.0.2.1", 1, 5, 1},
        {"icmp: router advertisement lifetime 30:00 1: {192.0.2.1 0}", 1, 9, 0},
        {"icmp: time exceeded in-transit", 1, 11, 0},
        {"ICMP ip reassembly time exceeded, length 36", 1, 11, 1},
        {"icmp: parameter problem - octet 20", 1, 12, -1},
        {"icmp: time stamp request", 1, 13, 0},
        {"icmp: address mask is 0xffffff00", 1, 18, 0},
        {"icmp: type-#42", 1, -1, -1},
        {"ip-proto-50 40", 50, -1, -1},
        {"ip-proto-999 40", -1, -1, -1},
        {"ESP(spi=0x01020304,seq=0x1), length 40", 50, -1, -1},
        {"igmp v2 report 239.1.1.1", 2, -1, -1},
        {"OSPFv2, Hello, length 44", 89, -1, -1},
        {"CARPv2-advertise 36: vhid=1 advbase=1 advskew=0 authlen=7 counter=1", 112, -1, -1},
        {"something new", -1, -1, -1},
    };
    for (const IcmpCase& c : cases) {
        const std::string line = kOld + "203.0.113.7 > 192.0.2.10: " + std::string(c.payload);
        const Parsed p = parse(line);
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        EXPECT_EQ(p.event.proto, c.proto) << line;
        EXPECT_EQ(p.event.icmpType, c.type) << line;
        EXPECT_EQ(p.event.icmpCode, c.code) << line;
        EXPECT_EQ(p.event.srcPort, -1);
    }
    const IcmpCase v6[] = {
        {"icmp6: echo request", 58, 128, 0},
        {"ICMP6, echo reply, seq 1, length 64", 58, 129, 0},
        {"icmp6: neighbor sol: who has 2001:db8::10", 58, 135, 0},
        {"ICMP6, neighbor advertisement, tgt is 2001:db8::10, length 32", 58, 136, 0},
        {"ICMP6, router solicitation, length 16", 58, 133, 0},
        {"ICMP6, packet too big, mtu 1280, length 1240", 58, 2, 0},
        {"ICMP6, destination unreachable, unreachable port 2001:db8::10 udp port 53, length 88", 58, 1, 4},
        {"ICMP6, multicast listener report v2, 1 group record(s), length 28", 58, 143, 0},
        {"ICMP6, time exceeded in-transit, length 88", 58, 3, 0},
    };
    for (const IcmpCase& c : v6) {
        const std::string line = kOld + "2001:db8::7 > 2001:db8::10: " + std::string(c.payload);
        const Parsed p = parse(line);
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        EXPECT_EQ(p.event.proto, c.proto) << line;
        EXPECT_EQ(p.event.icmpType, c.type) << line;
        EXPECT_EQ(p.event.icmpCode, c.code) << line;
    }
}

struct EndpointCase {
    std::string_view src, dst;
    std::string_view srcAddr;
    int srcPort;
    std::string_view dstAddr;
    int dstPort;
};

TEST(PfParser, AddressAndPortForms)
{
    const EndpointCase cases[] = {
        {"203.0.113.5.41234", "192.0.2.10.22", "203.0.113.5", 41234, "192.0.2.10", 22},
        {"203.0.113.5.0", "192.0.2.10.65535", "203.0.113.5", 0, "192.0.2.10", 65535},
        {"2001:db8::1.443", "2001:db8::2.80", "2001:db8::1", 443, "2001:db8::2", 80},
        {"2001:db8::.443", "2001:db8::2.80", "2001:db8::", 443, "2001:db8::2", 80},
        {"::ffff:203.0.113.5.443", "::ffff:192.0.2.10.80", "::ffff:203.0.113.5", 443, "::ffff:192.0.2.10",
            80},
        {"2001:0db8:0000::0001.443", "2001:db8::2.80", "2001:db8::1", 443, "2001:db8::2", 80},
    };
    for (const EndpointCase& c : cases) {
        const std::string line = kOld + std::string(c.src) + " > " + std::string(c.dst) + ": S 1:1(0) win 1";
        const Parsed p = parse(line);
        ASSERT_EQ(p.status, ParseStatus::Event) << line << ": " << p.reason;
        EXPECT_EQ(p.event.src.toString(), c.srcAddr);
        EXPECT_EQ(p.event.srcPort, c.srcPort);
        EXPECT_EQ(p.event.dst.toString(), c.dstAddr);
        EXPECT_EQ(p.event.dstPort, c.dstPort);
    }
    // Names instead of numbers (tcpdump without -n) cannot be reported.
    for (const char* src : {"gw.example.org.ssh", "203.0.113.5.ssh", "gw.41234", "203.0.113.5.65536"}) {
        const Parsed p = parse(kOld + src + " > 192.0.2.10.22: S 1:1(0) win 1");
        EXPECT_EQ(p.status, ParseStatus::Malformed) << src;
    }
}

TEST(PfParser, TimeSources)
{
    // OpenBSD -ttt (no year), FreeBSD -tttt (local), -tt (epoch, UTC), none (syslog header).
    const auto berlin = core::TimeZone::fromName("Europe/Berlin");
    ASSERT_TRUE(berlin.has_value());
    const auto ctx = test::syslogContext(2024, test::kJune2024, *berlin);
    struct Case {
        std::string line, utc;
    } cases[] = {
        {"Mar  5 12:34:56.5 rule 1/(match) block in on em0: " + kSyn, "2024-03-05T11:34:56.5Z"},
        {"2024-07-05 12:34:56 rule 1/0(match): block in on em0: " + kSyn, "2024-07-05T10:34:56Z"},
        {"1709642103 rule 1/0(match): block in on em0: " + kSyn, ""},
        {"1709642103.0 rule 1/0(match): block in on em0: " + kSyn, "2024-03-05T12:35:03Z"},
        {"Mar  5 12:00:00 fw pf: 00:00:00.000001 rule 1/0(match): block in on em0: " + kSyn,
            "2024-03-05T11:00:00Z"},
        {"Mar  5 12:00:00 fw pf: Mar  5 11:59:59.25 rule 1/(match) block in on em0: " + kSyn,
            "2024-03-05T10:59:59.25Z"},
    };
    for (const Case& c : cases) {
        const Parsed p = parse(c.line, ctx);
        if (c.utc.empty()) {
            EXPECT_NE(p.status, ParseStatus::Event) << c.line;
            continue;
        }
        ASSERT_EQ(p.status, ParseStatus::Event) << c.line << ": " << p.reason;
        EXPECT_EQ(core::formatRfc3339(p.event.time), c.utc) << c.line;
    }
}

TEST(PfParser, TwoLineRecordsNeedTheirRuleLine)
{
    auto lp = parsers::makePfParser()->open(test::syslogContext());
    const std::string rule
        = "Mar  5 12:35:21 pf: 00:00:00.000000 rule 76/0(match): block in on em0: (tos 0x0, "
          "ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 60)";
    const std::string packet = "Mar  5 12:35:21 pf: 203.0.113.5.43213 > 192.0.2.10.443: Flags [S], length 0";
    const std::string other = "Mar  5 12:35:21 fw sshd[1]: Connection closed by 203.0.113.9";
    EXPECT_EQ(test::parseLine(*lp, rule).status, ParseStatus::Ignored);
    Parsed p = test::parseLine(*lp, packet);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.rule, "76");
    EXPECT_EQ(p.event.iface, "em0");
    // The pending rule line serves one packet line only, and only the very next line.
    EXPECT_EQ(test::parseLine(*lp, packet).status, ParseStatus::Malformed);
    EXPECT_EQ(test::parseLine(*lp, rule).status, ParseStatus::Ignored);
    EXPECT_EQ(test::parseLine(*lp, other).status, ParseStatus::NotMine);
    EXPECT_EQ(test::parseLine(*lp, packet).status, ParseStatus::Malformed);
    // A rule line from another tag does not pair with a pf packet line.
    EXPECT_EQ(test::parseLine(*lp,
                  "Mar  5 12:35:21 tcpdump: 00:00:00.000000 rule 1/0(match): block in on em0: "
                  "(tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 60)")
                  .status,
        ParseStatus::Ignored);
    EXPECT_EQ(test::parseLine(*lp, packet).status, ParseStatus::Malformed);
}

TEST(PfParser, OtherLinesAreNotMine)
{
    const std::string lines[] = {
        "",
        "Mar  5 12:34:56 fw sshd[1]: Invalid user rule from 203.0.113.50 port 40022",
        "Mar  5 12:34:56 fw kernel: rule 1/(match) block in on em0: " + kSyn,
        "Mar  5 12:34:56 fw filterlog: 5,,,1000000103,em0,match,block,in,4,0x0,,51,1,0,none,6,tcp,44,"
        "203.0.113.5,192.0.2.10,1,2,0,S,1,,1,,",
        "12:34:56.123456 IP 203.0.113.5.41234 > 192.0.2.10.22: Flags [S], seq 1, length 0",
        "the rule of law",
        "<134>1 2024-03-05T12:34:56Z fw sshd 1 - - rule 1/(match) block in on em0: " + kSyn,
    };
    for (const std::string& line : lines) {
        const Parsed p = parse(line);
        EXPECT_EQ(p.status, ParseStatus::NotMine) << line << ": " << p.reason;
    }
}

TEST(PfParser, EventIsResetBetweenLines)
{
    auto lp = parsers::makePfParser()->open(test::syslogContext());
    Parsed a = test::parseLine(*lp, "2024-03-05 12:34:56 rule 9.a.1/3(short): rdr out on em1: " + kSyn);
    ASSERT_EQ(a.status, ParseStatus::Event) << a.reason;
    core::Event e = a.event;
    std::string reason;
    ASSERT_EQ(lp->parse(kOld + "203.0.113.7 > 192.0.2.10: icmp: echo request", e, reason), ParseStatus::Event)
        << reason;
    EXPECT_FALSE(e.hasTcpFlags);
    EXPECT_EQ(e.srcPort, -1);
    EXPECT_EQ(e.rule, "2");
    EXPECT_EQ(e.iface, "em0");
    EXPECT_EQ(e.extra, R"({"reason":"match"})");
    EXPECT_EQ(e.direction, Direction::In);
    EXPECT_EQ(e.icmpType, 8);
}

TEST(PfParser, HostileInputNeverCrashes)
{
    const std::vector<std::string> seeds = {kOld + kSyn,
        kNew + "2001:db8::1.1 > 2001:db8::2.2: Flags [S.], seq 1",
        "Mar  5 12:35:21 pf: 00:00:00.000000 rule 76/0(match): block in on em0: (tos 0x0, proto UDP (17))",
        "Mar  5 12:35:21 pf: 203.0.113.5.43213 > 192.0.2.10.443: Flags [S], length 0",
        kOld + "203.0.113.7 > 192.0.2.10: icmp: host 192.0.2.1 unreachable - admin prohibited filter",
        "rule /() on : > :"};
    EXPECT_GT(test::fuzzParser(*parsers::makePfParser(), seeds), 0);
}

TEST(PfParser, TenMegabyteLines)
{
    const std::size_t big = 10 * 1024 * 1024;
    struct Case {
        const char* name;
        std::string line;
        ParseStatus status;
    };
    std::vector<Case> cases;
    cases.push_back({"Junk", std::string(big, 'r'), ParseStatus::NotMine});
    std::string rules;
    while (rules.size() < big)
        rules += "rule ";
    cases.push_back({"RepeatedRule", rules, ParseStatus::NotMine});
    cases.push_back(
        {"HugeRuleName", kOld.substr(0, 28) + std::string(big, '7') + "/(match) block in on em0: " + kSyn,
            ParseStatus::Malformed});
    cases.push_back({"HugePayload", kOld + kSyn + std::string(big, '<'), ParseStatus::Event});
    cases.push_back({"OpenSummary", kNew + "(" + std::string(big, '('), ParseStatus::Malformed});
    cases.push_back(
        {"Brackets", "Mar  5 12:34:56 rule 1/(match) " + std::string(big, '['), ParseStatus::Malformed});
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const Parsed p = parse(c.line);
        EXPECT_EQ(test::statusName(p.status), test::statusName(c.status)) << p.reason;
        EXPECT_LE(p.event.rule.size(), 256u);
    }
}

TEST(PfParser, RealSampleThroughSyslog)
{
    // ossec-docs: pflog through syslog; the packet's own time (with microseconds) is used.
    const std::string text = test::readFile(test::samplesDir() / "logs/pf/ossec-docs-pf-syslog.log");
    const auto lines = test::nonEmptyLines(text);
    ASSERT_EQ(lines.size(), 30u);
    auto lp = parsers::makePfParser()->open(test::syslogContext());
    Parsed p = test::parseLine(*lp, lines[0]);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(core::formatRfc3339(p.event.time), "2024-03-30T15:53:25.793256Z");
    EXPECT_EQ(p.event.src.toString(), "205.174.165.231");
    EXPECT_EQ(p.event.srcPort, 50425);
    EXPECT_EQ(p.event.dst.toString(), "192.168.2.10");
    EXPECT_EQ(p.event.dstPort, 22);
    EXPECT_EQ(p.event.tcpFlags, tcpflag::kAck);
    EXPECT_EQ(p.event.action, Action::Allow);
    EXPECT_EQ(p.event.direction, Direction::In);
    EXPECT_EQ(p.event.iface, "xl0");
    EXPECT_EQ(p.event.rule, "2");
    p = test::parseLine(*lp, lines[10]);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.proto, core::proto::kUdp);
    EXPECT_EQ(p.event.dstPort, 3875);
    EXPECT_EQ(p.event.direction, Direction::Out);
    p = test::parseLine(*lp, lines[21]);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.proto, core::proto::kIcmp);
    EXPECT_EQ(p.event.icmpType, 3);
    EXPECT_EQ(p.event.icmpCode, 3);
    EXPECT_EQ(p.event.iface, "xl0");
}

// --- detection ------------------------------------------------------------------------------------

TEST(PfSniff, Scores)
{
    auto parser = parsers::makePfParser();
    const std::string rec = kOld + kSyn;
    const std::string sshd
        = "Mar  5 06:25:03 fw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022";
    std::vector<std::string_view> head(10, rec);
    EXPECT_GE(parser->sniff(head).score, 95);
    head.assign(40, sshd);
    head[7] = rec;
    EXPECT_EQ(parser->sniff(head).score, 55);
    head.assign(10, sshd);
    const core::Sniff s = parser->sniff(head);
    EXPECT_EQ(s.score, 0);
    EXPECT_FALSE(s.reason.empty());
    const std::string broken = "Mar  5 12:34:56 rule 2/(match) block in on em0";
    head.assign(4, broken);
    EXPECT_EQ(parser->sniff(head).score, 0);
    EXPECT_EQ(parser->sniff({}).score, 0);
}

TEST(PfSniff, RegistryDetectsPfFiles)
{
    const parsers::ParserRegistry registry = parsers::makeDefaultRegistry();
    for (const char* name : {"openbsd-tcpdump.log", "freebsd-tcpdump.log", "syslog.log"}) {
        const std::string text = test::readFile(test::dataDir() / "logs/pf" / name);
        const auto head = test::nonEmptyLines(text);
        const parsers::Detection d = registry.detect(head);
        ASSERT_NE(d.parser, nullptr) << name;
        EXPECT_EQ(d.parser->id(), "pf") << name;
    }
    EXPECT_NE(registry.find("pf"), nullptr);
    EXPECT_NE(parsers::makePfParser()->description().find("tcpdump"), std::string_view::npos);
}

TEST(PfParser, ThroughputSanityCheck)
{
    const std::vector<std::string> lines
        = {kOld + kSyn, kNew + "203.0.113.5.41234 > 192.0.2.10.22: Flags [S], seq 1, win 65535, length 0",
            "Mar  5 12:34:59 fw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022"};
    test::measureThroughput("pf", *parsers::makePfParser(), lines);
}

} // namespace
