// SPDX-License-Identifier: GPL-3.0-or-later
// Formats defined as data (parsers/regex_format.h, parsers/format_loader.h): the built-in definitions and
// their samples, the loader's errors, the line semantics (gates, ignore, patterns, key=value, value maps,
// time), hostile input, user overrides, detection ties and the timestamp layouts.
#include "core/event.h"
#include "core/text_util.h"
#include "parsers/builtin_parsers.h"
#include "parsers/format_loader.h"
#include "parsers/mixed_parser.h"
#include "parsers/regex_format.h"
#include "parsers/time_format.h"
#include "test_support.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace tattle::test {
namespace {

namespace fs = std::filesystem;
using core::ParseStatus;
using parsers::DataFormat;
using parsers::FormatError;
using Json = nlohmann::ordered_json;

fs::path builtinFormatsDir()
{
    return fs::path(TATTLE_RESOURCES_DIR) / "formats";
}

/// A small valid definition ("demo": "demo: DROP src=... dst=... proto=... at=epoch"), to vary per test.
Json demoFormat()
{
    return Json::parse(R"({
      "id": "demo",
      "title": "Demo format",
      "detect": {"contains": "demo: "},
      "ignore": ["demo: NOTE "],
      "pattern": "demo: (?<action>[A-Z]+) (?<kv>.*)$",
      "kv": {"keys": {"src": "src", "dst": "dst", "sport": "src_port", "dport": "dst_port", "proto": "proto",
                      "at": "time", "if": "iface", "why": "extra.why", "flags": "tcp_flags", "n": "count"}},
      "values": {"action": {"DROP": "block", "PASS": "allow", "LOG*": "ignore"}},
      "time": {"format": "%s"},
      "samples": [
        {"line": "demo: DROP src=192.0.2.1 dst=198.51.100.2 sport=1024 dport=22 proto=tcp at=1700000000",
         "expect": {"src": "192.0.2.1", "dst_port": 22, "action": "block", "time": "2023-11-14T22:13:20Z"}}
      ]
    })");
}

std::expected<std::shared_ptr<const DataFormat>, FormatError> compile(
    const Json& j, const std::string& file = "demo.json")
{
    return parsers::compileDataFormat(j.dump(), file);
}

std::shared_ptr<const DataFormat> compiled(const Json& j)
{
    auto f = compile(j);
    EXPECT_TRUE(f.has_value()) << (f ? "" : f.error().message());
    return f ? *f : nullptr;
}

struct Parsed {
    ParseStatus status;
    core::Event event;
    std::string reason;
};

Parsed parseOne(const DataFormat& f, std::string_view line, core::ParseContext ctx = {})
{
    auto lp = f.open(ctx);
    Parsed p;
    p.status = lp->parse(line, p.event, p.reason);
    return p;
}

// --- The built-in definitions ---------------------------------------------------------------------------

TEST(DataFormats, EveryBuiltinFormatLoadsAndPassesItsSamples)
{
    const parsers::FormatSet set = parsers::loadFormatDir(builtinFormatsDir());
    for (const FormatError& e : set.errors)
        ADD_FAILURE() << e.message();
    std::set<std::string> ids;
    for (const auto& f : set.formats) {
        SCOPED_TRACE(f->id());
        ids.insert(f->id());
        EXPECT_GE(f->sampleLines().size(), 5u) << "samples are the format's tests: give negatives too";
        EXPECT_TRUE(f->checkSamples().empty());
        // Every sample line is read the same way from a fresh reader twice (no hidden state).
        for (const std::string& line : f->sampleLines())
            EXPECT_EQ(int(parseOne(*f, line).status), int(parseOne(*f, line).status)) << line;
    }
    for (const char* id : {"ipfw", "mikrotik", "sonicwall", "sophos-utm", "sophos-xg", "watchguard"})
        EXPECT_TRUE(ids.contains(id)) << id;
}

TEST(DataFormats, BuiltinFormatsSurviveHostileLines)
{
    const parsers::FormatSet set = parsers::loadFormatDir(builtinFormatsDir());
    ASSERT_FALSE(set.formats.empty());
    std::string nul = "Aug 21 21:37:18 host ipfw: 1 Deny TCP 192.0.2.1:1 192.0.2.2:2 in via em0";
    nul[20] = '\0';
    const std::string invalidUtf8
        = "id=firewall sn=0006B1 time=\"2007-01-03 14:48:14\" m=36 msg=\"\xff\xfe\xc0\" "
          "src=198.51.100.27:4507:\xe2\x82 dst=192.0.2.2:445:LAN";
    const std::string huge = "ipfw: firewall: msg_id=\" sn=x m= in: out: proto log_type= log_component= "
        + std::string(10 << 20, 'a');
    std::string binary;
    for (int i = 0; i < 4096; ++i)
        binary.push_back(char(i * 37 % 256));
    for (const auto& f : set.formats) {
        SCOPED_TRACE(f->id());
        auto lp = f->open({});
        core::Event e;
        std::string reason;
        for (std::string_view line : {std::string_view(nul), std::string_view(huge), std::string_view(binary),
                 std::string_view(), std::string_view("\r")}) {
            const ParseStatus st = lp->parse(line, e, reason);
            EXPECT_NE(st, ParseStatus::Event) << line.substr(0, 80);
        }
        // A record with bytes that are not UTF-8 may be an event, with every text field valid UTF-8.
        if (lp->parse(invalidUtf8, e, reason) == ParseStatus::Event) {
            EXPECT_TRUE(core::isValidUtf8(e.iface));
            EXPECT_TRUE(core::isValidUtf8(e.rule));
            EXPECT_TRUE(nlohmann::json::parse(e.extra, nullptr, false).is_object()) << e.extra;
        }
        // Samples cut short anywhere never crash and never give an event without a source.
        for (const std::string& line : f->sampleLines()) {
            for (std::size_t n = 0; n < line.size(); n += 7) {
                if (lp->parse(std::string_view(line).substr(0, n), e, reason) == ParseStatus::Event) {
                    EXPECT_TRUE(e.src.isValid());
                }
            }
        }
    }
}

TEST(DataFormats, ACarriageReturnAtTheEndChangesNothing)
{
    // Lines of a CRLF file reach the parsers with their CR.
    const parsers::FormatSet set = parsers::loadFormatDir(builtinFormatsDir());
    for (const auto& f : set.formats) {
        for (const std::string& line : f->sampleLines()) {
            SCOPED_TRACE(f->id() + ": " + line);
            const Parsed plain = parseOne(*f, line);
            const Parsed crlf = parseOne(*f, line + "\r");
            EXPECT_EQ(crlf.status, plain.status) << crlf.reason;
            if (plain.status == ParseStatus::Event && crlf.status == ParseStatus::Event) {
                EXPECT_EQ(crlf.event.src, plain.event.src);
                EXPECT_EQ(crlf.event.time, plain.event.time);
                EXPECT_EQ(crlf.event.dstPort, plain.event.dstPort);
                EXPECT_EQ(crlf.event.rule, plain.event.rule);
                EXPECT_EQ(crlf.event.extra, plain.event.extra);
            }
        }
    }
}

TEST(DataFormats, InvalidUtf8InAVendorDetailStillGivesValidJson)
{
    Json j = demoFormat();
    const auto f = compiled(j);
    ASSERT_TRUE(f);
    const Parsed p = parseOne(*f, "demo: DROP src=192.0.2.1 at=1700000000 why=\"bad \xff\xfe bytes\"");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    const auto doc = nlohmann::json::parse(p.event.extra, nullptr, false);
    ASSERT_TRUE(doc.is_object()) << p.event.extra;
    EXPECT_EQ(doc["why"].get<std::string>().substr(0, 4), "bad ");
}

// --- Loader errors: the file, the JSON pointer and the reason ----------------------------------------------

struct LoadErrorCase {
    const char* name;
    std::function<void(Json&)> edit;
    const char* pointer;
    const char* reason; // a part of it
};

TEST(DataFormatLoader, ErrorsNameTheFileThePointerAndTheReason)
{
    const LoadErrorCase cases[] = {
        {"unknown capture",
            [](Json& j) { j["pattern"] = "demo: (?<action>[A-Z]+) (?<srcip>\\S+) (?<kv>.*)$"; }, "/pattern",
            "unknown field name 'srcip'"},
        {"bad regex",
            [](Json& j) {
                j["ignore"] = Json::array({"ok", "demo: ([A-Z"});
            },
            "/ignore/1", "bad regular expression"},
        {"bad regex in patterns",
            [](Json& j) {
                j.erase("pattern");
                j["patterns"] = Json::array({"demo: (?<action>[A-Z]+) (?<kv>.*)$", "(?<src>a{2,1})"});
            },
            "/patterns/1", "bad regular expression"},
        {"missing samples", [](Json& j) { j.erase("samples"); }, "", "needs \"samples\""},
        {"empty samples", [](Json& j) { j["samples"] = Json::array(); }, "/samples", "needs samples"},
        {"no event sample",
            [](Json& j) {
                j["samples"] = Json::array({{{"line", "demo: NOTE x"}, {"status", "ignored"}}});
            },
            "/samples", "no sample is an event"},
        {"event sample without expect", [](Json& j) { j["samples"][0].erase("expect"); }, "/samples/0",
            "needs \"expect\""},
        {"unknown expected field", [](Json& j) { j["samples"][0]["expect"]["src_ip"] = "192.0.2.1"; },
            "/samples/0/expect/src_ip", "unknown field"},
        {"unknown key", [](Json& j) { j["detekt"] = Json::object(); }, "/detekt", "unknown key 'detekt'"},
        {"unknown nested key", [](Json& j) { j["kv"]["sep"] = ","; }, "/kv/sep", "unknown key 'sep'"},
        {"bad id", [](Json& j) { j["id"] = "Demo Format"; }, "/id", "lower-case"},
        {"reserved id", [](Json& j) { j["id"] = "mixed"; }, "/id", "mixed"},
        {"missing title", [](Json& j) { j.erase("title"); }, "", "\"title\""},
        {"bad time format",
            [](Json& j) {
                j["time"]["format"] = Json::array({"%s", "%Y-%q"});
            },
            "/time/format/1", "unknown directive '%q'"},
        {"time format without day", [](Json& j) { j["time"]["format"] = "%Y-%m %H:%M"; }, "/time/format",
            "needs a month"},
        {"unknown zone", [](Json& j) { j["time"]["zone"] = "Mars/Olympus"; }, "/time/zone",
            "unknown time zone"},
        {"bad action word", [](Json& j) { j["values"]["action"]["DROP"] = "deny"; }, "/values/action/DROP",
            "\"block\", \"allow\" or \"ignore\""},
        {"bad protocol",
            [](Json& j) {
                j["values"]["proto"] = {{"6", "tcpp"}};
            },
            "/values/proto/6", "unknown protocol"},
        {"kv capture without kv",
            [](Json& j) {
                j.erase("kv");
                j["pattern"] = "demo: (?<action>[A-Z]+) (?<src>\\S+) (?<time>\\d+) (?<kv>.*)$";
            },
            "/pattern", "no \"kv\" section"},
        {"nothing gives src", [](Json& j) { j["kv"]["keys"].erase("src"); }, "", "gives \"src\""},
        {"nothing gives time", [](Json& j) { j["kv"]["keys"].erase("at"); }, "", "gives \"time\""},
        {"required but not given", [](Json& j) { j["required"] = Json::array({"rule"}); }, "/required",
            "\"rule\" is required"},
        {"bad kv sub-pattern",
            [](Json& j) {
                j["kv"]["keys"]["src"] = {{"pattern", "^(?<src>[^:]+"}};
            },
            "/kv/keys/src/pattern", "bad regular expression"},
        {"wrong type", [](Json& j) { j["pattern"] = 42; }, "/pattern", "a string or an array of strings"},
        {"sample value mismatch", [](Json& j) { j["samples"][0]["expect"]["src"] = "192.0.2.9"; },
            "/samples/0/expect/src", "expected 192.0.2.9, got 192.0.2.1"},
        {"sample status mismatch",
            [](Json& j) {
                j["samples"].push_back(
                    {{"line", "demo: DROP src=192.0.2.1 at=1700000000"}, {"status", "ignored"}});
            },
            "/samples/1", "the line gives event, the sample says ignored"},
        {"sample reason mismatch",
            [](Json& j) {
                j["samples"].push_back({{"line", "demo: DROP src=192.0.2.300 at=1"}, {"status", "malformed"},
                    {"reason", "no time"}});
            },
            "/samples/1/reason", "bad source address"},
    };
    for (const LoadErrorCase& c : cases) {
        SCOPED_TRACE(c.name);
        Json j = demoFormat();
        c.edit(j);
        // Compile errors come from compileDataFormat, sample errors from checkSamples: the loader runs both.
        const fs::path file = scratchDir() / "my-format.json";
        writeFile(file, j.dump(2));
        const auto loaded = parsers::loadFormatFile(file);
        ASSERT_FALSE(loaded.has_value());
        ASSERT_FALSE(loaded.error().empty());
        const FormatError& e = loaded.error().front();
        EXPECT_EQ(e.file, file.string());
        EXPECT_EQ(e.pointer, c.pointer) << e.message();
        EXPECT_NE(e.reason.find(c.reason), std::string::npos) << e.message();
        const std::string message = e.message();
        EXPECT_TRUE(message.starts_with(file.string() + ": ")) << message;
        if (*c.pointer) {
            EXPECT_NE(message.find(std::string(": ") + c.pointer + ": "), std::string::npos) << message;
        }
    }
}

TEST(DataFormatLoader, TextThatIsNotJsonNamesTheLineAndColumn)
{
    const fs::path file = scratchDir() / "broken.json";
    writeFile(file, "{\n  \"id\": \"x\",\n  \"title\": \"y\" \"z\"\n}\n");
    const auto loaded = parsers::loadFormatFile(file);
    ASSERT_FALSE(loaded.has_value());
    const FormatError& e = loaded.error().front();
    EXPECT_EQ(e.file, file.string());
    EXPECT_EQ(e.pointer, "");
    EXPECT_NE(e.reason.find("not valid JSON at line 3, column"), std::string::npos) << e.message();
    EXPECT_TRUE(e.message().starts_with(file.string() + ": (top level): not valid JSON")) << e.message();
}

TEST(DataFormatLoader, EverySampleErrorIsReported)
{
    Json j = demoFormat();
    j["samples"][0]["expect"]["src"] = "192.0.2.9";
    j["samples"][0]["expect"]["dst_port"] = 23;
    j["samples"].push_back(
        {{"line", "demo: PASS src=192.0.2.1 at=1700000000"}, {"expect", {{"action", "block"}}}});
    const auto f = compiled(j);
    ASSERT_TRUE(f);
    const std::vector<FormatError> errors = f->checkSamples();
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].pointer, "/samples/0/expect/src");
    EXPECT_EQ(errors[1].pointer, "/samples/0/expect/dst_port");
    EXPECT_EQ(errors[2].pointer, "/samples/1/expect/action");
    EXPECT_EQ(errors[2].reason, "expected block, got allow");
}

TEST(DataFormatLoader, FolderLoadsGoodFilesAndReportsBadOnes)
{
    const fs::path dir = scratchDir();
    writeFile(dir / "a-good.json", demoFormat().dump());
    Json other = demoFormat();
    other["id"] = "demo";
    other["title"] = "The same id again";
    writeFile(dir / "b-duplicate.json", other.dump());
    writeFile(dir / "c-broken.json", "{");
    writeFile(dir / "notes.txt", "not a format");
    const parsers::FormatSet set = parsers::loadFormatDir(dir);
    ASSERT_EQ(set.formats.size(), 1u);
    EXPECT_EQ(set.formats[0]->title(), "Demo format");
    ASSERT_EQ(set.errors.size(), 2u);
    EXPECT_EQ(set.errors[0].file, (dir / "b-duplicate.json").string());
    EXPECT_EQ(set.errors[0].pointer, "/id");
    EXPECT_EQ(set.errors[1].file, (dir / "c-broken.json").string());
    EXPECT_TRUE(parsers::loadFormatDir(dir / "missing").formats.empty());
    EXPECT_TRUE(parsers::loadFormatDir(dir / "missing").errors.empty());
}

// --- Line semantics ---------------------------------------------------------------------------------------

struct LineCase {
    const char* line;
    ParseStatus status;
    const char* reasonOrSrc; // reason part for Malformed, source address for Event
};

TEST(DataFormatLines, GatesIgnoreAndPatternsDecideWhatALineIs)
{
    const auto f = compiled(demoFormat());
    ASSERT_TRUE(f);
    const LineCase cases[] = {
        {"demo: DROP src=192.0.2.1 at=1700000000", ParseStatus::Event, "192.0.2.1"},
        {"demo: PASS src=[2001:db8::1] at=1700000000", ParseStatus::Event, "2001:db8::1"},
        {"sshd[1]: DROP src=192.0.2.1 at=1700000000", ParseStatus::NotMine, ""},
        {"", ParseStatus::NotMine, ""},
        {"demo: NOTE config saved", ParseStatus::Ignored, ""},
        {"demo: LOGONLY src=192.0.2.1 at=1", ParseStatus::Ignored, ""},
        {"demo: lower case", ParseStatus::Malformed, "no pattern"},
        {"demo: REJECT src=192.0.2.1 at=1", ParseStatus::Malformed, "unknown action"},
        {"demo: DROP dst=192.0.2.1 at=1", ParseStatus::Malformed, "no source address"},
        {"demo: DROP src=192.0.2.256 at=1", ParseStatus::Malformed, "bad source address"},
        {"demo: DROP src=192.0.2.1 dst=fe80::1%eth0 at=1", ParseStatus::Malformed, "bad destination address"},
        {"demo: DROP src=192.0.2.1 sport=65536 at=1", ParseStatus::Malformed, "bad source port"},
        {"demo: DROP src=192.0.2.1 dport=-1 at=1", ParseStatus::Malformed, "bad destination port"},
        {"demo: DROP src=192.0.2.1 proto=tcpx at=1", ParseStatus::Malformed, "unknown protocol"},
        {"demo: DROP src=192.0.2.1 flags=SYN,FOO at=1", ParseStatus::Malformed, "bad TCP flags"},
        {"demo: DROP src=192.0.2.1 n=0 at=1", ParseStatus::Malformed, "bad count"},
        {"demo: DROP src=192.0.2.1", ParseStatus::Malformed, "no time"},
        {"demo: DROP src=192.0.2.1 at=yesterday", ParseStatus::Malformed, "bad time"},
    };
    for (const LineCase& c : cases) {
        SCOPED_TRACE(c.line);
        const Parsed p = parseOne(*f, c.line);
        EXPECT_EQ(p.status, c.status) << p.reason;
        if (c.status == ParseStatus::Malformed) {
            EXPECT_NE(p.reason.find(c.reasonOrSrc), std::string::npos) << p.reason;
        }
        if (c.status == ParseStatus::Event) {
            EXPECT_EQ(p.event.src.toString(), c.reasonOrSrc);
        }
    }
}

TEST(DataFormatLines, KeyValueTokensAnyOrderQuotedEmptyAndBare)
{
    const auto f = compiled(demoFormat());
    ASSERT_TRUE(f);
    const Parsed p = parseOne(*f,
        "demo: DROP bare words n=3 why=\"a \\\"quoted\\\" reason\" if= at=1700000000 flags=\"SYN ACK\" "
        "unknown=\"x y\" src=192.0.2.7 dst=198.51.100.8 proto=6 sport=0");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.src.toString(), "192.0.2.7");
    EXPECT_EQ(p.event.dst.toString(), "198.51.100.8");
    EXPECT_EQ(p.event.proto, core::proto::kTcp);
    EXPECT_EQ(p.event.srcPort, 0);
    EXPECT_EQ(p.event.dstPort, -1);
    EXPECT_EQ(p.event.count, 3u);
    EXPECT_TRUE(p.event.hasTcpFlags);
    EXPECT_EQ(p.event.tcpFlags, core::tcpflag::kSyn | core::tcpflag::kAck);
    EXPECT_EQ(p.event.iface, "");
    EXPECT_EQ(p.event.extra, R"({"why":"a \\\"quoted\\\" reason"})");
    // A value whose closing quote is missing runs to the end of the line.
    const Parsed open = parseOne(*f, "demo: DROP src=192.0.2.7 at=1700000000 why=\"never closed");
    ASSERT_EQ(open.status, ParseStatus::Event);
    EXPECT_EQ(open.event.extra, R"({"why":"never closed"})");
}

TEST(DataFormatLines, ValueMapsMatchWordsCaseInsensitivelyThenGlobsThenTheFallback)
{
    Json j = demoFormat();
    j["values"]["action"] = {{"deny", "block"}, {"*accept*", "allow"}, {"*", "ignore"}};
    j["samples"][0]["line"]
        = "demo: DENY src=192.0.2.1 dst=198.51.100.2 sport=1024 dport=22 proto=tcp at=1700000000";
    const auto f = compiled(j);
    ASSERT_TRUE(f);
    EXPECT_EQ(parseOne(*f, "demo: DENY src=192.0.2.1 at=1").event.action, core::Action::Block);
    EXPECT_EQ(parseOne(*f, "demo: XACCEPTX src=192.0.2.1 at=1").event.action, core::Action::Allow);
    EXPECT_EQ(parseOne(*f, "demo: ACCEPT src=192.0.2.1 at=1").event.action, core::Action::Allow);
    EXPECT_EQ(parseOne(*f, "demo: COUNT src=192.0.2.1 at=1").status, ParseStatus::Ignored);
}

TEST(DataFormatLines, IcmpValuesAndPortsAreNormalised)
{
    Json j = demoFormat();
    j["kv"]["keys"]["type"] = "icmp_type";
    j["kv"]["keys"]["code"] = "icmp_code";
    const auto f = compiled(j);
    ASSERT_TRUE(f);
    // An ICMP type and no protocol: ICMP (ICMPv6 for IPv6), and the "ports" go.
    Parsed p = parseOne(*f, "demo: DROP src=192.0.2.1 sport=1026 dport=6822 type=3 code=3 at=1");
    EXPECT_EQ(p.event.proto, core::proto::kIcmp);
    EXPECT_EQ(p.event.srcPort, -1);
    EXPECT_EQ(p.event.icmpType, 3);
    p = parseOne(*f, "demo: DROP src=2001:db8::1 type=128 code=0 at=1");
    EXPECT_EQ(p.event.proto, core::proto::kIcmpV6);
    // Another protocol: a "code" means something else and is not checked or kept.
    p = parseOne(*f, "demo: DROP src=192.0.2.1 proto=tcp dport=443 code=4900 at=1");
    ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
    EXPECT_EQ(p.event.icmpCode, -1);
    EXPECT_EQ(p.event.dstPort, 443);
    p = parseOne(*f, "demo: DROP src=192.0.2.1 type=256 at=1");
    EXPECT_EQ(p.status, ParseStatus::Malformed);
}

TEST(DataFormatLines, TimesReadInTheZoneTheyNameOrTheConfiguredOne)
{
    Json j = demoFormat();
    j["kv"]["keys"]["at"] = "time";
    j["kv"]["keys"]["tz"] = "tz";
    j["kv"]["keys"]["day"] = "date";
    j["kv"]["keys"]["clock"] = "clock";
    j["time"]
        = {{"format", {"%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S", "%b %e %H:%M:%S"}}, {"zone", "local"}};
    j["samples"][0]["line"]
        = "demo: DROP src=192.0.2.1 dst=198.51.100.2 sport=1024 dport=22 proto=tcp at=2023-11-14T22:13:20Z";
    const auto f = compiled(j);
    ASSERT_TRUE(f);
    core::ParseContext ctx;
    ctx.zone = *core::TimeZone::fromName("Europe/Stockholm");
    ctx.referenceTime = core::daysFromCivil(2024, 6, 1) * 86400;
    struct Case {
        const char* fields;
        const char* time;
        bool guessed;
    };
    const Case cases[] = {
        {"at=2024-03-05T12:00:00+01:00", "2024-03-05T11:00:00Z", false},
        {"at=2024-03-05T12:00:00.25Z", "2024-03-05T12:00:00.25Z", false},
        {"at=\"2024-03-05 12:00:00\"", "2024-03-05T11:00:00Z", false}, // Stockholm, winter
        {"at=\"2024-07-05 12:00:00\"", "2024-07-05T10:00:00Z", false}, // summer
        {"at=\"2024-03-05 12:00:00\" tz=+08", "2024-03-05T04:00:00Z", false},
        {"at=\"2024-03-05 12:00:00\" tz=-05:30", "2024-03-05T17:30:00Z", false},
        {"at=\"2024-03-05 12:00:00\" tz=IST", "2024-03-05T11:00:00Z", true}, // an abbreviation: flagged
        {"day=2024-03-05 clock=12:00:00 tz=UTC", "2024-03-05T12:00:00Z", false},
        {"at=\"Mar  5 12:00:00\"", "2024-03-05T11:00:00Z", true}, // year inferred from the reference
        {"at=\"Dec 31 23:00:00\"", "2023-12-31T22:00:00Z", true}, // after the reference: the year before
        {"at=\"2024-10-27 02:30:00\"", "2024-10-27T00:30:00Z", true}, // the repeated hour: earlier, flagged
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.fields);
        const Parsed p = parseOne(*f, std::string("demo: DROP src=192.0.2.1 ") + c.fields, ctx);
        ASSERT_EQ(p.status, ParseStatus::Event) << p.reason;
        EXPECT_EQ(core::formatRfc3339(p.event.time), c.time);
        EXPECT_EQ(p.event.timeGuessed, c.guessed);
    }
    // --year fixes the year; a fixed zone in the format ignores the configured one.
    ctx.year = 2019;
    EXPECT_EQ(
        core::formatRfc3339(parseOne(*f, "demo: DROP src=192.0.2.1 at=\"Mar  5 12:00:00\"", ctx).event.time),
        "2019-03-05T11:00:00Z");
    j["time"]["zone"] = "+02:00";
    const auto fixed = compiled(j);
    ASSERT_TRUE(fixed);
    EXPECT_EQ(core::formatRfc3339(
                  parseOne(*fixed, "demo: DROP src=192.0.2.1 at=\"2024-03-05 12:00:00\"", ctx).event.time),
        "2024-03-05T10:00:00Z");
    EXPECT_EQ(parseOne(*f, "demo: DROP src=192.0.2.1 at=\"2023-02-29 12:00:00\"", ctx).reason,
        "impossible date or time");
}

TEST(DataFormatLines, CatastrophicPatternFailsTheLineNotTheFile)
{
    Json j = demoFormat();
    j["detect"]["contains"] = "run";
    j.erase("ignore");
    // Runaway backtracking on a line without "xyz"; the samples stay short, so they pass.
    j["patterns"] = Json::array({"^runaway(?<src>(?:.+)+)xyz ", "demo: (?<action>[A-Z]+) (?<kv>.*)$"});
    j.erase("pattern");
    j["samples"][0]["line"]
        = "run demo: DROP src=192.0.2.1 dst=198.51.100.2 sport=1024 dport=22 proto=tcp at=1700000000";
    const auto f = compiled(j);
    ASSERT_TRUE(f);
    ASSERT_TRUE(f->checkSamples().empty());
    auto lp = f->open({});
    core::Event e;
    std::string reason;
    const std::string evil = "runaway" + std::string(parsers::kMaxDataFormatLine - 10, 'a');
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(lp->parse(evil, e, reason), ParseStatus::Malformed);
    EXPECT_EQ(reason, "the format's pattern is too complex for this line");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
    // The reader goes on with the next line.
    EXPECT_EQ(lp->parse("run demo: DROP src=192.0.2.1 at=1700000000", e, reason), ParseStatus::Event)
        << reason;
    // Beyond the length cap no expression runs at all.
    const std::string longer = "run" + std::string(parsers::kMaxDataFormatLine, 'a');
    EXPECT_EQ(lp->parse(longer, e, reason), ParseStatus::Malformed);
    EXPECT_EQ(reason, "longer than " + std::to_string(parsers::kMaxDataFormatLine) + " bytes");
}

// --- Registries, overrides and detection -----------------------------------------------------------------

TEST(DataFormatRegistry, UserFormatReplacesTheBuiltinOneAndBrokenFilesAreWarnings)
{
    const fs::path user = scratchDir();
    Json mine = Json::parse(readFile(builtinFormatsDir() / "ipfw.json"));
    mine["title"] = "My own ipfw";
    writeFile(user / "ipfw.json", mine.dump());
    writeFile(user / "broken.json", "{ \"id\": ");
    Json extra = demoFormat();
    writeFile(user / "demo.json", extra.dump());

    const parsers::LoadedRegistry builtinOnly = parsers::buildRegistry(builtinFormatsDir(), {});
    const parsers::LoadedRegistry r = parsers::buildRegistry(builtinFormatsDir(), user);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_NE(r.warnings[0].find((user / "broken.json").string()), std::string::npos) << r.warnings[0];
    const core::Parser* ipfw = r.registry.find("ipfw");
    ASSERT_NE(ipfw, nullptr);
    EXPECT_EQ(ipfw->description(), "My own ipfw");
    ASSERT_NE(parsers::dataFormatOf(*ipfw), nullptr);
    EXPECT_EQ(parsers::dataFormatOf(*ipfw)->file(), (user / "ipfw.json").string());
    EXPECT_NE(r.registry.find("demo"), nullptr);
    EXPECT_NE(r.registry.find("sonicwall"), nullptr);
    // The replacement keeps the built-in's place (and so its rank in detection ties); the mixed-file
    // reader stays last.
    auto position = [](const parsers::ParserRegistry& reg, std::string_view id) {
        const auto& all = reg.all();
        for (std::size_t i = 0; i < all.size(); ++i) {
            if (all[i]->id() == id) return i;
        }
        return all.size();
    };
    EXPECT_EQ(position(r.registry, "ipfw"), position(builtinOnly.registry, "ipfw"));
    EXPECT_EQ(r.registry.all().back()->id(), parsers::kMixedParserId);
    EXPECT_EQ(r.registry.all().size(), builtinOnly.registry.all().size() + 1);
    EXPECT_EQ(parsers::dataFormatOf(*r.registry.find("netfilter")), nullptr);
}

TEST(DataFormatRegistry, AUserFormatCanReplaceACompiledInParser)
{
    const fs::path user = scratchDir();
    Json j = demoFormat();
    j["id"] = "zonealarm";
    j["title"] = "ZoneAlarm as I like it";
    writeFile(user / "za.json", j.dump());
    const parsers::LoadedRegistry r = parsers::buildRegistry({}, user);
    EXPECT_TRUE(r.warnings.empty());
    ASSERT_NE(r.registry.find("zonealarm"), nullptr);
    EXPECT_EQ(r.registry.find("zonealarm")->description(), "ZoneAlarm as I like it");
}

Json tieFormat(const std::string& id, int priority)
{
    Json j = demoFormat();
    j["id"] = id;
    j["title"] = "Tie " + id;
    j["detect"]["priority"] = priority;
    return j;
}

TEST(DataFormatRegistry, DetectionTiesGoToPriorityThenIdAndCompiledInParsersFirst)
{
    const std::vector<std::string_view> head = {"demo: DROP src=192.0.2.1 at=1700000000",
        "demo: PASS src=192.0.2.2 at=1700000001", "demo: DROP src=192.0.2.3 at=1700000002"};
    std::vector<std::shared_ptr<const DataFormat>> formats = {compiled(tieFormat("b-low", 10)),
        compiled(tieFormat("c-high", 90)), compiled(tieFormat("a-low", 10))};
    parsers::ParserRegistry reg;
    parsers::addDataFormats(reg, formats);
    ASSERT_EQ(reg.all().size(), 3u);
    EXPECT_EQ(reg.all()[0]->id(), "c-high");
    EXPECT_EQ(reg.all()[1]->id(), "a-low");
    EXPECT_EQ(reg.all()[2]->id(), "b-low");
    const parsers::Detection d = reg.detect(head);
    ASSERT_NE(d.parser, nullptr);
    EXPECT_EQ(d.parser->id(), "c-high");
    ASSERT_EQ(d.candidates.size(), 3u);
    EXPECT_EQ(d.candidates[0].score, d.candidates[2].score); // a true tie, decided by the order

    // A compiled-in parser registered before the data formats wins a tie against them.
    Json nf = tieFormat("nf-lookalike", 100);
    nf["detect"]["contains"] = "kernel:";
    nf["pattern"] = "kernel: (?<action>[A-Z]+) (?<kv>.*)$";
    nf["kv"]["keys"] = {{"SRC", "src"}, {"DST", "dst"}, {"PROTO", "proto"}};
    nf["values"]["action"] = {{"*", "block"}};
    nf["time"] = {{"format", "%b %e %H:%M:%S"}};
    nf["pattern"]
        = "^(?<time>\\w{3} [ \\d]\\d \\S+) \\S+ kernel: (?:\\[[^\\]]*\\] )?(?<action>\\S+) (?<kv>.*)$";
    nf["samples"] = Json::array({{{"line",
                                      "Mar  5 12:00:01 gw kernel: DROP IN=eth0 OUT= SRC=203.0.113.9 "
                                      "DST=198.51.100.2 LEN=40 PROTO=TCP SPT=1 DPT=2"},
        {"expect", {{"src", "203.0.113.9"}}}}});
    parsers::ParserRegistry both;
    parsers::registerBuiltinParsers(both);
    parsers::addDataFormats(both, {compiled(nf)});
    const std::vector<std::string_view> kernel = {
        "Mar  5 12:00:01 gw kernel: DROP IN=eth0 OUT= MAC= SRC=203.0.113.9 DST=198.51.100.2 LEN=40 TOS=0x00 "
        "PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1 RES=0x00 SYN URGP=0",
        "Mar  5 12:00:02 gw kernel: DROP IN=eth0 OUT= MAC= SRC=203.0.113.9 DST=198.51.100.2 LEN=40 TOS=0x00 "
        "PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=1 DPT=3 WINDOW=1 RES=0x00 SYN URGP=0"};
    const parsers::Detection d2 = both.detect(kernel);
    ASSERT_NE(d2.parser, nullptr);
    const auto score = [&](std::string_view id) {
        for (const auto& c : d2.candidates) {
            if (c.id == id) return c.score;
        }
        return -1;
    };
    EXPECT_EQ(score("netfilter"), score("nf-lookalike"));
    EXPECT_EQ(d2.parser->id(), "netfilter");
}

TEST(DataFormatRegistry, SniffSaysWhyAFormatWasRejected)
{
    const auto f = compiled(demoFormat());
    ASSERT_TRUE(f);
    const std::vector<std::string_view> other = {"sshd[1]: Accepted publickey", "cron[2]: job"};
    core::Sniff s = f->sniff(other);
    EXPECT_EQ(s.score, 0);
    EXPECT_EQ(s.reason, "no line contains \"demo: \"");
    const std::vector<std::string_view> broken = {"demo: DROP src=192.0.2.300 at=1", "demo: lowercase"};
    s = f->sniff(broken);
    EXPECT_EQ(s.score, 0);
    EXPECT_NE(
        s.reason.find("2 lines look like demo records but none could be read (first: bad source address)"),
        std::string::npos)
        << s.reason;
    const std::vector<std::string_view> notes = {"demo: NOTE a", "demo: NOTE b"};
    EXPECT_EQ(f->sniff(notes).score, 0);
    const std::vector<std::string_view> good = {"demo: DROP src=192.0.2.1 at=1", "sshd[1]: x"};
    s = f->sniff(good);
    EXPECT_EQ(s.score, 50);
    const std::vector<std::string_view> all = {"demo: DROP src=192.0.2.1 at=1", "demo: NOTE x"};
    EXPECT_EQ(f->sniff(all).score, 95);
}

// --- Timestamp layouts ------------------------------------------------------------------------------------

TEST(TimeFormat, LayoutsReadWhatTheySay)
{
    struct Case {
        const char* layout;
        const char* text;
        bool ok;
        const char* utc; // with the year 2024 when the layout has none, offsets applied
    };
    const Case cases[] = {
        {"%b %e %H:%M:%S", "Mar  5 12:34:56", true, "2024-03-05T12:34:56Z"},
        {"%b %e %H:%M:%S", "Mar 15 12:34:56", true, "2024-03-15T12:34:56Z"},
        {"%b %d %H:%M:%S", "march 5 12:34:56", true, "2024-03-05T12:34:56Z"},
        {"%b %e %H:%M:%S", "Mrz  5 12:34:56", false, ""},
        {"%Y-%m-%dT%H:%M:%S%z", "2024-03-05T12:34:56.123456+01:00", true, "2024-03-05T11:34:56.123456Z"},
        {"%Y-%m-%dT%H:%M:%S%z", "2024-03-05T12:34:56Z", true, "2024-03-05T12:34:56Z"},
        {"%Y-%m-%dT%H:%M:%S%z", "2024-03-05T12:34:56-0530", true, "2024-03-05T18:04:56Z"},
        {"%Y-%m-%dT%H:%M:%S%z", "2024-03-05T12:34:56", false, ""},
        {"%Y-%m-%dT%H:%M:%S%z", "2024-03-05T12:34:56+01:00 trailing", false, ""},
        {"%F %T %Z", "2019-02-27 12:55:40 UTC", true, "2019-02-27T12:55:40Z"},
        {"%F %T %Z", "2019-02-27 12:55:40 CET", false, ""},
        {"%Y:%m:%d-%H:%M:%S", "2021:05:19-16:37:28", true, "2021-05-19T16:37:28Z"},
        {"%Y.%m.%d %H:%M:%S", "2006.12.07 08:49:58.002", true, "2006-12-07T08:49:58.002Z"},
        {"%d/%b/%Y:%H:%M:%S %z", "05/Mar/2024:12:34:56 +0100", true, "2024-03-05T11:34:56Z"},
        {"%m/%d/%y-%H:%M:%S.%f", "03/05/24-12:34:56.5", true, "2024-03-05T12:34:56.5Z"},
        {"%a %b %e %I:%M:%S %p %Y", "Tue Mar  5 12:34:56 AM 2024", true, "2024-03-05T00:34:56Z"},
        {"%a %b %e %I:%M:%S %p %Y", "Tuesday Mar  5 01:34:56 pm 2024", true, "2024-03-05T13:34:56Z"},
        {"%s", "1700000000", true, "2023-11-14T22:13:20Z"},
        {"%s", "1700000000.5", true, "2023-11-14T22:13:20.5Z"},
        {"%s", "17000000000000", false, ""},
        {"%s", "", false, ""},
        {"%Y-%m-%d %H:%M:%S", "2024-13-05 12:34:56", false, ""},
        {"%Y-%m-%d %H:%M:%S", "2024-03-05 24:00:00", false, ""},
        {"%Y-%m-%d %H:%M:%S", "2024-03-05 12:60:00", false, ""},
        {"%Y-%m-%d %H:%M:%S", "24-03-05 12:00:00", false, ""},
        {"%%%Y-%m-%d %H:%M", "%2024-03-05 12:00", true, "2024-03-05T12:00:00Z"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(std::string(c.layout) + " <- " + c.text);
        const auto tf = parsers::TimeFormat::compile(c.layout);
        ASSERT_TRUE(tf.has_value()) << tf.error();
        parsers::TimeFormat::Parsed p;
        const bool ok = tf->parse(c.text, p);
        EXPECT_EQ(ok, c.ok);
        if (!ok || !c.ok) continue;
        core::Micros t = p.epochMicros;
        if (!p.epoch) {
            core::CivilTime civil = p.civil;
            if (!p.hasYear) civil.year = 2024;
            ASSERT_TRUE(civil.valid());
            t = (civil.asUtcSeconds() - (p.hasOffset ? p.offsetSeconds : 0)) * core::kMicrosPerSecond
                + civil.micros;
        }
        EXPECT_EQ(core::formatRfc3339(t), c.utc);
    }
}

TEST(TimeFormat, BadLayoutsAreRefusedWithTheReason)
{
    for (const char* layout : {"%Y-%m-%d %H:%M:%Q", "%Y-%m-%d %H:%M:%S %", "%H:%M:%S", "%Y-%m-%d", "%s %Y",
             "%b %e %I:%M:%S", "%b %e %H %I:%M %p"}) {
        SCOPED_TRACE(layout);
        const auto tf = parsers::TimeFormat::compile(layout);
        ASSERT_FALSE(tf.has_value());
        EXPECT_FALSE(tf.error().empty());
    }
    int off = 0;
    EXPECT_TRUE(parsers::TimeFormat::parseOffset("+08", off));
    EXPECT_EQ(off, 8 * 3600);
    EXPECT_TRUE(parsers::TimeFormat::parseOffset("-05:30", off));
    EXPECT_EQ(off, -(5 * 3600 + 1800));
    EXPECT_TRUE(parsers::TimeFormat::parseOffset("UTC", off));
    EXPECT_EQ(off, 0);
    EXPECT_FALSE(parsers::TimeFormat::parseOffset("IST", off));
    EXPECT_FALSE(parsers::TimeFormat::parseOffset("+25", off));
}

} // namespace
} // namespace tattle::test
