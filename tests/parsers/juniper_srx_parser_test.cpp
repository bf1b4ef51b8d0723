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

const std::string kHead = "Mar  5 12:34:56 srx1 RT_FLOW: ";
const std::string kDeny
    = "RT_FLOW_SESSION_DENY: session denied 203.0.113.1/54924->192.0.2.53/53 junos-dns-udp 17(0) "
      "default-deny(global) untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny";
const std::string kSd = "<14>1 2024-03-05T12:34:56Z srx1 RT_FLOW - ";

std::string created(int session)
{
    return kHead + "RT_FLOW_SESSION_CREATE: session created 203.0.113.2/53836->192.0.2.1/22 junos-ssh "
        + "203.0.113.2/53836->192.0.2.1/22 None None 6 allow-ssh untrust trust " + std::to_string(session)
        + " N/A(N/A) ge-0/0/1.0";
}

std::string closed(int session)
{
    return kHead + "RT_FLOW_SESSION_CLOSE: session closed TCP FIN: 203.0.113.2/53836->192.0.2.1/22 junos-ssh "
        + "203.0.113.2/53836->192.0.2.1/22 None None 6 allow-ssh untrust trust " + std::to_string(session)
        + " 78(6657) 122(13305) 45 UNKNOWN UNKNOWN N/A(N/A) ge-0/0/1.0 No";
}

Parsed parse(std::string_view line, const core::ParseContext& ctx = test::syslogContext())
{
    return test::parseLine(*parsers::makeJuniperSrxParser(), line, ctx);
}

TEST(JuniperSrxParser, GoldenSyslog)
{
    test::expectGolden(*parsers::makeJuniperSrxParser(), test::syslogContext(), "juniper-srx", "syslog");
}

TEST(JuniperSrxParser, GoldenBrokenRecords)
{
    test::expectGolden(*parsers::makeJuniperSrxParser(), test::syslogContext(), "juniper-srx", "broken");
}

TEST(JuniperSrxParser, PolicyZonesAndExtra)
{
    Parsed p = parse(kHead + kDeny);
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.rule, "default-deny(global)");
    EXPECT_EQ(p.event.iface, "ge-0/0/0.0");
    EXPECT_EQ(p.event.extra,
        R"({"message":"RT_FLOW_SESSION_DENY","source_zone":"untrust",)"
        R"("destination_zone":"trust","service":"junos-dns-udp","reason":"policy deny"})");

    p = parse(created(4242));
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.action, Action::Allow);
    EXPECT_EQ(p.event.rule, "allow-ssh");
    EXPECT_EQ(p.event.iface, "ge-0/0/1.0");
    EXPECT_EQ(p.event.extra,
        R"({"message":"RT_FLOW_SESSION_CREATE","source_zone":"untrust",)"
        R"("destination_zone":"trust","service":"junos-ssh","session_id":4242})");

    p = parse(kSd
        + "RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 source-address=\"2001:db8::1\" source-port=\"1\" "
          "destination-address=\"2001:db8::2\" destination-port=\"2\" service-name=\"None\" "
          "protocol-id=\"17\" "
          "policy-name=\"p \\\"quoted\\\"\" source-zone-name=\"a\" destination-zone-name=\"b\" "
          "application=\"UNKNOWN\" packet-incoming-interface=\"reth0.1\" reason=\"policy deny\"]");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.rule, "p \\\"quoted\\\"");
    EXPECT_EQ(p.event.iface, "reth0.1");
    EXPECT_EQ(p.event.src.toString(), "2001:db8::1");
    EXPECT_EQ(p.event.extra,
        R"({"message":"RT_FLOW_SESSION_DENY","source_zone":"a","destination_zone":"b",)"
        R"("reason":"policy deny"})");
}

TEST(JuniperSrxParser, SessionsAreCountedOnce)
{
    auto lp = parsers::makeJuniperSrxParser()->open(test::syslogContext());
    // Create then close: one event. Close alone (a policy logging only session-close): one event.
    EXPECT_EQ(test::parseLine(*lp, created(1)).status, ParseStatus::Event);
    EXPECT_EQ(test::parseLine(*lp, created(2)).status, ParseStatus::Event);
    EXPECT_EQ(test::parseLine(*lp, closed(2)).status, ParseStatus::Ignored);
    EXPECT_EQ(test::parseLine(*lp, closed(1)).status, ParseStatus::Ignored);
    EXPECT_EQ(test::parseLine(*lp, closed(1)).status, ParseStatus::Event); // its create was already used
    EXPECT_EQ(test::parseLine(*lp, closed(3)).status, ParseStatus::Event);
    // A structured close pairs with a text create of the same session, and the other way round.
    EXPECT_EQ(test::parseLine(*lp, created(4)).status, ParseStatus::Event);
    EXPECT_EQ(test::parseLine(*lp,
                  kSd
                      + "RT_FLOW_SESSION_CLOSE [junos@2636.1.1.1.2.39 reason=\"TCP RST\" "
                        "source-address=\"203.0.113.2\" "
                        "source-port=\"1\" destination-address=\"192.0.2.1\" destination-port=\"22\" "
                        "protocol-id=\"6\" "
                        "session-id-32=\"4\"]")
                  .status,
        ParseStatus::Ignored);
    // Each file starts afresh.
    auto other = parsers::makeJuniperSrxParser()->open(test::syslogContext());
    EXPECT_EQ(test::parseLine(*other, closed(2)).status, ParseStatus::Event);
}

TEST(JuniperSrxParser, IcmpFromThePortTuple)
{
    struct Case {
        std::string line;
        int type, code;
    } cases[] = {
        {kHead
                + "RT_FLOW_SESSION_DENY: session denied 203.0.113.3/7->192.0.2.1/2048 icmp 1(8) p a b "
                  "UNKNOWN UNKNOWN "
                  "N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny",
            8, 0},
        {kHead
                + "RT_FLOW_SESSION_CREATE: session created 203.0.113.3/7->192.0.2.1/771 icmp "
                  "203.0.113.3/7->192.0.2.1/771 "
                  "None None 1 p a b 9 N/A(N/A) ge-0/0/0.0",
            3, 3},
        {kSd
                + "RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 source-address=\"2001:db8::1\" "
                  "source-port=\"1\" "
                  "destination-address=\"2001:db8::2\" destination-port=\"32768\" protocol-id=\"58\" "
                  "icmp-type=\"128\"]",
            128, 0},
    };
    for (const Case& c : cases) {
        const Parsed p = parse(c.line);
        ASSERT_EQ(p.status, ParseStatus::Event) << c.line << ": " << p.reason;
        EXPECT_EQ(p.event.icmpType, c.type) << c.line;
        EXPECT_EQ(p.event.icmpCode, c.code) << c.line;
        EXPECT_EQ(p.event.srcPort, -1);
        EXPECT_EQ(p.event.dstPort, -1);
    }
}

TEST(JuniperSrxParser, TimestampForms)
{
    const auto ny = core::TimeZone::fromName("America/New_York");
    ASSERT_TRUE(ny.has_value());
    const auto ctx = test::syslogContext(2024, test::kJune2024, *ny);
    struct Case {
        std::string line, utc;
    } cases[] = {
        {kHead + kDeny, "2024-03-05T17:34:56Z"},
        {"Mar  5 12:34:56 relay junos-flow: 2024-03-05T12:34:56.5Z srx RT_FLOW - RT_FLOW_SESSION_DENY "
         "[junos@2636.1.1.1.2.39 source-address=\"203.0.113.4\" destination-address=\"192.0.2.2\" "
         "protocol-id=\"6\"]",
            "2024-03-05T12:34:56.5Z"},
        {"<14>1 2024-03-05T12:34:56-05:00 srx RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 "
         "source-address=\"203.0.113.4\" destination-address=\"192.0.2.2\" protocol-id=\"6\"]",
            "2024-03-05T17:34:56Z"},
        {kDeny, ""},
    };
    for (const Case& c : cases) {
        const Parsed p = parse(c.line, ctx);
        if (c.utc.empty()) {
            EXPECT_EQ(p.status, ParseStatus::Malformed) << c.line;
            continue;
        }
        ASSERT_EQ(p.status, ParseStatus::Event) << c.line << ": " << p.reason;
        EXPECT_EQ(core::formatRfc3339(p.event.time), c.utc) << c.line;
    }
}

TEST(JuniperSrxParser, OtherLinesAreNotMine)
{
    const std::string lines[] = {
        "",
        "Mar  5 12:35:50 srx1 sshd[1234]: Accepted publickey for admin from 203.0.113.1 port 22",
        "Mar  5 12:35:50 srx1 mgd[1]: UI_COMMIT: User 'admin' requested 'commit' operation",
        "Mar  5 12:35:50 srx1 RT_FLOW: XRT_FLOW_SESSION_DENY: session denied 203.0.113.1/1->192.0.2.1/2 x 6 "
        "p a b",
        "Mar  5 12:35:50 srx1 RT_FLOW: RT_FLOW_SESSION_DENY session denied",
    };
    for (const std::string& line : lines) {
        const Parsed p = parse(line);
        EXPECT_EQ(p.status, ParseStatus::NotMine) << line << ": " << p.reason;
    }
    // Junos' other RT_FLOW and RT_IDS messages are its own.
    EXPECT_EQ(parse(kSd + "FLOW_REASSEMBLE_FAIL [junos@2636.1.1.1.2.39 source-address=\"192.0.2.1\"]").status,
        ParseStatus::Ignored);
    EXPECT_EQ(parse(kHead + "RT_FLOW_SESSION_CLOSE_LS: session closed").status, ParseStatus::Ignored);
}

TEST(JuniperSrxParser, EventIsResetBetweenLines)
{
    auto lp = parsers::makeJuniperSrxParser()->open(test::syslogContext());
    ASSERT_EQ(test::parseLine(*lp, created(9)).status, ParseStatus::Event);
    core::Event e;
    std::string reason;
    ASSERT_EQ(
        lp->parse("Mar  5 12:35:49 srx1 RT_IDS: RT_SCREEN_ICMP: ICMP flood! source: 203.0.113.6, "
                  "destination: 192.0.2.1, zone name: untrust, interface name: ge-0/0/0.0, action: drop",
            e, reason),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(e.rule, "");
    EXPECT_EQ(e.srcPort, -1);
    EXPECT_EQ(e.action, Action::Block);
    EXPECT_EQ(e.extra, R"({"message":"RT_SCREEN_ICMP","source_zone":"untrust","reason":"ICMP flood!"})");
}

TEST(JuniperSrxParser, HostileInputNeverCrashes)
{
    const std::vector<std::string> seeds = {kHead + kDeny, created(1), closed(1),
        kSd
            + "RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 source-address=\"203.0.113.4\" source-port=\"1\" "
              "destination-address=\"192.0.2.2\" destination-port=\"2\" protocol-id=\"6\" policy-name=\"x\"]",
        "<27>1 2024-03-05T12:35:48Z srx1 RT_IDS - RT_SCREEN_TCP [junos@1 source-address=\"203.0.113.5\" "
        "destination-address=\"192.0.2.1\" action=\"drop\"]",
        "RT_FLOW_ RT_SCREEN_ [\"\\\"\\"};
    EXPECT_GT(test::fuzzParser(*parsers::makeJuniperSrxParser(), seeds), 0);
}

TEST(JuniperSrxParser, TenMegabyteLines)
{
    const std::size_t big = 10 * 1024 * 1024;
    std::string flows;
    while (flows.size() < big)
        flows += "RT_FLOW_";
    struct Case {
        const char* name;
        std::string line;
        ParseStatus status;
    } cases[] = {
        {"RepeatedMarker", flows, ParseStatus::NotMine},
        {"OpenQuote", kSd + "RT_FLOW_SESSION_DENY [junos@1 source-address=\"" + std::string(big, 'x'),
            ParseStatus::Malformed},
        {"Escapes", kSd + "RT_FLOW_SESSION_DENY [junos@1 source-address=\"" + std::string(big, '\\'),
            ParseStatus::Malformed},
        {"HugeReason", kHead + kDeny + std::string(big, ' ') + "x", ParseStatus::Event},
        {"HugePolicy",
            kHead + "RT_FLOW_SESSION_DENY: session denied 203.0.113.1/1->192.0.2.53/53 x 17(0) "
                + std::string(big, 'p') + " a b UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny",
            ParseStatus::Malformed},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const Parsed p = parse(c.line);
        EXPECT_EQ(test::statusName(p.status), test::statusName(c.status)) << p.reason;
        EXPECT_LE(p.event.extra.size(), 2048u);
    }
}

TEST(JuniperSrxSniff, Scores)
{
    auto parser = parsers::makeJuniperSrxParser();
    const std::string rec = kHead + kDeny;
    const std::string other
        = "Mar  5 06:25:03 gw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022";
    std::vector<std::string_view> head(10, rec);
    EXPECT_GE(parser->sniff(head).score, 95);
    head.assign(20, other);
    head[3] = rec;
    EXPECT_EQ(parser->sniff(head).score, 55);
    head.assign(10, other);
    EXPECT_EQ(parser->sniff(head).score, 0);
    EXPECT_EQ(parser->sniff({}).score, 0);
}

TEST(JuniperSrxSniff, RegistryDetectsSrxFiles)
{
    const parsers::ParserRegistry registry = parsers::makeDefaultRegistry();
    const std::string text = test::readFile(test::dataDir() / "logs/juniper-srx/syslog.log");
    const parsers::Detection d = registry.detect(test::nonEmptyLines(text));
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "juniper-srx");
    EXPECT_NE(parsers::makeJuniperSrxParser()->description().find("RT_FLOW"), std::string_view::npos);
}

TEST(JuniperSrxParser, ThroughputSanityCheck)
{
    const std::vector<std::string> lines = {kHead + kDeny, created(1), closed(1),
        "Mar  5 06:25:03 gw sshd[20010]: Invalid user admin from 203.0.113.50 port 40022"};
    test::measureThroughput("juniper-srx", *parsers::makeJuniperSrxParser(), lines);
}

} // namespace
