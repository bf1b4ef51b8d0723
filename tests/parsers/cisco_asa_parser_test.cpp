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
namespace proto = core::proto;

const std::string kHead = "Mar  5 2024 12:34:56 asa1 : ";
const std::string kDeny = "%ASA-4-106023: Deny tcp src outside:203.0.113.5/41234 dst inside:192.0.2.10/22 by "
                          "access-group \"outside_access_in\" [0x0, 0x0]";

Parsed parse(std::string_view line, const core::ParseContext& ctx = test::syslogContext())
{
    return test::parseLine(*parsers::makeCiscoAsaParser(), line, ctx);
}

TEST(CiscoAsaParser, GoldenSyslog)
{
    test::expectGolden(*parsers::makeCiscoAsaParser(), test::syslogContext(), "cisco-asa", "syslog");
}

TEST(CiscoAsaParser, GoldenBrokenRecords)
{
    test::expectGolden(*parsers::makeCiscoAsaParser(), test::syslogContext(), "cisco-asa", "broken");
}

TEST(CiscoAsaParser, RuleInterfacesAndExtra)
{
    Parsed p = parse(kHead + kDeny);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.rule, "outside_access_in");
    EXPECT_EQ(p.event.iface, "outside");
    EXPECT_EQ(p.event.extra,
        R"({"message_id":106023,"severity":4,"src_interface":"outside","dst_interface":"inside"})");

    p = parse(kHead
        + "%ASA-6-302013: Built outbound TCP connection 906569140 for out-v1101:198.51.100.86/2010 "
          "(198.51.100.86/2010) to ent-v1124:192.0.2.111/51444 (203.0.113.11/37785)");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.iface, "ent-v1124");
    EXPECT_EQ(p.event.src.toString(), "192.0.2.111");
    EXPECT_EQ(p.event.srcPort, 51444);
    EXPECT_EQ(p.event.dst.toString(), "198.51.100.86");
    EXPECT_EQ(p.event.dstPort, 2010);
    EXPECT_EQ(p.event.extra,
        R"({"message_id":302013,"severity":6,"src_interface":"ent-v1124",)"
        R"("dst_interface":"out-v1101","connection_id":906569140})");

    p = parse(kHead
        + "%ASA-5-106100: access-list inside-in denied udp inside/192.0.2.10(1025) -> "
          "outside/198.51.100.1(53) "
          "hit-cnt 42 300-second interval [0x62c4905, 0x0]");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.count, 42u);
    EXPECT_EQ(p.event.rule, "inside-in");
    EXPECT_EQ(p.event.iface, "inside");

    p = parse(
        kHead + "%ASA-4-733100: [ 203.0.113.16] drop rate-1 exceeded. Current burst rate is 1 per second");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_FALSE(p.event.dst.isValid());
    EXPECT_EQ(p.event.extra, R"({"message_id":733100,"severity":4,"detail":"drop rate-1 exceeded"})");

    // An interface name with blanks (the ASA's own "NP Identity Ifc").
    p = parse(kHead
        + "%PIX-6-302013: Built inbound TCP connection 141968 for db:192.0.2.1/60749 (192.0.2.1/60749) to NP "
          "Identity Ifc: 192.0.2.2/22 (192.0.2.2/22)");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.dstPort, 22);
    EXPECT_NE(p.event.extra.find(R"("dst_interface":"NP Identity Ifc")"), std::string::npos) << p.event.extra;
}

struct MessageCase {
    std::string body;
    ParseStatus status;
    Action action;
    Direction direction;
    int proto;
    const char* src;
    int srcPort;
    const char* dst;
    int dstPort;
};

TEST(CiscoAsaParser, EveryTrafficMessage)
{
    using A = Action;
    using D = Direction;
    const ParseStatus E = ParseStatus::Event;
    const MessageCase cases[] = {
        {"%ASA-2-106001: Inbound TCP connection denied from 203.0.113.1/1 to 192.0.2.1/2 flags SYN ACK on "
         "interface o",
            E, A::Block, D::In, proto::kTcp, "203.0.113.1", 1, "192.0.2.1", 2},
        {"%ASA-2-106002: tcp connection denied by outbound list acl1 src 192.0.2.1 3 dest 203.0.113.1 4", E,
            A::Block, D::Out, proto::kTcp, "192.0.2.1", 3, "203.0.113.1", 4},
        {"%ASA-2-106006: Deny inbound UDP from 203.0.113.1/1 to 192.0.2.1/2 on interface outside", E,
            A::Block, D::In, proto::kUdp, "203.0.113.1", 1, "192.0.2.1", 2},
        {"%ASA-2-106007: Deny inbound UDP from 203.0.113.1/53 to 192.0.2.1/2 due to DNS Response", E,
            A::Block, D::In, proto::kUdp, "203.0.113.1", 53, "192.0.2.1", 2},
        {"%ASA-3-106010: Deny inbound protocol 47 src outside:203.0.113.1 dst inside:192.0.2.1", E, A::Block,
            D::In, proto::kGre, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-3-106011: Deny inbound (No xlate) udp src outside:203.0.113.1/137 dst inside:192.0.2.1/137", E,
            A::Block, D::In, proto::kUdp, "203.0.113.1", 137, "192.0.2.1", 137},
        {"%ASA-6-106012: Deny IP from 203.0.113.1 to 192.0.2.1, IP options: \"Router Alert\"", E, A::Block,
            D::Unknown, proto::kUnknown, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-4-106013: Dropping echo request from 203.0.113.1 to PAT address 192.0.2.1", E, A::Block,
            D::Unknown, proto::kIcmp, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-3-106014: Deny outbound icmp src inside:192.0.2.1 dst outside:203.0.113.1 (type 0, code 0)", E,
            A::Block, D::Out, proto::kIcmp, "192.0.2.1", -1, "203.0.113.1", -1},
        {"%ASA-6-106015: Deny TCP (no connection) from 203.0.113.1/80 to 192.0.2.1/3 flags FIN PSH ACK on "
         "interface outside",
            E, A::Block, D::Unknown, proto::kTcp, "203.0.113.1", 80, "192.0.2.1", 3},
        {"%ASA-2-106016: Deny IP spoof from (203.0.113.1) to 192.0.2.1 on interface outside", E, A::Block,
            D::Unknown, proto::kUnknown, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-2-106017: Deny IP due to Land Attack from 192.0.2.1 to 192.0.2.1", E, A::Block, D::Unknown,
            proto::kUnknown, "192.0.2.1", -1, "192.0.2.1", -1},
        {"%ASA-2-106018: ICMP packet type 8 denied by outbound list acl2 src 192.0.2.1 dest 203.0.113.1", E,
            A::Block, D::Out, proto::kIcmp, "192.0.2.1", -1, "203.0.113.1", -1},
        {"%ASA-2-106020: Deny IP teardrop fragment (size = 4, offset = 0) from 203.0.113.1 to 192.0.2.1", E,
            A::Block, D::Unknown, proto::kUnknown, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-1-106021: Deny UDP reverse path check from 203.0.113.1 to 192.0.2.1 on interface outside", E,
            A::Block, D::Unknown, proto::kUdp, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-1-106022: Deny TCP connection spoof from 203.0.113.1 to 192.0.2.1 on interface outside", E,
            A::Block, D::Unknown, proto::kTcp, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-4-106023: Deny protocol 103 src outside:203.0.113.1 dst inside:192.0.2.1 by access-group "
         "\"a\"",
            E, A::Block, D::Unknown, 103, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-6-106100: access-list a est-allowed tcp outside/203.0.113.1(443) -> inside/192.0.2.1(5) "
         "hit-cnt 1 "
         "first hit [0x0, 0x0]",
            E, A::Allow, D::Unknown, proto::kTcp, "203.0.113.1", 443, "192.0.2.1", 5},
        {"%ASA-6-302015: Built outbound UDP connection 9 for outside:203.0.113.1/53 (203.0.113.1/53) to "
         "inside:192.0.2.1/5353 (198.51.100.1/5353)",
            E, A::Allow, D::Out, proto::kUdp, "192.0.2.1", 5353, "203.0.113.1", 53},
        {"%ASA-6-302017: Built inbound GRE connection 9 from outside:203.0.113.1 (203.0.113.1) to "
         "inside:192.0.2.1 (192.0.2.1)",
            E, A::Allow, D::In, proto::kGre, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-6-302020: Built outbound ICMP connection for faddr 203.0.113.1/0 gaddr 198.51.100.1/7 laddr "
         "192.0.2.1/7 type 8 code 0",
            E, A::Allow, D::Out, proto::kIcmp, "192.0.2.1", -1, "203.0.113.1", -1},
        {"%ASA-7-710002: UDP access permitted from 203.0.113.1/1 to inside:192.0.2.1/snmp", E, A::Allow,
            D::In, proto::kUdp, "203.0.113.1", 1, "192.0.2.1", 161},
        {"%ASA-3-710003: TCP access denied by ACL from 203.0.113.1/1 to outside:192.0.2.1/telnet", E,
            A::Block, D::In, proto::kTcp, "203.0.113.1", 1, "192.0.2.1", 23},
        {"%ASA-7-710006: ESP request discarded from 203.0.113.1 to outside:192.0.2.1", E, A::Block, D::In,
            proto::kEsp, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-4-313004: Denied ICMP type=0, from laddr 203.0.113.1 on interface outside to 192.0.2.1: no "
         "matching session",
            E, A::Block, D::In, proto::kIcmp, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-3-313008: Denied IPv6-ICMP type=128, code=0 from 2001:db8::1 on interface outside", E,
            A::Block, D::In, proto::kIcmpV6, "2001:db8::1", -1, "", -1},
        {"%ASA-4-313009: Denied invalid ICMP code 9, for outside:203.0.113.1/38706 (203.0.113.1/38706) to "
         "inside:192.0.2.1/0 (192.0.2.1/0), ICMP id 295, ICMP type 8",
            E, A::Block, D::Unknown, proto::kIcmp, "203.0.113.1", -1, "192.0.2.1", -1},
        {"%ASA-4-338008: Dynamic Filter dropped blacklisted TCP traffic from inside:192.0.2.1/51638 "
         "(198.51.100.1/51638) to outside:203.0.113.3/80 (203.0.113.3/80), destination 203.0.113.3 resolved",
            E, A::Block, D::Unknown, proto::kTcp, "192.0.2.1", 51638, "203.0.113.3", 80},
        {"%ASA-4-410001: Dropped UDP DNS request from outside:203.0.113.1/46951 to dmz:192.0.2.1/53; label "
         "length "
         "46 bytes",
            E, A::Block, D::Unknown, proto::kUdp, "203.0.113.1", 46951, "192.0.2.1", 53},
        {"%ASA-4-418001: Through-the-device packet to/from management-only network is denied: udp src "
         "dmz:192.0.2.1/49152 dst management:198.51.100.1/161",
            E, A::Block, D::Unknown, proto::kUdp, "192.0.2.1", 49152, "198.51.100.1", 161},
        {"%ASA-4-420002: IPS requested to drop UDP packet from inside:192.0.2.1/6882 to "
         "outside:203.0.113.1/6882",
            E, A::Block, D::Unknown, proto::kUdp, "192.0.2.1", 6882, "203.0.113.1", 6882},
        {"%ASA-3-421001: UDP flow from inside:192.0.2.1/60803 to outside:203.0.113.1/53 is dropped because "
         "application has failed",
            E, A::Block, D::Unknown, proto::kUdp, "192.0.2.1", 60803, "203.0.113.1", 53},
        {"%ASA-4-434002: SFR requested to drop TCP packet from outside:203.0.113.1/51115 to "
         "dmz:192.0.2.1/443",
            E, A::Block, D::Unknown, proto::kTcp, "203.0.113.1", 51115, "192.0.2.1", 443},
        {"%ASA-4-500004: Invalid transport field for protocol=UDP, from 203.0.113.1/45682 to 192.0.2.1/0", E,
            A::Block, D::Unknown, proto::kUdp, "203.0.113.1", 45682, "192.0.2.1", 0},
    };
    for (const MessageCase& c : cases) {
        const std::string line = kHead + c.body;
        const Parsed p = parse(line);
        ASSERT_EQ(test::statusName(p.status), test::statusName(c.status)) << line << ": " << p.reason;
        if (c.status != ParseStatus::Event) continue;
        EXPECT_EQ(p.event.action, c.action) << line;
        EXPECT_EQ(p.event.direction, c.direction) << line;
        EXPECT_EQ(p.event.proto, c.proto) << line;
        EXPECT_EQ(p.event.src.toString(), c.src) << line;
        EXPECT_EQ(p.event.srcPort, c.srcPort) << line;
        EXPECT_EQ(p.event.dst.toString(), c.dst) << line;
        EXPECT_EQ(p.event.dstPort, c.dstPort) << line;
    }
}

TEST(CiscoAsaParser, TcpFlagsAndIcmpDetails)
{
    Parsed p = parse(kHead
        + "%ASA-6-106015: Deny TCP (no connection) from 203.0.113.1/80 to 192.0.2.1/3 flags FIN PSH ACK on "
          "interface outside");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_TRUE(p.event.hasTcpFlags);
    EXPECT_EQ(p.event.tcpFlags, core::tcpflag::kFin | core::tcpflag::kPsh | core::tcpflag::kAck);
    p = parse(kHead
        + "%ASA-6-106015: Deny TCP (no connection) from 203.0.113.1/80 to 192.0.2.1/3 flags tcp_flags on "
          "interface outside");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_FALSE(p.event.hasTcpFlags);
    p = parse(kHead + "%ASA-3-313001: Denied ICMP type=11, code=1 from 203.0.113.1 on interface outside");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.icmpType, 11);
    EXPECT_EQ(p.event.icmpCode, 1);
    EXPECT_EQ(p.event.iface, "outside");
    p = parse(kHead
        + "%ASA-4-313009: Denied invalid ICMP code 9, for outside:203.0.113.1/38706 (203.0.113.1/38706) to "
          "inside:192.0.2.1/0 (192.0.2.1/0), ICMP id 295, ICMP type 8");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.icmpType, 8);
    EXPECT_EQ(p.event.icmpCode, 9);
    p = parse(kHead
        + "%ASA-5-106100: access-list a denied icmp outside/203.0.113.1(3) -> inside/192.0.2.1(13) hit-cnt 1 "
          "first hit [0x0, 0x0]");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.icmpType, 3);
    EXPECT_EQ(p.event.icmpCode, 13);
    EXPECT_EQ(p.event.srcPort, -1);
}

TEST(CiscoAsaParser, NonTrafficMessagesAreIgnored)
{
    const char* bodies[] = {
        "%ASA-6-302014: Teardown TCP connection 1 for outside:203.0.113.1/80 to inside:192.0.2.1/5 duration "
        "0:00:00 bytes 0 TCP FINs",
        "%ASA-6-302016: Teardown UDP connection 1 for outside:203.0.113.1/53 to inside:192.0.2.1/5 duration "
        "0:00:00 bytes 148",
        "%ASA-6-302021: Teardown ICMP connection for faddr 203.0.113.1/0 gaddr 192.0.2.1/0 laddr 192.0.2.1/0",
        "%ASA-6-305011: Built dynamic TCP translation from inside:192.0.2.1/1772 to "
        "outside:198.51.100.1/8256",
        "%ASA-6-305012: Teardown dynamic UDP translation from inside:192.0.2.1/12 to outside:198.51.100.1/11 "
        "duration 0:00:11",
        "%ASA-7-710001: TCP access requested from 203.0.113.1/2354 to inside:192.0.2.1/443",
        "%ASA-4-733100: [ Scanning] drop rate-3 exceeded.",
        "%ASA-6-605005: Login permitted from 192.0.2.1/2953 to inside:192.0.2.2/telnet for user \"\"",
        "%ASA-5-111008: User 'enable_15' executed the 'write memory' command.",
        "%ASA-4-402117: IPSEC: Received a non-IPSec packet (protocol= ICMP) from 203.0.113.1 to 192.0.2.1.",
        "%ASA-3-421007: UDP flow from inside:192.0.2.1/60803 to outside:203.0.113.1/53 is skipped",
        "%ASA-1-104001: (Secondary) Switching to ACTIVE - Service card in other unit has failed",
    };
    for (const char* body : bodies) {
        const Parsed p = parse(kHead + body);
        EXPECT_EQ(p.status, ParseStatus::Ignored) << body << ": " << p.reason;
        // Without any timestamp too: the message is recognised, and not a record.
        EXPECT_EQ(parse(body).status, ParseStatus::Ignored) << body;
    }
}

TEST(CiscoAsaParser, TimestampForms)
{
    const auto tokyo = core::TimeZone::fromName("Asia/Tokyo");
    ASSERT_TRUE(tokyo.has_value());
    const auto ctx = test::syslogContext(2024, test::kJune2024, *tokyo);
    struct Case {
        std::string head, utc;
    } cases[] = {
        {"Mar  5 2024 21:34:56 asa1 : ", "2024-03-05T12:34:56Z"},
        {"<164>Mar  5 2024 21:34:56: ", "2024-03-05T12:34:56Z"},
        {"Mar  5 21:34:56 asa1 ", "2024-03-05T12:34:56Z"},
        {"2024-03-05T12:34:56Z asa1 : ", "2024-03-05T12:34:56Z"},
        {"<166>1 2024-03-05T13:34:56+01:00 asa1 - - - - ", "2024-03-05T12:34:56Z"},
        {"Mar  5 21:40:00 relay Mar  5 2024 21:34:56: ", "2024-03-05T12:34:56Z"},
        {"", ""},
        {"asa1 : ", ""},
    };
    for (const Case& c : cases) {
        const Parsed p = parse(c.head + kDeny, ctx);
        if (c.utc.empty()) {
            EXPECT_EQ(p.status, ParseStatus::Malformed) << c.head;
            EXPECT_EQ(p.reason, "no timestamp");
            continue;
        }
        ASSERT_EQ(p.status, ParseStatus::Event) << c.head << ": " << p.reason;
        EXPECT_EQ(core::formatRfc3339(p.event.time), c.utc) << c.head;
    }
}

TEST(CiscoAsaParser, OtherLinesAreNotMine)
{
    const std::string lines[] = {
        "",
        "Mar  5 12:34:56 r1 %SEC-6-IPACCESSLOGP: list 102 denied tcp 203.0.113.1(1) -> 192.0.2.1(2), 1 "
        "packet",
        "ASA-2-106001: Inbound TCP connection denied from 203.0.113.1/1 to 192.0.2.1/2 flags SYN on "
        "interface o",
        "Deny tcp src outside:203.0.113.1/1 dst inside:192.0.2.1/2 by access-group \"x\"",
        "100% ASA-compatible",
        "Mar  5 12:34:56 asa %ASA-4-: Deny",
        "Mar  5 12:34:56 asa %ASA-x-106023: Deny",
    };
    for (const std::string& line : lines) {
        const Parsed p = parse(line);
        EXPECT_EQ(p.status, ParseStatus::NotMine) << line << ": " << p.reason;
    }
}

TEST(CiscoAsaParser, EventIsResetBetweenLines)
{
    auto lp = parsers::makeCiscoAsaParser()->open(test::syslogContext());
    ASSERT_EQ(
        test::parseLine(*lp,
            kHead
                + "%ASA-5-106100: access-list a denied tcp outside/203.0.113.1(1) -> inside/192.0.2.1(2) "
                  "hit-cnt 7 first hit")
            .status,
        ParseStatus::Event);
    core::Event e;
    std::string reason;
    ASSERT_EQ(lp->parse(kHead + "%ASA-3-313001: Denied ICMP type=8, code=0 from 203.0.113.1 on interface o",
                  e, reason),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(e.count, 1u);
    EXPECT_EQ(e.rule, "");
    EXPECT_FALSE(e.dst.isValid());
    EXPECT_EQ(e.srcPort, -1);
    EXPECT_EQ(e.extra, R"({"message_id":313001,"severity":3,"src_interface":"o"})");
}

TEST(CiscoAsaParser, HostileInputNeverCrashes)
{
    const std::vector<std::string> seeds = {kHead + kDeny,
        kHead
            + "%ASA-6-302013: Built inbound TCP connection 1 for outside:203.0.113.1/1 (203.0.113.1/1) to "
              "inside:192.0.2.1/2 (192.0.2.1/2)",
        kHead
            + "%ASA-5-106100: access-list a denied tcp outside/203.0.113.1(1) -> inside/192.0.2.1(2) hit-cnt "
              "7",
        kHead
            + "%ASA-2-106001: Inbound TCP connection denied from 203.0.113.1/1 to 192.0.2.1/2 flags SYN on i "
              "x",
        kHead
            + "%ASA-4-313005: No matching connection for ICMP error message: icmp src o:1.2.3.4 dst "
              "i:5.6.7.8 "
              "(type 3, code 3) on o interface.  Original IP payload: udp",
        kHead + "%ASA-4-733100: [ 2001:db8::1] drop rate-1 exceeded.", "%ASA-1-1%PIX-2-%FTD-3-106023:"};
    EXPECT_GT(test::fuzzParser(*parsers::makeCiscoAsaParser(), seeds), 0);
}

TEST(CiscoAsaParser, TenMegabyteLines)
{
    const std::size_t big = 10 * 1024 * 1024;
    std::string percents;
    while (percents.size() < big)
        percents += "%AS";
    struct Case {
        const char* name;
        std::string line;
        ParseStatus status;
    } cases[] = {
        {"Percents", percents, ParseStatus::NotMine},
        {"HugeAcl",
            kHead
                + "%ASA-4-106023: Deny tcp src outside:203.0.113.1/1 dst inside:192.0.2.1/2 by access-group "
                  "\""
                + std::string(big, 'a') + "\"",
            ParseStatus::Event},
        {"HugeInterface",
            kHead + "%ASA-4-106023: Deny tcp src " + std::string(big, 'o') + ":203.0.113.1/1 dst i:1.2.3.4/2",
            ParseStatus::Malformed},
        {"HugeHeader", std::string(big, ' ') + kDeny, ParseStatus::Malformed},
        {"HugeThreat", kHead + "%ASA-4-733100: [" + std::string(big, ' '), ParseStatus::Malformed},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const Parsed p = parse(c.line);
        EXPECT_EQ(test::statusName(p.status), test::statusName(c.status)) << p.reason;
        EXPECT_LE(p.event.rule.size(), 256u);
    }
}

TEST(CiscoAsaSniff, Scores)
{
    auto parser = parsers::makeCiscoAsaParser();
    const std::string rec = kHead + kDeny;
    const std::string sys = kHead + "%ASA-5-111008: User 'enable_15' executed the 'write memory' command.";
    const std::string other
        = "Mar  5 06:25:03 gw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022";
    std::vector<std::string_view> head(10, rec);
    EXPECT_GE(parser->sniff(head).score, 95);
    head.assign(10, sys);
    EXPECT_GE(parser->sniff(head).score, 90); // an ASA log even without a packet record
    head.assign(10, other);
    head[2] = sys;
    EXPECT_EQ(parser->sniff(head).score, 50);
    head.assign(10, other);
    EXPECT_EQ(parser->sniff(head).score, 0);
    EXPECT_EQ(parser->sniff({}).score, 0);
}

TEST(CiscoAsaSniff, RegistryDetectsAsaFiles)
{
    const parsers::ParserRegistry registry = parsers::makeDefaultRegistry();
    const std::string text = test::readFile(test::dataDir() / "logs/cisco-asa/syslog.log");
    const parsers::Detection d = registry.detect(test::nonEmptyLines(text));
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "cisco-asa");
    EXPECT_NE(parsers::makeCiscoAsaParser()->description().find("ASA"), std::string_view::npos);
}

TEST(CiscoAsaParser, ThroughputSanityCheck)
{
    const std::vector<std::string> lines = {kHead + kDeny,
        kHead
            + "%ASA-6-302013: Built inbound TCP connection 1 for outside:203.0.113.1/1 (203.0.113.1/1) to "
              "inside:192.0.2.1/2 (192.0.2.1/2)",
        kHead
            + "%ASA-6-302014: Teardown TCP connection 1 for outside:203.0.113.1/1 to inside:192.0.2.1/2 "
              "duration "
              "0:00:00 bytes 0",
        "Mar  5 06:25:03 gw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022"};
    test::measureThroughput("cisco-asa", *parsers::makeCiscoAsaParser(), lines);
}

} // namespace
