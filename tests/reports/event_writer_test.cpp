// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "reports/event_writer.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace tattle::reports {
namespace {

using nlohmann::json;

core::IpAddress ip(std::string_view text)
{
    auto a = core::IpAddress::parse(text);
    EXPECT_TRUE(a.has_value()) << text;
    return a.value_or(core::IpAddress());
}

core::Event smbProbe()
{
    core::Event e;
    e.time = core::parseRfc3339("2003-12-05T22:34:50Z").value_or(0);
    e.action = core::Action::Block;
    e.direction = core::Direction::In;
    e.proto = core::proto::kTcp;
    e.src = ip("203.0.113.45");
    e.srcPort = 3001;
    e.dst = ip("192.0.2.10");
    e.dstPort = 445;
    e.tcpFlags = core::tcpflag::kSyn;
    e.hasTcpFlags = true;
    e.iface = "eth0";
    e.rule = "UFW BLOCK";
    return e;
}

core::Event pingProbe()
{
    core::Event e;
    e.time = core::parseRfc3339("2003-12-05T22:35:00Z").value_or(0);
    e.direction = core::Direction::In;
    e.proto = core::proto::kIcmp;
    e.src = ip("198.51.100.77");
    e.dst = ip("192.0.2.10");
    e.icmpType = 8;
    e.icmpCode = 0;
    return e;
}

/// One appended JSON line, checked to be exactly one line and parsed strictly.
json jsonOf(const core::Event& e, const EventOrigin& origin)
{
    std::string out;
    appendEventJson(out, e, origin);
    EXPECT_FALSE(out.empty());
    EXPECT_EQ(out.back(), '\n');
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << "one line per event";
    EXPECT_EQ(
        std::count_if(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }), 1)
        << "no raw control character but the final LF";
    try {
        return json::parse(out);
    } catch (const json::exception& ex) {
        ADD_FAILURE() << ex.what() << ": " << out;
        return json();
    }
}

TEST(EventWriter, JsonHasEveryDocumentedKeyAndValue)
{
    const EventOrigin origin {
        "netfilter", "/var/log/ufw.log", 4, "Dec  5 22:34:50 gw kernel: [UFW BLOCK] ..."};
    const json j = jsonOf(smbProbe(), origin);
    std::set<std::string> keys;
    for (const auto& [k, v] : j.items())
        keys.insert(k);
    EXPECT_EQ(keys,
        (std::set<std::string> {"time", "action", "direction", "proto", "src", "src_port", "dst", "dst_port",
            "icmp_type", "icmp_code", "tcp_flags", "iface", "rule", "count", "time_guessed", "format", "file",
            "line", "raw"}));
    EXPECT_EQ(j["time"], "2003-12-05T22:34:50Z");
    EXPECT_EQ(j["action"], "block");
    EXPECT_EQ(j["direction"], "in");
    EXPECT_EQ(j["proto"], "tcp");
    EXPECT_EQ(j["src"], "203.0.113.45");
    EXPECT_EQ(j["src_port"], 3001);
    EXPECT_EQ(j["dst"], "192.0.2.10");
    EXPECT_EQ(j["dst_port"], 445);
    EXPECT_TRUE(j["icmp_type"].is_null());
    EXPECT_TRUE(j["icmp_code"].is_null());
    EXPECT_EQ(j["tcp_flags"], "SYN");
    EXPECT_EQ(j["iface"], "eth0");
    EXPECT_EQ(j["rule"], "UFW BLOCK");
    EXPECT_EQ(j["count"], 1);
    EXPECT_EQ(j["time_guessed"], false);
    EXPECT_EQ(j["format"], "netfilter");
    EXPECT_EQ(j["file"], "/var/log/ufw.log");
    EXPECT_EQ(j["line"], 4);
    EXPECT_EQ(j["raw"], origin.raw);
}

TEST(EventWriter, AbsentValuesAreNull)
{
    const json ping = jsonOf(pingProbe(), {"netfilter", "-", 9, "ping"});
    EXPECT_EQ(ping["proto"], "icmp");
    EXPECT_TRUE(ping["src_port"].is_null()) << ping.dump();
    EXPECT_TRUE(ping["dst_port"].is_null()) << ping.dump();
    EXPECT_EQ(ping["icmp_type"], 8);
    EXPECT_EQ(ping["icmp_code"], 0);
    EXPECT_TRUE(ping["tcp_flags"].is_null());
    EXPECT_TRUE(ping["iface"].is_null());
    EXPECT_TRUE(ping["rule"].is_null());
    EXPECT_FALSE(ping.contains("extra"));

    core::Event bare;
    bare.src = ip("198.51.100.1");
    const json j = jsonOf(bare, {"x", "f", 1, ""});
    EXPECT_TRUE(j["proto"].is_null());
    EXPECT_TRUE(j["dst"].is_null());
    EXPECT_TRUE(j["src_port"].is_null());
    EXPECT_EQ(j["raw"], "");
    EXPECT_EQ(j["direction"], "unknown");
}

TEST(EventWriter, Ipv6InRfc5952FormAndExtraAsAnObject)
{
    core::Event e = smbProbe();
    e.src = ip("2001:0db8:0:0::0abc");
    e.dst = ip("2001:DB8:0000:0000:0000:0000:0000:0010");
    e.extra = R"({"type":"FWIN","size":48})";
    e.count = 3;
    e.timeGuessed = true;
    const json j = jsonOf(e, {"zonealarm", "ZALog.txt", 12, "raw"});
    EXPECT_EQ(j["src"], "2001:db8::abc");
    EXPECT_EQ(j["dst"], "2001:db8::10");
    EXPECT_EQ(j["extra"], json::parse(R"({"type":"FWIN","size":48})"));
    EXPECT_EQ(j["count"], 3);
    EXPECT_EQ(j["time_guessed"], true);
}

TEST(EventWriter, AppendsWithoutTouchingWhatIsThere)
{
    std::string out = "{\"earlier\":1}\n";
    appendEventJson(out, smbProbe(), {"netfilter", "a", 1, "one"});
    appendEventJson(out, pingProbe(), {"netfilter", "a", 2, "two"});
    ASSERT_EQ(out.rfind("{\"earlier\":1}\n", 0), 0u);
    std::vector<json> lines;
    std::size_t begin = 0;
    while (begin < out.size()) {
        const auto end = out.find('\n', begin);
        lines.push_back(json::parse(out.substr(begin, end - begin)));
        begin = end + 1;
    }
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[1]["raw"], "one");
    EXPECT_EQ(lines[2]["raw"], "two");
}

TEST(EventWriter, HostileTextStaysValidJson)
{
    const std::vector<std::string> hostile {
        "plain ASCII",
        std::string("nul \0 inside", 12),
        "controls \x01\x02\x07\x08\x0b\x0c\x1b[2J\x1f\x7f",
        "cr \r lf \n tab \t",
        "quote \" backslash \\ slash / {\"json\":true}",
        "lone \xFF and \xFE bytes",
        "truncated \xC3",
        "overlong \xC0\xAF and \xE0\x80\xAF",
        "surrogate \xED\xA0\x80",
        "beyond U+10FFFF \xF4\x90\x80\x80",
        "five bytes \xF8\x88\x80\x80\x80",
        "stray continuation \x80\xBF",
        "valid G\xC3\xB6teborg \xE2\x9C\x93 \xF0\x9F\x98\x80 \xE2\x80\xA8",
    };
    for (const auto& text : hostile) {
        SCOPED_TRACE(text);
        core::Event e = smbProbe();
        e.rule = text;
        e.iface = text;
        const json j = jsonOf(e, {text, text, 7, text});
        const std::string repaired = core::toValidUtf8(text);
        EXPECT_EQ(j["raw"], repaired);
        EXPECT_EQ(j["rule"], repaired);
        EXPECT_EQ(j["iface"], repaired);
        EXPECT_EQ(j["file"], repaired);
        EXPECT_EQ(j["format"], repaired);
        if (core::isValidUtf8(text)) {
            EXPECT_EQ(j["raw"], text) << "valid text comes back unchanged";
        } else {
            EXPECT_NE(j["raw"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
        }
    }
    EXPECT_EQ(jsonOf(smbProbe(),
                  {"f", "f", 1,
                      "a\xFF"
                      "b"})["raw"],
        "a\xEF\xBF\xBD"
        "b");
}

TEST(EventWriter, TextLineForPeople)
{
    std::string out;
    appendEventText(out, smbProbe(), {"netfilter", "ufw.log", 4, "raw"});
    EXPECT_EQ(out, "2003-12-05T22:34:50Z\tblock\tin\ttcp\t203.0.113.45:3001 -> 192.0.2.10:445\tufw.log:4\n");

    out.clear();
    appendEventText(out, pingProbe(), {"netfilter", "ufw.log", 9, "raw"});
    EXPECT_EQ(out, "2003-12-05T22:35:00Z\tblock\tin\ticmp\t198.51.100.77 -> 192.0.2.10\tufw.log:9\n");

    core::Event v6 = smbProbe();
    v6.src = ip("2001:db8::abc");
    v6.dst = ip("2001:db8::10");
    v6.proto = core::proto::kUnknown;
    out.clear();
    appendEventText(out, v6, {"netfilter", "evil\n\x1b[2Jname\xFF", 10, "raw"});
    EXPECT_NE(out.find("\t-\t[2001:db8::abc]:3001 -> [2001:db8::10]:445\t"), std::string::npos) << out;
    EXPECT_EQ(
        std::count_if(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }), 6)
        << "five tabs and the final LF, nothing from the file name: " << out;
    EXPECT_TRUE(core::isValidUtf8(out));
}

} // namespace
} // namespace tattle::reports
