// SPDX-License-Identifier: GPL-3.0-or-later
#include "parser_golden.h"
#include "parsers/builtin_parsers.h"
#include "parsers/parser_registry.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tattle::parsers {
namespace {

using core::Action;
using core::ParseStatus;

core::ParseContext contextIn(std::string_view zone)
{
    core::ParseContext ctx;
    auto tz = core::TimeZone::fromName(zone);
    EXPECT_TRUE(tz.has_value()) << zone;
    if (tz) ctx.zone = *tz;
    return ctx;
}

// A PAN-OS 8.1 TRAFFIC record (66 fields) with some fields replaced: {index, value}.
std::string trafficRecord(std::initializer_list<std::pair<std::size_t, std::string_view>> changes = {})
{
    std::vector<std::string> f = {"1", "2024/03/05 13:00:01", "012801096514", "TRAFFIC", "deny", "2561",
        "2024/03/05 13:00:00", "203.0.113.50", "192.0.2.10", "0.0.0.0", "0.0.0.0", "deny-inbound", "", "",
        "not-applicable", "vsys1", "untrust", "trust", "ethernet1/1", "", "default", "2024/03/05 13:00:01",
        "1001", "1", "51234", "3389", "0", "0", "0x0", "tcp", "deny", "60", "60", "0", "1",
        "2024/03/05 13:00:00", "0", "any", "0", "7000001", "0x0", "Netherlands", "192.0.2.0-192.0.2.255", "0",
        "1", "0", "policy-deny", "0", "0", "0", "0", "", "PA-220", "from-policy", "", "", "0", "", "0", "",
        "N/A", "0", "0", "0", "0"};
    for (const auto& [i, v] : changes)
        f.at(i) = std::string(v);
    std::string s;
    for (const auto& x : f) {
        if (!s.empty()) s += ',';
        s += x;
    }
    return s;
}

class PaloAltoTest : public ::testing::Test {
protected:
    ParseStatus parse(std::string_view line, std::string_view zone = "UTC")
    {
        auto lp = m_parser->open(contextIn(zone));
        reason.clear();
        return lp->parse(line, ev, reason);
    }

    std::unique_ptr<core::Parser> m_parser = makePaloAltoParser();
    core::Event ev;
    std::string reason;
};

TEST_F(PaloAltoTest, GoldenRecords)
{
    test::expectGolden(*m_parser, contextIn("Europe/Berlin"), "paloalto", "records");
}

TEST_F(PaloAltoTest, GoldenBrokenLines)
{
    test::expectGolden(*m_parser, contextIn("UTC"), "paloalto", "broken");
}

struct ActionCase {
    std::string_view subtype, action;
    Action expected;
};

TEST_F(PaloAltoTest, TrafficVerdicts)
{
    const ActionCase cases[] = {
        {"end", "allow", Action::Allow},
        {"start", "allow", Action::Allow},
        {"deny", "deny", Action::Block},
        {"drop", "drop", Action::Block},
        {"drop", "drop-icmp", Action::Block},
        {"end", "reset-both", Action::Block},
        {"end", "reset-client", Action::Block},
        {"end", "reset-server", Action::Block},
        // The subtype says the session was dropped or denied, whatever the action column says.
        {"drop", "allow", Action::Block},
        {"deny", "allow", Action::Block},
        {"", "allow", Action::Allow},
    };
    for (const auto& c : cases) {
        ASSERT_EQ(parse(trafficRecord({{4, c.subtype}, {30, c.action}})), ParseStatus::Event) << reason;
        EXPECT_EQ(ev.action, c.expected) << c.subtype << " " << c.action;
    }
}

TEST_F(PaloAltoTest, ThreatSubtypesAndActions)
{
    struct Case {
        std::string_view subtype, action;
        ParseStatus status;
        Action expected;
    };
    const Case cases[] = {
        {"vulnerability", "reset-both", ParseStatus::Event, Action::Block},
        {"vulnerability", "alert", ParseStatus::Event, Action::Allow},
        {"spyware", "sinkhole", ParseStatus::Event, Action::Block},
        {"spyware", "drop", ParseStatus::Event, Action::Block},
        {"virus", "reset-server", ParseStatus::Event, Action::Block},
        {"scan", "drop", ParseStatus::Event, Action::Block},
        {"scan", "block-ip", ParseStatus::Event, Action::Block},
        {"flood", "random-drop", ParseStatus::Event, Action::Block},
        {"flood", "allow", ParseStatus::Event, Action::Allow},
        {"packet", "drop", ParseStatus::Event, Action::Block},
        {"url", "block-url", ParseStatus::Ignored, Action::Block},
        {"file", "deny", ParseStatus::Ignored, Action::Block},
        {"data", "alert", ParseStatus::Ignored, Action::Block},
        {"wildfire", "allow", ParseStatus::Ignored, Action::Block},
        {"wildfire-virus", "reset-both", ParseStatus::Ignored, Action::Block},
    };
    for (const auto& c : cases) {
        const std::string line
            = trafficRecord({{3, "THREAT"}, {4, c.subtype}, {30, c.action}, {31, "\"x,y\""},
                {32, "Some Threat(12345)"}, {33, "any"}, {34, "high"}, {35, "client-to-server"}});
        ASSERT_EQ(parse(line), c.status) << line << ": " << reason;
        if (c.status != ParseStatus::Event) continue;
        EXPECT_EQ(ev.action, c.expected) << c.subtype << " " << c.action;
        const auto x = nlohmann::json::parse(ev.extra);
        EXPECT_EQ(x.at("threat"), "Some Threat(12345)");
        EXPECT_EQ(x.at("severity"), "high");
        EXPECT_EQ(x.at("direction"), "client-to-server");
        EXPECT_EQ(ev.src, *core::IpAddress::parse("203.0.113.50"));
    }
}

TEST_F(PaloAltoTest, OtherLogTypesAreIgnored)
{
    for (std::string_view type : {"SYSTEM", "CONFIG", "HIP-MATCH", "GLOBALPROTECT", "USERID", "DECRYPTION",
             "CORRELATION", "AUTH", "IPTAG", "TUNNEL", "GTP", "SCTP", "OTHERS"}) {
        EXPECT_EQ(parse(trafficRecord({{3, type}})), ParseStatus::Ignored) << type;
        EXPECT_EQ(parse("Apr 30 06:00:00 fw 1,2020/02/09 00:00:00,00000000," + std::string(type) + ","),
            ParseStatus::Ignored)
            << type;
    }
    // Cut short: a TRAFFIC or THREAT record without its columns is broken, another type is not.
    EXPECT_EQ(parse("Apr 30 06:00:00 fw 1,2020/02/09 00:00:00,00000000,TRAFFIC,"), ParseStatus::Malformed);
    EXPECT_EQ(parse("Apr 30 06:00:00 fw 1,2020/02/09 00:00:00,00000000,THREAT,"), ParseStatus::Malformed);
}

TEST_F(PaloAltoTest, VendorDetails)
{
    ASSERT_EQ(parse(trafficRecord({{4, "end"}, {30, "allow"}, {9, "198.51.100.1"}, {26, "40000"}, {23, "7"},
                  {19, "ethernet1/2"}})),
        ParseStatus::Event);
    EXPECT_EQ(ev.rule, "deny-inbound");
    EXPECT_EQ(ev.iface, "ethernet1/1");
    EXPECT_EQ(ev.count, 7u);
    EXPECT_EQ(ev.direction, core::Direction::Unknown);
    const auto x = nlohmann::json::parse(ev.extra);
    EXPECT_EQ(x.at("type"), "TRAFFIC");
    EXPECT_EQ(x.at("subtype"), "end");
    EXPECT_EQ(x.at("action"), "allow");
    EXPECT_EQ(x.at("serial"), "012801096514");
    EXPECT_EQ(x.at("vsys"), "vsys1");
    EXPECT_EQ(x.at("src_zone"), "untrust");
    EXPECT_EQ(x.at("dst_zone"), "trust");
    EXPECT_EQ(x.at("inbound_if"), "ethernet1/1");
    EXPECT_EQ(x.at("outbound_if"), "ethernet1/2");
    EXPECT_EQ(x.at("app"), "not-applicable");
    EXPECT_EQ(x.at("session_id"), 1001);
    EXPECT_EQ(x.at("nat_src"), "198.51.100.1");
    EXPECT_EQ(x.at("nat_src_port"), 40000);
    EXPECT_FALSE(x.contains("nat_dst"));
    EXPECT_FALSE(x.contains("threat"));
    // A repeat count of 0 still stands for one record.
    ASSERT_EQ(parse(trafficRecord({{23, "0"}})), ParseStatus::Event);
    EXPECT_EQ(ev.count, 1u);
}

TEST_F(PaloAltoTest, Times)
{
    struct Case {
        std::string prefix; // syslog header
        std::string_view generated, received, highRes;
        std::string_view utc; // empty: Malformed
        bool guessed = false;
    };
    const Case cases[] = {
        {"", "2024/03/05 13:00:00", "2024/03/05 13:00:09", "", "2024-03-05T12:00:00Z"},
        {"", "", "2024/03/05 13:00:09", "", "2024-03-05T12:00:09Z"},
        {"", "2024/07/05 13:00:00", "", "", "2024-07-05T11:00:00Z"},
        {"", "2024/10/27 02:30:00", "", "", "2024-10-27T00:30:00Z", true}, // the repeated hour
        {"", "2024/03/05 13:00:00", "", "2024-03-05T13:00:00.123-05:00", "2024-03-05T18:00:00.123Z"},
        {"Mar  5 13:00:00 fw ", "2024/03/05 13:00:00", "", "", "2024-03-05T12:00:00Z"},
        {"2024-03-05T13:01:00-08:00 fw ", "2024/03/05 13:00:00", "", "", "2024-03-05T21:00:00Z"},
        {"<14>1 2024-03-05T13:01:00Z fw - - - - ", "2024/03/05 13:00:00", "", "", "2024-03-05T13:00:00Z"},
        {"2024-03-05T20:01:00-08:00 relay ", "2024/03/05 13:00:00", "", "", "2024-03-05T12:00:00Z"},
        {"", "2024/02/30 13:00:00", "", "", ""},
        {"", "2024/03/05 13:00", "", "", ""},
        {"", "", "", "", ""},
    };
    for (const auto& c : cases) {
        const std::string line = c.prefix
            + trafficRecord({{6, c.generated}, {1, c.received.empty() ? "2024/03/05 13:00:01" : c.received},
                {60, c.highRes}});
        if (c.received.empty() && c.generated.empty()) {
            // With both times gone, findRecord does not see a PAN-OS record at all.
            EXPECT_NE(parse(trafficRecord({{6, ""}, {1, "x"}}), "Europe/Berlin"), ParseStatus::Event);
            continue;
        }
        if (c.utc.empty()) {
            EXPECT_EQ(parse(line, "Europe/Berlin"), ParseStatus::Malformed) << line;
            continue;
        }
        ASSERT_EQ(parse(line, "Europe/Berlin"), ParseStatus::Event) << line << ": " << reason;
        EXPECT_EQ(core::formatRfc3339(ev.time), c.utc) << line;
        EXPECT_EQ(ev.timeGuessed, c.guessed) << line;
    }
}

TEST_F(PaloAltoTest, ServerToClientThreatsComeFromTheServer)
{
    const std::string line
        = trafficRecord({{3, "THREAT"}, {4, "virus"}, {30, "reset-both"}, {31, "eicar.com"},
            {32, "Eicar Test File(100000)"}, {33, "any"}, {34, "medium"}, {35, "server-to-client"}});
    ASSERT_EQ(parse(line), ParseStatus::Event) << reason;
    EXPECT_EQ(ev.src, *core::IpAddress::parse("192.0.2.10"));
    EXPECT_EQ(ev.srcPort, 3389);
    EXPECT_EQ(ev.dst, *core::IpAddress::parse("203.0.113.50"));
    EXPECT_EQ(ev.dstPort, 51234);
}

TEST_F(PaloAltoTest, HostileInput)
{
    EXPECT_EQ(parse(""), ParseStatus::NotMine);
    EXPECT_EQ(parse(std::string(10 * 1024 * 1024, ',')), ParseStatus::NotMine);
    // A record with a huge last field and one with far more fields than any PAN-OS version writes.
    EXPECT_EQ(parse(trafficRecord() + std::string(10 * 1024 * 1024, 'x')), ParseStatus::Event);
    std::string many = trafficRecord();
    for (int i = 0; i < 100000; ++i)
        many += ",x";
    EXPECT_EQ(parse(many), ParseStatus::Event);
    // A header longer than any syslog header: not a PAN-OS line.
    EXPECT_EQ(parse(std::string(600, 'h') + " " + trafficRecord()), ParseStatus::NotMine);
    // Control bytes and invalid UTF-8 in names are repaired.
    ASSERT_EQ(parse(trafficRecord({{11, "rule\x01\xff"}, {18, "eth\x7f"}})), ParseStatus::Event);
    EXPECT_EQ(ev.rule.find('\x01'), std::string::npos);
    EXPECT_EQ(ev.iface.find('\x7f'), std::string::npos);
    EXPECT_TRUE(nlohmann::json::accept(ev.extra));
    // Every cut of a record before its action is never an event (cut inside the type, it is an unknown type).
    const std::string full = trafficRecord();
    std::size_t actionAt = 0;
    for (int i = 0; i < 30; ++i)
        actionAt = full.find(',', actionAt) + 1;
    for (std::size_t cut = 0; cut < actionAt; ++cut) {
        EXPECT_NE(parse(full.substr(0, cut)), ParseStatus::Event) << full.substr(0, cut);
    }
}

TEST_F(PaloAltoTest, OtherProgramsLinesAreNotMine)
{
    const std::string_view lines[] = {
        "Mar  5 13:00:13 PA-220 sshd[812]: Failed password for root from 203.0.113.5 port 50000 ssh2",
        "FWIN,2004/02/01,20:05:26 -5:00 GMT,198.51.100.1:0,192.0.2.93:0,ICMP (type:8/subtype:0)",
        "2024-03-05 13:00:00 ALLOW TCP 192.0.2.1 203.0.113.5 1234 80 0 - 0 0 0 - - - SEND",
        "date=2024-03-05 time=04:12:01 logid=\"0000000013\" type=\"traffic\" srcip=203.0.113.45 action=deny",
        "x1,2024/03/05 13:00:01,012801096514,TRAFFIC,deny",
        "123,2024/03/05 13:00:01,012801096514,TRAFFIC,deny",
    };
    for (std::string_view line : lines) {
        EXPECT_EQ(parse(line), ParseStatus::NotMine) << line;
    }
}

TEST_F(PaloAltoTest, SniffAndDetection)
{
    const std::string a = "Mar  5 13:00:01 PA-220 " + trafficRecord(), b = trafficRecord({{4, "end"}});
    const std::string_view lines[] = {a, b, "Mar  5 13:00:13 PA-220 sshd[812]: Accepted publickey"};
    EXPECT_GE(m_parser->sniff(lines).score, 80);
    const ParserRegistry registry = makeDefaultRegistry();
    const Detection d = registry.detect(lines);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "paloalto");
    const std::string_view other[] = {"Mar  5 13:00:13 PA-220 sshd[812]: Accepted publickey", "hello"};
    EXPECT_EQ(m_parser->sniff(other).score, 0);
    EXPECT_EQ(m_parser->sniff({}).score, 0);
}

} // namespace
} // namespace tattle::parsers
