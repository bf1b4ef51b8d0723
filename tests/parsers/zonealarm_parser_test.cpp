// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "parser_golden.h"
#include "parsers/builtin_parsers.h"
#include "parsers/parser_registry.h"
#include "test_support.h"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

namespace tattle::parsers {
namespace {

using core::ParseStatus;

core::ParseContext contextIn(std::string_view zone)
{
    core::ParseContext ctx;
    auto tz = core::TimeZone::fromName(zone);
    EXPECT_TRUE(tz.has_value()) << zone;
    if (tz) ctx.zone = *tz;
    return ctx;
}

core::Micros utc(std::string_view rfc3339)
{
    const auto t = core::parseRfc3339(rfc3339);
    EXPECT_TRUE(t.has_value()) << rfc3339;
    return t.value_or(0);
}

class ZoneAlarmTest : public ::testing::Test {
protected:
    ParseStatus parse(std::string_view line, std::string_view zone = "UTC")
    {
        auto lp = m_parser->open(contextIn(zone));
        reason.clear();
        return lp->parse(line, ev, reason);
    }

    std::unique_ptr<core::Parser> m_parser = makeZoneAlarmParser();
    core::Event ev;
    std::string reason;
};

// --- golden files -------------------------------------------------------------------------------

TEST_F(ZoneAlarmTest, GoldenCommaSeparatedWithBanner)
{
    // The zone must not matter: every line carries its own offset.
    test::expectGolden(*m_parser, contextIn("America/New_York"), "zonealarm", "comma-with-banner");
}

TEST_F(ZoneAlarmTest, GoldenTabSeparatedWithoutHeader)
{
    test::expectGolden(*m_parser, contextIn("Asia/Tokyo"), "zonealarm", "tab-no-header");
}

TEST_F(ZoneAlarmTest, GoldenBrokenLines)
{
    test::expectGolden(*m_parser, contextIn("UTC"), "zonealarm", "broken");
}

// --- record types ---------------------------------------------------------------------------------

struct TypeCase {
    std::string_view type;
    ParseStatus status;
    core::Action action;
    core::Direction direction;
};

TEST_F(ZoneAlarmTest, EveryRecordType)
{
    using A = core::Action;
    using D = core::Direction;
    const TypeCase cases[] = {
        {"FWIN", ParseStatus::Event, A::Block, D::In}, {"FWOUT", ParseStatus::Event, A::Block, D::Out},
        {"FWROUTE", ParseStatus::Event, A::Block, D::Unknown},
        {"FWLOOP", ParseStatus::Event, A::Block, D::Unknown},
        {"FWIN_OK", ParseStatus::Event, A::Allow, D::In}, {"FWOUT_OK", ParseStatus::Event, A::Allow, D::Out},
        {"FWROUTE_OK", ParseStatus::Event, A::Allow, D::Unknown},
        {"FWLOOP_OK", ParseStatus::Event, A::Allow, D::Unknown},
        {"LOCK", ParseStatus::Event, A::Block, D::Unknown},
        {"PE", ParseStatus::Ignored, A::Block, D::Unknown},
        {"ACCESS", ParseStatus::Ignored, A::Block, D::Unknown},
        {"MS", ParseStatus::Ignored, A::Block, D::Unknown},
        {"AV", ParseStatus::Ignored, A::Block, D::Unknown},
        {"IM", ParseStatus::Ignored, A::Block, D::Unknown},
        {"ZLUpdate", ParseStatus::Ignored, A::Block, D::Unknown},
        {"FWSOMETHINGNEW", ParseStatus::Ignored, A::Block, D::Unknown},
        {"fwin", ParseStatus::Ignored, A::Block, D::Unknown}, // types are upper case: an unknown one
    };
    for (const auto& c : cases) {
        const std::string line
            = std::string(c.type) + ",2006/09/27,09:43:48 -5:00 GMT,198.51.100.14:1043,192.0.2.60:38293,UDP";
        EXPECT_EQ(parse(line), c.status) << line << " " << reason;
        if (c.status != ParseStatus::Event) continue;
        EXPECT_EQ(ev.action, c.action) << line;
        EXPECT_EQ(ev.direction, c.direction) << line;
        EXPECT_EQ(ev.time, utc("2006-09-27T14:43:48Z")) << line;
        EXPECT_EQ(ev.proto, core::proto::kUdp);
        EXPECT_EQ(ev.src, *core::IpAddress::parse("198.51.100.14"));
        EXPECT_EQ(ev.srcPort, 1043);
        EXPECT_EQ(ev.dst, *core::IpAddress::parse("192.0.2.60"));
        EXPECT_EQ(ev.dstPort, 38293);
        EXPECT_FALSE(ev.hasTcpFlags);
        EXPECT_EQ(ev.icmpType, -1);
        EXPECT_EQ(ev.extra, "{\"type\":\"" + std::string(c.type) + "\"}");
        EXPECT_TRUE(ev.iface.empty());
        EXPECT_EQ(ev.count, 1u);
    }
}

TEST_F(ZoneAlarmTest, NonPacketLines)
{
    const std::string_view lines[] = {
        "ZoneAlarm Logging Client v6.5.737.000",
        "ZoneAlarm Logging Client v4.5.538.000",
        "Windows XP-5.1.2600-Service Pack 2-SMP",
        "type,date,time,source,destination,transport",
        "type,date,time,source,destination,transport (Security)",
        "type,date,time,virus name,file name,mode,e-mail id (Anti-Virus)",
        "type,date,time,action,product,file,event,subevent,class,data,data,... (OSFirewall)",
        "type\tdate\ttime\tsource\tdestination\ttransport",
        "PE,2004/02/01,20:31:46 -5:00 GMTGMT, Download Accelerator Plus,198.51.100.250:53,N/A",
        "ACCESS,2004/02/01,19:35:36 -5:00 GMTGMT, The firewall rules for named.exe allow an outgoing UDP "
        "connection to 198.51.100.61:DNS.,N/A,N/A",
        "LOCK,2007/03/11,03:13:00 -4:00 GMT,Internet Lock engaged,N/A,N/A",
        "",
        "   ",
        "\r",
    };
    for (std::string_view line : lines) {
        EXPECT_EQ(parse(line), ParseStatus::Ignored) << line << ": " << reason;
    }
}

// --- time ----------------------------------------------------------------------------------------

struct OffsetCase {
    std::string_view time;
    std::string_view utc; // empty: Malformed
};

TEST_F(ZoneAlarmTest, OffsetsAreAppliedExactly)
{
    const OffsetCase cases[] = {
        {"17:34:50 -5:00 GMT", "2003-12-05T22:34:50Z"},
        {"17:34:50 -05:00 GMT", "2003-12-05T22:34:50Z"},
        {"17:34:50 +1:00 GMT", "2003-12-05T16:34:50Z"},
        {"17:34:50 +5:30 GMT", "2003-12-05T12:04:50Z"},
        {"17:34:50 +5:45 GMT", "2003-12-05T11:49:50Z"},
        {"17:34:50 -3:30 GMT", "2003-12-05T21:04:50Z"},
        {"17:34:50 -9:30 GMT", "2003-12-06T03:04:50Z"},
        {"17:34:50 +12:45 GMT", "2003-12-05T04:49:50Z"},
        {"17:34:50 +14:00 GMT", "2003-12-05T03:34:50Z"},
        {"17:34:50 -12:00 GMT", "2003-12-06T05:34:50Z"},
        {"17:34:50 0:00 GMT", "2003-12-05T17:34:50Z"},
        {"17:34:50 +0:00 GMT", "2003-12-05T17:34:50Z"},
        {"17:34:50 -0:00 GMT", "2003-12-05T17:34:50Z"},
        {"17:34:50 -8:00GMT", "2003-12-06T01:34:50Z"},
        {"17:34:50 -5:00 GMTGMT", "2003-12-05T22:34:50Z"},
        {"17:34:50 -5 GMT", "2003-12-05T22:34:50Z"},
        {"17:34:50 -5:00", "2003-12-05T22:34:50Z"},
        {"7:34:50 -5:00 GMT", "2003-12-05T12:34:50Z"},
        {"23:59:59 -1:00 GMT", "2003-12-06T00:59:59Z"},
        {"00:00:00 +1:00 GMT", "2003-12-04T23:00:00Z"},
        {"17:34:50 -15:00 GMT", ""},
        {"17:34:50 -5:60 GMT", ""},
        {"17:34:50 -5:0 GMT", ""},
        {"17:34:50 5:00", ""},
        {"17:34:50 -5:00 EST", ""},
        {"17:34:50 EST", ""},
        {"17:34:509", ""},
        {"17:34 -5:00 GMT", ""},
        {"24:00:00 -5:00 GMT", ""},
        {"17:60:00 -5:00 GMT", ""},
        {"17:34:61 -5:00 GMT", ""},
    };
    for (const auto& c : cases) {
        const std::string line
            = "FWIN,2003/12/05," + std::string(c.time) + ",203.0.113.5:1,192.0.2.1:2,TCP (flags:S)";
        if (c.utc.empty()) {
            EXPECT_EQ(parse(line), ParseStatus::Malformed) << line;
            continue;
        }
        ASSERT_EQ(parse(line), ParseStatus::Event) << line << ": " << reason;
        EXPECT_EQ(core::formatRfc3339(ev.time), c.utc) << line;
        EXPECT_FALSE(ev.timeGuessed) << line;
    }
}

TEST_F(ZoneAlarmTest, DatesAcrossYearAndLeapDay)
{
    EXPECT_EQ(parse("FWIN,2004/02/29,23:30:00 -1:00 GMT,203.0.113.5:1,192.0.2.1:2,UDP"), ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2004-03-01T00:30:00Z");
    EXPECT_EQ(
        parse("FWIN,2005/02/29,23:30:00 -1:00 GMT,203.0.113.5:1,192.0.2.1:2,UDP"), ParseStatus::Malformed);
    EXPECT_EQ(parse("FWIN,2004/12/31,23:30:00 -1:00 GMT,203.0.113.5:1,192.0.2.1:2,UDP"), ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2005-01-01T00:30:00Z");
    EXPECT_EQ(parse("FWIN,2005/1/2,03:04:05 +0:00 GMT,203.0.113.5:1,192.0.2.1:2,UDP"), ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2005-01-02T03:04:05Z");
    EXPECT_EQ(
        parse("FWIN,1969/12/31,23:00:00 +0:00 GMT,203.0.113.5:1,192.0.2.1:2,UDP"), ParseStatus::Malformed);
    EXPECT_EQ(
        parse("FWIN,05/01/02,03:04:05 +0:00 GMT,203.0.113.5:1,192.0.2.1:2,UDP"), ParseStatus::Malformed);
    EXPECT_EQ(reason, "bad date");
}

TEST_F(ZoneAlarmTest, TimeWithoutOffsetUsesTheUserZone)
{
    // Not something ZoneAlarm writes, but a log edited or exported without the offset stays readable.
    ASSERT_EQ(parse("FWIN,2024/07/01,12:00:00,203.0.113.5:1,192.0.2.1:2,UDP", "Europe/Stockholm"),
        ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2024-07-01T10:00:00Z");
    EXPECT_FALSE(ev.timeGuessed);
    ASSERT_EQ(parse("FWIN,2024/10/27,02:30:00,203.0.113.5:1,192.0.2.1:2,UDP", "Europe/Stockholm"),
        ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2024-10-27T00:30:00Z"); // the earlier of the two
    EXPECT_TRUE(ev.timeGuessed);
    ASSERT_EQ(parse("FWIN,2024/03/31,02:30:00,203.0.113.5:1,192.0.2.1:2,UDP", "Europe/Stockholm"),
        ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2024-03-31T01:30:00Z"); // read with the offset before
    EXPECT_TRUE(ev.timeGuessed);
}

TEST_F(ZoneAlarmTest, ExplicitOffsetWinsOverTheUserZone)
{
    ASSERT_EQ(parse("FWIN,2024/10/27,02:30:00 +2:00 GMT,203.0.113.5:1,192.0.2.1:2,UDP", "Europe/Stockholm"),
        ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2024-10-27T00:30:00Z");
    EXPECT_FALSE(ev.timeGuessed);
    ASSERT_EQ(parse("FWIN,2024/10/27,02:30:00 +1:00 GMT,203.0.113.5:1,192.0.2.1:2,UDP", "Europe/Stockholm"),
        ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2024-10-27T01:30:00Z");
    EXPECT_FALSE(ev.timeGuessed);
}

// --- transport ----------------------------------------------------------------------------------

struct FlagCase {
    std::string_view letters;
    std::uint8_t bits;
};

TEST_F(ZoneAlarmTest, TcpFlagLetters)
{
    namespace f = core::tcpflag;
    const FlagCase cases[] = {
        {"S", f::kSyn},
        {"A", f::kAck},
        {"F", f::kFin},
        {"R", f::kRst},
        {"P", f::kPsh},
        {"U", f::kUrg},
        {"4", f::kEce},
        {"8", f::kCwr},
        {"SA", f::kSyn | f::kAck},
        {"AR", f::kAck | f::kRst},
        {"FA", f::kFin | f::kAck},
        {"PA", f::kPsh | f::kAck},
        {"FPU", f::kFin | f::kPsh | f::kUrg},
        {"S48", f::kSyn | f::kEce | f::kCwr},
        {"", 0},
    };
    for (const auto& c : cases) {
        const std::string line = "FWIN,2003/12/05,17:34:50 -5:00 GMT,203.0.113.5:1,192.0.2.1:2,TCP (flags:"
            + std::string(c.letters) + ")";
        ASSERT_EQ(parse(line), ParseStatus::Event) << line << ": " << reason;
        EXPECT_EQ(ev.proto, core::proto::kTcp);
        EXPECT_TRUE(ev.hasTcpFlags) << line;
        EXPECT_EQ(ev.tcpFlags, c.bits) << line;
    }
    for (std::string_view badFlags : {"X", "s", "SYN", "S A", "1"}) {
        const std::string line = "FWIN,2003/12/05,17:34:50 -5:00 GMT,203.0.113.5:1,192.0.2.1:2,TCP (flags:"
            + std::string(badFlags) + ")";
        EXPECT_EQ(parse(line), ParseStatus::Malformed) << line;
        EXPECT_EQ(reason, "bad TCP flags") << line;
    }
    // No flags written: none stored.
    ASSERT_EQ(parse("FWIN,2003/12/05,17:34:50 -5:00 GMT,203.0.113.5:1,192.0.2.1:2,TCP"), ParseStatus::Event);
    EXPECT_FALSE(ev.hasTcpFlags);
    EXPECT_EQ(ev.tcpFlags, 0);
}

struct TransportCase {
    std::string_view transport;
    int proto;
    int icmpType, icmpCode;
    int srcPort, dstPort;
};

TEST_F(ZoneAlarmTest, TransportColumn)
{
    using namespace core::proto;
    const TransportCase cases[] = {
        {"UDP", kUdp, -1, -1, 1, 2},
        {"udp", kUdp, -1, -1, 1, 2},
        {"ICMP (type:8/subtype:0)", kIcmp, 8, 0, -1, -1},
        {"ICMP (type:3/subtype:13)", kIcmp, 3, 13, -1, -1},
        {"ICMP (type:11)", kIcmp, 11, -1, -1, -1},
        {"ICMP ( type:0 / subtype:0 )", kIcmp, 0, 0, -1, -1},
        {"ICMP", kIcmp, -1, -1, -1, -1},
        {"IGMP", kIgmp, -1, -1, -1, -1},
        {"GRE", kGre, -1, -1, -1, -1},
        {"47", kGre, -1, -1, -1, -1},
        {"TCP (flags:S/future:1)", kTcp, -1, -1, 1, 2},
    };
    for (const auto& c : cases) {
        // Protocols without ports are written with ":0".
        const bool portless = c.proto != kTcp && c.proto != kUdp;
        const std::string line
            = "FWIN,2003/12/05,17:34:50 -5:00 GMT,203.0.113.5:" + std::string(portless ? "0" : "1")
            + ",192.0.2.1:" + (portless ? "0" : "2") + "," + std::string(c.transport);
        ASSERT_EQ(parse(line), ParseStatus::Event) << line << ": " << reason;
        EXPECT_EQ(ev.proto, c.proto) << line;
        EXPECT_EQ(ev.icmpType, c.icmpType) << line;
        EXPECT_EQ(ev.icmpCode, c.icmpCode) << line;
        EXPECT_EQ(ev.srcPort, c.srcPort) << line;
        EXPECT_EQ(ev.dstPort, c.dstPort) << line;
    }
    const std::string_view bad[] = {"TXP", "T", "TCP (flags:S", "TCP flags:S", "ICMP (type:256/subtype:0)",
        "ICMP (type:-1/subtype:0)", "ICMP (type/subtype)", "(flags:S)", "", "T\x01P", "ICMP (type:8) x"};
    for (std::string_view t : bad) {
        const std::string line
            = "FWIN,2003/12/05,17:34:50 -5:00 GMT,203.0.113.5:1,192.0.2.1:2," + std::string(t);
        EXPECT_EQ(parse(line), ParseStatus::Malformed) << line;
        EXPECT_FALSE(reason.empty());
    }
}

TEST_F(ZoneAlarmTest, IcmpPortsKeptWhenNotZero)
{
    ASSERT_EQ(parse("FWIN,2003/12/05,17:34:50 -5:00 GMT,203.0.113.5:7,192.0.2.1:0,ICMP (type:8/subtype:0)"),
        ParseStatus::Event);
    EXPECT_EQ(ev.srcPort, 7);
    EXPECT_EQ(ev.dstPort, 0);
}

// --- addresses ----------------------------------------------------------------------------------

struct EndpointCase {
    std::string_view text;
    std::string_view addr; // empty: Malformed
    int port;
};

TEST_F(ZoneAlarmTest, SourceAddressForms)
{
    const EndpointCase cases[] = {
        {"203.0.113.5:7138", "203.0.113.5", 7138},
        {"203.0.113.5:0", "203.0.113.5", 0},
        {"203.0.113.5:65535", "203.0.113.5", 65535},
        {"203.0.113.5", "203.0.113.5", -1},
        {"[2001:db8::5]:443", "2001:db8::5", 443},
        {"[2001:db8::5]", "2001:db8::5", -1},
        {"2001:db8::5:443", "2001:db8::5", 443},
        {"2001:db8::5", "2001:db8::5", -1},
        {"2001:db8:0:0:1:2:3:4:8080", "2001:db8::1:2:3:4", 8080},
        {"::ffff:192.0.2.1:80", "::ffff:192.0.2.1", 80},
        {" 203.0.113.5:1 ", "203.0.113.5", 1},
        {"Src=203.0.113.5:1", "203.0.113.5", 1},
        {"203.0.113.5:65536", "", 0},
        {"203.0.113.5:-1", "", 0},
        {"203.0.113.5:", "", 0},
        {"203.0.113:1", "", 0},
        {"203.0.113.05:1", "", 0},
        {"[2001:db8::5:443", "", 0},
        {"[2001:db8::5]443", "", 0},
        {"[203.0.113.5]x", "", 0},
        {"fe80::1%eth0:80", "", 0},
        {"N/A", "", 0},
        {"", "", 0},
    };
    for (const auto& c : cases) {
        const std::string line
            = "FWIN,2003/12/05,17:34:50 -5:00 GMT," + std::string(c.text) + ",192.0.2.1:2,UDP";
        if (c.addr.empty()) {
            EXPECT_EQ(parse(line), ParseStatus::Malformed) << line;
            EXPECT_EQ(reason, "bad source address") << line;
            continue;
        }
        ASSERT_EQ(parse(line), ParseStatus::Event) << line << ": " << reason;
        EXPECT_EQ(ev.src.toString(), c.addr) << line;
        EXPECT_EQ(ev.srcPort, c.port) << line;
    }
}

// --- separators, line ends, encodings -----------------------------------------------------------

TEST_F(ZoneAlarmTest, TabAndCommaVariantsGiveTheSameEvent)
{
    ASSERT_EQ(parse("FWOUT,2006/09/09,22:27:22 -5:00 GMT,192.0.2.135:1134,198.51.100.195:445,TCP (flags:S)"),
        ParseStatus::Event);
    const core::Event comma = ev;
    ASSERT_EQ(
        parse("FWOUT\t2006/09/09\t22:27:22 -5:00 GMT\t192.0.2.135:1134\t198.51.100.195:445\tTCP (flags:S)"),
        ParseStatus::Event);
    EXPECT_EQ(ev.time, comma.time);
    EXPECT_EQ(ev.src, comma.src);
    EXPECT_EQ(ev.dst, comma.dst);
    EXPECT_EQ(ev.srcPort, comma.srcPort);
    EXPECT_EQ(ev.dstPort, comma.dstPort);
    EXPECT_EQ(ev.tcpFlags, comma.tcpFlags);
    EXPECT_EQ(ev.direction, core::Direction::Out);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2006-09-10T03:27:22Z");
}

TEST_F(ZoneAlarmTest, CrLfBomAndBlanks)
{
    EXPECT_EQ(parse("\xEF\xBB\xBFZoneAlarm Logging Client v6.5.737.000\r"), ParseStatus::Ignored);
    EXPECT_EQ(parse("\xEF\xBB\xBF"
                    "FWIN,2006/09/27,09:43:48 -5:00 GMT,198.51.100.14:1043,192.0.2.60:38293,UDP\r"),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.dstPort, 38293);
    EXPECT_EQ(parse("FWIN,2006/09/27,09:43:48 -5:00 GMT,198.51.100.14:1043,192.0.2.60:38293,TCP (flags:S)\r"),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.tcpFlags, core::tcpflag::kSyn);
    EXPECT_EQ(parse("  FWIN,2006/09/27,09:43:48 -5:00 GMT,198.51.100.14:1043,192.0.2.60:38293,UDP  "),
        ParseStatus::Event)
        << reason;
}

TEST_F(ZoneAlarmTest, EventIsResetBetweenLines)
{
    auto lp = m_parser->open(contextIn("UTC"));
    ASSERT_EQ(
        lp->parse("FWIN,2003/12/05,17:34:50 -5:00 GMT,203.0.113.5:0,192.0.2.1:0,ICMP (type:8/subtype:0)", ev,
            reason),
        ParseStatus::Event);
    ASSERT_EQ(lp->parse("FWOUT,2003/12/05,17:34:51 -5:00 GMT,192.0.2.1:1,203.0.113.5:2,UDP", ev, reason),
        ParseStatus::Event);
    EXPECT_EQ(ev.icmpType, -1);
    EXPECT_EQ(ev.icmpCode, -1);
    EXPECT_FALSE(ev.hasTcpFlags);
    EXPECT_EQ(ev.direction, core::Direction::Out);
    EXPECT_EQ(ev.extra, "{\"type\":\"FWOUT\"}");
}

TEST_F(ZoneAlarmTest, HostileInputNeverCrashes)
{
    std::vector<std::string> inputs = {
        std::string("\0\0\0\0", 4),
        std::string("FWIN\0,2003/12/05,17:34:50 -5:00 GMT,203.0.113.5:1,192.0.2.1:2,UDP", 66),
        "FWIN,2003/12/05,17:34:50 -5:00 GMT,203.0.113.5:1,192.0.2.1:2,UDP\xff\xfe",
        "FWIN,2003/12/05,17:34:50 -5:00 GMT,\xc3\x28:1,192.0.2.1:2,UDP",
        "\xff\xfe\xfd\xfc,\x80\x81",
        ",,,,,,,,,,,,,,,",
        "\t\t\t\t\t",
        "FWIN,,,,,",
        "FWIN,2003/12/05,,,,",
        "FWIN,2003/12/05,17:34:50 -5:00 GMT,,,",
        std::string(10 * 1024 * 1024, 'A'),
        std::string(10 * 1024 * 1024, ','),
        "FWIN," + std::string(10 * 1024 * 1024, '9'),
        "FWIN,2003/12/05,17:34:50 -5:00 GMT,203.0.113.5:1,192.0.2.1:2,TCP (flags:"
            + std::string(10 * 1024 * 1024, 'S') + ")",
        "FWIN,2003/12/05,17:34:50 " + std::string(1024 * 1024, '-') + " GMT,203.0.113.5:1,192.0.2.1:2,UDP",
        "PE,2003/12/05,17:34:50 -5:00 GMT," + std::string(10 * 1024 * 1024, 'x'),
    };
    std::string binary;
    for (int i = 0; i < 4096; ++i)
        binary.push_back(char((i * 131 + 7) & 0xFF));
    inputs.push_back(binary);
    for (const auto& in : inputs) {
        const ParseStatus st = parse(in);
        EXPECT_TRUE(st == ParseStatus::Malformed || st == ParseStatus::Ignored || st == ParseStatus::Event)
            << in.substr(0, 60);
        if (st == ParseStatus::Malformed) {
            EXPECT_FALSE(reason.empty());
            EXPECT_TRUE(core::isValidUtf8(reason));
        }
        if (st == ParseStatus::Event) {
            EXPECT_TRUE(core::isValidUtf8(ev.extra));
        }
    }
    // Flags made only of S are still flags; the long PE record is a program record.
    EXPECT_EQ(parse(inputs[13]), ParseStatus::Event);
    EXPECT_EQ(parse(inputs[15]), ParseStatus::Ignored);
    EXPECT_EQ(parse(inputs[10]), ParseStatus::Malformed);
    EXPECT_EQ(parse(inputs[0]), ParseStatus::Malformed);
    EXPECT_EQ(parse(inputs[2]), ParseStatus::Malformed);
    EXPECT_EQ(parse(inputs[3]), ParseStatus::Malformed);
}

TEST_F(ZoneAlarmTest, EveryTruncationOfAPacketRecordIsMalformed)
{
    const std::string line
        = "FWIN,2007/03/11,01:59:58 -5:00 GMT,203.0.113.7:4312,192.0.2.10:445,TCP (flags:S)";
    const std::size_t tcpEnd = line.find("TCP") + 3;
    for (std::size_t len = 1; len < line.size(); ++len) {
        const std::string prefix = line.substr(0, len);
        const ParseStatus st = parse(prefix);
        // "...,TCP" and "...,TCP " are complete records without the flag details.
        if (len == tcpEnd || len == tcpEnd + 1) {
            EXPECT_EQ(st, ParseStatus::Event) << prefix;
        } else {
            EXPECT_EQ(st, ParseStatus::Malformed) << prefix;
        }
    }
    EXPECT_EQ(parse(line), ParseStatus::Event);
}

// --- detection ----------------------------------------------------------------------------------

struct SniffCase {
    std::vector<std::string_view> head;
    int minScore, maxScore;
};

TEST_F(ZoneAlarmTest, Sniff)
{
    const SniffCase cases[] = {
        {{"ZoneAlarm Logging Client v6.5.737.000", "Windows XP-5.1.2600-Service Pack 2-SMP"}, 100, 100},
        {{"type,date,time,source,destination,transport"}, 100, 100},
        {{"FWIN,2004/02/01,20:05:26 -5:00 GMT,198.51.100.1:0,192.0.2.93:0,ICMP (type:8/subtype:0)",
             "FWOUT,2004/02/01,19:34:40 -5:00 GMT,192.0.2.93:1027,198.51.100.30:53,UDP"},
            95, 95},
        {{"PE,2006/09/09,22:15:42 -5:00 GMT,Example,C:\\x.exe,127.0.0.1:62516,N/A"}, 95, 95},
        {{"FWIN\t2004/02/01\t20:05:26 -5:00 GMT\t198.51.100.1:0\t192.0.2.93:0\tUDP", "garbage",
             "more garbage"},
            31, 31},
        {{"Mar  3 10:00:01 gw kernel: DROP IN=eth0 OUT= SRC=203.0.113.9 DST=198.51.100.2 PROTO=TCP"}, 0, 0},
        {{"#Software: Microsoft Windows Firewall",
             "2005-04-11 08:05:57 DROP UDP 192.0.2.90 198.51.100.255 137 137 78 - - - - - - - RECEIVE"},
            0, 0},
        {{"Windows XP-5.1.2600-Service Pack 2-SMP"}, 0, 0},
        {{"a,b,c", "1,2,3"}, 0, 0},
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

TEST_F(ZoneAlarmTest, RealSamples)
{
    // Counted by record type with `cut -d, -f1 | sort | uniq -c`: FW* records are events, the banner, OS
    // line, header lines and PE/ACCESS/ZLUpdate records are ignored.
    const std::map<std::string, Counts> expected = {
        {"ossec-docs-zalog-fwin-fwout.log", {25, 8, 0, 0}},
        {"ossec-docs-zalog-header-and-entries.log", {0, 62, 0, 0}},
    };
    const auto dir = test::samplesDir() / "logs" / "zonealarm";
    ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
    std::size_t seen = 0;
    ParserRegistry registry;
    registry.add(makeWindowsFirewallParser());
    registry.add(makeZoneAlarmParser());
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
        EXPECT_EQ(d.parser->id(), "zonealarm") << name;

        auto lp = m_parser->open(contextIn("UTC"));
        Counts got;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            reason.clear();
            switch (lp->parse(lines[i], ev, reason)) {
            case ParseStatus::Event:
                ++got.events;
                EXPECT_EQ(lines[i].substr(0, 2), "FW") << name << ":" << i + 1;
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

    // Spot checks on lines of the OSSEC sample.
    auto lp = m_parser->open(contextIn("UTC"));
    ASSERT_EQ(
        lp->parse("FWOUT,2006/09/09,22:27:22 -5:00 GMT,172.16.70.135:1134,172.16.100.195:445,TCP (flags:S)",
            ev, reason),
        ParseStatus::Event);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2006-09-10T03:27:22Z");
    EXPECT_EQ(ev.action, core::Action::Block);
    EXPECT_EQ(ev.direction, core::Direction::Out);
    EXPECT_EQ(ev.src.toString(), "172.16.70.135");
    EXPECT_EQ(ev.dst.toString(), "172.16.100.195");
    EXPECT_EQ(ev.dstPort, 445);
    EXPECT_EQ(ev.tcpFlags, core::tcpflag::kSyn);
    ASSERT_EQ(
        lp->parse("FWIN_OK,2006/09/27,08:32:14 -5:00 GMT,0.0.0.0:68,255.255.255.255:67,UDP", ev, reason),
        ParseStatus::Event);
    EXPECT_EQ(ev.action, core::Action::Allow);
    EXPECT_EQ(ev.direction, core::Direction::In);
    EXPECT_EQ(core::formatRfc3339(ev.time), "2006-09-27T13:32:14Z");
}

} // namespace
} // namespace tattle::parsers
