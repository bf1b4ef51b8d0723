// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/event.h"
#include "reports/complaint.h"
#include "test_support.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <string>

namespace tattle::reports {
namespace {

constexpr core::Micros kSecond = core::kMicrosPerSecond;
// 2024-03-05T11:34:56Z
constexpr core::Micros kMarch5 = 1709638496LL * kSecond;

Complaint sampleComplaint()
{
    Complaint c;
    c.contactName = "Example Networks abuse team";
    c.contactEmail = "abuse@example.net";
    c.reporter = {
        "Jane Doe", "jane@example.org", "", "Europe/Berlin (UTC+01:00)", "its clock is kept in sync by NTP"};
    c.createdAt = kMarch5 + 86400 * kSecond;
    c.ownAddresses = {"198.51.100.2"};

    ReportedSource scanner;
    scanner.address = *core::IpAddress::parse("203.0.113.7");
    scanner.network = "203.0.113.0/24";
    scanner.asn = "AS64496";
    scanner.asName = "EXAMPLE-NET";
    scanner.firstSeen = kMarch5;
    scanner.lastSeen = kMarch5 + 3600 * kSecond;
    scanner.eventCount = 1234;
    scanner.evidence = "repeated TCP connection attempts (SYN) over an hour";
    ProbeGroup smb;
    smb.proto = core::proto::kTcp;
    smb.dstPort = 445;
    smb.service = "SMB / Microsoft-DS (TCP 445)";
    smb.meaning = "Windows file sharing. Worms and ransomware spread through it; nobody outside my network "
                  "has a reason to connect to it.";
    smb.count = 1200;
    smb.firstSeen = kMarch5;
    smb.lastSeen = kMarch5 + 3600 * kSecond;
    smb.sourcePorts = {49152, 50000, 61000};
    smb.distinctSourcePorts = 1100;
    smb.destinations = {"198.51.100.2"};
    ProbeGroup rdp = smb;
    rdp.dstPort = 3389;
    rdp.service = "RDP (TCP 3389)";
    rdp.meaning = "Remote Desktop.";
    rdp.count = 34;
    rdp.sourcePorts = {51000, 51001};
    rdp.distinctSourcePorts = 2;
    scanner.probes = {rdp, smb};
    for (int i = 0; i < 25; ++i)
        scanner.logLines.push_back("Mar  5 12:" + std::to_string(34 + i % 20)
            + ":56 gw kernel: DROP IN=eth0 SRC=203.0.113.7 DST=198.51.100.2 PROTO=TCP SPT=49152 DPT=445 SYN");
    scanner.logLines.push_back(
        "Mar  5 12:59:00 gw kernel: DROP SRC=203.0.113.7 DST=198.51.100.23 \x1b[31m\r\nBcc: x");
    scanner.totalLogLines = 1234;

    ReportedSource weak;
    weak.address = *core::IpAddress::parse("203.0.113.99");
    weak.network = "203.0.113.0/24";
    weak.asn = "AS64496";
    weak.firstSeen = kMarch5 + 7200 * kSecond;
    weak.lastSeen = kMarch5 + 7200 * kSecond;
    weak.eventCount = 1;
    weak.weakEvidence = true;
    weak.evidence = "a single UDP packet";
    ProbeGroup dns;
    dns.proto = core::proto::kUdp;
    dns.dstPort = 53;
    dns.service = "DNS (UDP 53)";
    dns.count = 1;
    dns.firstSeen = dns.lastSeen = weak.firstSeen;
    dns.sourcePorts = {5353};
    dns.distinctSourcePorts = 1;
    weak.probes = {dns};
    weak.logLines
        = {"Mar  5 13:34:56 gw kernel: DROP SRC=203.0.113.99 DST=198.51.100.2 PROTO=UDP SPT=5353 DPT=53"};
    weak.totalLogLines = 1;
    c.sources = {scanner, weak};
    return c;
}

Template defaultTemplate()
{
    auto t
        = Template::load(std::filesystem::path(TATTLE_RESOURCES_DIR) / "templates" / "abuse-complaint.txt");
    EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message);
    return t ? *t : *Template::parse("", "empty");
}

TEST(Complaint, DefaultTemplateMatchesTheGoldenText)
{
    Complaint c = sampleComplaint();
    c.ownAddressMask = "[my address]";
    const auto rendered = renderComplaint(defaultTemplate(), c);
    ASSERT_TRUE(rendered.has_value()) << rendered.error().message;
    EXPECT_EQ(
        rendered->subject, "Unsolicited connection attempts from 2 addresses in your network, 2024-03-05");
    const auto golden = test::dataDir() / "reports" / "abuse-complaint.golden.txt";
    if (std::getenv("TATTLE_UPDATE_GOLDEN")) test::writeFile(golden, rendered->body);
    EXPECT_EQ(rendered->body, test::readFile(golden)) << "set TATTLE_UPDATE_GOLDEN=1 to rewrite " << golden;
}

TEST(Complaint, DefaultTemplateSaysWhatAbuseDesksNeed)
{
    Complaint c = sampleComplaint();
    const auto rendered = renderComplaint(defaultTemplate(), c);
    ASSERT_TRUE(rendered.has_value()) << rendered.error().message;
    const std::string& body = rendered->body;
    for (const std::string needed : {
             "Hello Example Networks abuse team,",
             "203.0.113.7",
             "203.0.113.99",
             "Network: 203.0.113.0/24, AS64496 EXAMPLE-NET",
             "2024-03-05T11:34:56Z",
             "2024-03-05T12:34:56Z",
             "UTC",
             "+00:00",
             "Europe/Berlin (UTC+01:00); its clock is kept in sync by NTP",
             "- SMB / Microsoft-DS (TCP 445): 1,200 times from",
             "1,100 different source ports (49152-61000)",
             "source ports 51000, 51001",
             "to 198.51.100.2",
             "- DNS (UDP 53): 1 time at 2024-03-05T13:34:56Z, from source port 5353.",
             "Windows file sharing.",
             "Entries:    1,234",
             "Original log lines (20 of 1,234 lines shown; the others are alike):",
             "    Mar  5 12:34:56 gw kernel: DROP IN=eth0 SRC=203.0.113.7 DST=198.51.100.2 PROTO=TCP",
             "The address may be forged",
             "Please investigate",
             "Jane Doe\njane@example.org",
         })
        EXPECT_NE(body.find(needed), std::string::npos) << "missing: " << needed << "\n" << body;
    EXPECT_EQ(body.find("{{"), std::string::npos);
    // The forged-address note appears once for the weak source, not for the strong one.
    const std::size_t weakStart = body.find("======== 203.0.113.99");
    ASSERT_NE(weakStart, std::string::npos);
    EXPECT_EQ(body.find("The address may be forged"), body.find("The address may be forged", weakStart));
    // Bounded excerpt: 20 lines of the first source, 1 of the second.
    std::size_t lines = 0;
    for (std::size_t p = 0; (p = body.find("gw kernel:", p)) != std::string::npos; ++p)
        ++lines;
    EXPECT_EQ(lines, 21u);

    // Without weak sources the general note disappears too.
    c.sources.pop_back();
    const auto strong = renderComplaint(defaultTemplate(), c);
    ASSERT_TRUE(strong.has_value());
    EXPECT_EQ(strong->body.find("forge"), std::string::npos);
    EXPECT_EQ(strong->subject, "Unsolicited connection attempts from 203.0.113.7 (AS64496), 2024-03-05");
}

TEST(Complaint, HostileLogLinesStayOneLine)
{
    Complaint c = sampleComplaint();
    c.sources[0].logLines = {"a\r\nBcc: x@example.com\x1b[31m\x00z" + std::string(1000, 'y')};
    const TemplateValues v = complaintValues(c);
    const std::string excerpt = v.lists.at("sources")[0].text.at("log_excerpt");
    EXPECT_EQ(excerpt.find_first_of("\r\n\x1b"), std::string::npos) << excerpt;
    EXPECT_LE(excerpt.size(), 303u);
    EXPECT_TRUE(excerpt.ends_with("..."));
}

TEST(Complaint, OwnAddressesAreMaskedOnlyWhereTheyStandAlone)
{
    const std::vector<std::string> own {"198.51.100.2", "2001:db8::2"};
    EXPECT_EQ(maskAddresses("DST=198.51.100.2 PROTO=TCP", own, "[me]"), "DST=[me] PROTO=TCP");
    EXPECT_EQ(maskAddresses("DST=198.51.100.23 x", own, "[me]"), "DST=198.51.100.23 x");
    EXPECT_EQ(maskAddresses("1198.51.100.2 198.51.100.2.5 198.51.100.2.", own, "[me]"),
        "1198.51.100.2 198.51.100.2.5 [me].");
    EXPECT_EQ(maskAddresses("to 2001:db8::2, not 2001:db8::23", own, "[me]"), "to [me], not 2001:db8::23");
    EXPECT_EQ(maskAddresses("198.51.100.2198.51.100.2", own, "x"), "198.51.100.2198.51.100.2");

    Complaint c = sampleComplaint();
    c.ownAddressMask = "[my address]";
    const TemplateValues v = complaintValues(c);
    const auto& source = v.lists.at("sources")[0];
    EXPECT_EQ(source.text.at("log_excerpt").find("198.51.100.2 "), std::string::npos);
    EXPECT_NE(source.text.at("log_excerpt").find("DST=[my address]"), std::string::npos);
    EXPECT_EQ(source.lists.at("probes")[0].text.at("destinations"), "[my address]");
}

TEST(Complaint, UserTemplatesCanLayOutTheListsThemselves)
{
    auto t = Template::parse("{{#sources}}{{address}}:{{#probes}} {{protocol}}/{{port}}x{{count}}{{/probes}};"
                             "{{#log_lines}}[{{line}}]{{/log_lines}}\n{{/sources}}",
        "custom.txt");
    ASSERT_TRUE(t.has_value());
    Complaint c = sampleComplaint();
    c.sources[0].logLines.resize(2);
    const auto rendered = renderComplaint(*t, c);
    ASSERT_TRUE(rendered.has_value()) << rendered.error().message;
    EXPECT_EQ(rendered->subject, complaintSubject(c));
    EXPECT_EQ(rendered->body,
        "203.0.113.7: TCP/3389x34 TCP/445x1,200;[" + c.sources[0].logLines[0] + "]["
            + c.sources[0].logLines[1] + "]\n203.0.113.99: UDP/53x1;[" + c.sources[1].logLines[0] + "]\n");
}

TEST(Complaint, Helpers)
{
    EXPECT_EQ(formatCount(0), "0");
    EXPECT_EQ(formatCount(999), "999");
    EXPECT_EQ(formatCount(1000), "1,000");
    EXPECT_EQ(formatCount(1234567), "1,234,567");
    EXPECT_EQ(wrapText("aaa bbb ccc ddd", 7, "", "  "), "aaa bbb\n  ccc\n  ddd");
    EXPECT_EQ(wrapText("averyveryverylongword x", 5, "> ", "  "), "> averyveryverylongword\n  x");
}

} // namespace
} // namespace tattle::reports
