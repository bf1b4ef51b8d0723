// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "parser_golden.h"
#include "parsers/builtin_parsers.h"
#include "parsers/parser_registry.h"
#include "test_support.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tattle::parsers {
namespace {

using core::ParseStatus;

constexpr std::string_view kFields
    = "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin "
      "icmptype icmpcode info path";
constexpr std::string_view kFieldsPid
    = "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin "
      "icmptype icmpcode info path pid";

core::ParseContext contextIn(std::string_view zone)
{
    core::ParseContext ctx;
    auto tz = core::TimeZone::fromName(zone);
    EXPECT_TRUE(tz.has_value()) << zone;
    if (tz) ctx.zone = *tz;
    return ctx;
}

class WindowsFirewallTest : public ::testing::Test {
protected:
    /// Parses the lines in order with one reader; returns the status of the last.
    ParseStatus parseAll(std::initializer_list<std::string_view> lines, std::string_view zone = "UTC")
    {
        auto lp = m_parser->open(contextIn(zone));
        ParseStatus st = ParseStatus::NotMine;
        for (std::string_view l : lines) {
            reason.clear();
            st = lp->parse(l, ev, reason);
        }
        return st;
    }

    std::unique_ptr<core::Parser> m_parser = makeWindowsFirewallParser();
    core::Event ev;
    std::string reason;
};

// --- golden files -------------------------------------------------------------------------------

TEST_F(WindowsFirewallTest, GoldenLocalTimeAcrossStockholmDstChanges)
{
    test::expectGolden(*m_parser, contextIn("Europe/Stockholm"), "windows-firewall", "stockholm-dst");
}

TEST_F(WindowsFirewallTest, GoldenShuffledAndShortFieldListsWithUtcTimes)
{
    // "#Time Format: UTC": the user's zone must not be applied.
    test::expectGolden(*m_parser, contextIn("Europe/Stockholm"), "windows-firewall", "fields-shuffled-utc");
}

TEST_F(WindowsFirewallTest, GoldenDataBeforeAnyFieldsHeader)
{
    test::expectGolden(*m_parser, contextIn("Europe/Stockholm"), "windows-firewall", "no-fields-header");
}

TEST_F(WindowsFirewallTest, GoldenBrokenLines)
{
    test::expectGolden(*m_parser, contextIn("UTC"), "windows-firewall", "broken");
}

// --- actions, paths, fields ---------------------------------------------------------------------

struct ActionCase {
    std::string_view action, path;
    ParseStatus status;
    core::Action result;
    core::Direction direction;
};

TEST_F(WindowsFirewallTest, EveryActionAndPath)
{
    using A = core::Action;
    using D = core::Direction;
    const ActionCase cases[] = {
        {"DROP", "RECEIVE", ParseStatus::Event, A::Block, D::In},
        {"DROP", "SEND", ParseStatus::Event, A::Block, D::Out},
        {"DROP", "FORWARD", ParseStatus::Event, A::Block, D::Unknown},
        {"DROP", "UNKNOWN", ParseStatus::Event, A::Block, D::Unknown},
        {"DROP", "-", ParseStatus::Event, A::Block, D::Unknown},
        {"ALLOW", "RECEIVE", ParseStatus::Event, A::Allow, D::In},
        {"ALLOW", "SEND", ParseStatus::Event, A::Allow, D::Out},
        {"OPEN", "-", ParseStatus::Event, A::Allow, D::Out},
        {"OPEN", "RECEIVE", ParseStatus::Event, A::Allow, D::In},
        {"OPEN-INBOUND", "-", ParseStatus::Event, A::Allow, D::In},
        {"CLOSE", "-", ParseStatus::Event, A::Allow, D::Unknown},
        {"CLOSE", "SEND", ParseStatus::Event, A::Allow, D::Out},
        {"INFO-EVENTS-LOST", "-", ParseStatus::Ignored, A::Block, D::Unknown},
        {"INFO-SOMETHING-ELSE", "-", ParseStatus::Ignored, A::Block, D::Unknown},
        {"REJECT", "RECEIVE", ParseStatus::Malformed, A::Block, D::Unknown},
        {"drop", "RECEIVE", ParseStatus::Malformed, A::Block, D::Unknown},
        {"-", "RECEIVE", ParseStatus::Malformed, A::Block, D::Unknown},
    };
    for (const auto& c : cases) {
        const std::string line = "2024-05-01 10:00:00 " + std::string(c.action)
            + " TCP 203.0.113.5 192.0.2.20 40000 443 60 S 1 0 64240 - - - " + std::string(c.path);
        EXPECT_EQ(parseAll({kFields, line}), c.status) << line << ": " << reason;
        if (c.status != ParseStatus::Event) continue;
        EXPECT_EQ(ev.action, c.result) << line;
        EXPECT_EQ(ev.direction, c.direction) << line;
        EXPECT_EQ(core::formatRfc3339(ev.time), "2024-05-01T10:00:00Z");
        EXPECT_EQ(ev.src.toString(), "203.0.113.5");
        EXPECT_EQ(ev.dst.toString(), "192.0.2.20");
        EXPECT_EQ(ev.srcPort, 40000);
        EXPECT_EQ(ev.dstPort, 443);
        EXPECT_EQ(ev.proto, core::proto::kTcp);
        EXPECT_TRUE(ev.hasTcpFlags);
        EXPECT_EQ(ev.tcpFlags, core::tcpflag::kSyn);
        EXPECT_TRUE(ev.iface.empty());
        EXPECT_EQ(ev.extra, "{\"action\":\"" + std::string(c.action) + "\",\"size\":60}");
    }
}

TEST_F(WindowsFirewallTest, InfoEventsLostIsIgnoredWhateverItsFields)
{
    EXPECT_EQ(parseAll({kFields, "2005-04-11 08:52:26 INFO-EVENTS-LOST - - - - - - - - - - - - 59 -"}),
        ParseStatus::Ignored);
    EXPECT_EQ(parseAll({kFieldsPid, "2022-01-31 12:24:51 INFO-EVENTS-LOST - - - - - - - - - - - - 3 - -"}),
        ParseStatus::Ignored);
}

struct FlagCase {
    std::string_view letters;
    std::uint8_t bits;
};

TEST_F(WindowsFirewallTest, TcpFlagLetters)
{
    namespace f = core::tcpflag;
    const FlagCase cases[] = {
        {"S", f::kSyn},
        {"A", f::kAck},
        {"F", f::kFin},
        {"R", f::kRst},
        {"P", f::kPsh},
        {"U", f::kUrg},
        {"SA", f::kSyn | f::kAck},
        {"FA", f::kFin | f::kAck},
        {"AP", f::kAck | f::kPsh},
        {"RA", f::kRst | f::kAck},
        {"FSRPAU", f::kFin | f::kSyn | f::kRst | f::kPsh | f::kAck | f::kUrg},
        {"SEC", f::kSyn | f::kEce | f::kCwr},
    };
    for (const auto& c : cases) {
        const std::string line = "2024-05-01 10:00:00 DROP TCP 203.0.113.5 192.0.2.20 40000 443 60 "
            + std::string(c.letters) + " 1 0 64240 - - - RECEIVE";
        ASSERT_EQ(parseAll({kFields, line}), ParseStatus::Event) << line << ": " << reason;
        EXPECT_TRUE(ev.hasTcpFlags);
        EXPECT_EQ(ev.tcpFlags, c.bits) << line;
    }
    for (std::string_view bad : {"s", "X", "SYN", "1", "S-"}) {
        const std::string line = "2024-05-01 10:00:00 DROP TCP 203.0.113.5 192.0.2.20 40000 443 60 "
            + std::string(bad) + " 1 0 64240 - - - RECEIVE";
        EXPECT_EQ(parseAll({kFields, line}), ParseStatus::Malformed) << line;
        EXPECT_EQ(reason, "bad tcpflags");
    }
    ASSERT_EQ(parseAll({kFields,
                  "2024-05-01 10:00:00 DROP UDP 203.0.113.5 192.0.2.20 1 2 60 - - - - - - - RECEIVE"}),
        ParseStatus::Event);
    EXPECT_FALSE(ev.hasTcpFlags);
}

struct ProtoCase {
    std::string_view text;
    int proto;
};

TEST_F(WindowsFirewallTest, ProtocolNamesAndNumbers)
{
    using namespace core::proto;
    const ProtoCase cases[] = {
        {"TCP", kTcp},
        {"UDP", kUdp},
        {"ICMP", kIcmp},
        {"ICMPv6", kIcmpV6},
        {"IPv6-ICMP", kIcmpV6},
        {"6", kTcp},
        {"17", kUdp},
        {"2", kIgmp},
        {"47", kGre},
        {"50", kEsp},
        {"41", 41},
        {"-", kUnknown},
        {"FOO", kUnknown},
        {"256", kUnknown},
    };
    for (const auto& c : cases) {
        const std::string line = "2024-05-01 10:00:00 DROP " + std::string(c.text)
            + " 203.0.113.5 192.0.2.20 - - 60 - - - - - - - RECEIVE";
        ASSERT_EQ(parseAll({kFields, line}), ParseStatus::Event) << line << ": " << reason;
        EXPECT_EQ(ev.proto, c.proto) << line;
    }
}

TEST_F(WindowsFirewallTest, IcmpTypeAndCode)
{
    ASSERT_EQ(parseAll({kFields,
                  "2005-04-11 08:08:58 DROP ICMP 203.0.113.90 192.0.2.90 - - 78 - - - - 8 0 - RECEIVE"}),
        ParseStatus::Event);
    EXPECT_EQ(ev.proto, core::proto::kIcmp);
    EXPECT_EQ(ev.icmpType, 8);
    EXPECT_EQ(ev.icmpCode, 0);
    EXPECT_EQ(ev.srcPort, -1);
    EXPECT_EQ(ev.dstPort, -1);
    ASSERT_EQ(parseAll({kFields,
                  "2005-04-11 08:08:58 DROP ICMP 203.0.113.90 192.0.2.90 - - 78 - - - - 3 13 - RECEIVE"}),
        ParseStatus::Event);
    EXPECT_EQ(ev.icmpType, 3);
    EXPECT_EQ(ev.icmpCode, 13);
    ASSERT_EQ(parseAll({kFields,
                  "2005-04-11 08:08:58 DROP ICMP 203.0.113.90 192.0.2.90 - - 78 - - - - 11 - - RECEIVE"}),
        ParseStatus::Event);
    EXPECT_EQ(ev.icmpType, 11);
    EXPECT_EQ(ev.icmpCode, -1);
    EXPECT_EQ(parseAll({kFields,
                  "2005-04-11 08:08:58 DROP ICMP 203.0.113.90 192.0.2.90 - - 78 - - - - 256 0 - RECEIVE"}),
        ParseStatus::Malformed);
}

TEST_F(WindowsFirewallTest, Ipv6AndZoneIndex)
{
    ASSERT_EQ(parseAll({kFieldsPid,
                  "2024-05-01 10:00:00 DROP TCP 2001:db8::5 2001:db8:0:0::20 40000 22 60 S 1 0 64240 - - - "
                  "RECEIVE 4"}),
        ParseStatus::Event);
    EXPECT_EQ(ev.src.toString(), "2001:db8::5");
    EXPECT_EQ(ev.dst.toString(), "2001:db8::20");
    EXPECT_EQ(ev.extra, "{\"action\":\"DROP\",\"size\":60,\"pid\":4}");
    ASSERT_EQ(parseAll({kFields,
                  "2024-05-01 10:00:00 DROP UDP fe80::1%12 ff02::fb 5353 5353 60 - - - - - - - RECEIVE"}),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.src.toString(), "fe80::1");
    EXPECT_EQ(ev.dst.toString(), "ff02::fb");
    EXPECT_EQ(parseAll({kFields,
                  "2024-05-01 10:00:00 DROP UDP 192.0.2.1%12 ff02::fb 5353 5353 60 - - - - - - - RECEIVE"}),
        ParseStatus::Malformed);
    EXPECT_EQ(parseAll({kFields,
                  "2024-05-01 10:00:00 DROP UDP [2001:db8::5] ff02::fb 5353 5353 60 - - - - - - - RECEIVE"}),
        ParseStatus::Malformed);
}

TEST_F(WindowsFirewallTest, ExtraCarriesSizePidAndInfo)
{
    ASSERT_EQ(parseAll({"#Fields: date time action src-ip dst-ip size pid info",
                  "2024-05-01 10:00:00 DROP 203.0.113.5 192.0.2.20 0 007 \"odd\\\xff"}),
        ParseStatus::Event)
        << reason;
    EXPECT_TRUE(core::isValidUtf8(ev.extra)) << ev.extra;
    const auto j = nlohmann::json::parse(ev.extra);
    EXPECT_EQ(j["action"], "DROP");
    EXPECT_EQ(j["size"], 0);
    EXPECT_EQ(j["pid"], "007"); // not a plain decimal number: kept as text
    EXPECT_EQ(j["info"], "\"odd\\\xEF\xBF\xBD");
}

// --- headers and field lists ---------------------------------------------------------------------

TEST_F(WindowsFirewallTest, HeaderLinesAreIgnored)
{
    const std::string_view lines[]
        = {"#Version: 1.5", "#Software: Microsoft Windows Firewall", "#Time Format: Local",
            "#Time Format: UTC", kFields, kFieldsPid, "#Remark: anything", "#", "", "  \r"};
    for (std::string_view line : lines) {
        EXPECT_EQ(parseAll({line}), ParseStatus::Ignored) << line;
    }
}

TEST_F(WindowsFirewallTest, FieldsInAnyOrderAndCase)
{
    ASSERT_EQ(parseAll({"#FIELDS: PID PATH Src-Port DST-PORT src-ip dst-ip PROTOCOL ACTION TIME DATE",
                  "4 SEND 40000 53 192.0.2.20 198.51.100.53 UDP ALLOW 23:59:59 2024-12-31"}),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(core::formatRfc3339(ev.time), "2024-12-31T23:59:59Z");
    EXPECT_EQ(ev.action, core::Action::Allow);
    EXPECT_EQ(ev.direction, core::Direction::Out);
    EXPECT_EQ(ev.srcPort, 40000);
    EXPECT_EQ(ev.dstPort, 53);
    EXPECT_EQ(ev.proto, core::proto::kUdp);
}

TEST_F(WindowsFirewallTest, UnknownFieldsAreSkipped)
{
    ASSERT_EQ(parseAll({"#Fields: date time action protocol src-ip dst-ip src-port dst-port x-future path",
                  "2024-05-01 10:00:00 DROP TCP 203.0.113.5 192.0.2.20 1 2 whatever RECEIVE"}),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.direction, core::Direction::In);
}

TEST_F(WindowsFirewallTest, ANewFieldsHeaderReplacesTheOldOne)
{
    auto lp = m_parser->open(contextIn("UTC"));
    EXPECT_EQ(lp->parse(kFieldsPid, ev, reason), ParseStatus::Ignored);
    EXPECT_EQ(
        lp->parse("2022-01-31 12:24:51 DROP TCP 198.51.100.163 192.0.2.212 63619 445 64 S 1 0 65535 - - - "
                  "RECEIVE 4",
            ev, reason),
        ParseStatus::Event);
    EXPECT_EQ(
        lp->parse("2022-01-31 12:24:51 DROP TCP 198.51.100.163 192.0.2.212 63619 445 64 S 1 0 65535 - - - "
                  "RECEIVE",
            ev, reason),
        ParseStatus::Malformed);
    EXPECT_EQ(lp->parse(kFields, ev, reason), ParseStatus::Ignored);
    EXPECT_EQ(
        lp->parse("2022-01-31 12:24:51 DROP TCP 198.51.100.163 192.0.2.212 63619 445 64 S 1 0 65535 - - - "
                  "RECEIVE",
            ev, reason),
        ParseStatus::Event);
    // A header that cannot be used makes the following records malformed until a good one comes.
    EXPECT_EQ(lp->parse("#Fields: date time s-ip cs-method cs-uri-stem", ev, reason), ParseStatus::Ignored);
    EXPECT_EQ(lp->parse("2022-01-31 12:24:51 192.0.2.1 GET /", ev, reason), ParseStatus::Malformed);
    EXPECT_NE(reason.find("#Fields"), std::string::npos) << reason;
    std::string many = "#Fields:";
    for (int i = 0; i < 100; ++i)
        many += " f" + std::to_string(i);
    EXPECT_EQ(lp->parse(many, ev, reason), ParseStatus::Ignored);
    EXPECT_EQ(lp->parse("2022-01-31 12:24:51 DROP TCP 198.51.100.163 192.0.2.212", ev, reason),
        ParseStatus::Malformed);
    EXPECT_EQ(reason, "the #Fields: header declares too many fields");
    EXPECT_EQ(lp->parse(kFields, ev, reason), ParseStatus::Ignored);
    EXPECT_EQ(
        lp->parse("2022-01-31 12:24:51 DROP TCP 198.51.100.163 192.0.2.212 63619 445 64 S 1 0 65535 - - - "
                  "RECEIVE",
            ev, reason),
        ParseStatus::Event);
}

// --- time ----------------------------------------------------------------------------------------

struct ZoneCase {
    std::string_view zone, local, utc;
    bool guessed;
};

TEST_F(WindowsFirewallTest, LocalTimesUseTheUserZone)
{
    const ZoneCase cases[] = {
        {"UTC", "2024-07-01 12:00:00", "2024-07-01T12:00:00Z", false},
        {"Europe/Stockholm", "2024-07-01 12:00:00", "2024-07-01T10:00:00Z", false},
        {"Europe/Stockholm", "2024-01-15 12:00:00", "2024-01-15T11:00:00Z", false},
        {"Europe/Stockholm", "2024-03-31 01:59:59", "2024-03-31T00:59:59Z", false},
        {"Europe/Stockholm", "2024-03-31 02:00:00", "2024-03-31T01:00:00Z", true},
        {"Europe/Stockholm", "2024-03-31 03:00:00", "2024-03-31T01:00:00Z", false},
        {"Europe/Stockholm", "2024-10-27 02:00:00", "2024-10-27T00:00:00Z", true},
        {"Europe/Stockholm", "2024-10-27 02:59:59", "2024-10-27T00:59:59Z", true},
        {"Europe/Stockholm", "2024-10-27 03:00:00", "2024-10-27T02:00:00Z", false},
        {"America/New_York", "2024-11-03 01:30:00", "2024-11-03T05:30:00Z", true},
        {"+05:30", "2024-07-01 12:00:00", "2024-07-01T06:30:00Z", false},
        {"-03:00", "2024-12-31 23:00:00", "2025-01-01T02:00:00Z", false},
        {"UTC", "2024-2-9 7:05:09", "2024-02-09T07:05:09Z", false},
    };
    for (const auto& c : cases) {
        const std::string line
            = std::string(c.local) + " DROP UDP 203.0.113.5 192.0.2.20 1 2 60 - - - - - - - RECEIVE";
        ASSERT_EQ(parseAll({"#Time Format: Local", kFields, line}, c.zone), ParseStatus::Event)
            << c.zone << " " << line << ": " << reason;
        EXPECT_EQ(core::formatRfc3339(ev.time), c.utc) << c.zone << " " << c.local;
        EXPECT_EQ(ev.timeGuessed, c.guessed) << c.zone << " " << c.local;
    }
}

TEST_F(WindowsFirewallTest, UtcTimeFormatIsNotConverted)
{
    const std::string_view line
        = "2024-10-27 02:30:00 DROP UDP 203.0.113.5 192.0.2.20 1 2 60 - - - - - - - RECEIVE";
    ASSERT_EQ(parseAll({"#Time Format: UTC", kFields, line}, "Europe/Stockholm"), ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2024-10-27T02:30:00Z");
    EXPECT_FALSE(ev.timeGuessed);
    // A later header may switch back.
    ASSERT_EQ(parseAll({"#Time Format: UTC", "#Time Format: Local", kFields, line}, "Europe/Stockholm"),
        ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2024-10-27T00:30:00Z");
    EXPECT_TRUE(ev.timeGuessed);
}

// --- line ends, encodings, hostile input --------------------------------------------------------

TEST_F(WindowsFirewallTest, CrLfBomTabsAndRunsOfBlanks)
{
    auto lp = m_parser->open(contextIn("UTC"));
    EXPECT_EQ(lp->parse("\xEF\xBB\xBF#Version: 1.5\r", ev, reason), ParseStatus::Ignored);
    EXPECT_EQ(lp->parse(std::string(kFields) + "\r", ev, reason), ParseStatus::Ignored);
    ASSERT_EQ(
        lp->parse("2005-04-11 08:06:27 DROP TCP 203.0.113.90 192.0.2.90 80 1774 576 AP 1 2 3 - - - RECEIVE\r",
            ev, reason),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.direction, core::Direction::In);
    EXPECT_EQ(ev.tcpFlags, core::tcpflag::kAck | core::tcpflag::kPsh);
    ASSERT_EQ(lp->parse("\xEF\xBB\xBF"
                        "2005-04-11 08:06:27\tDROP  TCP 203.0.113.90 192.0.2.90 80 1774 576 AP 1 2 3 - - - "
                        "RECEIVE  ",
                  ev, reason),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.dstPort, 1774);
    // A BOM in front of the #Fields: line of a file that has no other header.
    auto lp2 = m_parser->open(contextIn("UTC"));
    EXPECT_EQ(
        lp2->parse("\xEF\xBB\xBF#Fields: action src-ip dst-ip date time", ev, reason), ParseStatus::Ignored);
    EXPECT_EQ(lp2->parse("DROP 203.0.113.90 192.0.2.90 2005-04-11 08:06:27", ev, reason), ParseStatus::Event)
        << reason;
}

TEST_F(WindowsFirewallTest, HostileInputNeverCrashes)
{
    std::vector<std::string> inputs = {
        std::string(4096, '\0'),
        std::string("2005-04-11 08:06:27 DROP TCP 203.0.113.90") + '\0'
            + " 192.0.2.90 80 1774 576 AP 1 2 3 - - - RECEIVE",
        "2005-04-11 08:06:27 DROP \xff\xfe 203.0.113.90 192.0.2.90 80 1774 576 AP 1 2 3 - - - RECEIVE",
        "2005-04-11 08:06:27 DROP TCP \xc3\x28 192.0.2.90 80 1774 576 AP 1 2 3 - - - RECEIVE",
        std::string(10 * 1024 * 1024, 'A'),
        std::string(10 * 1024 * 1024, ' '),
        [] {
            std::string s;
            for (int i = 0; i < 1024 * 1024; ++i)
                s += "a ";
            return s;
        }(),
        "#Fields: " + std::string(10 * 1024 * 1024, 'x'),
        "#" + std::string(10 * 1024 * 1024, '#'),
        "- - - - - - - - - - - - - - - - -",
    };
    std::string binary;
    for (int i = 0; i < 4096; ++i)
        binary.push_back(char((i * 131 + 7) & 0xFF));
    inputs.push_back(binary);
    for (const auto& in : inputs) {
        const ParseStatus st = parseAll({kFields, in});
        EXPECT_TRUE(st == ParseStatus::Malformed || st == ParseStatus::Ignored) << in.substr(0, 60);
        if (st == ParseStatus::Malformed) {
            EXPECT_FALSE(reason.empty());
            EXPECT_TRUE(core::isValidUtf8(reason));
        }
    }
    EXPECT_EQ(parseAll({kFields, inputs[0]}), ParseStatus::Malformed);
    EXPECT_EQ(reason, "not a pfirewall.log record");
    EXPECT_EQ(parseAll({kFields, inputs[4]}), ParseStatus::Malformed);
    EXPECT_EQ(parseAll({kFields, inputs[5]}), ParseStatus::Ignored); // blank
    EXPECT_EQ(parseAll({kFields, inputs[6]}), ParseStatus::Malformed);
    EXPECT_EQ(parseAll({kFields, inputs[9]}), ParseStatus::Malformed);
    EXPECT_EQ(reason, "unknown action");
    // A 10 MB #Fields: line leaves a header that cannot be used.
    EXPECT_EQ(parseAll({inputs[7], "2005-04-11 08:06:27 DROP TCP 203.0.113.90 192.0.2.90"}),
        ParseStatus::Malformed);
}

TEST_F(WindowsFirewallTest, EveryTruncationOfARecordIsMalformed)
{
    const std::string line
        = "2005-04-11 08:06:26 DROP TCP 203.0.113.90 192.0.2.90 80 1774 576 A 1 2 3 - - - RECEIVE";
    auto lp = m_parser->open(contextIn("UTC"));
    for (std::size_t len = 1; len < line.size(); ++len) {
        const std::string prefix = line.substr(0, len);
        if (prefix.back() == ' ') continue; // same fields as the prefix one shorter
        EXPECT_EQ(lp->parse(prefix, ev, reason), ParseStatus::Malformed) << prefix;
    }
    EXPECT_EQ(lp->parse(line, ev, reason), ParseStatus::Event);
}

// --- detection ----------------------------------------------------------------------------------

struct SniffCase {
    std::vector<std::string_view> head;
    int minScore, maxScore;
};

TEST_F(WindowsFirewallTest, Sniff)
{
    const SniffCase cases[] = {
        {{"#Version: 1.5", "#Software: Microsoft Windows Firewall"}, 100, 100},
        {{"\xEF\xBB\xBF#Version: 1.5", "#Software: Microsoft Windows Firewall", "#Time Format: Local"}, 100,
            100},
        {{kFieldsPid}, 100, 100},
        {{"2005-04-11 08:05:57 DROP UDP 192.0.2.90 198.51.100.255 137 137 78 - - - - - - - RECEIVE",
             "2005-04-11 08:05:58 OPEN UDP 192.0.2.90 198.51.100.90 500 500 - - - - - - - - -"},
            95, 95},
        {{"2005-04-11 08:05:57 DROP UDP 192.0.2.90 198.51.100.255 137 137 78 - - - - - - - RECEIVE", "junk",
             "more junk", "even more"},
            23, 23},
        // IIS writes the same W3C format with other fields.
        {{"#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
             "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip",
             "2024-01-01 00:00:00 192.0.2.1 GET / - 80 - 198.51.100.1"},
            0, 0},
        {{"FWIN,2004/02/01,20:05:26 -5:00 GMT,198.51.100.1:0,192.0.2.93:0,ICMP (type:8/subtype:0)"}, 0, 0},
        {{"Mar  3 10:00:01 gw kernel: DROP IN=eth0 OUT= SRC=203.0.113.9 DST=198.51.100.2 PROTO=TCP"}, 0, 0},
        {{}, 0, 0},
        {{std::string_view("\0\0\0", 3), "\xff\xfe"}, 0, 0},
    };
    for (const auto& c : cases) {
        const core::Sniff s = m_parser->sniff(c.head);
        EXPECT_GE(s.score, c.minScore) << (c.head.empty() ? "" : c.head[0]) << ": " << s.reason;
        EXPECT_LE(s.score, c.maxScore) << (c.head.empty() ? "" : c.head[0]) << ": " << s.reason;
        EXPECT_FALSE(s.reason.empty());
        if (s.score == 0) {
            EXPECT_NE(s.reason.find("no line looks like"), std::string::npos) << s.reason;
        }
    }
}

// --- the real samples ---------------------------------------------------------------------------

struct Counts {
    int events = 0, ignored = 0, malformed = 0, notMine = 0;
};

TEST_F(WindowsFirewallTest, RealSamples)
{
    // Header lines (#) and INFO-EVENTS-LOST are ignored; every other line is a record.
    const std::map<std::string, Counts> expected = {
        {"crowdsec-doc-pfirewall-with-pid.log", {1, 1, 0, 0}},
        {"ossec-docs-pfirewall.log", {40, 1, 0, 0}},
        {"plaso-pfirewall-v1.5.log", {14, 5, 0, 0}},
    };
    const auto dir = test::samplesDir() / "logs" / "windows-firewall";
    ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
    ParserRegistry registry;
    registry.add(makeWindowsFirewallParser());
    registry.add(makeZoneAlarmParser());
    std::size_t seen = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".log") continue;
        const std::string name = entry.path().filename().string();
        const auto it = expected.find(name);
        ASSERT_NE(it, expected.end()) << "a new sample needs its counts here: " << name;
        ++seen;
        const std::string content = test::readFile(entry.path());
        const auto lines = test::splitLines(content);

        std::vector<std::string_view> head;
        for (auto l : lines) {
            if (!l.empty() && head.size() < ParserRegistry::kHeadLines) head.push_back(l);
        }
        const Detection d = registry.detect(head);
        ASSERT_NE(d.parser, nullptr) << name;
        EXPECT_EQ(d.parser->id(), "windows-firewall") << name;

        auto lp = m_parser->open(contextIn("Europe/Stockholm"));
        Counts got;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            reason.clear();
            switch (lp->parse(lines[i], ev, reason)) {
            case ParseStatus::Event:
                ++got.events;
                break;
            case ParseStatus::Ignored:
                ++got.ignored;
                break;
            case ParseStatus::Malformed:
                ++got.malformed;
                ADD_FAILURE() << name << ":" << i + 1 << ": " << reason;
                break;
            case ParseStatus::NotMine:
                ++got.notMine;
                break;
            }
        }
        EXPECT_EQ(got.events, it->second.events) << name;
        EXPECT_EQ(got.ignored, it->second.ignored) << name;
        EXPECT_EQ(got.malformed, it->second.malformed) << name;
        EXPECT_EQ(got.notMine, it->second.notMine) << name;
    }
    EXPECT_EQ(seen, expected.size());
}

TEST_F(WindowsFirewallTest, PlasoExpectations)
{
    const auto dir = test::samplesDir() / "logs" / "windows-firewall";
    const auto spec = nlohmann::json::parse(test::readFile(dir / "plaso-pfirewall-v1.5.expected.json"));
    const std::string content = test::readFile(dir / "plaso-pfirewall-v1.5.log");
    const auto lines = test::splitLines(content);

    // plaso counts one record per non-# line, INFO-EVENTS-LOST included; tattle ignores that one.
    int records = 0, info = 0;
    {
        auto lp = m_parser->open(contextIn("UTC"));
        for (auto l : lines) {
            const ParseStatus st = lp->parse(l, ev, reason);
            if (st == ParseStatus::Event) ++records;
            if (st == ParseStatus::Ignored && !l.starts_with("#")) ++info;
        }
    }
    EXPECT_EQ(records + info, spec["file_level"]["number_of_event_data"].get<int>());
    EXPECT_EQ(info, 1);

    ASSERT_FALSE(spec["cases"].empty());
    for (const auto& c : spec["cases"]) {
        const std::size_t lineNo = c["line_no"].get<std::size_t>();
        ASSERT_LE(lineNo, lines.size());
        ASSERT_EQ(lines[lineNo - 1], c["raw"].get<std::string>());
        // plaso reads the times as written (naive); with the user's zone UTC they must match.
        auto lp = m_parser->open(contextIn("UTC"));
        for (std::size_t i = 0; i + 1 < lineNo; ++i)
            lp->parse(lines[i], ev, reason);
        ASSERT_EQ(lp->parse(lines[lineNo - 1], ev, reason), ParseStatus::Event) << reason;
        const auto& e = c["expected"];
        EXPECT_EQ(ev.src.toString(), e["source_ip"].get<std::string>());
        EXPECT_EQ(ev.dst.toString(), e["dest_ip"].get<std::string>());
        EXPECT_EQ(ev.srcPort, e["source_port"].get<int>());
        EXPECT_EQ(ev.dstPort, e["dest_port"].get<int>());
        EXPECT_EQ(core::formatRfc3339(ev.time), e["last_written_time"].get<std::string>() + "Z");
        const std::string flags = e["flags"].get<std::string>();
        std::uint8_t bits = 0;
        for (char f : flags)
            bits |= f == 'A' ? core::tcpflag::kAck
                : f == 'S'   ? core::tcpflag::kSyn
                : f == 'F'   ? core::tcpflag::kFin
                             : 0;
        EXPECT_EQ(ev.tcpFlags, bits);
        EXPECT_EQ(nlohmann::json::parse(ev.extra)["size"], e["size"]);
        EXPECT_EQ(ev.action, core::Action::Block);
        EXPECT_EQ(ev.direction, core::Direction::In);
        EXPECT_EQ(ev.proto, core::proto::kTcp);
    }

    // The OSSEC sample's SA line and the CrowdSec pid line.
    auto lp = m_parser->open(contextIn("UTC"));
    ASSERT_EQ(lp->parse(kFields, ev, reason), ParseStatus::Ignored);
    ASSERT_EQ(
        lp->parse(
            "2006-09-20 10:38:21 DROP TCP 192.168.72.196 10.20.72.12 445 2459 48 SA 4175551841 892874455 "
            "17520 - - - RECEIVE",
            ev, reason),
        ParseStatus::Event);
    EXPECT_EQ(ev.tcpFlags, core::tcpflag::kSyn | core::tcpflag::kAck);
    EXPECT_EQ(ev.srcPort, 445);
    EXPECT_EQ(ev.dstPort, 2459);
}

} // namespace
} // namespace tattle::parsers
