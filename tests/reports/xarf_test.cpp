// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/event.h"
#include "mime_support.h"
#include "reports/xarf.h"
#include "subprocess.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

namespace tattle::reports {
namespace {

constexpr core::Micros kSecond = core::kMicrosPerSecond;
// 2024-03-05T11:34:56Z
constexpr core::Micros kMarch5 = 1709638496LL * kSecond;

ReportedSource scanner()
{
    ReportedSource s;
    s.address = *core::IpAddress::parse("203.0.113.7");
    s.firstSeen = kMarch5;
    s.lastSeen = kMarch5 + 3600 * kSecond;
    s.eventCount = 40;
    s.evidence = "repeated TCP connection attempts (SYN)";
    ProbeGroup smb;
    smb.proto = core::proto::kTcp;
    smb.dstPort = 445;
    smb.count = 30;
    smb.sourcePorts = {49152, 49153};
    smb.distinctSourcePorts = 2;
    smb.destinations = {"198.51.100.2"};
    ProbeGroup rdp = smb;
    rdp.dstPort = 3389;
    rdp.count = 9;
    ProbeGroup dns = smb;
    dns.proto = core::proto::kUdp;
    dns.dstPort = 53;
    dns.count = 1;
    s.probes = {smb, rdp, dns};
    s.logLines = {
        "Mar  5 12:34:56 gw kernel: DROP SRC=203.0.113.7 DST=198.51.100.2 PROTO=TCP SPT=49152 DPT=445",
        "Mar  5 13:34:56 gw kernel: DROP SRC=203.0.113.7 DST=198.51.100.2 PROTO=TCP SPT=49153 DPT=3389 \x01"};
    s.totalLogLines = 40;
    return s;
}

ReportedSource sshBruteForce()
{
    ReportedSource s;
    s.address = *core::IpAddress::parse("2001:db8::7");
    s.firstSeen = kMarch5;
    s.lastSeen = kMarch5 + 60 * kSecond;
    s.eventCount = 120;
    ProbeGroup ssh;
    ssh.proto = core::proto::kTcp;
    ssh.dstPort = 22;
    ssh.count = 120;
    ssh.sourcePorts = {40000};
    ssh.distinctSourcePorts = 1;
    ssh.destinations = {"2001:db8::2", "2001:db8::3"};
    s.probes = {ssh};
    s.logLines = {"2024-03-05T11:34:56Z sshd[1]: Failed password for root from 2001:db8::7 port 40000 ssh2"};
    s.totalLogLines = 120;
    return s;
}

XarfOptions options()
{
    XarfOptions o;
    o.reporter = {"Jane Doe Home Network", "jane@example.org", ""};
    o.now = kMarch5 + 86400 * kSecond;
    return o;
}

nlohmann::json json(const ReportedSource& s, XarfType type, const XarfOptions& o = options())
{
    auto text = xarfV4Json(s, type, o);
    EXPECT_TRUE(text.has_value()) << (text ? "" : text.error().message);
    return text ? nlohmann::json::parse(*text) : nlohmann::json {};
}

/// The core fields every XARF v4 report must have (xarf-core.json "required"), with their formats.
void expectCoreFields(const nlohmann::json& j)
{
    for (const char* key : {"xarf_version", "report_id", "timestamp", "reporter", "sender",
             "source_identifier", "category", "type"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_TRUE(std::regex_match(j["xarf_version"].get<std::string>(), std::regex(R"(^4\.[0-9]+\.[0-9]+$)")));
    EXPECT_TRUE(std::regex_match(j["report_id"].get<std::string>(),
        std::regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")))
        << j["report_id"];
    for (const char* party : {"reporter", "sender"}) {
        EXPECT_EQ(j[party].size(), 3u) << "contact_info allows no other properties";
        EXPECT_LE(j[party]["org"].get<std::string>().size(), 200u);
    }
    const std::regex dateTime(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$)");
    for (const char* key : {"timestamp", "first_seen", "last_seen"})
        EXPECT_TRUE(std::regex_match(j[key].get<std::string>(), dateTime)) << key;
    EXPECT_EQ(j["category"], "connection");
    const std::set<std::string> protocols {"tcp", "udp", "icmp", "sctp"};
    EXPECT_TRUE(protocols.contains(j["protocol"].get<std::string>()));
    EXPECT_LE(j["description"].get<std::string>().size(), 1000u);
    const std::regex tag(R"(^[a-z0-9][a-z0-9_+-]*:[a-z0-9][a-z0-9_+.-]*$)");
    for (const auto& t : j["tags"])
        EXPECT_TRUE(std::regex_match(t.get<std::string>(), tag)) << t;
    if (j.contains("evidence")) {
        for (const auto& e : j["evidence"]) {
            EXPECT_EQ(e["content_type"], "text/plain");
            EXPECT_TRUE(std::regex_match(e["hash"].get<std::string>(), std::regex("^sha256:[0-9a-f]{64}$")));
            EXPECT_LE(e["description"].get<std::string>().size(), 500u);
        }
    }
}

TEST(Xarf, PortScanV4)
{
    const nlohmann::json j = json(scanner(), XarfType::PortScan);
    expectCoreFields(j);
    EXPECT_EQ(j["xarf_version"], "4.2.0");
    EXPECT_EQ(j["type"], "port_scan");
    EXPECT_EQ(j["source_identifier"], "203.0.113.7");
    EXPECT_FALSE(j.contains("source_port")) << "two source ports: none is the source port";
    EXPECT_EQ(j["protocol"], "tcp");
    EXPECT_EQ(j["ports_scanned"], nlohmann::json({445, 3389}));
    EXPECT_FALSE(j.contains("destination_port"));
    EXPECT_EQ(j["destination_ip"], "198.51.100.2");
    EXPECT_EQ(j["first_seen"], "2024-03-05T11:34:56Z");
    EXPECT_EQ(j["last_seen"], "2024-03-05T12:34:56Z");
    EXPECT_EQ(j["timestamp"], "2024-03-05T12:34:56Z");
    EXPECT_EQ(j["evidence_source"], "firewall_logs");
    EXPECT_EQ(j["reporter"],
        nlohmann::json::parse(
            R"({"org":"Jane Doe Home Network","contact":"jane@example.org","domain":"example.org"})"));
    EXPECT_EQ(j["sender"], j["reporter"]);
    EXPECT_EQ(j["tags"], nlohmann::json({"tool:tattle", "evidence:direct"}));
    EXPECT_NE(j["description"].get<std::string>().find("40 connection attempts to tcp ports 445, 3389"),
        std::string::npos)
        << j["description"];
    EXPECT_EQ(j["description"].get<std::string>().find("forged"), std::string::npos);
    // Report ids are new each time.
    EXPECT_NE(json(scanner(), XarfType::PortScan)["report_id"], j["report_id"]);
}

TEST(Xarf, EvidencePayloadAndHashCheckOutWithPython)
{
    const nlohmann::json j = json(scanner(), XarfType::PortScan);
    ASSERT_EQ(j["evidence"].size(), 1u);
    const auto& e = j["evidence"][0];
    EXPECT_NE(e["description"].get<std::string>().find("2 of 40"), std::string::npos);
    const std::string script = R"(
import base64, hashlib, json, sys
e = json.load(sys.stdin)
data = base64.b64decode(e["payload"], validate=True)
print(json.dumps({"text": data.decode("utf-8"), "sha256": "sha256:" + hashlib.sha256(data).hexdigest(), "size": len(data)}))
)";
    const test::RunResult run
        = test::runProgram({test::kSystemPython, "-c", script}, std::chrono::seconds(30), e.dump());
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const nlohmann::json checked = nlohmann::json::parse(run.out);
    EXPECT_EQ(checked["sha256"], e["hash"]);
    EXPECT_EQ(checked["size"], e["size"]);
    EXPECT_EQ(checked["text"],
        "Mar  5 12:34:56 gw kernel: DROP SRC=203.0.113.7 DST=198.51.100.2 PROTO=TCP SPT=49152 DPT=445\n"
        "Mar  5 13:34:56 gw kernel: DROP SRC=203.0.113.7 DST=198.51.100.2 PROTO=TCP SPT=49153 DPT=3389\n");
}

TEST(Xarf, LoginAttackV4)
{
    const nlohmann::json j = json(sshBruteForce(), XarfType::LoginAttack);
    expectCoreFields(j);
    EXPECT_EQ(j["type"], "login_attack");
    EXPECT_EQ(j["source_identifier"], "2001:db8::7");
    EXPECT_EQ(j["source_port"], 40000);
    EXPECT_EQ(j["destination_port"], 22);
    EXPECT_FALSE(j.contains("destination_ip")) << "two destinations: none is the destination";
    EXPECT_EQ(j["service"], "ssh");
    EXPECT_EQ(j["attempt_count"], 120);
    EXPECT_FALSE(j.contains("ports_scanned"));
    const auto attachment = xarfV4Attachment(sshBruteForce(), XarfType::LoginAttack, options());
    ASSERT_TRUE(attachment.has_value());
    EXPECT_EQ(attachment->fileName, "xarf-2001-db8--7.json");
    EXPECT_EQ(attachment->mediaType, "application/json");
}

TEST(Xarf, WeakEvidenceSaysTheAddressMayBeForged)
{
    ReportedSource s = scanner();
    s.weakEvidence = true;
    s.probes.resize(1);
    s.probes[0].proto = core::proto::kUdp;
    const nlohmann::json j = json(s, XarfType::PortScan);
    EXPECT_EQ(j["protocol"], "udp");
    EXPECT_NE(j["description"].get<std::string>().find("may be forged"), std::string::npos);
    EXPECT_EQ(j["tags"][1], "evidence:spoofable");
    EXPECT_EQ(j["destination_port"], 445);
}

TEST(Xarf, MaskedOwnAddressIsNeitherInFieldsNorEvidence)
{
    XarfOptions o = options();
    o.ownAddresses = {"198.51.100.2"};
    o.ownAddressMask = "[my address]";
    const auto text = xarfV4Json(scanner(), XarfType::PortScan, o);
    ASSERT_TRUE(text.has_value());
    const nlohmann::json j = nlohmann::json::parse(*text);
    EXPECT_FALSE(j.contains("destination_ip"));
    EXPECT_EQ(text->find("198.51.100.2"), std::string::npos);
    const std::string payload = j["evidence"][0]["payload"];
    EXPECT_EQ(payload.find("MTk4LjUxLjEwMC4y"), std::string::npos);
}

TEST(Xarf, HostileReporterValuesAndBadContacts)
{
    XarfOptions o = options();
    o.reporter.org = "Evil\r\n\"org\"\x01 " + std::string(500, 'x') + "\xFF";
    const nlohmann::json j = json(scanner(), XarfType::PortScan, o);
    const std::string org = j["reporter"]["org"];
    EXPECT_LE(org.size(), 200u);
    EXPECT_EQ(org.find_first_of("\r\n\x01"), std::string::npos);
    EXPECT_TRUE(org.starts_with("Evil \"org\" xxx"));

    o = options();
    o.reporter.contact = "jane@example.org\r\nBcc: x@example.com";
    EXPECT_FALSE(xarfV4Json(scanner(), XarfType::PortScan, o).has_value());
    o.reporter.contact = "";
    EXPECT_FALSE(xarfV4Json(scanner(), XarfType::PortScan, o).has_value());
    o = options();
    o.sender = {"Relay", "not an address", ""};
    EXPECT_FALSE(xarfV4Json(scanner(), XarfType::PortScan, o).has_value());
    ReportedSource gre = scanner();
    gre.probes.resize(1);
    gre.probes[0].proto = core::proto::kGre;
    const auto noConnection = xarfV4Json(gre, XarfType::PortScan, options());
    ASSERT_FALSE(noConnection.has_value());
    EXPECT_NE(noConnection.error().message.find("TCP, UDP, ICMP and SCTP"), std::string::npos);
    gre.probes.push_back(scanner().probes[2]); // one UDP probe beside many GRE packets
    gre.probes[0].count = 1000;
    EXPECT_EQ(json(gre, XarfType::PortScan)["protocol"], "udp");
    ReportedSource empty = scanner();
    empty.probes.clear();
    EXPECT_FALSE(xarfV4Json(empty, XarfType::PortScan, options()).has_value());
}

TEST(Xarf, LegacyXarf02LoginAttack)
{
    const auto report = xarf02Report(sshBruteForce(), options());
    ASSERT_TRUE(report.has_value()) << report.error().message;
    const std::regex expected("Reported-From: jane@example.org\n"
                              "Category: abuse\n"
                              "Report-Type: login-attack\n"
                              "Report-ID: [0-9a-f-]{36}@example.org\n"
                              "Date: 'Mar  5 2024 11:34:56 \\+0000'\n"
                              "Source: '2001:db8::7'\n"
                              "Source-Type: ipv6\n"
                              "Port: 22\n"
                              "Service: ssh\n"
                              "Occurrences: 120\n"
                              "Attachment: text/plain\n"
                              "Schema-URL: 'http://www.x-arf.org/schema/abuse_login-attack_0.1.2.json'\n"
                              "User-Agent: tattle [0-9.]+\n"
                              "Version: 0.2\n");
    EXPECT_TRUE(std::regex_match(*report, expected)) << *report;
    // A port scan has no X-ARF 0.2 report type.
    ReportedSource scan = scanner();
    scan.probes.resize(1);
    scan.probes[0].dstPort = 8080;
    const auto refused = xarf02Report(scan, options());
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().kind, ErrorKind::Usage);
    EXPECT_NE(refused.error().message.find("XARF v4"), std::string::npos);
}

TEST(Xarf, LegacyXarf02MessageParsesAsMimeAndYaml)
{
    MailMessage m;
    m.from = {"Jane Doe", "jane@example.org"};
    m.to = {{"", "abuse@example.net"}};
    m.subject = xarf02Subject(sshBruteForce());
    m.date = kMarch5;
    m.body = "Hello,\n\nthe address 2001:db8::7 tried to log in 120 times.\n";
    ASSERT_TRUE(makeXarf02Message(m, sshBruteForce(), options()).has_value());
    EXPECT_FALSE(makeXarf02Message(m, sshBruteForce(), options()).has_value())
        << "only once, before attachments";
    const auto composed = composeMessage(m);
    ASSERT_TRUE(composed.has_value()) << composed.error().message;
    EXPECT_NE(
        composed->bytes.find("\r\nX-XARF: PLAIN\r\nAuto-Submitted: auto-generated\r\n"), std::string::npos);
    EXPECT_EQ(m.subject, "abuse report about 2001:db8::7 - 2024-03-05T11:35:56Z");
    const nlohmann::json parsed = test::parseWithPython(composed->bytes);
    ASSERT_FALSE(parsed.is_null());
    EXPECT_TRUE(parsed["defects"].empty());
    ASSERT_EQ(parsed["parts"].size(), 3u);
    EXPECT_EQ(parsed["parts"][1]["filename"], "report.txt");
    EXPECT_EQ(parsed["parts"][2]["filename"], "logs.txt");
    const std::string script = R"(
import json, sys, yaml
print(json.dumps(yaml.safe_load(sys.stdin.read()), default=str))
)";
    const std::string report = parsed["parts"][1]["text"];
    const test::RunResult run
        = test::runProgram({test::kSystemPython, "-c", script}, std::chrono::seconds(30), report);
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const nlohmann::json yaml = nlohmann::json::parse(run.out);
    EXPECT_EQ(yaml["Source"], "2001:db8::7");
    EXPECT_EQ(yaml["Port"], 22);
    EXPECT_EQ(yaml["Report-Type"], "login-attack");
    EXPECT_EQ(yaml["Date"], "Mar  5 2024 11:34:56 +0000");
    EXPECT_EQ(yaml["Version"], 0.2);
}

TEST(Xarf, Sha256MatchesFipsVectors)
{
    EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256Hex(std::string(1000000, 'a')),
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

} // namespace
} // namespace tattle::reports
