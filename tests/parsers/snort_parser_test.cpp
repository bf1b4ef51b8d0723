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

class SnortTest : public ::testing::Test {
protected:
    ParseStatus parse(std::string_view line, std::string_view zone = "UTC")
    {
        auto lp = m_parser->open(contextIn(zone));
        reason.clear();
        return lp->parse(line, ev, reason);
    }

    std::unique_ptr<core::Parser> m_parser = makeSnortParser();
    core::Event ev;
    std::string reason;
};

TEST_F(SnortTest, GoldenRecords)
{
    test::expectGolden(*m_parser, contextIn("Europe/Berlin"), "snort", "records");
}

TEST_F(SnortTest, GoldenBrokenLines)
{
    test::expectGolden(*m_parser, contextIn("UTC"), "snort", "broken");
}

TEST_F(SnortTest, Actions)
{
    struct Case {
        std::string_view prefix;
        Action expected;
    };
    const Case cases[] = {
        {"", Action::Allow},
        {"[Drop] ", Action::Block},
        {"[drop] ", Action::Block},
        {"[block] ", Action::Block},
        {"[reset] ", Action::Block},
        {"[sdrop] ", Action::Block},
        {"[WDrop] ", Action::Allow}, // would have dropped: inline test mode let it through
        {"[wDrop] ", Action::Allow},
        {"[allow] ", Action::Allow},
    };
    for (const auto& c : cases) {
        const std::string line = "03/05-13:00:01.000000 " + std::string(c.prefix)
            + "[**] [1:2:3] m [**] {TCP} 203.0.113.1:1 -> 192.0.2.1:2";
        ASSERT_EQ(parse(line), ParseStatus::Event) << line << ": " << reason;
        EXPECT_EQ(ev.action, c.expected) << line;
        const std::string word
            = c.prefix.empty() ? std::string() : std::string(c.prefix.substr(1, c.prefix.size() - 3));
        EXPECT_EQ(nlohmann::json::parse(ev.extra).value("action", ""), word) << line;
    }
}

TEST_F(SnortTest, VendorDetails)
{
    ASSERT_EQ(parse("03/05-13:00:01.000000 [**] [1:2001219:20]  <eth1> \"ET SCAN \\\"quoted\\\" Scan\" [**] "
                    "[Classification: Attempted Information Leak] [Priority: 2] [AppID: ssh] {TCP} "
                    "203.0.113.10:46621 -> 192.0.2.10:22"),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.rule, "1:2001219:20");
    EXPECT_EQ(ev.iface, "eth1");
    EXPECT_EQ(ev.direction, core::Direction::Unknown);
    const auto x = nlohmann::json::parse(ev.extra);
    EXPECT_EQ(x.at("gid"), 1);
    EXPECT_EQ(x.at("sid"), 2001219);
    EXPECT_EQ(x.at("rev"), 20);
    EXPECT_EQ(x.at("msg"), "ET SCAN \\\"quoted\\\" Scan");
    EXPECT_EQ(x.at("classification"), "Attempted Information Leak");
    EXPECT_EQ(x.at("priority"), 2);
}

TEST_F(SnortTest, Endpoints)
{
    struct Case {
        std::string_view proto, endpoints;
        std::string_view src;
        int srcPort;
        std::string_view dst;
        int dstPort;
    };
    const Case cases[] = {
        {"TCP", "203.0.113.1:1 -> 192.0.2.1:2", "203.0.113.1", 1, "192.0.2.1", 2},
        {"UDP", "2001:db8::1:53 -> 2001:db8::2:5353", "2001:db8::1", 53, "2001:db8::2", 5353},
        {"TCP", "2001:db8:0:0:0:0:0:1:80 -> 2001:db8:0:0:0:0:0:2:443", "2001:db8::1", 80, "2001:db8::2", 443},
        {"TCP", "[2001:db8::1]:80 -> [2001:db8::2]:443", "2001:db8::1", 80, "2001:db8::2", 443},
        {"ICMP", "203.0.113.1 -> 192.0.2.1", "203.0.113.1", -1, "192.0.2.1", -1},
        {"IPV6-ICMP", "2001:db8::1:80 -> 2001:db8::2", "2001:db8::1:80", -1, "2001:db8::2", -1},
        {"PROTO:132", "203.0.113.1:1 -> 192.0.2.1:2", "203.0.113.1", 1, "192.0.2.1", 2},
        {"TCP", "203.0.113.1 -> 192.0.2.1", "203.0.113.1", -1, "192.0.2.1", -1}, // ports missing
    };
    for (const auto& c : cases) {
        const std::string line = "03/05-13:00:01.000000 [**] [1:2:3] m [**] {" + std::string(c.proto) + "} "
            + std::string(c.endpoints);
        ASSERT_EQ(parse(line), ParseStatus::Event) << line << ": " << reason;
        EXPECT_EQ(ev.src, *core::IpAddress::parse(c.src)) << line;
        EXPECT_EQ(ev.srcPort, c.srcPort) << line;
        EXPECT_EQ(ev.dst, *core::IpAddress::parse(c.dst)) << line;
        EXPECT_EQ(ev.dstPort, c.dstPort) << line;
    }
}

TEST_F(SnortTest, DateOrders)
{
    // Snort 2 -y writes MM/DD/YY, Snort 3 YY/MM/DD; an unambiguous line settles the order for the file.
    auto lp = m_parser->open(contextIn("UTC"));
    auto at = [&](std::string_view stamp) {
        const std::string line
            = std::string(stamp) + " [**] [1:2:3] m [**] {TCP} 203.0.113.1:1 -> 192.0.2.1:2";
        EXPECT_EQ(lp->parse(line, ev, reason), ParseStatus::Event) << line << ": " << reason;
        return core::formatRfc3339(ev.time) + (ev.timeGuessed ? " guessed" : "");
    };
    EXPECT_EQ(at("10/05/10-01:00:00.000000"), "2010-05-10T01:00:00Z guessed"); // Snort 3's order assumed
    EXPECT_EQ(at("12/28/21-01:00:00.000000"), "2021-12-28T01:00:00Z"); // 28 cannot be a month: Snort 2
    EXPECT_EQ(at("10/05/10-01:00:00.000000"), "2010-10-05T01:00:00Z"); // now read as MM/DD/YY
    EXPECT_EQ(at("21/12/28-01:00:00.000000"), "2021-12-28T01:00:00Z"); // 21 cannot be a month: Snort 3
    EXPECT_EQ(at("10/05/10-01:00:00.000000"), "2010-05-10T01:00:00Z");
    EXPECT_EQ(at("07/11/2022-10:29:01.860293"), "2022-07-11T10:29:01.860293Z"); // Suricata
}

TEST_F(SnortTest, YearsWithoutAYearAreInferred)
{
    core::ParseContext ctx = contextIn("UTC", 0);
    ctx.referenceTime = 1709640000; // 2024-03-05
    auto lp = m_parser->open(ctx);
    const std::string line = "12/28-12:55:38.765402 [**] [1:2:3] m [**] {TCP} 203.0.113.1:1 -> 192.0.2.1:2";
    ASSERT_EQ(lp->parse(line, ev, reason), ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2023-12-28T12:55:38.765402Z");
    EXPECT_TRUE(ev.timeGuessed);
}

TEST_F(SnortTest, HostileInput)
{
    EXPECT_EQ(parse(""), ParseStatus::NotMine);
    EXPECT_EQ(parse("03/05-13:00:01.000000 [**] [1:2:3] " + std::string(10 * 1024 * 1024, 'A')),
        ParseStatus::Malformed);
    std::string brackets = "03/05-13:00:01.000000 [**] [1:2:3] m [**] ";
    for (int i = 0; i < 100000; ++i)
        brackets += "[x] ";
    EXPECT_EQ(parse(brackets), ParseStatus::Ignored);
    EXPECT_EQ(parse(brackets + "{TCP} 203.0.113.1:1 -> 192.0.2.1:2"), ParseStatus::Event);
    ASSERT_EQ(parse("03/05-13:00:01.000000 [**] [1:2:3]  <e\x01\xff> m\x02\xfe [**] {TCP} 203.0.113.1:1 -> "
                    "192.0.2.1:2"),
        ParseStatus::Event);
    EXPECT_EQ(ev.iface.find('\x01'), std::string::npos);
    EXPECT_TRUE(nlohmann::json::accept(ev.extra));
    const std::string full = "03/05-13:00:01.000000 [**] [1:2:3] m [**] {TCP} 203.0.113.1:1 -> 192.0.2.1:2";
    for (std::size_t cut = 0; cut < full.find(" -> "); ++cut) {
        EXPECT_NE(parse(full.substr(0, cut)), ParseStatus::Event) << full.substr(0, cut);
    }
}

TEST_F(SnortTest, OtherLinesAreNotMine)
{
    const std::string_view lines[] = {
        "Mar  5 13:00:11 ids sshd[812]: Failed password for root from 203.0.113.5 port 50000 ssh2",
        "03/05/2024 some date",
        "03/05-13:00:01 no fraction and no marker",
        "03/05-13:00:01.000000 [**without space",
        "2024-03-05 13:00:00 ALLOW TCP 192.0.2.1 203.0.113.5 1234 80 0 - 0 0 0 - - - SEND",
        "{\"timestamp\":\"2024-03-05T12:00:00Z\",\"event_type\":\"alert\"}",
    };
    for (std::string_view line : lines) {
        EXPECT_EQ(parse(line), ParseStatus::NotMine) << line;
    }
}

TEST_F(SnortTest, SniffAndDetection)
{
    const std::string_view snort[] = {
        "03/05-13:00:01.000000 [**] [1:2:3] m [**] {TCP} 203.0.113.1:1 -> 192.0.2.1:2",
        "03/05-13:00:02.000000 [**] [1:2:3] m [**] {TCP} 203.0.113.1:1 -> 192.0.2.1:2",
    };
    EXPECT_GE(m_parser->sniff(snort).score, 90);
    const ParserRegistry registry = makeDefaultRegistry();
    Detection d = registry.detect(snort);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "snort");
    // Suricata's fast.log (four-digit years) goes to the suricata parser.
    const std::string_view suricata[] = {
        "07/11/2022-10:29:01.860293  [**] [1:2:3] m [**] [Classification: x] [Priority: 3] {TCP} "
        "203.0.113.1:1 "
        "-> 192.0.2.1:2",
    };
    EXPECT_LT(m_parser->sniff(suricata).score, 95);
    d = registry.detect(suricata);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "suricata");
    const std::string_view other[] = {"Mar  5 13:00:11 ids sshd[812]: Accepted publickey"};
    EXPECT_EQ(m_parser->sniff(other).score, 0);
}

} // namespace
} // namespace tattle::parsers
