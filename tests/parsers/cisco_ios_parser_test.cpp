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
using core::ParseStatus;
using test::Parsed;

const std::string kHead = "Mar  5 12:34:56 r1 96: ";
const std::string kAcl
    = "%SEC-6-IPACCESSLOGP: list 120 denied udp 203.0.113.66(137) -> 192.0.2.11(137), 33 packets";

Parsed parse(std::string_view line, const core::ParseContext& ctx = test::syslogContext())
{
    return test::parseLine(*parsers::makeCiscoIosParser(), line, ctx);
}

TEST(CiscoIosParser, GoldenSyslog)
{
    test::expectGolden(*parsers::makeCiscoIosParser(), test::syslogContext(), "cisco-ios", "syslog");
}

TEST(CiscoIosParser, GoldenBrokenRecords)
{
    test::expectGolden(*parsers::makeCiscoIosParser(), test::syslogContext(), "cisco-ios", "broken");
}

TEST(CiscoIosParser, CountRuleInterfaceAndExtra)
{
    Parsed p = parse(kHead + kAcl);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.count, 33u);
    EXPECT_EQ(p.event.rule, "120");
    EXPECT_EQ(p.event.iface, "");
    EXPECT_EQ(p.event.extra, R"({"message":"SEC-6-IPACCESSLOGP"})");

    p = parse(kHead
        + "%SEC-6-IPACCESSLOGP: list bes_in denied udp 203.0.113.5(137) (GigabitEthernet0/1.6 "
          "ca5c.1da2.ba43) "
          "-> 192.0.2.255(137), 1 packet");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.count, 1u);
    EXPECT_EQ(p.event.rule, "bes_in");
    EXPECT_EQ(p.event.iface, "GigabitEthernet0/1.6");
    EXPECT_EQ(p.event.extra, R"({"message":"SEC-6-IPACCESSLOGP","mac":"ca5c.1da2.ba43"})");

    p = parse(kHead
        + "%IPV6_ACL-6-ACCESSLOGP: list ACL-IPv6-E0/0-IN/10 permitted udp 2001:DB8::3(1028) (Ethernet0/0) -> "
          "2001:DB8:1000::1(53), 4294967295 packets");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.rule, "ACL-IPv6-E0/0-IN/10");
    EXPECT_EQ(p.event.count, 4294967295u);
    EXPECT_EQ(p.event.action, Action::Allow);
    EXPECT_EQ(p.event.src.toString(), "2001:db8::3");
}

struct KindCase {
    std::string body;
    ParseStatus status;
    int proto, srcPort, dstPort, type, code;
    bool hasDst;
};

TEST(CiscoIosParser, EveryAccessLogMessage)
{
    const ParseStatus E = ParseStatus::Event;
    const KindCase cases[] = {
        {"%SEC-6-IPACCESSLOGP: list 1 denied tcp 203.0.113.1(1) -> 192.0.2.1(2), 1 packet", E, 6, 1, 2, -1,
            -1, true},
        {"%SEC-6-IPACCESSLOGDP: list 1 denied icmp 203.0.113.1 -> 192.0.2.1 (3/13), 1 packet", E, 1, -1, -1,
            3, 13, true},
        {"%SEC-6-IPACCESSLOGDP: list 1 denied icmp 203.0.113.1 -> 192.0.2.1 (8), 1 packet", E, 1, -1, -1, 8,
            -1, true},
        {"%SEC-6-IPACCESSLOGNP: list 1 denied 50 203.0.113.1 -> 192.0.2.1, 1 packet", E, 50, -1, -1, -1, -1,
            true},
        {"%SEC-6-IPACCESSLOGNP: list 1 denied 0 203.0.113.1 -> 192.0.2.1, 1 packet", E, 0, -1, -1, -1, -1,
            true},
        {"%SEC-6-IPACCESSLOGRP: list 1 denied igmp 203.0.113.1 -> 224.0.0.1 (17), 1 packet", E, 2, -1, -1, -1,
            -1, true},
        {"%SEC-6-IPACCESSLOGS: list 1 denied 203.0.113.1 1 packet", E, -1, -1, -1, -1, -1, false},
        {"%SEC-6-IPACCESSLOGS: list 1 denied 203.0.113.1, 7 packets", E, -1, -1, -1, -1, -1, false},
        {"%IPV6_ACL-6-ACCESSLOGP: list a/10 denied tcp 2001:db8::1(1) -> 2001:db8::2(2), 1 packet", E, 6, 1,
            2, -1, -1, true},
        {"%IPV6_ACL-6-ACCESSLOGSP: list a/10 denied udp 2001:db8::1(1) -> 2001:db8::2(2), 1 packet", E, 17, 1,
            2, -1, -1, true},
        {"%IPV6_ACL-6-ACCESSLOGDP: list a/20 denied icmpv6 2001:db8::1 -> 2001:db8::2 (135/0), 1 packet", E,
            58, -1, -1, 135, 0, true},
        {"%IPV6_ACL-6-ACCESSLOGNP: list a/30 permitted 89 fe80::1 (Ethernet0/0) -> ff02::5, 1 packet", E, 89,
            -1, -1, -1, -1, true},
        {"%FMANFP-6-IPACCESSLOGP: SIP0: fman_fp_image: list x denied tcp 203.0.113.1(1) -> 192.0.2.1(2), 1 "
         "packet",
            E, 6, 1, 2, -1, -1, true},
        {"%FMANFP-6-IPACCESSLOGDP: SIP0: fman_fp_image: list x denied icmp 203.0.113.1 -> 192.0.2.1 (0/0), 1 "
         "packet",
            E, 1, -1, -1, 0, 0, true},
        {"%SEC-6-IPACCESSLOGRL: access-list logging rate-limited or missed 12 packets", ParseStatus::Ignored,
            0, 0, 0, 0, 0, false},
        {"%SEC-6-IPACCESSLOGNOACL: ...", ParseStatus::Ignored, 0, 0, 0, 0, 0, false},
        {"%SEC-6-IPACCESSLOGP list 1 denied tcp 203.0.113.1(1) -> 192.0.2.1(2), 1 packet",
            ParseStatus::NotMine, 0, 0, 0, 0, 0, false},
    };
    for (const KindCase& c : cases) {
        const std::string line = kHead + c.body;
        const Parsed p = parse(line);
        ASSERT_EQ(test::statusName(p.status), test::statusName(c.status)) << line << ": " << p.reason;
        if (c.status != ParseStatus::Event) continue;
        EXPECT_EQ(p.event.proto, c.proto) << line;
        EXPECT_EQ(p.event.srcPort, c.srcPort) << line;
        EXPECT_EQ(p.event.dstPort, c.dstPort) << line;
        EXPECT_EQ(p.event.icmpType, c.type) << line;
        EXPECT_EQ(p.event.icmpCode, c.code) << line;
        EXPECT_EQ(p.event.dst.isValid(), c.hasDst) << line;
    }
}

TEST(CiscoIosParser, DeviceTimestampsAndZones)
{
    const auto berlin = core::TimeZone::fromName("Europe/Berlin");
    ASSERT_TRUE(berlin.has_value());
    const auto ctx = test::syslogContext(2024, test::kJune2024, *berlin);
    struct Case {
        std::string head, utc;
        bool guessed;
    } cases[] = {
        {"Mar  5 12:34:56 r1 96: ", "2024-03-05T11:34:56Z", false}, // the syslog server's local time
        {"Mar  5 12:34:56 r1 96: *Mar  5 00:00:01.000 UTC: ", "2024-03-05T11:34:56Z",
            false}, // its, not the device's
        {"96: Mar  5 12:34:56.250 UTC: ", "2024-03-05T12:34:56.25Z", false},
        {"96: Mar  5 12:34:56 GMT: ", "2024-03-05T12:34:56Z", false},
        {"96: Mar  5 12:34:56 EDT: ", "2024-03-05T16:34:56Z", false},
        {"96: Mar  5 12:34:56 AEST: ", "2024-03-05T02:34:56Z", false},
        {"96: Mar  5 12:34:56 ACST: ", "2024-03-05T03:04:56Z", false},
        {"96: *Mar  5 12:34:56.1 UTC: ", "2024-03-05T12:34:56.1Z", true},
        {"96: .Mar  5 12:34:56 UTC: ", "2024-03-05T12:34:56Z", false},
        {"96: Mar  5 12:34:56 mng: ", "2024-03-05T11:34:56Z", false}, // an unknown name: the file's zone
        {"96: Mar  5 12:34:56: ", "2024-03-05T11:34:56Z", false},
        {"96: Mar  5 2023 12:34:56 CET: ", "2023-03-05T11:34:56Z", false},
        {"2024-03-05T12:34:56+02:00 r1 96: ", "2024-03-05T10:34:56Z", false},
        {"96: 1w2d: ", "", false},
        {"", "", false},
    };
    for (const Case& c : cases) {
        const Parsed p = parse(c.head + kAcl, ctx);
        if (c.utc.empty()) {
            EXPECT_EQ(p.status, ParseStatus::Malformed) << c.head;
            continue;
        }
        ASSERT_EQ(p.status, ParseStatus::Event) << c.head << ": " << p.reason;
        EXPECT_EQ(core::formatRfc3339(p.event.time), c.utc) << c.head;
        EXPECT_EQ(p.event.timeGuessed, c.guessed) << c.head;
    }
    // Without --year the zone still applies, and the year is inferred.
    const Parsed p = parse("96: Dec 31 23:00:00 UTC: " + kAcl, test::syslogContext(0, 1704153600));
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(core::formatRfc3339(p.event.time), "2023-12-31T23:00:00Z");
    EXPECT_TRUE(p.event.timeGuessed);
}

TEST(CiscoIosParser, OtherLinesAreNotMine)
{
    const std::string lines[] = {
        "",
        "Mar  5 12:34:56 asa %ASA-4-106023: Deny tcp src outside:203.0.113.5/1 dst inside:192.0.2.10/22",
        "Mar  5 12:34:56 r1 12: SSH2 0: Unexpected message received",
        "list 120 denied udp 203.0.113.66(137) -> 192.0.2.11(137), 33 packets",
        "100%SEC-6-IPACCESSLOGP",
        "%sec-6-ipaccesslogp: list 1 denied tcp 203.0.113.1(1) -> 192.0.2.1(2), 1 packet",
        "%SEC-x-IPACCESSLOGP: list 1 denied tcp 203.0.113.1(1) -> 192.0.2.1(2), 1 packet",
    };
    for (const std::string& line : lines) {
        const Parsed p = parse(line);
        EXPECT_EQ(p.status, ParseStatus::NotMine) << line << ": " << p.reason;
    }
}

TEST(CiscoIosParser, EventIsResetBetweenLines)
{
    auto lp = parsers::makeCiscoIosParser()->open(test::syslogContext());
    ASSERT_EQ(
        test::parseLine(*lp,
            kHead
                + "%SEC-6-IPACCESSLOGP: list bes_in denied udp 203.0.113.5(137) (Gi0/1 ca5c.1da2.ba43) -> "
                  "192.0.2.255(137), 9 packets")
            .status,
        ParseStatus::Event);
    core::Event e;
    std::string reason;
    ASSERT_EQ(lp->parse(kHead + "%SEC-6-IPACCESSLOGS: list 10 denied 203.0.113.4 1 packet", e, reason),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(e.count, 1u);
    EXPECT_EQ(e.iface, "");
    EXPECT_EQ(e.srcPort, -1);
    EXPECT_FALSE(e.dst.isValid());
    EXPECT_EQ(e.extra, R"({"message":"SEC-6-IPACCESSLOGS"})");
}

TEST(CiscoIosParser, HostileInputNeverCrashes)
{
    const std::vector<std::string> seeds = {kHead + kAcl,
        "3924923: *Mar  5 03:32:04.114 gmt: %SEC-6-IPACCESSLOGDP: list x denied icmp 203.0.113.1 (Et0 aa) -> "
        "192.0.2.1 (8/0), 1 packet",
        kHead
            + "%IPV6_ACL-6-ACCESSLOGP: list a/1 denied tcp 2001:db8::1(1) (E0) -> 2001:db8::2(2), 3 packets",
        kHead + "%SEC-6-IPACCESSLOGS: list 10 permitted 203.0.113.5 (Ethernet0/1 ), 3 packets",
        "%A-1-B:%C-2-D:%E-3-IPACCESSLOGP: list"};
    EXPECT_GT(test::fuzzParser(*parsers::makeCiscoIosParser(), seeds), 0);
}

TEST(CiscoIosParser, TenMegabyteLines)
{
    const std::size_t big = 10 * 1024 * 1024;
    std::string markers;
    while (markers.size() < big)
        markers += "%SEC-6-";
    struct Case {
        const char* name;
        std::string line;
        ParseStatus status;
    } cases[] = {
        {"Markers", markers, ParseStatus::NotMine},
        {"HugeAcl",
            kHead + "%SEC-6-IPACCESSLOGP: list " + std::string(big, 'a') + " denied tcp 203.0.113.1(1) -> "
                + "192.0.2.1(2), 1 packet",
            ParseStatus::Malformed},
        {"HugeInterface",
            kHead + "%SEC-6-IPACCESSLOGP: list 1 denied tcp 203.0.113.1(1) (" + std::string(big, 'E')
                + ") -> 192.0.2.1(2), 1 packet",
            ParseStatus::Malformed},
        {"HugeTail", kHead + kAcl + std::string(big, ' '), ParseStatus::Event},
        {"HugeHeader", std::string(big, 'x') + " " + kAcl, ParseStatus::Malformed},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const Parsed p = parse(c.line);
        EXPECT_EQ(test::statusName(p.status), test::statusName(c.status)) << p.reason;
        EXPECT_LE(p.event.rule.size(), 256u);
    }
}

TEST(CiscoIosSniff, Scores)
{
    auto parser = parsers::makeCiscoIosParser();
    const std::string rec = kHead + kAcl;
    const std::string sys = kHead + "%SYS-5-CONFIG_I: Configured from console by admin on vty0 (192.0.2.1)";
    const std::string other
        = "Mar  5 06:25:03 gw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022";
    std::vector<std::string_view> head(10, rec);
    EXPECT_GE(parser->sniff(head).score, 95);
    head.assign(20, other);
    head[3] = rec;
    EXPECT_EQ(parser->sniff(head).score, 55);
    head.assign(10, sys);
    EXPECT_EQ(parser->sniff(head).score, 50);
    head.assign(10, other);
    EXPECT_EQ(parser->sniff(head).score, 0);
    EXPECT_EQ(parser->sniff({}).score, 0);
}

TEST(CiscoIosSniff, RegistryDetectsIosFiles)
{
    const parsers::ParserRegistry registry = parsers::makeDefaultRegistry();
    const std::string text = test::readFile(test::dataDir() / "logs/cisco-ios/syslog.log");
    const parsers::Detection d = registry.detect(test::nonEmptyLines(text));
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "cisco-ios");
    EXPECT_NE(parsers::makeCiscoIosParser()->description().find("IPACCESSLOG"), std::string_view::npos);
}

TEST(CiscoIosParser, ThroughputSanityCheck)
{
    const std::vector<std::string> lines = {kHead + kAcl,
        "123: Mar  5 05:15:25.217 UTC: %SEC-6-IPACCESSLOGP: list 199 permitted tcp 192.0.2.16(3059) -> "
        "198.51.100.101(1060), 2 packets",
        kHead + "%SYS-5-CONFIG_I: Configured from console by admin on vty0 (192.0.2.1)",
        "Mar  5 06:25:03 gw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022"};
    test::measureThroughput("cisco-ios", *parsers::makeCiscoIosParser(), lines);
}

} // namespace
