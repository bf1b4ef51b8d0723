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

core::ParseContext contextIn(std::string_view zone, int year = 2024)
{
    core::ParseContext ctx;
    auto tz = core::TimeZone::fromName(zone);
    EXPECT_TRUE(tz.has_value()) << zone;
    if (tz) ctx.zone = *tz;
    ctx.year = year;
    return ctx;
}

// A Log Exporter syslog record with the given fields.
std::string exporter(std::string_view fields)
{
    return "<134>1 2024-03-05T12:00:04Z gw CheckPoint 4242 - [" + std::string(fields) + "]";
}

// A classic FW-1 line with the given action and fields.
std::string classic(std::string_view action, std::string_view fields)
{
    return "Mar  5 13:00:05 fw-gw Checkpoint:  5Mar2024 13:00:01 " + std::string(action) + " 192.0.2.1 >eth1 "
        + std::string(fields);
}

class CheckPointTest : public ::testing::Test {
protected:
    ParseStatus parse(std::string_view line, std::string_view zone = "UTC")
    {
        auto lp = m_parser->open(contextIn(zone));
        reason.clear();
        return lp->parse(line, ev, reason);
    }

    std::unique_ptr<core::Parser> m_parser = makeCheckPointParser();
    core::Event ev;
    std::string reason;
};

TEST_F(CheckPointTest, GoldenRecords)
{
    test::expectGolden(*m_parser, contextIn("Europe/Berlin"), "checkpoint", "records");
}

TEST_F(CheckPointTest, GoldenBrokenLines)
{
    test::expectGolden(*m_parser, contextIn("UTC"), "checkpoint", "broken");
}

struct ActionCase {
    std::string_view action;
    ParseStatus status;
    Action expected;
};

TEST_F(CheckPointTest, ActionWordsInEveryForm)
{
    const ActionCase cases[] = {
        {"Accept", ParseStatus::Event, Action::Allow},
        {"accept", ParseStatus::Event, Action::Allow},
        {"Allow", ParseStatus::Event, Action::Allow},
        {"Encrypt", ParseStatus::Event, Action::Allow},
        {"Decrypt", ParseStatus::Event, Action::Allow},
        {"Drop", ParseStatus::Event, Action::Block},
        {"drop", ParseStatus::Event, Action::Block},
        {"Reject", ParseStatus::Event, Action::Block},
        {"Block", ParseStatus::Event, Action::Block},
        {"Prevent", ParseStatus::Event, Action::Block},
        {"Key Install", ParseStatus::Ignored, Action::Block},
        {"keyinst", ParseStatus::Ignored, Action::Block},
        {"ctl", ParseStatus::Ignored, Action::Block},
        {"Login", ParseStatus::Ignored, Action::Block},
        {"Monitored", ParseStatus::Ignored, Action::Block},
        {"Detect", ParseStatus::Ignored, Action::Block},
        {"Inspect", ParseStatus::Ignored, Action::Block},
        {"Bypass", ParseStatus::Ignored, Action::Block},
        {"Flag", ParseStatus::Ignored, Action::Block},
        {"Authorize", ParseStatus::Ignored, Action::Block},
        {"Quarantine", ParseStatus::Ignored, Action::Block},
        {"", ParseStatus::Ignored, Action::Block},
    };
    for (const auto& c : cases) {
        const std::string le = exporter("action:\"" + std::string(c.action)
            + "\"; ifdir:\"inbound\"; ifname:\"eth1\"; origin:\"192.0.2.1\"; time:\"1709640004\"; "
              "dst:\"192.0.2.10\"; proto:\"6\"; s_port:\"1234\"; service:\"22\"; src:\"203.0.113.5\"; ");
        const std::string lea = "time=1709640004|action=" + std::string(c.action)
            + "|orig=192.0.2.1|i/f_dir=inbound|i/f_name=eth1|src=203.0.113.5|s_port=1234|dst=192.0.2.10|"
              "service=22|proto=tcp";
        for (const std::string& line : {le, lea}) {
            EXPECT_EQ(parse(line), c.status) << line << ": " << reason;
            if (c.status == ParseStatus::Event) {
                EXPECT_EQ(ev.action, c.expected) << line;
                EXPECT_EQ(core::formatRfc3339(ev.time), "2024-03-05T12:00:04Z");
                EXPECT_EQ(ev.direction, Direction::In);
                EXPECT_EQ(ev.srcPort, 1234);
                EXPECT_EQ(ev.dstPort, 22);
            }
        }
        // The classic form has one-word actions.
        if (c.action.find(' ') == std::string_view::npos && !c.action.empty()) {
            const std::string line = classic(
                c.action, "rule: 1; src: 203.0.113.5; dst: 192.0.2.10; proto: tcp; service: 22; s_port: 1;");
            EXPECT_EQ(parse(line), c.status) << line << ": " << reason;
            if (c.status == ParseStatus::Event) {
                EXPECT_EQ(ev.action, c.expected) << line;
            }
        }
    }
}

TEST_F(CheckPointTest, VendorDetails)
{
    ASSERT_EQ(
        parse(exporter("action:\"Drop\"; ifdir:\"outbound\"; ifname:\"eth0\"; origin:\"192.0.2.1\"; "
                       "time:\"1709640004\"; layer_name:\"Network\"; layer_name:\"Application\"; "
                       "match_id:\"7\"; rule_name:\"Cleanup rule\"; rule_uid:\"u-1\"; inzone:\"Internal\"; "
                       "outzone:\"External\"; product:\"VPN-1 & FireWall-1\"; proto:\"6\"; s_port:\"1\"; "
                       "service:\"25\"; service_id:\"smtp\"; src:\"192.0.2.20\"; dst:\"198.51.100.25\"; "
                       "xlatesrc:\"203.0.113.1\"; ")),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.rule, "Cleanup rule");
    EXPECT_EQ(ev.iface, "eth0");
    EXPECT_EQ(ev.direction, Direction::Out);
    const auto x = nlohmann::json::parse(ev.extra);
    EXPECT_EQ(x.at("action"), "Drop");
    EXPECT_EQ(x.at("origin"), "192.0.2.1");
    EXPECT_EQ(x.at("product"), "VPN-1 & FireWall-1");
    EXPECT_EQ(x.at("layer_name"), "Network"); // the first layer
    EXPECT_EQ(x.at("match_id"), "7");
    EXPECT_EQ(x.at("rule_uid"), "u-1");
    EXPECT_EQ(x.at("inzone"), "Internal");
    EXPECT_EQ(x.at("outzone"), "External");
    EXPECT_EQ(x.at("service_id"), "smtp");
    EXPECT_EQ(x.at("xlatesrc"), "203.0.113.1");
    EXPECT_FALSE(x.contains("service")); // a port, already in the event

    // The classic form: rule number when there is no rule name, a named service kept in the details.
    ASSERT_EQ(
        parse(classic("drop", "rule: 134; src: 203.0.113.5; dst: 192.0.2.10; proto: tcp; service: http;")),
        ParseStatus::Event);
    EXPECT_EQ(ev.rule, "134");
    EXPECT_EQ(ev.dstPort, -1);
    EXPECT_EQ(ev.srcPort, -1);
    EXPECT_EQ(nlohmann::json::parse(ev.extra).at("service"), "http");
    // Without rule name or number, Log Exporter's match id.
    ASSERT_EQ(
        parse(exporter("action:\"Drop\"; origin:\"g\"; time:\"1709640004\"; match_id:\"9\"; proto:\"17\"; "
                       "src:\"192.0.2.1\"; dst:\"192.0.2.2\"; ")),
        ParseStatus::Event);
    EXPECT_EQ(ev.rule, "9");
    EXPECT_EQ(ev.direction, Direction::Unknown);
}

TEST_F(CheckPointTest, Times)
{
    struct Case {
        std::string line;
        std::string_view utc;
        bool guessed = false;
    };
    const Case cases[] = {
        {classic("drop", "src: 203.0.113.5; dst: 192.0.2.10; proto: udp;"), "2024-03-05T12:00:01Z"},
        // The day is space-padded or not; the classic date is local time.
        {"x Checkpoint: 21Jul2024 09:00:00 drop 192.0.2.1 >eth1 src: 203.0.113.5; dst: 192.0.2.10; proto: "
         "udp;",
            "2024-07-21T07:00:00Z"},
        {"21Jul2024 09:00:00 drop 192.0.2.1 >eth1 src: 203.0.113.5; dst: 192.0.2.10; proto: udp;",
            "2024-07-21T07:00:00Z"},
        // No date of its own: the syslog header's (the year from the context).
        {"Jul 21 09:00:00 gw Checkpoint: drop 192.0.2.1 >eth1 src: 203.0.113.5; dst: 192.0.2.10; proto: udp;",
            "2024-07-21T07:00:00Z"},
        {exporter("action:\"Drop\"; origin:\"g\"; time:\"1709640000\"; proto:\"17\"; src:\"192.0.2.1\"; "
                  "dst:\"192.0.2.2\"; "),
            "2024-03-05T12:00:00Z"},
        {exporter("action:\"Drop\"; origin:\"g\"; proto:\"17\"; src:\"192.0.2.1\"; dst:\"192.0.2.2\"; "),
            "2024-03-05T12:00:04Z"},
        {"time=21Jul2024 09:00:00|action=drop|orig=g|src=192.0.2.1|dst=192.0.2.2|proto=udp",
            "2024-07-21T07:00:00Z"},
        {"time=1709640000|action=drop|orig=g|src=192.0.2.1|dst=192.0.2.2|proto=udp", "2024-03-05T12:00:00Z"},
        {"time=21Jul2024 09:00:61|action=drop|orig=g|src=192.0.2.1|dst=192.0.2.2|proto=udp", ""},
        {"action=drop|orig=g|src=192.0.2.1|dst=192.0.2.2|proto=udp", ""},
        {"x Checkpoint: 30Feb2024 09:00:00 drop 192.0.2.1 >eth1 src: 203.0.113.5; dst: 192.0.2.10; proto: "
         "udp;",
            ""},
    };
    for (const auto& c : cases) {
        if (c.utc.empty()) {
            EXPECT_EQ(parse(c.line, "Europe/Berlin"), ParseStatus::Malformed) << c.line;
            continue;
        }
        ASSERT_EQ(parse(c.line, "Europe/Berlin"), ParseStatus::Event) << c.line << ": " << reason;
        EXPECT_EQ(core::formatRfc3339(ev.time), c.utc) << c.line;
        EXPECT_EQ(ev.timeGuessed, c.guessed) << c.line;
    }
}

TEST_F(CheckPointTest, YearOfHeaderTimesIsInferred)
{
    core::ParseContext ctx = contextIn("UTC", 0);
    ctx.referenceTime = 1720000000; // 2024-07-03
    auto lp = m_parser->open(ctx);
    ASSERT_EQ(
        lp->parse("Jul  1 09:00:00 gw Checkpoint: drop 192.0.2.1 >eth1 src: 203.0.113.5; dst: 192.0.2.10; "
                  "proto: udp;",
            ev, reason),
        ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2024-07-01T09:00:00Z");
    EXPECT_TRUE(ev.timeGuessed);
}

TEST_F(CheckPointTest, HostileInput)
{
    EXPECT_EQ(parse(""), ParseStatus::NotMine);
    EXPECT_EQ(parse(std::string(10 * 1024 * 1024, '[')), ParseStatus::NotMine);
    EXPECT_EQ(parse(std::string(10 * 1024 * 1024, '>')), ParseStatus::NotMine);
    EXPECT_EQ(parse(std::string(10 * 1024 * 1024, '|') + "action="), ParseStatus::NotMine);
    std::string backslashes
        = exporter("action:\"Drop\"; origin:\"g\"; x:\"") + std::string(1024 * 1024, '\\');
    EXPECT_EQ(parse(backslashes), ParseStatus::Malformed);
    std::string pipes = "time=1709640000|action=drop|orig=g|src=192.0.2.1|dst=192.0.2.2|proto=udp|x=";
    pipes += std::string(1024 * 1024, '\\');
    EXPECT_EQ(parse(pipes), ParseStatus::Event);
    ASSERT_EQ(parse(exporter("action:\"Drop\"; ifname:\"e\x01\xff\"; rule_name:\"r\x02\"; origin:\"g\"; "
                             "time:\"1\"; proto:\"17\"; src:\"192.0.2.1\"; dst:\"192.0.2.2\"; ")),
        ParseStatus::Event);
    EXPECT_EQ(ev.iface.find('\x01'), std::string::npos);
    EXPECT_EQ(ev.rule.find('\x02'), std::string::npos);
    EXPECT_TRUE(nlohmann::json::accept(ev.extra));
    const std::string full = exporter("action:\"Drop\"; origin:\"g\"; time:\"1709640000\"; proto:\"17\"; "
                                      "src:\"192.0.2.1\"; dst:\"192.0.2.2\"; ");
    for (std::size_t cut = 0; cut + 15 < full.size(); ++cut) {
        EXPECT_NE(parse(full.substr(0, cut)), ParseStatus::Event) << full.substr(0, cut);
    }
}

TEST_F(CheckPointTest, OtherProgramsLinesAreNotMine)
{
    const std::string_view lines[] = {
        "Mar  5 13:00:14 fw-gw sshd[812]: Failed password for root from 203.0.113.5 port 50000 ssh2",
        "<13>1 2024-03-05T12:00:15Z host app - - [exampleSDID@32473 iut=\"3\"] src: 203.0.113.5; action: "
        "drop;",
        "<13>1 2024-03-05T12:00:15Z host app - - [meta:\"x\"; src:\"203.0.113.5\"; action:\"Drop\"]",
        "Mar  5 13:00:14 host bash: cat a >b: c; d",
        "a|b|action=drop",
        "date=2024-03-05 time=04:12:01 logid=\"0000000013\" type=\"traffic\" srcip=203.0.113.45 action=deny",
        "Mar  5 13:00:14 host kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=192.0.2.1 PROTO=TCP",
    };
    for (std::string_view line : lines) {
        EXPECT_EQ(parse(line), ParseStatus::NotMine) << line;
    }
}

TEST_F(CheckPointTest, SniffAndDetection)
{
    const std::string a = classic("drop", "rule: 1; src: 203.0.113.5; dst: 192.0.2.10; proto: udp;");
    const std::string b = exporter("action:\"Accept\"; origin:\"g\"; proto:\"17\"; src:\"192.0.2.1\"; "
                                   "dst:\"192.0.2.2\"; ");
    const std::string_view lines[] = {a, b, "Mar  5 13:00:14 fw-gw sshd[812]: Accepted publickey"};
    EXPECT_GE(m_parser->sniff(lines).score, 80);
    const ParserRegistry registry = makeDefaultRegistry();
    const Detection d = registry.detect(lines);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "checkpoint");
    const std::string_view other[] = {"Mar  5 13:00:14 fw-gw sshd[812]: Accepted publickey", "x"};
    EXPECT_EQ(m_parser->sniff(other).score, 0);
}

} // namespace
} // namespace tattle::parsers
