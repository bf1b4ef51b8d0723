// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/event.h"
#include "mime_support.h"
#include "reports/complaint_message.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tattle::reports {
namespace {

constexpr core::Micros kSecond = core::kMicrosPerSecond;
// 2024-03-05T11:34:56Z
constexpr core::Micros kMarch5 = 1709638496LL * kSecond;

ReportedSource source(std::string_view address, int port)
{
    ReportedSource s;
    s.address = *core::IpAddress::parse(address);
    s.firstSeen = kMarch5;
    s.lastSeen = kMarch5 + 600 * kSecond;
    s.eventCount = 12;
    s.evidence = "repeated TCP connection attempts";
    ProbeGroup p;
    p.proto = core::proto::kTcp;
    p.dstPort = port;
    p.count = 12;
    p.firstSeen = s.firstSeen;
    p.lastSeen = s.lastSeen;
    p.destinations = {"198.51.100.2"};
    s.probes = {p};
    s.logLines
        = {"Mar  5 12:34:56 gw kernel: DROP SRC=" + std::string(address) + " DPT=" + std::to_string(port)};
    s.totalLogLines = 12;
    return s;
}

Complaint complaint()
{
    Complaint c;
    c.contactName = "Example Networks abuse team";
    c.contactEmail = "abuse@example.net";
    c.reporter = {"Jane Doe", "jane@example.org", "", "Europe/Berlin (UTC+01:00)", ""};
    c.createdAt = kMarch5 + 86400 * kSecond;
    c.sources = {source("203.0.113.7", 445), source("2001:db8::9", 22)};
    return c;
}

ComplaintMessageOptions options(MachineReadable machineReadable = MachineReadable::None)
{
    ComplaintMessageOptions o;
    o.from = {"Jane Doe", "jane@example.org"};
    o.utcOffsetSeconds = 3600;
    o.machineReadable = machineReadable;
    return o;
}

Template defaultTemplate()
{
    auto t
        = Template::load(std::filesystem::path(TATTLE_RESOURCES_DIR) / "templates" / "abuse-complaint.txt");
    EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message);
    return t ? *t : *Template::parse("", "empty");
}

TEST(ComplaintMessage, TextAndOneXarfDocumentPerSource)
{
    auto m = complaintMessage(complaint(), defaultTemplate(), options(MachineReadable::XarfV4));
    ASSERT_TRUE(m.has_value()) << m.error().message;
    const auto composed = composeMessage(*m);
    ASSERT_TRUE(composed.has_value()) << composed.error().message;
    test::expectWellFormedLines(composed->bytes);
    EXPECT_TRUE(composed->bytes.starts_with("Date: Wed, 06 Mar 2024 12:34:56 +0100\r\n"));
    EXPECT_NE(composed->bytes.find("\r\nX-Mailer: tattle "), std::string::npos);
    EXPECT_EQ(composed->bytes.find("X-Unsent"), std::string::npos);
    const nlohmann::json parsed = test::parseWithPython(composed->bytes);
    ASSERT_FALSE(parsed.is_null());
    EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
    EXPECT_EQ(parsed["to"], nlohmann::json::parse(R"([["","abuse@example.net"]])"));
    EXPECT_EQ(
        parsed["subject"], "Unsolicited connection attempts from 2 addresses in your network, 2024-03-05");
    ASSERT_EQ(parsed["parts"].size(), 3u);
    EXPECT_NE(parsed["parts"][0]["text"].get<std::string>().find("Hello Example Networks abuse team,"),
        std::string::npos);
    EXPECT_EQ(parsed["parts"][1]["filename"], "xarf-203.0.113.7.json");
    EXPECT_EQ(parsed["parts"][2]["filename"], "xarf-2001-db8--9.json");
}

TEST(ComplaintMessage, DraftsForMailClientsAreMarkedUnsent)
{
    ComplaintMessageOptions o = options();
    o.draft = true;
    auto m = complaintMessage(complaint(), defaultTemplate(), o);
    ASSERT_TRUE(m.has_value());
    const auto composed = composeMessage(*m);
    ASSERT_TRUE(composed.has_value());
    EXPECT_NE(composed->bytes.find("\r\nX-Unsent: 1\r\n"), std::string::npos);
    EXPECT_EQ(composed->bytes.find("multipart"), std::string::npos) << "no attachment: a single text part";
}

TEST(ComplaintMessage, LegacyXarf02OnlyForOneLoginAttackSource)
{
    const auto two = complaintMessage(complaint(), defaultTemplate(), options(MachineReadable::Xarf02));
    ASSERT_FALSE(two.has_value());
    EXPECT_EQ(two.error().kind, ErrorKind::Usage);
    EXPECT_NE(two.error().message.find("covers 2"), std::string::npos);

    Complaint ssh = complaint();
    ssh.sources.erase(ssh.sources.begin());
    auto m = complaintMessage(ssh, defaultTemplate(), options(MachineReadable::Xarf02));
    ASSERT_TRUE(m.has_value()) << m.error().message;
    EXPECT_EQ(m->subject, "abuse report about 2001:db8::9 - 2024-03-05T11:44:56Z");
    ASSERT_EQ(m->attachments.size(), 2u);
    EXPECT_EQ(m->attachments[0].fileName, "report.txt");

    Complaint web = complaint();
    web.sources.pop_back();
    web.sources[0].probes[0].dstPort = 8080; // not a login service
    EXPECT_FALSE(complaintMessage(web, defaultTemplate(), options(MachineReadable::Xarf02)).has_value());
}

TEST(ComplaintMessage, ErrorsFromTheContactAndTheTemplate)
{
    Complaint c = complaint();
    c.contactEmail = "abuse@example.net\r\nBcc: victim@example.com";
    const auto bad = complaintMessage(c, defaultTemplate(), options());
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("abuse contact address"), std::string::npos) << bad.error().message;

    auto tmpl = Template::parse("Subject: x\nHello {{contact}}\n", "mine.txt");
    ASSERT_TRUE(tmpl.has_value());
    const auto unfilled = complaintMessage(complaint(), *tmpl, options());
    ASSERT_FALSE(unfilled.has_value());
    EXPECT_EQ(unfilled.error().message, "mine.txt:2: the placeholder {{contact}} has no value.");
}

TEST(ComplaintMessage, EmlFileNamesAreSafe)
{
    Complaint c = complaint();
    EXPECT_EQ(emlFileName(c), "2024-03-06-abuse@example.net.eml");
    EXPECT_EQ(emlFileName(c, 2), "2024-03-06-abuse@example.net-2.eml");
    c.contactEmail = "../../etc/passwd\r\n\0x";
    const std::string name = emlFileName(c);
    EXPECT_EQ(name.find('/'), std::string::npos);
    EXPECT_EQ(name.find_first_of(std::string("\r\n\0", 3)), std::string::npos);
}

} // namespace
} // namespace tattle::reports
