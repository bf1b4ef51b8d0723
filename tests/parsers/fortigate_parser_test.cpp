// SPDX-License-Identifier: GPL-3.0-or-later
#include "parser_golden.h"
#include "parsers/builtin_parsers.h"
#include "parsers/parser_registry.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>

namespace tattle::parsers {
namespace {

using core::Action;
using core::Direction;
using core::ParseStatus;

core::ParseContext contextIn(std::string_view zone)
{
    core::ParseContext ctx;
    auto tz = core::TimeZone::fromName(zone);
    EXPECT_TRUE(tz.has_value()) << zone;
    if (tz) ctx.zone = *tz;
    return ctx;
}

// A FortiOS 6.2 traffic record with the given fields in place of the defaults.
std::string traffic(std::string_view fields)
{
    return "date=2024-03-05 time=04:12:01 devname=\"FGT-EDGE\" devid=\"FGT60F0000000001\" "
           "logid=\"0000000013\" "
           "type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" srcip=203.0.113.45 "
           "srcport=51515 "
           "srcintf=\"wan1\" dstip=192.0.2.10 dstport=22 dstintf=\"internal\" sessionid=12345 proto=6 "
        + std::string(fields);
}

class FortiGateTest : public ::testing::Test {
protected:
    ParseStatus parse(std::string_view line, std::string_view zone = "UTC")
    {
        auto lp = m_parser->open(contextIn(zone));
        reason.clear();
        return lp->parse(line, ev, reason);
    }

    std::unique_ptr<core::Parser> m_parser = makeFortiGateParser();
    core::Event ev;
    std::string reason;
};

TEST_F(FortiGateTest, GoldenRecords)
{
    // Lines without eventtime= or tz= are read in the file's zone (PST, UTC-8, on that date).
    test::expectGolden(*m_parser, contextIn("America/Los_Angeles"), "fortigate", "records");
}

TEST_F(FortiGateTest, GoldenBrokenLines)
{
    test::expectGolden(*m_parser, contextIn("UTC"), "fortigate", "broken");
}

struct VerdictCase {
    std::string_view fields;
    ParseStatus status;
    Action action;
};

TEST_F(FortiGateTest, TrafficActionWords)
{
    const VerdictCase cases[] = {
        {"action=deny", ParseStatus::Event, Action::Block},
        {"action=\"deny\"", ParseStatus::Event, Action::Block},
        {"action=accept", ParseStatus::Event, Action::Allow},
        {"action=start", ParseStatus::Event, Action::Allow},
        {"action=close", ParseStatus::Event, Action::Allow},
        {"action=timeout", ParseStatus::Event, Action::Allow},
        {"action=client-rst", ParseStatus::Event, Action::Allow},
        {"action=server-rst", ParseStatus::Event, Action::Allow},
        {"action=dns", ParseStatus::Event, Action::Allow},
        {"action=ip-conn", ParseStatus::Event, Action::Allow},
        // The reference: anything but deny is a session the policy allowed.
        {"action=something-new", ParseStatus::Event, Action::Allow},
        {"status=deny", ParseStatus::Event, Action::Block},
        {"status=accept", ParseStatus::Event, Action::Allow},
        {"action=deny status=accept", ParseStatus::Event, Action::Block}, // action= wins
        {"", ParseStatus::Malformed, Action::Block},
        {"action=", ParseStatus::Malformed, Action::Block},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(parse(traffic(c.fields)), c.status) << c.fields << ": " << reason;
        if (c.status == ParseStatus::Event) {
            EXPECT_EQ(ev.action, c.action) << c.fields;
        }
    }
}

struct TypeCase {
    std::string_view typeFields;
    std::string_view action;
    ParseStatus status;
};

TEST_F(FortiGateTest, AttackAndOtherRecordTypes)
{
    const TypeCase cases[] = {
        {"type=\"utm\" subtype=\"ips\"", "dropped", ParseStatus::Event},
        {"type=\"utm\" subtype=\"ips\"", "reset", ParseStatus::Event},
        {"type=\"utm\" subtype=\"ips\"", "reset_client", ParseStatus::Event},
        {"type=\"utm\" subtype=\"ips\"", "reset_server", ParseStatus::Event},
        {"type=\"utm\" subtype=\"ips\"", "blocked", ParseStatus::Event},
        {"type=\"utm\" subtype=\"ips\"", "drop_session", ParseStatus::Event},
        {"type=\"utm\" subtype=\"ips\"", "detected", ParseStatus::Ignored},
        {"type=\"utm\" subtype=\"ips\"", "pass", ParseStatus::Ignored},
        {"type=\"utm\" subtype=\"anomaly\"", "clear_session", ParseStatus::Event},
        {"type=\"utm\" subtype=\"anomaly\"", "dropped", ParseStatus::Event},
        {"type=\"utm\" subtype=\"anomaly\"", "detected", ParseStatus::Ignored},
        {"type=anomaly subtype=anomaly", "dropped", ParseStatus::Event}, // FortiOS 5.2
        {"type=ips subtype=signature", "dropped", ParseStatus::Event}, // FortiOS 4
        {"type=\"utm\" subtype=\"webfilter\"", "blocked", ParseStatus::Ignored},
        {"type=\"utm\" subtype=\"virus\"", "blocked", ParseStatus::Ignored},
        {"type=\"utm\" subtype=\"app-ctrl\"", "block", ParseStatus::Ignored},
        {"type=\"utm\" subtype=\"dns\"", "block", ParseStatus::Ignored},
        {"type=\"event\" subtype=\"system\"", "login", ParseStatus::Ignored},
        {"type=\"event\" subtype=\"vpn\"", "tunnel-up", ParseStatus::Ignored},
        {"type=\"something\"", "deny", ParseStatus::Ignored},
    };
    for (const auto& c : cases) {
        const std::string line = "date=2024-03-05 time=04:17:00 logid=\"0419016384\" "
            + std::string(c.typeFields)
            + " srcip=198.51.100.66 dstip=192.0.2.10 srcintf=\"wan1\" srcport=46810 dstport=80 proto=6 "
              "action=\""
            + std::string(c.action) + "\" policyid=7 attack=\"X.Y\" count=3";
        EXPECT_EQ(parse(line), c.status) << line << ": " << reason;
        if (c.status != ParseStatus::Event) continue;
        EXPECT_EQ(ev.action, Action::Block) << line;
        EXPECT_EQ(ev.count, 3u) << line;
        EXPECT_EQ(ev.dstPort, 80) << line;
    }
}

TEST_F(FortiGateTest, VendorDetails)
{
    ASSERT_EQ(parse(traffic("action=\"deny\" policyid=12 policyname=\"Block \\\"bad\\\" hosts\" "
                            "srcintfrole=\"wan\" dstintfrole=\"lan\" service=\"SSH\" utmaction=\"block\"")),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.rule, "12");
    EXPECT_EQ(ev.iface, "wan1");
    EXPECT_EQ(ev.direction, Direction::In);
    EXPECT_EQ(ev.count, 1u);
    const auto x = nlohmann::json::parse(ev.extra);
    EXPECT_EQ(x.at("devname"), "FGT-EDGE");
    EXPECT_EQ(x.at("devid"), "FGT60F0000000001");
    EXPECT_EQ(x.at("vd"), "root");
    EXPECT_EQ(x.at("logid"), "0000000013");
    EXPECT_EQ(x.at("type"), "traffic");
    EXPECT_EQ(x.at("subtype"), "forward");
    EXPECT_EQ(x.at("action"), "deny");
    EXPECT_EQ(x.at("policyid"), 12);
    EXPECT_EQ(x.at("policyname"), "Block \\\"bad\\\" hosts");
    EXPECT_EQ(x.at("sessionid"), 12345);
    EXPECT_EQ(x.at("srcintf"), "wan1");
    EXPECT_EQ(x.at("dstintf"), "internal");
    EXPECT_EQ(x.at("service"), "SSH");
    EXPECT_EQ(x.at("utmaction"), "block");
    EXPECT_FALSE(x.contains("attack"));
}

struct DirectionCase {
    std::string_view roles;
    Direction direction;
};

TEST_F(FortiGateTest, DirectionFromInterfaceRoles)
{
    const DirectionCase cases[] = {
        {"srcintfrole=\"wan\" dstintfrole=\"lan\"", Direction::In},
        {"srcintfrole=\"wan\" dstintfrole=\"undefined\"", Direction::In},
        {"srcintfrole=\"wan\"", Direction::In},
        {"srcintfrole=\"lan\" dstintfrole=\"wan\"", Direction::Out},
        {"srcintfrole=\"wan\" dstintfrole=\"wan\"", Direction::Unknown},
        {"srcintfrole=\"lan\" dstintfrole=\"dmz\"", Direction::Unknown},
        {"", Direction::Unknown},
    };
    for (const auto& c : cases) {
        ASSERT_EQ(parse(traffic("action=deny " + std::string(c.roles))), ParseStatus::Event) << reason;
        EXPECT_EQ(ev.direction, c.direction) << c.roles;
    }
}

struct TimeCase {
    std::string_view fields; // replaces date= and time=
    std::string_view utc; // empty: Malformed
};

TEST_F(FortiGateTest, Times)
{
    const TimeCase cases[] = {
        // Local time in the file's zone (Europe/Stockholm, CET in March).
        {"date=2024-03-05 time=13:00:00", "2024-03-05T12:00:00Z"},
        {"date=2024/03/05 time=13:00:00", "2024-03-05T12:00:00Z"},
        {"date=2024-3-5 time=9:00:00", "2024-03-05T08:00:00Z"},
        {"date=2024-03-05 time=13: 00:00", "2024-03-05T12:00:00Z"}, // FortiOS 4 in the Wazuh tests
        // tz= overrides the file's zone.
        {"date=2024-03-05 time=13:00:00 tz=\"+0000\"", "2024-03-05T13:00:00Z"},
        {"date=2024-03-05 time=13:00:00 tz=\"-0700\"", "2024-03-05T20:00:00Z"},
        {"date=2024-03-05 time=13:00:00 tz=\"+05:30\"", "2024-03-05T07:30:00Z"},
        // eventtime= in any unit, and logtime=.
        {"date=2024-03-05 time=13:00:00 eventtime=1709640000", "2024-03-05T12:00:00Z"},
        {"date=2024-03-05 time=13:00:00 eventtime=1709640000123", "2024-03-05T12:00:00.123Z"},
        {"date=2024-03-05 time=13:00:00 eventtime=1709640000123456", "2024-03-05T12:00:00.123456Z"},
        {"date=2024-03-05 time=13:00:00 eventtime=1709640000123456789", "2024-03-05T12:00:00.123456Z"},
        {"date=2024-03-05 time=13:00:00 logtime=1709640001", "2024-03-05T12:00:01Z"},
        {"eventtime=1709640000", "2024-03-05T12:00:00Z"},
        // An eventtime= far from the local time is not trusted.
        {"date=2024-03-05 time=13:00:00 eventtime=111111111", "2024-03-05T12:00:00Z"},
        {"date=2024-03-05 time=13:00:00 eventtime=1709900000", "2024-03-05T12:00:00Z"},
        {"date=2024-03-05 time=13:00:00 eventtime=1709700000", "2024-03-06T04:40:00Z"},
        {"date=2024-02-30 time=13:00:00", ""},
        {"date=2024-03-05 time=13:00", ""},
        {"date=2024-03-05 time=13:00:00x", ""},
        {"date=24-03-05 time=13:00:00", ""},
        {"date=2024-03-05 time=13:00:00 tz=\"CET\"", ""},
        {"eventtime=17096400001234567890", ""},
        {"eventtime=-1709640000", ""},
    };
    for (const auto& c : cases) {
        const std::string line = std::string(c.fields)
            + " logid=\"0000000013\" type=\"traffic\" srcip=203.0.113.45 dstip=192.0.2.10 proto=17 "
              "action=deny";
        if (c.utc.empty()) {
            EXPECT_EQ(parse(line, "Europe/Stockholm"), ParseStatus::Malformed) << line;
            continue;
        }
        ASSERT_EQ(parse(line, "Europe/Stockholm"), ParseStatus::Event) << line << ": " << reason;
        EXPECT_EQ(core::formatRfc3339(ev.time), c.utc) << line;
        EXPECT_FALSE(ev.timeGuessed) << line;
    }
}

TEST_F(FortiGateTest, AmbiguousLocalTimeIsFlagged)
{
    // 02:30 happened twice in Stockholm on 2024-10-27.
    ASSERT_EQ(parse("date=2024-10-27 time=02:30:00 logid=\"0000000013\" type=\"traffic\" srcip=203.0.113.45 "
                    "dstip=192.0.2.10 proto=17 action=deny",
                  "Europe/Stockholm"),
        ParseStatus::Event);
    EXPECT_TRUE(ev.timeGuessed);
}

TEST_F(FortiGateTest, IcmpAndOtherProtocols)
{
    ASSERT_EQ(
        parse(traffic("action=deny").replace(traffic("").find("proto=6"), 7, "proto=1")), ParseStatus::Event);
    EXPECT_EQ(ev.proto, core::proto::kIcmp);
    EXPECT_EQ(ev.srcPort, -1); // ICMP has no ports, whatever srcport= says
    EXPECT_EQ(ev.dstPort, -1);
    EXPECT_EQ(ev.icmpType, -1);

    ASSERT_EQ(parse("date=2024-03-05 time=04:12:01 logid=\"0000000013\" type=\"traffic\" srcip=2001:db8::1 "
                    "dstip=2001:db8::2 proto=58 icmptype=\"0x80\" icmpcode=\"0\" action=deny"),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.proto, core::proto::kIcmpV6);
    EXPECT_EQ(ev.icmpType, 128);
    EXPECT_EQ(ev.icmpCode, 0);

    ASSERT_EQ(parse("date=2024-03-05 time=04:12:01 logid=\"0000000013\" type=\"traffic\" srcip=192.0.2.1 "
                    "dstip=192.0.2.2 proto=47 action=deny"),
        ParseStatus::Event);
    EXPECT_EQ(ev.proto, core::proto::kGre);
    EXPECT_EQ(parse("date=2024-03-05 time=04:12:01 logid=\"0000000013\" type=\"traffic\" srcip=192.0.2.1 "
                    "dstip=192.0.2.2 proto=1 icmptype=\"0x1ff\" action=deny"),
        ParseStatus::Malformed);
    EXPECT_EQ(parse("date=2024-03-05 time=04:12:01 logid=\"0000000013\" type=\"traffic\" srcip=192.0.2.1 "
                    "dstip=192.0.2.2 proto=256 action=deny"),
        ParseStatus::Malformed);
}

TEST_F(FortiGateTest, HostileInput)
{
    // Huge quoted value, unterminated.
    std::string huge = traffic("action=deny msg=\"") + std::string(10 * 1024 * 1024, 'A');
    EXPECT_EQ(parse(huge), ParseStatus::Event) << reason;
    // Huge run of tokens without keys we know.
    std::string many = traffic("action=deny");
    for (int i = 0; i < 200000; ++i)
        many += " k=v";
    EXPECT_EQ(parse(many), ParseStatus::Event);
    // Control bytes and invalid UTF-8 in an interface name are repaired before they are stored.
    ASSERT_EQ(
        parse(traffic("action=deny").replace(traffic("").find("wan1"), 4, "w\x01\xff")), ParseStatus::Event);
    EXPECT_EQ(ev.iface.find('\x01'), std::string::npos);
    EXPECT_TRUE(nlohmann::json::accept(ev.extra)) << ev.extra;
    EXPECT_EQ(parse(std::string("\0\0\0type=\0logid=\0", 16)), ParseStatus::NotMine);
    EXPECT_EQ(parse(""), ParseStatus::NotMine);
    EXPECT_EQ(parse("type=traffic logid=1"), ParseStatus::Malformed);
    EXPECT_EQ(parse("\"\"\"type=\"traffic\" logid=\"1"), ParseStatus::NotMine); // no key "type"
    // A record cut anywhere before its action is never an event.
    const std::string full = traffic("action=deny");
    for (std::size_t cut = 0; cut < full.find("action="); ++cut) {
        const ParseStatus st = parse(full.substr(0, cut));
        EXPECT_TRUE(st == ParseStatus::NotMine || st == ParseStatus::Malformed) << full.substr(0, cut);
    }
}

TEST_F(FortiGateTest, OtherProgramsLinesAreNotMine)
{
    const std::string_view lines[] = {
        "Mar  5 04:22:00 fw01 sshd[812]: Failed password for root from 203.0.113.5 port 50000 ssh2",
        "Mar  5 04:22:00 fw01 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=192.0.2.1 PROTO=TCP",
        "FWIN,2004/02/01,20:05:26 -5:00 GMT,198.51.100.1:0,192.0.2.93:0,ICMP (type:8/subtype:0)",
        "id=firewall sn=0017C5 time=\"2024-03-05 04:12:01\" fw=192.0.2.1 pri=1 c=32 m=36 msg=\"TCP packet "
        "dropped\" "
        "src=203.0.113.5:4000:X1 dst=192.0.2.1:23:X0",
        "type=traffic but no log id here",
    };
    for (std::string_view line : lines) {
        EXPECT_EQ(parse(line), ParseStatus::NotMine) << line;
    }
}

TEST_F(FortiGateTest, SniffAndDetection)
{
    const std::string fg1 = traffic("action=deny"), fg2 = traffic("action=accept");
    const std::string_view fortigate[] = {fg1, fg2, "Mar  5 04:22:00 fw01 sshd[812]: Accepted publickey"};
    const core::Sniff s = m_parser->sniff(fortigate);
    EXPECT_GE(s.score, 80) << s.reason;
    const ParserRegistry registry = makeDefaultRegistry();
    const Detection d = registry.detect(fortigate);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "fortigate");

    const std::string_view one[] = {fg1, "a", "b", "c"};
    EXPECT_EQ(m_parser->sniff(one).score, 50);

    const std::string_view other[] = {
        "Mar  5 04:22:00 fw01 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=192.0.2.1 PROTO=TCP",
        "FWIN,2004/02/01,20:05:26 -5:00 GMT,198.51.100.1:0,192.0.2.93:0,ICMP (type:8/subtype:0)",
    };
    EXPECT_EQ(m_parser->sniff(other).score, 0);
    EXPECT_EQ(m_parser->sniff({}).score, 0);
    EXPECT_NE(m_parser->description().find("FortiGate"), std::string_view::npos);
}

} // namespace
} // namespace tattle::parsers
