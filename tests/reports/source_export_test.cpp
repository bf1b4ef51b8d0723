// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/source_export.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tattle::reports {
namespace {

using nlohmann::json;

core::Micros at(std::string_view rfc3339)
{
    const auto t = core::parseRfc3339(rfc3339);
    EXPECT_TRUE(t.has_value()) << rfc3339;
    return t.value_or(0);
}

std::vector<core::SourceSummary> sampleSources()
{
    core::SourceSummary smb;
    smb.src = core::IpAddress::parse("203.0.113.45").value();
    smb.events = 5;
    smb.blocked = 5;
    smb.firstSeen = at("2003-12-05T22:34:50Z");
    smb.lastSeen = at("2003-12-05T22:34:54Z");
    smb.ports = {445};
    smb.protocols = {"tcp"};
    smb.categories = {"smb"};

    core::SourceSummary scan;
    scan.src = core::IpAddress::parse("2001:0db8:0:0::0abc").value();
    scan.events = 3;
    scan.blocked = 2;
    scan.firstSeen = at("2003-07-01T10:00:00Z");
    scan.lastSeen = at("2003-07-01T10:00:06.5Z");
    scan.ports = {22, 23, 135, 4444};
    scan.protocols = {"tcp", "udp"};
    scan.categories = {"ssh", "telnet", "rpc-epmap", "blaster-shell"};
    scan.patterns = {"blaster"};

    core::SourceSummary ping;
    ping.src = core::IpAddress::parse("198.51.100.77").value();
    ping.events = 1;
    ping.blocked = 1;
    ping.firstSeen = ping.lastSeen = at("2003-12-05T22:35:00Z");
    ping.protocols = {"icmp"};
    ping.categories = {"ping"};
    return {smb, scan, ping};
}

json writtenJson(const std::vector<core::SourceSummary>& sources)
{
    std::ostringstream out;
    writeSourcesJson(out, sources);
    try {
        return json::parse(out.str());
    } catch (const json::exception& e) {
        ADD_FAILURE() << e.what() << ": " << out.str();
        return json();
    }
}

std::string writtenCsv(const std::vector<core::SourceSummary>& sources, bool safe = true)
{
    std::ostringstream out;
    writeSourcesCsv(out, sources, safe);
    return out.str();
}

TEST(SourceExport, JsonIsOneArrayOfObjectsWithTheDocumentedKeys)
{
    const json j = writtenJson(sampleSources());
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 3u);
    for (const auto& s : j) {
        std::set<std::string> keys;
        for (const auto& [k, v] : s.items())
            keys.insert(k);
        EXPECT_EQ(keys,
            (std::set<std::string> {"src", "events", "blocked", "first_seen", "last_seen", "ports",
                "protocols", "categories", "patterns"}));
    }
    EXPECT_EQ(j[0]["src"], "203.0.113.45") << "the order given is kept";
    EXPECT_EQ(j[0]["events"], 5);
    EXPECT_EQ(j[0]["blocked"], 5);
    EXPECT_EQ(j[0]["first_seen"], "2003-12-05T22:34:50Z");
    EXPECT_EQ(j[0]["last_seen"], "2003-12-05T22:34:54Z");
    EXPECT_EQ(j[0]["ports"], json::array({445}));
    EXPECT_EQ(j[0]["protocols"], json::array({"tcp"}));
    EXPECT_EQ(j[0]["categories"], json::array({"smb"}));
    EXPECT_EQ(j[0]["patterns"], json::array());

    EXPECT_EQ(j[1]["src"], "2001:db8::abc");
    EXPECT_EQ(j[1]["blocked"], 2);
    EXPECT_EQ(j[1]["ports"], json::array({22, 23, 135, 4444}));
    EXPECT_EQ(j[1]["last_seen"], "2003-07-01T10:00:06.5Z");
    EXPECT_EQ(j[1]["patterns"], json::array({"blaster"}));
    EXPECT_EQ(j[2]["ports"], json::array()) << "ICMP has no ports";

    EXPECT_EQ(writtenJson({}), json::array());
}

TEST(SourceExport, JsonSurvivesHostileText)
{
    auto sources = sampleSources();
    sources[0].categories = {"bad \xFF utf-8", std::string("nul \0 and \x1b", 11), "quote \" \\"};
    const json j = writtenJson(sources);
    ASSERT_TRUE(j.is_array());
    EXPECT_EQ(j[0]["categories"][0], "bad \xEF\xBF\xBD utf-8");
    EXPECT_EQ(j[0]["categories"][1], std::string("nul \0 and \x1b", 11));
    EXPECT_EQ(j[0]["categories"][2], "quote \" \\");
}

TEST(SourceExport, CsvHasAHeaderAndOneCrLfRecordPerSource)
{
    EXPECT_EQ(
        writtenCsv({}), "src,events,blocked,first_seen,last_seen,ports,protocols,categories,patterns\r\n");
    EXPECT_EQ(writtenCsv(sampleSources()),
        "src,events,blocked,first_seen,last_seen,ports,protocols,categories,patterns\r\n"
        "203.0.113.45,5,5,2003-12-05T22:34:50Z,2003-12-05T22:34:54Z,445,tcp,smb,\r\n"
        "2001:db8::abc,3,2,2003-07-01T10:00:00Z,2003-07-01T10:00:06.5Z,22 23 135 4444,tcp udp,"
        "ssh telnet rpc-epmap blaster-shell,blaster\r\n"
        "198.51.100.77,1,1,2003-12-05T22:35:00Z,2003-12-05T22:35:00Z,,icmp,ping,\r\n");
}

TEST(SourceExport, CsvIsSpreadsheetSafeUnlessToldOtherwise)
{
    auto sources = sampleSources();
    sources.resize(1);
    sources[0].categories = {"=cmd|' /C calc'!A0"};
    sources[0].patterns = {"@SUM(A1)", "x"};
    const std::string row = "203.0.113.45,5,5,2003-12-05T22:34:50Z,2003-12-05T22:34:54Z,445,tcp,";
    EXPECT_NE(
        writtenCsv(sources).find(row + "\"'=cmd|' /C calc'!A0\",\"'@SUM(A1) x\"\r\n"), std::string::npos)
        << writtenCsv(sources);
    EXPECT_NE(writtenCsv(sources, false).find(row + "=cmd|' /C calc'!A0,@SUM(A1) x\r\n"), std::string::npos)
        << writtenCsv(sources, false);
}

TEST(SourceExport, TableShowsAtMostTheLimit)
{
    std::ostringstream all, two;
    writeSourcesTable(all, sampleSources(), 0);
    writeSourcesTable(two, sampleSources(), 2);
    auto lines = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
    EXPECT_EQ(lines(all.str()), 4);
    EXPECT_EQ(lines(two.str()), 4);
    EXPECT_NE(two.str().find("1 more"), std::string::npos) << two.str();
    EXPECT_NE(all.str().find("[blaster]"), std::string::npos) << all.str();
    EXPECT_EQ(all.str().find("1 more"), std::string::npos);
}

} // namespace
} // namespace tattle::reports
