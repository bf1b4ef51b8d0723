// SPDX-License-Identifier: GPL-3.0-or-later
// The reader for mixed files (parsers/mixed_parser.h): a central syslog with netfilter, SonicWall and ipfw
// records between other programs' lines, detected as "mixed" and read line by line by the format that
// claims each line.
#include "core/event.h"
#include "parser_golden.h"
#include "parsers/builtin_parsers.h"
#include "parsers/format_loader.h"
#include "parsers/mixed_parser.h"
#include "test_support.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tattle::test {
namespace {

namespace fs = std::filesystem;
using core::ParseStatus;

const parsers::ParserRegistry& registry()
{
    static const parsers::LoadedRegistry r
        = parsers::buildRegistry(fs::path(TATTLE_RESOURCES_DIR) / "formats", fs::path());
    return r.registry;
}

core::ParseContext context()
{
    core::ParseContext ctx; // UTC
    ctx.year = 2024;
    ctx.fileName = "central-syslog.log";
    return ctx;
}

std::vector<std::string_view> headOf(std::string_view text)
{
    std::vector<std::string_view> head;
    for (std::string_view line : splitLines(text)) {
        if (!line.empty()) head.push_back(line);
    }
    return head;
}

TEST(MixedParser, IsChosenForACentralSyslogWithSeveralFirewalls)
{
    const std::string text = readFile(dataDir() / "logs" / "mixed" / "central-syslog.log");
    const parsers::Detection d = registry().detect(headOf(text));
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), parsers::kMixedParserId);
    ASSERT_FALSE(d.candidates.empty());
    EXPECT_EQ(d.candidates.front().id, parsers::kMixedParserId);
    EXPECT_NE(d.candidates.front().reason.find("2 netfilter"), std::string::npos)
        << d.candidates.front().reason;
    EXPECT_NE(d.candidates.front().reason.find("2 sonicwall"), std::string::npos)
        << d.candidates.front().reason;
    EXPECT_NE(d.candidates.front().reason.find("2 ipfw"), std::string::npos) << d.candidates.front().reason;
}

TEST(MixedParser, ReadsEachLineWithTheFormatThatClaimsIt)
{
    const core::Parser* mixed = registry().find(parsers::kMixedParserId);
    ASSERT_NE(mixed, nullptr);
    expectGolden(*mixed, context(), "mixed", "central-syslog");
}

TEST(MixedParser, RecordsEachEventsFormatInItsExtraFields)
{
    const core::Parser* mixed = registry().find(parsers::kMixedParserId);
    ASSERT_NE(mixed, nullptr);
    const std::string text = readFile(dataDir() / "logs" / "mixed" / "central-syslog.log");
    auto lp = mixed->open(context());
    core::Event e;
    std::string reason;
    std::map<std::size_t, std::string> formats;
    const auto lines = splitLines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lp->parse(lines[i], e, reason) != ParseStatus::Event) continue;
        const auto doc = nlohmann::json::parse(e.extra, nullptr, false);
        ASSERT_TRUE(doc.is_object()) << e.extra;
        formats[i + 1] = doc.value("format", "");
        // The member's own details stay, after the format.
        if (formats[i + 1] == "sonicwall") {
            EXPECT_TRUE(doc.contains("m")) << e.extra;
        }
        EXPECT_TRUE(e.extra.starts_with("{\"format\":")) << e.extra;
    }
    const std::map<std::size_t, std::string> want
        = {{2, "netfilter"}, {3, "sonicwall"}, {4, "ipfw"}, {6, "netfilter"}, {8, "ipfw"}, {11, "sonicwall"}};
    EXPECT_EQ(formats, want);
}

TEST(MixedParser, IsNotChosenForAFileOfOneFormat)
{
    const std::vector<std::string_view> head = {
        "Mar  5 10:00:03 mac ipfw: 100 Deny TCP 203.0.113.74:4835 192.0.2.111:6881 in via en1",
        "Mar  5 10:00:04 mac ipfw: 100 Deny TCP 203.0.113.74:4836 192.0.2.111:6881 in via en1",
        "Mar  5 10:00:05 gw sshd[412]: Accepted publickey for admin from 192.0.2.5 port 50022 ssh2",
        // One record of another format is not a mixture: it needs two.
        "Mar  5 10:00:06 sw1 id=firewall sn=0006B1000001 time=\"2024-03-05 10:00:06\" m=36 msg=\"TCP "
        "connection "
        "dropped\" src=198.51.100.27:4507:WAN dst=192.0.2.2:445:LAN",
    };
    const parsers::Detection d = registry().detect(head);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "ipfw");
    for (const auto& c : d.candidates) {
        if (c.id == parsers::kMixedParserId) {
            EXPECT_EQ(c.score, 0);
            EXPECT_NE(c.reason.find("not a mixture"), std::string::npos) << c.reason;
        }
    }
}

TEST(MixedParser, AMemberThatCallsForeignLinesMalformedDoesNotSwampTheFile)
{
    // ZoneAlarm calls any comma-less line Malformed; in a syslog file without ZoneAlarm records it must
    // not turn sshd's lines into errors.
    parsers::ParserRegistry members;
    parsers::registerBuiltinParsers(members);
    const auto mixed = parsers::makeMixedParser(std::move(members));
    auto lp = mixed->open(context());
    core::Event e;
    std::string reason;
    EXPECT_EQ(lp->parse("Mar  5 10:00:04 gw sshd[412]: Accepted publickey for admin", e, reason),
        ParseStatus::NotMine);
    EXPECT_EQ(lp->parse("", e, reason), ParseStatus::NotMine);
    EXPECT_EQ(lp->parse(std::string(1 << 20, '\xff'), e, reason), ParseStatus::NotMine);
}

} // namespace
} // namespace tattle::test
