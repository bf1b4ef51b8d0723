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

std::string policy(std::string_view brief, std::string_view params)
{
    return "Mar  5 2024 20:00:01 USG6650 %%01POLICY/6/" + std::string(brief) + "(l):" + std::string(params);
}

const std::string_view kTuple = "vsys=public, protocol=6, source-ip=203.0.113.5, source-port=40000, "
                                "destination-ip=192.0.2.10, destination-port=22, rule-name=r.";

class HuaweiUsgTest : public ::testing::Test {
protected:
    ParseStatus parse(std::string_view line, std::string_view zone = "UTC")
    {
        auto lp = m_parser->open(contextIn(zone));
        reason.clear();
        return lp->parse(line, ev, reason);
    }

    std::unique_ptr<core::Parser> m_parser = makeHuaweiUsgParser();
    core::Event ev;
    std::string reason;
};

TEST_F(HuaweiUsgTest, GoldenRecords)
{
    test::expectGolden(*m_parser, contextIn("Asia/Shanghai"), "huawei-usg", "records");
}

TEST_F(HuaweiUsgTest, GoldenBrokenLines)
{
    test::expectGolden(*m_parser, contextIn("UTC"), "huawei-usg", "broken");
}

TEST_F(HuaweiUsgTest, RecordKinds)
{
    struct Case {
        std::string line;
        ParseStatus status;
        Action action;
    };
    const std::string seclog
        = "IPVer=4,Protocol=tcp,SourceIP=203.0.113.5,DestinationIP=192.0.2.10,SourcePort=1,"
          "DestinationPort=2,BeginTime=1709640000,PolicyName=p";
    const std::string ips
        = "An intrusion was detected. (SrcIp=203.0.113.5, DstIp=192.0.2.10, SrcPort=1, DstPort=2, "
          "Protocol=TCP, SignName=\"x\", SignId=7, Action=";
    const std::string head = "2024-03-05 20:00:01 USG6650 %%01";
    const Case cases[] = {
        {policy("POLICYPERMIT", kTuple), ParseStatus::Event, Action::Allow},
        {policy("POLICYDENY", kTuple), ParseStatus::Event, Action::Block},
        {head + "SECLOG/6/SESSION_TEARDOWN(l):" + seclog + ",CloseReason=aged-out.", ParseStatus::Event,
            Action::Allow},
        {head + "SECLOG/6/SESSION_TEARDOWN(l):" + seclog + ",CloseReason=policy-deny.", ParseStatus::Event,
            Action::Block},
        {head + "SECLOG/4/PACKET_DENY(l):" + seclog + ".", ParseStatus::Event, Action::Block},
        {head + "SECLOG/4/PACKET_DROP(l):" + seclog + ".", ParseStatus::Event, Action::Block},
        {head + "IPS/4/DETECT(l): " + ips + "Block)", ParseStatus::Event, Action::Block},
        {head + "IPS/4/DETECT(l): " + ips + "Reset)", ParseStatus::Event, Action::Block},
        {head + "IPS/4/DETECT(l): " + ips + "Alert)", ParseStatus::Event, Action::Allow},
        {head
                + "URL/4/FILTER(l): The URL filtering policy was matched. (SrcIp=203.0.113.5, "
                  "DstIp=192.0.2.10, "
                  "Action=Block)",
            ParseStatus::Ignored, Action::Block},
        {head + "AV/4/VIRUS(l): A virus was detected. (SrcIp=203.0.113.5, Action=Block)",
            ParseStatus::Ignored, Action::Block},
        {head + "SHELL/5/LOGIN(s)[77]:The user succeeded in logging in to VTY 0.", ParseStatus::Ignored,
            Action::Block},
        {head + "POLICY/6/POLICYCHANGE(l):something.", ParseStatus::Ignored, Action::Block},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(parse(c.line), c.status) << c.line << ": " << reason;
        if (c.status == ParseStatus::Event) {
            EXPECT_EQ(ev.action, c.action) << c.line;
        }
    }
}

TEST_F(HuaweiUsgTest, VendorDetails)
{
    ASSERT_EQ(parse("2024-03-05 20:00:03 USG6650 %%01SECLOG/6/SESSION_TEARDOWN(l):IPVer=4,Protocol=tcp,"
                    "SourceIP=192.0.2.21,DestinationIP=198.51.100.80,SourcePort=50500,DestinationPort=443,"
                    "SourceNatIP=203.0.113.2,SourceNatPort=3711,BeginTime=1709640003,EndTime=1709640033,"
                    "SourceZone=trust,DestinationZone=untrust,PolicyName=Outbound web,CloseReason=tcp-fin."),
        ParseStatus::Event);
    EXPECT_EQ(ev.rule, "Outbound web");
    const auto x = nlohmann::json::parse(ev.extra);
    EXPECT_EQ(x.at("module"), "SECLOG");
    EXPECT_EQ(x.at("brief"), "SESSION_TEARDOWN");
    EXPECT_EQ(x.at("src_zone"), "trust");
    EXPECT_EQ(x.at("dst_zone"), "untrust");
    EXPECT_EQ(x.at("nat_src"), "203.0.113.2");
    EXPECT_EQ(x.at("nat_src_port"), 3711);
    EXPECT_EQ(x.at("close_reason"), "tcp-fin");

    ASSERT_EQ(
        parse("2024/03/05 20:00:05 USG6650 %%01IPS/4/DETECT(l): An intrusion was detected. (VSys=\"public\", "
              "Policy=\"inbound, v2\", SrcIp=203.0.113.7, DstIp=192.0.2.10, SrcPort=50000, DstPort=445, "
              "Protocol=TCP, Application=\"SMB\", SignName=\"SMB Brute Force, variant 2\", SignId=1000, "
              "Severity=high, Action=Block)"),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.rule, "inbound, v2");
    const auto y = nlohmann::json::parse(ev.extra);
    EXPECT_EQ(y.at("vsys"), "public");
    EXPECT_EQ(y.at("signature"), "SMB Brute Force, variant 2");
    EXPECT_EQ(y.at("signature_id"), 1000);
    EXPECT_EQ(y.at("application"), "SMB");
    EXPECT_EQ(y.at("severity"), "high");
    EXPECT_EQ(y.at("action"), "Block");
}

TEST_F(HuaweiUsgTest, Times)
{
    struct Case {
        std::string header;
        std::string_view utc; // empty: Malformed
        bool guessed = false;
    };
    const Case cases[] = {
        {"2024-03-05 20:00:01", "2024-03-05T12:00:01Z"},
        {"2024/03/05 20:00:01", "2024-03-05T12:00:01Z"},
        {"2024/3/5 20:00:01", "2024-03-05T12:00:01Z"},
        {"Mar  5 2024 20:00:01", "2024-03-05T12:00:01Z"},
        {"<190>Mar  5 2024 20:00:01", "2024-03-05T12:00:01Z"},
        {"Mar  5 2024 20:00:01+08:00 DST", "2024-03-05T12:00:01Z"},
        {"Mar  5 2024 20:00:01-05:00", "2024-03-06T01:00:01Z"},
        {"2024-03-05T20:00:01+08:00", "2024-03-05T12:00:01Z"},
        {"Mar  5 20:00:01 loghost",
            "2024-03-05T12:00:01Z"}, // a relay's RFC 3164 header: year from the context
        {"2024-13-05 20:00:01", ""},
        {"Mar  5 2024 20:00:01+25:00", ""},
    };
    for (const auto& c : cases) {
        const std::string line = c.header + " USG6650 %%01POLICY/6/POLICYDENY(l):" + std::string(kTuple);
        if (c.utc.empty()) {
            EXPECT_EQ(parse(line, "Asia/Shanghai"), ParseStatus::Malformed) << line;
            continue;
        }
        ASSERT_EQ(parse(line, "Asia/Shanghai"), ParseStatus::Event) << line << ": " << reason;
        EXPECT_EQ(core::formatRfc3339(ev.time), c.utc) << line;
        EXPECT_EQ(ev.timeGuessed, c.guessed) << line;
    }
}

TEST_F(HuaweiUsgTest, HostileInput)
{
    EXPECT_EQ(parse(""), ParseStatus::NotMine);
    EXPECT_EQ(parse(std::string(10 * 1024 * 1024, '%')), ParseStatus::NotMine);
    EXPECT_EQ(parse(policy("POLICYDENY", std::string(kTuple) + std::string(10 * 1024 * 1024, ','))),
        ParseStatus::Event);
    // An unclosed quote swallows the rest of the line: no addresses left, no crash.
    const std::string quotes
        = policy("POLICYDENY", "vsys=\"" + std::string(1024 * 1024, 'q') + ", " + std::string(kTuple));
    EXPECT_EQ(parse(quotes), ParseStatus::Malformed);
    ASSERT_EQ(parse(policy("POLICYDENY",
                  "protocol=6, source-ip=203.0.113.5, destination-ip=192.0.2.10, "
                  "rule-name=r\x01\xff, vsys=v\x02.")),
        ParseStatus::Event);
    EXPECT_EQ(ev.rule.find('\x01'), std::string::npos);
    EXPECT_TRUE(nlohmann::json::accept(ev.extra));
    const std::string full = policy("POLICYDENY", kTuple);
    for (std::size_t cut = 0; cut < full.find("destination-ip=192.0.2.10") + 24; ++cut) {
        EXPECT_NE(parse(full.substr(0, cut)), ParseStatus::Event) << full.substr(0, cut);
    }
}

TEST_F(HuaweiUsgTest, OtherLinesAreNotMine)
{
    const std::string_view lines[] = {
        "Mar  5 20:00:12 logs sshd[812]: Failed password for root from 203.0.113.5 port 50000 ssh2",
        "%ASA-4-106023: Deny tcp src outside:203.0.113.1/1 dst inside:192.0.2.1/2 by access-group \"x\"",
        "Mar  5 2024 20:00:01 USG %%01 no tag",
        "Mar  5 2024 20:00:01 USG %%ab POLICY/6/POLICYDENY(l):x",
        "Mar  5 2024 20:00:01 USG %%01policy/6/POLICYDENY(l):x",
        "Mar  5 2024 20:00:01 USG %%01POLICY/6/POLICYDENY(long):x",
        "date=2024-03-05 time=04:12:01 logid=\"0000000013\" type=\"traffic\" srcip=203.0.113.45 action=deny",
    };
    for (std::string_view line : lines) {
        EXPECT_EQ(parse(line), ParseStatus::NotMine) << line;
    }
}

TEST_F(HuaweiUsgTest, SniffAndDetection)
{
    const std::string a = policy("POLICYDENY", kTuple), b = policy("POLICYPERMIT", kTuple);
    const std::string_view lines[] = {a, b, "Mar  5 20:00:12 logs sshd[812]: Accepted publickey"};
    EXPECT_GE(m_parser->sniff(lines).score, 80);
    const ParserRegistry registry = makeDefaultRegistry();
    const Detection d = registry.detect(lines);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "huawei-usg");
    const std::string_view other[] = {"Mar  5 20:00:12 logs sshd[812]: Accepted publickey"};
    EXPECT_EQ(m_parser->sniff(other).score, 0);
}

} // namespace
} // namespace tattle::parsers
