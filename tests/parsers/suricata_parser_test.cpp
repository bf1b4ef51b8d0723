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
using Json = nlohmann::json;

core::ParseContext contextIn(std::string_view zone, int year = 2024)
{
    core::ParseContext ctx;
    auto tz = core::TimeZone::fromName(zone);
    EXPECT_TRUE(tz.has_value()) << zone;
    if (tz) ctx.zone = *tz;
    ctx.year = year;
    return ctx;
}

// An eve alert with some members replaced or removed (null).
std::string eve(const Json& changes = Json::object())
{
    Json j = {{"timestamp", "2024-03-05T12:00:00.000000+0000"}, {"flow_id", 7}, {"in_iface", "eth0"},
        {"event_type", "alert"}, {"src_ip", "203.0.113.1"}, {"src_port", 40000}, {"dest_ip", "192.0.2.1"},
        {"dest_port", 22}, {"proto", "TCP"},
        {"alert",
            {{"action", "allowed"}, {"gid", 1}, {"signature_id", 2001219}, {"rev", 20},
                {"signature", "ET SCAN Potential SSH Scan"}, {"category", "Attempted Information Leak"},
                {"severity", 2}}},
        {"app_proto", "ssh"}};
    for (const auto& [k, v] : changes.items()) {
        if (v.is_null())
            j.erase(k);
        else
            j[k] = v;
    }
    return j.dump();
}

class SuricataTest : public ::testing::Test {
protected:
    ParseStatus parse(std::string_view line, std::string_view zone = "UTC")
    {
        auto lp = m_parser->open(contextIn(zone));
        reason.clear();
        return lp->parse(line, ev, reason);
    }

    std::unique_ptr<core::Parser> m_parser = makeSuricataParser();
    core::Event ev;
    std::string reason;
};

TEST_F(SuricataTest, GoldenRecords)
{
    test::expectGolden(*m_parser, contextIn("Europe/Berlin"), "suricata", "records");
}

TEST_F(SuricataTest, GoldenBrokenLines)
{
    test::expectGolden(*m_parser, contextIn("UTC"), "suricata", "broken");
}

TEST_F(SuricataTest, EventTypes)
{
    struct Case {
        Json changes;
        ParseStatus status;
        Action action;
    };
    const Case cases[] = {
        {Json::object(), ParseStatus::Event, Action::Allow},
        {{{"alert", {{"action", "blocked"}, {"signature_id", 1}}}}, ParseStatus::Event, Action::Block},
        {{{"event_type", "drop"}, {"alert", nullptr}, {"drop", {{"syn", true}, {"reason", "rules"}}}},
            ParseStatus::Event, Action::Block},
        {{{"event_type", "flow"}, {"alert", nullptr}, {"flow", {{"state", "closed"}}}}, ParseStatus::Event,
            Action::Allow},
        {{{"event_type", "flow"}, {"alert", nullptr}, {"flow", {{"action", "drop"}}}}, ParseStatus::Event,
            Action::Block},
        {{{"event_type", "flow"}, {"alert", nullptr}, {"flow", {{"action", "pass"}}}}, ParseStatus::Event,
            Action::Allow},
        {{{"event_type", "stats"}}, ParseStatus::Ignored, Action::Block},
        {{{"event_type", "dns"}}, ParseStatus::Ignored, Action::Block},
        {{{"event_type", "http"}}, ParseStatus::Ignored, Action::Block},
        {{{"event_type", "tls"}}, ParseStatus::Ignored, Action::Block},
        {{{"event_type", "fileinfo"}}, ParseStatus::Ignored, Action::Block},
        {{{"event_type", "anomaly"}}, ParseStatus::Ignored, Action::Block},
        {{{"event_type", "netflow"}}, ParseStatus::Ignored, Action::Block},
        {{{"event_type", nullptr}}, ParseStatus::NotMine, Action::Block},
        {{{"timestamp", nullptr}}, ParseStatus::NotMine, Action::Block},
    };
    for (const auto& c : cases) {
        const std::string line = eve(c.changes);
        EXPECT_EQ(parse(line), c.status) << line << ": " << reason;
        if (c.status == ParseStatus::Event) {
            EXPECT_EQ(ev.action, c.action) << line;
        }
    }
}

TEST_F(SuricataTest, VendorDetails)
{
    ASSERT_EQ(parse(eve({{"alert",
                  {{"action", "allowed"}, {"gid", 1}, {"signature_id", 2001219}, {"rev", 20},
                      {"signature", "Say \"hi\" \u00e9\t"}, {"category", "Attempted Information Leak"},
                      {"severity", 2}}}})),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.rule, "1:2001219:20");
    EXPECT_EQ(ev.iface, "eth0");
    const auto x = Json::parse(ev.extra);
    EXPECT_EQ(x.at("event_type"), "alert");
    EXPECT_EQ(x.at("flow_id"), 7);
    EXPECT_EQ(x.at("app_proto"), "ssh");
    EXPECT_EQ(x.at("action"), "allowed");
    EXPECT_EQ(x.at("sid"), 2001219);
    EXPECT_EQ(x.at("signature"), "Say \"hi\" \u00e9\t");
    EXPECT_EQ(x.at("category"), "Attempted Information Leak");
    EXPECT_EQ(x.at("severity"), 2);
    // Without gid and rev.
    ASSERT_EQ(parse(eve({{"alert", {{"signature_id", 5}}}})), ParseStatus::Event);
    EXPECT_EQ(ev.rule, "1:5");
    // A flow's packet counts.
    ASSERT_EQ(
        parse(eve({{"event_type", "flow"}, {"alert", nullptr},
            {"flow",
                {{"pkts_toserver", 3}, {"pkts_toclient", 0}, {"state", "new"}, {"reason", "timeout"}}}})),
        ParseStatus::Event);
    const auto f = Json::parse(ev.extra);
    EXPECT_EQ(f.at("pkts_toserver"), 3);
    EXPECT_EQ(f.at("state"), "new");
    EXPECT_TRUE(ev.rule.empty());
}

TEST_F(SuricataTest, MembersInAnyOrderAndNested)
{
    // Nested objects named like the sections, deeper down, must not be read as them.
    const std::string line
        = R"({"alert":{"signature_id":9,"metadata":{"alert":{"signature_id":1}},"action":"blocked"},)"
          R"("proto":"UDP","dest_port":53,"x":[{"src_ip":"198.51.100.1"},[[[]]]],)"
          R"("src_ip":"2001:db8::1","dest_ip":"2001:db8::2","src_port":5353,)"
          R"("event_type":"alert","timestamp":"2024-03-05T13:00:00+01:00"})";
    ASSERT_EQ(parse(line), ParseStatus::Event) << reason;
    EXPECT_EQ(ev.rule, "1:9");
    EXPECT_EQ(ev.action, Action::Block);
    EXPECT_EQ(ev.src, *core::IpAddress::parse("2001:db8::1"));
    EXPECT_EQ(ev.srcPort, 5353);
    EXPECT_EQ(ev.dstPort, 53);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2024-03-05T12:00:00Z");
}

TEST_F(SuricataTest, TcpFlags)
{
    ASSERT_EQ(parse(eve({{"event_type", "flow"}, {"alert", nullptr}, {"tcp", {{"tcp_flags", "1b"}}}})),
        ParseStatus::Event);
    EXPECT_TRUE(ev.hasTcpFlags);
    EXPECT_EQ(ev.tcpFlags, 0x1b);
    ASSERT_EQ(parse(eve({{"event_type", "drop"}, {"alert", nullptr},
                  {"drop", {{"syn", true}, {"ack", true}, {"fin", false}, {"rst", false}}}})),
        ParseStatus::Event);
    EXPECT_TRUE(ev.hasTcpFlags);
    EXPECT_EQ(ev.tcpFlags, core::tcpflag::kSyn | core::tcpflag::kAck);
    ASSERT_EQ(parse(eve()), ParseStatus::Event);
    EXPECT_FALSE(ev.hasTcpFlags);
}

TEST_F(SuricataTest, FastLogIcmpTypeAndCode)
{
    // Suricata writes ICMP's type (low byte) and code (high byte) where the source port goes.
    ASSERT_EQ(parse("03/05/2024-13:00:09.000000  [**] [1:2:3] x [**] [Classification: (null)] [Priority: 3] "
                    "{ICMP} 198.51.100.8:771 -> 192.0.2.10:0"),
        ParseStatus::Event);
    EXPECT_EQ(ev.icmpType, 3);
    EXPECT_EQ(ev.icmpCode, 3);
    EXPECT_EQ(ev.srcPort, -1);
    EXPECT_FALSE(Json::parse(ev.extra).contains("classification"));
    ASSERT_EQ(
        parse("03/05/2024-13:00:09.000000  [**] [1:2:3] x [**] [Priority: 3] {IPV6-ICMP} "
              "2001:0db8:0000:0000:0000:0000:0000:0001:128 -> 2001:0db8:0000:0000:0000:0000:0000:0002:0"),
        ParseStatus::Event);
    EXPECT_EQ(ev.icmpType, 128);
    EXPECT_EQ(ev.src, *core::IpAddress::parse("2001:db8::1"));
}

TEST_F(SuricataTest, HostileInput)
{
    EXPECT_EQ(parse(""), ParseStatus::NotMine);
    EXPECT_EQ(parse("{"), ParseStatus::NotMine);
    // Nesting far deeper than any recursion could survive.
    std::string deep = R"({"timestamp":"2024-03-05T12:00:00Z","event_type":"alert","x":)";
    deep += std::string(1000000, '[') + std::string(1000000, ']');
    deep += R"(,"src_ip":"203.0.113.1","dest_ip":"192.0.2.1","proto":"TCP","alert":{"signature_id":1}})";
    EXPECT_EQ(parse(deep), ParseStatus::Event) << reason;
    std::string unclosed
        = R"({"timestamp":"2024-03-05T12:00:00Z","event_type":"alert","x":)" + std::string(100000, '[');
    EXPECT_EQ(parse(unclosed), ParseStatus::Malformed);
    std::string longString = eve({{"payload_printable", std::string(10 * 1024 * 1024, 'A')}});
    EXPECT_EQ(parse(longString), ParseStatus::Event);
    std::string escapes = R"({"timestamp":"2024-03-05T12:00:00Z","event_type":"alert","p":")"
        + std::string(1024 * 1024 + 1, '\\');
    EXPECT_EQ(parse(escapes), ParseStatus::Malformed);
    // Bad UTF-8 and control bytes in the signature and interface come out as valid JSON.
    std::string bad = eve({{"in_iface", "e"}, {"alert", {{"signature_id", 1}, {"signature", "s"}}}});
    bad.replace(bad.find("\"s\""), 3, "\"\\u0001\xff\\ud800x\"");
    bad.replace(bad.find("\"e\""), 3, "\"e\x01\xfe\"");
    ASSERT_EQ(parse(bad), ParseStatus::Event) << bad << ": " << reason;
    EXPECT_TRUE(Json::accept(ev.extra)) << ev.extra;
    EXPECT_EQ(ev.iface.find('\x01'), std::string::npos);
    // Cut anywhere, an eve record is never an event.
    const std::string full = eve();
    for (std::size_t cut = 1; cut < full.size() - 1; ++cut) {
        EXPECT_NE(parse(full.substr(0, cut)), ParseStatus::Event) << full.substr(0, cut);
    }
}

TEST_F(SuricataTest, OtherLinesAreNotMine)
{
    const std::string_view lines[] = {
        "Mar  5 13:00:13 ids sshd[812]: Failed password for root from 203.0.113.5 port 50000 ssh2",
        R"({"level":"info","msg":"not eve"})",
        R"({"timestamp":"2024-03-05T12:00:00Z"})",
        R"(Mar  5 13:00:13 host app: {"timestamp":"2024-03-05T12:00:00Z","event_type":"alert"})",
        "[1, 2, 3]",
    };
    for (std::string_view line : lines) {
        EXPECT_EQ(parse(line), ParseStatus::NotMine) << line;
    }
}

TEST_F(SuricataTest, SniffAndDetection)
{
    const std::string a = eve(), b = eve({{"event_type", "stats"}});
    const std::string_view lines[] = {a, b, a};
    EXPECT_GE(m_parser->sniff(lines).score, 90);
    const ParserRegistry registry = makeDefaultRegistry();
    const Detection d = registry.detect(lines);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "suricata");
    const std::string_view other[] = {"Mar  5 13:00:11 ids sshd[812]: Accepted publickey", R"({"a":1})"};
    EXPECT_EQ(m_parser->sniff(other).score, 0);
}

} // namespace
} // namespace tattle::parsers
