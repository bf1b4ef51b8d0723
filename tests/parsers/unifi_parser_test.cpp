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

std::string cef(std::string_view name, std::string_view extension)
{
    return "Mar  5 13:00:01 UDM-Pro CEF:0|Ubiquiti|UniFi Network|9.4.19|201|" + std::string(name) + "|7|"
        + std::string(extension);
}

class UnifiTest : public ::testing::Test {
protected:
    ParseStatus parse(std::string_view line, std::string_view zone = "UTC")
    {
        auto lp = m_parser->open(contextIn(zone));
        reason.clear();
        return lp->parse(line, ev, reason);
    }

    std::unique_ptr<core::Parser> m_parser = makeUnifiParser();
    core::Event ev;
    std::string reason;
};

TEST_F(UnifiTest, GoldenRecords)
{
    test::expectGolden(*m_parser, contextIn("Europe/Paris"), "unifi", "records");
}

TEST_F(UnifiTest, GoldenBrokenLines)
{
    test::expectGolden(*m_parser, contextIn("UTC"), "unifi", "broken");
}

struct VerdictCase {
    std::string_view name, act;
    Action expected;
};

TEST_F(UnifiTest, Verdicts)
{
    const VerdictCase cases[] = {
        {"Threat Detected and Blocked", "", Action::Block},
        {"Threat Detected", "", Action::Allow},
        {"Blocked by Firewall", "", Action::Block},
        {"Dropped by Firewall", "", Action::Block},
        {"Connection Denied", "", Action::Block},
        {"Allowed by Firewall", "", Action::Allow},
        {"Threat Detected", "blocked", Action::Block}, // act= wins over the name
        {"Threat Detected and Blocked", "allowed", Action::Allow},
        {"Something", "drop", Action::Block},
        {"Something", "reject", Action::Block},
        {"Something", "deny", Action::Block},
        {"Something", "alert", Action::Allow},
    };
    for (const auto& c : cases) {
        std::string ext
            = "proto=TCP src=203.0.113.1 spt=1 dst=192.0.2.1 dpt=2 UNIFIutcTime=2024-03-05T12:00:00Z";
        if (!c.act.empty()) ext += " act=" + std::string(c.act);
        ASSERT_EQ(parse(cef(c.name, ext)), ParseStatus::Event) << reason;
        EXPECT_EQ(ev.action, c.expected) << c.name << " / " << c.act;
    }
}

TEST_F(UnifiTest, ExtensionValuesRunToTheNextKey)
{
    ASSERT_EQ(
        parse(cef("Threat Detected and Blocked",
            "proto=TCP src=203.0.113.1 spt=1 dst=192.0.2.1 dpt=2 UNIFIpolicyName=Block all the bad\\=ugly "
            "hosts UNIFIipsSignature=ET  two  spaces UNIFIipsSignatureId=42 deviceInboundInterface=Internet "
            "1 "
            "UNIFIsrcZone=External UNIFIdstZone=Internal UNIFIdstClientAlias=NAS UNIFIdeviceName=Express 7 "
            "UNIFIrisk=high app=SSH UNIFIpolicyType=IDS/IPS UNIFIcategory=Security "
            "UNIFIsubCategory=Intrusion "
            "Prevention UNIFIutcTime=2024-03-05T12:00:00Z msg=x=y is not a key, a b=c is")),
        ParseStatus::Event)
        << reason;
    EXPECT_EQ(ev.rule, "Block all the bad\\=ugly hosts");
    EXPECT_EQ(ev.iface, "Internet 1");
    const auto x = nlohmann::json::parse(ev.extra);
    EXPECT_EQ(x.at("name"), "Threat Detected and Blocked");
    EXPECT_EQ(x.at("class_id"), 201);
    EXPECT_EQ(x.at("severity"), 7);
    EXPECT_EQ(x.at("policy"), "Block all the bad\\=ugly hosts");
    EXPECT_EQ(x.at("policy_type"), "IDS/IPS");
    EXPECT_EQ(x.at("signature"), "ET  two  spaces");
    EXPECT_EQ(x.at("signature_id"), 42);
    EXPECT_EQ(x.at("risk"), "high");
    EXPECT_EQ(x.at("app"), "SSH");
    EXPECT_EQ(x.at("src_zone"), "External");
    EXPECT_EQ(x.at("dst_zone"), "Internal");
    EXPECT_EQ(x.at("dst_client"), "NAS");
    EXPECT_EQ(x.at("device"), "Express 7");
    EXPECT_EQ(x.at("category"), "Security");
    EXPECT_EQ(x.at("subcategory"), "Intrusion Prevention");
    // Without a policy name, the signature id is the rule.
    ASSERT_EQ(parse(cef("Threat Detected",
                  "proto=UDP src=203.0.113.1 UNIFIipsSignatureId=2402000 dpt=53 "
                  "UNIFIutcTime=2024-03-05T12:00:00Z")),
        ParseStatus::Event);
    EXPECT_EQ(ev.rule, "2402000");
    EXPECT_FALSE(ev.dst.isValid());
    EXPECT_EQ(ev.dstPort, 53);
}

TEST_F(UnifiTest, NonConnectionRecordsAreIgnored)
{
    const std::string_view lines[] = {
        "CEF:0|Ubiquiti|UniFi Network|9.4.19|544|Admin Accessed UniFi Network|1|UNIFIcategory=System "
        "src=192.0.2.5 "
        "msg=x",
        "CEF:0|Ubiquiti|UniFi Network|10.0.162|402|WiFi Client Roamed|1|UNIFIclientAlias=laptop msg=x",
        "CEF:0|Ubiquiti|UniFi Network|10.0.162|400|WiFi Client Connected|1|",
        "Aug 05 20:34:54 pandora CEF:0|Ubiquiti|UniFi OS|4.3.6|admins|1|msg=x accessed the UniFi OS. Source "
        "IP: "
        "198.51.100.1",
        "CEF:0|Ubiquiti|UniFi Protect|4.0|motion|Motion|1|src=192.0.2.9 dst=192.0.2.10",
        "CEF:0|Ubiquiti|UniFi OS",
    };
    for (std::string_view line : lines) {
        EXPECT_EQ(parse(line), ParseStatus::Ignored) << line << ": " << reason;
    }
}

TEST_F(UnifiTest, Times)
{
    struct Case {
        std::string line;
        std::string_view utc;
        bool guessed = false;
    };
    const std::string conn = "proto=TCP src=203.0.113.1 spt=1 dst=192.0.2.1 dpt=2";
    const Case cases[] = {
        {cef("Blocked", conn + " UNIFIutcTime=2024-07-01T10:00:00.5Z"), "2024-07-01T10:00:00.5Z"},
        {cef("Blocked", conn + " rt=1719828000000"), "2024-07-01T10:00:00Z"},
        {cef("Blocked", conn + " rt=1719828000"), "2024-07-01T10:00:00Z"},
        {cef("Blocked", conn + " rt=Jul 01 2024 12:00:00"), "2024-07-01T10:00:00Z"},
        // UNIFIutcTime= wins over rt= and the header.
        {cef("Blocked", conn + " rt=1 UNIFIutcTime=2024-07-01T10:00:00Z"), "2024-07-01T10:00:00Z"},
        // The syslog header's time is local.
        {"Jul  1 12:00:00 UDM CEF:0|Ubiquiti|UniFi Network|9|300|Blocked|4|" + conn, "2024-07-01T10:00:00Z"},
        {"<14>1 2024-07-01T10:00:00Z UDM - - - - CEF:0|Ubiquiti|UniFi Network|9|300|Blocked|4|" + conn,
            "2024-07-01T10:00:00Z"},
        {cef("Blocked", conn + " UNIFIutcTime=2024-07-01T10:00:00"), ""}, // no zone
        {cef("Blocked", conn + " rt=Jul 01 2024 25:00:00"), ""},
        {"CEF:0|Ubiquiti|UniFi Network|9|300|Blocked|4|" + conn, ""},
    };
    for (const auto& c : cases) {
        if (c.utc.empty()) {
            EXPECT_EQ(parse(c.line, "Europe/Paris"), ParseStatus::Malformed) << c.line;
            continue;
        }
        ASSERT_EQ(parse(c.line, "Europe/Paris"), ParseStatus::Event) << c.line << ": " << reason;
        EXPECT_EQ(core::formatRfc3339(ev.time), c.utc) << c.line;
        EXPECT_EQ(ev.timeGuessed, c.guessed) << c.line;
    }
}

TEST_F(UnifiTest, HostileInput)
{
    EXPECT_EQ(parse(""), ParseStatus::NotMine);
    EXPECT_EQ(parse(std::string(10 * 1024 * 1024, '|')), ParseStatus::NotMine);
    std::string equals = cef("Blocked", "src=203.0.113.1 dpt=1 rt=1 msg=");
    equals += std::string(4 * 1024 * 1024, '=');
    EXPECT_EQ(parse(equals), ParseStatus::Event);
    std::string keys = cef("Blocked", "src=203.0.113.1 dpt=1 rt=1");
    for (int i = 0; i < 200000; ++i)
        keys += " k=v";
    EXPECT_EQ(parse(keys), ParseStatus::Event);
    std::string escapes = "CEF:0|Ubiquiti|UniFi Network" + std::string(1024 * 1024, '\\');
    EXPECT_NE(parse(escapes), ParseStatus::Event);
    ASSERT_EQ(parse(cef("Blocked\x01",
                  "src=203.0.113.1 dpt=1 rt=1 deviceInboundInterface=e\x02\xff "
                  "UNIFIpolicyName=p\x7f")),
        ParseStatus::Event);
    EXPECT_EQ(ev.iface.find('\x02'), std::string::npos);
    EXPECT_EQ(ev.rule.find('\x7f'), std::string::npos);
    EXPECT_TRUE(nlohmann::json::accept(ev.extra));
}

TEST_F(UnifiTest, OtherLinesAreNotMine)
{
    const std::string_view lines[] = {
        "Mar  5 13:00:10 host CEF:0|Fortinet|FortiGate|7.2|13|traffic|3|src=203.0.113.12 dst=192.0.2.10 "
        "proto=6",
        "CEF:0|Check Point|VPN-1 & FireWall-1|Check Point|Drop|Drop|5|src=203.0.113.12",
        "Mar  5 13:00:11 UDM-Pro [WAN_LOCAL-D-2147483647] DESCR=\"Block All\" IN=eth8 OUT= SRC=203.0.113.13 "
        "DST=192.0.2.1 PROTO=TCP SPT=1 DPT=2",
        "0|Fortinet|x",
        "CEF:",
        "CEF:0",
    };
    for (std::string_view line : lines) {
        EXPECT_EQ(parse(line), ParseStatus::NotMine) << line;
    }
    // A relay that cut "CEF:" off still leaves a UniFi record (as in CrowdSec's test data).
    EXPECT_EQ(
        parse("0|Ubiquiti|UniFi Network|9|201|Threat Detected and Blocked|7|proto=TCP src=203.0.113.1 dpt=1 "
              "rt=1"),
        ParseStatus::Event);
}

TEST_F(UnifiTest, SniffAndDetection)
{
    const std::string a = cef("Threat Detected and Blocked", "proto=TCP src=203.0.113.1 dpt=1 rt=1");
    const std::string_view lines[] = {a, a, "Mar  5 13:00:12 UDM-Pro sshd[812]: Accepted publickey"};
    EXPECT_GE(m_parser->sniff(lines).score, 80);
    const ParserRegistry registry = makeDefaultRegistry();
    const Detection d = registry.detect(lines);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "unifi");
    const std::string_view other[] = {"Mar  5 13:00:12 UDM-Pro sshd[812]: Accepted publickey"};
    EXPECT_EQ(m_parser->sniff(other).score, 0);
    // UniFi's iptables lines stay netfilter's.
    const std::string_view iptables[] = {"Mar  5 13:00:11 UDM-Pro [WAN_LOCAL-D-2147483647] DESCR=\"Block "
                                         "All\" IN=eth8 OUT= MAC=00 SRC=203.0.113.13 "
                                         "DST=192.0.2.1 LEN=40 PROTO=TCP SPT=1 DPT=2"};
    EXPECT_EQ(m_parser->sniff(iptables).score, 0);
}

} // namespace
} // namespace tattle::parsers
