// SPDX-License-Identifier: GPL-3.0-or-later
// Black-box tests of the `tattle` command line: the built binary is run as a user would run it, in an
// environment whose HOME and XDG_DATA_HOME point into a scratch folder.
#include "cli_runner.h"
#include "test_support.h"

#include <algorithm>
#include <cstdint>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sqlite3.h>
#include <string>
#include <sys/stat.h>
#include <sysexits.h>
#include <vector>
#include <zlib.h>

namespace tattle::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// --- helpers --------------------------------------------------------------------------------------

fs::path fixture(const std::string& name)
{
    return dataDir() / "cli" / name;
}

std::vector<std::string> splitLines(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    return lines;
}

/// Line n (1-based) of a fixture, as the file holds it.
std::string fixtureLine(const std::string& name, std::size_t n)
{
    const auto lines = splitLines(readFile(fixture(name)));
    return n >= 1 && n <= lines.size() ? lines[n - 1] : std::string();
}

/// Every line of a JSON Lines text, each parsed strictly (nlohmann rejects invalid UTF-8).
std::vector<json> jsonLines(const std::string& text)
{
    std::vector<json> out;
    if (!text.empty() && text.back() != '\n') ADD_FAILURE() << "JSON Lines output does not end with LF";
    for (const auto& line : splitLines(text)) {
        try {
            out.push_back(json::parse(line));
        } catch (const json::exception& e) {
            ADD_FAILURE() << "not a JSON line (" << e.what() << "): " << line.substr(0, 200);
        }
    }
    return out;
}

json parseJson(const std::string& text)
{
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        ADD_FAILURE() << "not JSON (" << e.what() << "): " << text.substr(0, 300);
        return json();
    }
}

/// The event printed for a line number (a null JSON value when none was).
json eventAt(const std::vector<json>& events, int lineNo)
{
    for (const auto& e : events)
        if (e.contains("line") && e["line"] == lineNo) return e;
    return json();
}

/// The summary of one source in `tattle sources --json` output (null when absent).
json sourceOf(const json& sources, const std::string& src)
{
    if (!sources.is_array()) return json();
    for (const auto& s : sources)
        if (s.value("src", "") == src) return s;
    return json();
}

std::set<std::string> sourceAddresses(const json& sources)
{
    std::set<std::string> out;
    if (sources.is_array())
        for (const auto& s : sources)
            out.insert(s.value("src", ""));
    return out;
}

/// Parses RFC 4180 CSV strictly: every record ends with CRLF, quotes only around whole fields.
std::vector<std::vector<std::string>> parseCsv(const std::string& text)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    std::size_t i = 0;
    bool atCellStart = true;
    while (i < text.size()) {
        const char c = text[i];
        if (atCellStart && c == '"') {
            ++i;
            for (;;) {
                if (i >= text.size()) {
                    ADD_FAILURE() << "unterminated quoted CSV field";
                    return rows;
                }
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        cell.push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                cell.push_back(text[i++]);
            }
            atCellStart = false;
            if (i < text.size() && text[i] != ',' && text[i] != '\r')
                ADD_FAILURE() << "text after a closing quote at byte " << i;
            continue;
        }
        if (c == ',') {
            row.push_back(std::move(cell));
            cell.clear();
            atCellStart = true;
            ++i;
        } else if (c == '\r') {
            if (i + 1 >= text.size() || text[i + 1] != '\n') ADD_FAILURE() << "CR without LF at byte " << i;
            row.push_back(std::move(cell));
            cell.clear();
            rows.push_back(std::move(row));
            row.clear();
            atCellStart = true;
            i += 2;
        } else if (c == '\n') {
            ADD_FAILURE() << "bare LF (not CRLF) at byte " << i;
            ++i;
        } else {
            if (c == '"') ADD_FAILURE() << "quote inside an unquoted field at byte " << i;
            cell.push_back(c);
            atCellStart = false;
            ++i;
        }
    }
    if (!row.empty() || !cell.empty()) ADD_FAILURE() << "last CSV record does not end with CRLF";
    return rows;
}

const std::vector<std::string> kCsvHeader {
    "src", "events", "blocked", "first_seen", "last_seen", "ports", "protocols", "categories", "patterns"};

/// Rows of `sources --csv` / `export csv` by source address.
std::vector<std::string> csvRowOf(const std::vector<std::vector<std::string>>& rows, const std::string& src)
{
    for (const auto& r : rows)
        if (!r.empty() && r[0] == src) return r;
    return {};
}

/// The number of rows in the events table (-1 when the database cannot be read).
std::int64_t eventCount(const fs::path& db)
{
    sqlite3* h = nullptr;
    std::int64_t n = -1;
    if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(h, "SELECT count(*) FROM events", -1, &st, nullptr) == SQLITE_OK
            && sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return n;
}

/// Writes data gzip-compressed.
void writeGzip(const fs::path& path, const std::string& data)
{
    gzFile f = gzopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(gzwrite(f, data.data(), unsigned(data.size())), int(data.size()));
    ASSERT_EQ(gzclose(f), Z_OK);
}

void setModificationTime(const fs::path& path, std::int64_t utcSeconds)
{
    const timespec times[2] = {{utcSeconds, 0}, {utcSeconds, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

/// Every file below a folder.
std::vector<std::string> filesBelow(const fs::path& dir)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (!it->is_directory()) out.push_back(it->path().string());
    return out;
}

/// The account `tattle import` prints on stderr for one file.
struct Account {
    std::string file, format;
    std::uint64_t lines = 0, stored = 0, notEvents = 0, skipped = 0;
};

std::vector<Account> accounts(const CliResult& r)
{
    static const std::regex re(
        R"(^(.*): ([a-z0-9-]+), ([0-9]+) lines, ([0-9]+) stored, ([0-9]+) not events, ([0-9]+) skipped)");
    std::vector<Account> out;
    for (const auto& line : r.errLines()) {
        std::smatch m;
        if (std::regex_search(line, m, re))
            out.push_back(
                {m[1], m[2], std::stoull(m[3]), std::stoull(m[4]), std::stoull(m[5]), std::stoull(m[6])});
    }
    return out;
}

std::string describe(const CliResult& r)
{
    return "exit " + std::to_string(r.exitCode) + "\n--- stderr:\n" + r.err + "--- stdout (start):\n"
        + r.out.substr(0, 2000);
}

// The fixtures, read with --tz UTC --year 2003: netfilter.log has 12 lines, 10 events, line 2 is an sshd
// line and line 11 has a bad SRC address; zalog.txt has 3 events after 3 header lines; pfirewall.log has
// 3 events after 4 header lines.
constexpr int kNetfilterEvents = 10;
const std::vector<int> kNetfilterEventLines {1, 3, 4, 5, 6, 7, 8, 9, 10, 12};

class CliTest : public ::testing::Test {
protected:
    CliResult run(const std::vector<std::string>& args, const std::optional<std::string>& in = {})
    {
        return m_cli.run(args, in);
    }
    /// `tattle --db DB import --tz UTC --year 2003 FILES...`
    CliResult importLogs(const std::vector<std::string>& files, const std::optional<std::string>& in = {})
    {
        std::vector<std::string> args {"--db", db().string(), "import", "--tz", "UTC", "--year", "2003"};
        args.insert(args.end(), files.begin(), files.end());
        return run(args, in);
    }
    /// `tattle --db DB sources --json [extra...]`, parsed.
    json sourcesJson(const std::vector<std::string>& extra = {})
    {
        std::vector<std::string> args {"--db", db().string(), "sources", "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = run(args);
        EXPECT_EQ(r.exitCode, 0) << describe(r);
        const json j = parseJson(r.out);
        EXPECT_TRUE(j.is_array()) << r.out;
        return j;
    }
    std::vector<json> parseEvents(const std::vector<std::string>& files, const std::string& tz = "UTC",
        const std::string& year = "2003")
    {
        std::vector<std::string> args {"parse", "--json", "--tz", tz, "--year", year};
        args.insert(args.end(), files.begin(), files.end());
        const auto r = run(args);
        EXPECT_EQ(r.exitCode, 0) << describe(r);
        return jsonLines(r.out);
    }
    fs::path db() const { return m_dir / "test.db"; }
    /// A copy of a fixture in the scratch folder.
    fs::path copyOf(const std::string& name, const std::string& as = {})
    {
        const auto target = m_dir / (as.empty() ? name : as);
        fs::copy_file(fixture(name), target, fs::copy_options::overwrite_existing);
        return target;
    }

    fs::path m_dir = scratchDir();
    Cli m_cli {m_dir};
};

// --- tattle formats -------------------------------------------------------------------------------

TEST_F(CliTest, FormatsListsEveryParserOnALineOfItsOwn)
{
    const auto r = run({"formats"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_EQ(r.err, "");
    std::map<std::string, std::string> formats;
    for (const auto& line : splitLines(r.out)) {
        const auto tab = line.find('\t');
        ASSERT_NE(tab, std::string::npos) << "no tab between id and description: " << line;
        const auto id = line.substr(0, tab);
        EXPECT_TRUE(std::regex_match(id, std::regex("[a-z0-9-]+"))) << id;
        EXPECT_GT(line.size() - tab - 1, 10u) << "description too short: " << line;
        EXPECT_TRUE(formats.emplace(id, line.substr(tab + 1)).second) << "listed twice: " << id;
    }
    for (const char* id : {"netfilter", "zonealarm", "windows-firewall"})
        EXPECT_TRUE(formats.contains(id)) << id << " missing from:\n" << r.out;
}

// --- tattle parse ---------------------------------------------------------------------------------

TEST_F(CliTest, ParseJsonWritesOneObjectPerEventWithTheDocumentedKeys)
{
    const auto events = parseEvents({fixture("netfilter.log").string()});
    ASSERT_EQ(events.size(), std::size_t(kNetfilterEvents));
    std::vector<int> lines;
    for (const auto& e : events) {
        ASSERT_TRUE(e.is_object());
        for (const char* key : {"time", "action", "direction", "proto", "src", "src_port", "dst", "dst_port",
                 "format", "line", "raw"})
            EXPECT_TRUE(e.contains(key)) << "no key " << key << " in " << e.dump();
        EXPECT_TRUE(std::regex_match(
            e["time"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")))
            << e["time"];
        EXPECT_EQ(e["format"], "netfilter");
        EXPECT_EQ(e["raw"], fixtureLine("netfilter.log", e["line"].get<std::size_t>()));
        lines.push_back(e["line"].get<int>());
    }
    EXPECT_EQ(lines, kNetfilterEventLines);

    const json smb = eventAt(events, 4);
    EXPECT_EQ(smb["time"], "2003-12-05T22:34:50Z");
    EXPECT_EQ(smb["action"], "block");
    EXPECT_EQ(smb["direction"], "in");
    EXPECT_EQ(smb["proto"], "tcp");
    EXPECT_EQ(smb["src"], "203.0.113.45");
    EXPECT_EQ(smb["src_port"], 3001);
    EXPECT_EQ(smb["dst"], "192.0.2.10");
    EXPECT_EQ(smb["dst_port"], 445);

    const json udp = eventAt(events, 12);
    EXPECT_EQ(udp["proto"], "udp");
    EXPECT_EQ(udp["src"], "203.0.113.60");
    EXPECT_EQ(udp["src_port"], 5060);
    EXPECT_EQ(udp["dst_port"], 5060);
}

TEST_F(CliTest, ParseIcmpHasNullPorts)
{
    struct Case {
        std::string file;
        int line;
        std::string src;
    };
    for (const auto& c : std::vector<Case> {{"netfilter.log", 9, "198.51.100.77"},
             {"zalog.txt", 5, "198.51.100.200"}, {"pfirewall.log", 6, "198.51.100.9"}}) {
        SCOPED_TRACE(c.file);
        const json e = eventAt(parseEvents({fixture(c.file).string()}), c.line);
        ASSERT_TRUE(e.is_object());
        EXPECT_EQ(e["proto"], "icmp");
        EXPECT_EQ(e["src"], c.src);
        EXPECT_TRUE(e["src_port"].is_null()) << e.dump();
        EXPECT_TRUE(e["dst_port"].is_null()) << e.dump();
        EXPECT_EQ(e.value("icmp_type", -1), 8);
    }
}

TEST_F(CliTest, ParsePrintsIpv6InRfc5952Form)
{
    // netfilter writes every group in full; pfirewall.log holds "2001:0db8:0:0::0abc".
    const json nf = eventAt(parseEvents({fixture("netfilter.log").string()}), 10);
    EXPECT_EQ(nf["src"], "2001:db8::abc");
    EXPECT_EQ(nf["dst"], "2001:db8::10");
    EXPECT_EQ(nf["dst_port"], 3389);
    const json wf = eventAt(parseEvents({fixture("pfirewall.log").string()}), 7);
    EXPECT_EQ(wf["src"], "2001:db8::abc");
    EXPECT_EQ(wf["dst"], "2001:db8::20");

    const auto text = run({"parse", "--tz", "UTC", "--year", "2003", fixture("netfilter.log").string()});
    EXPECT_NE(text.out.find("[2001:db8::abc]:50000 -> [2001:db8::10]:3389"), std::string::npos) << text.out;
}

TEST_F(CliTest, ParseTimeZoneShiftsLocalTimesByTheZoneOffset)
{
    // netfilter.log line 1 is Jul 1 10:00:00 (summer time in the northern zones), line 4 Dec 5 22:34:50.
    struct Case {
        std::string zone, july, december;
    };
    for (const auto& c : std::vector<Case> {
             {"UTC", "2003-07-01T10:00:00Z", "2003-12-05T22:34:50Z"},
             {"Europe/Stockholm", "2003-07-01T08:00:00Z", "2003-12-05T21:34:50Z"},
             {"America/New_York", "2003-07-01T14:00:00Z", "2003-12-06T03:34:50Z"},
             {"+05:30", "2003-07-01T04:30:00Z", "2003-12-05T17:04:50Z"},
         }) {
        SCOPED_TRACE(c.zone);
        const auto events = parseEvents({fixture("netfilter.log").string()}, c.zone);
        EXPECT_EQ(eventAt(events, 1)["time"], c.july);
        EXPECT_EQ(eventAt(events, 4)["time"], c.december);
    }
    // pfirewall.log says "#Time Format: Local": read in the zone given.
    EXPECT_EQ(eventAt(parseEvents({fixture("pfirewall.log").string()}, "Europe/Stockholm"), 5)["time"],
        "2003-12-05T22:34:50Z");
    EXPECT_EQ(
        eventAt(parseEvents({fixture("pfirewall.log").string()}, "UTC"), 5)["time"], "2003-12-05T23:34:50Z");
    // ZoneAlarm lines carry their own GMT offset: --tz must not move them.
    for (const std::string zone : {"UTC", "Asia/Tokyo"})
        EXPECT_EQ(
            eventAt(parseEvents({fixture("zalog.txt").string()}, zone), 4)["time"], "2003-12-05T22:34:50Z")
            << zone;
}

TEST_F(CliTest, ParseYearOptionSetsTheYearOfSyslogTimes)
{
    for (const std::string year : {"2003", "2011"}) {
        const auto events = parseEvents({fixture("netfilter.log").string()}, "UTC", year);
        EXPECT_EQ(eventAt(events, 1)["time"], year + "-07-01T10:00:00Z");
        EXPECT_EQ(eventAt(events, 4)["time"], year + "-12-05T22:34:50Z");
        EXPECT_EQ(eventAt(events, 4).value("time_guessed", true), false);
    }
    // Without --year the year comes from the file's date: the latest that is not in its future.
    const auto copy = copyOf("netfilter.log");
    setModificationTime(copy, 1105315200); // 2005-01-10T00:00:00Z
    const auto r = run({"parse", "--json", "--tz", "UTC", copy.string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto events = jsonLines(r.out);
    EXPECT_EQ(eventAt(events, 1)["time"], "2004-07-01T10:00:00Z");
    EXPECT_EQ(eventAt(events, 4)["time"], "2004-12-05T22:34:50Z");
    EXPECT_EQ(eventAt(events, 4).value("time_guessed", false), true);

    EXPECT_EQ(run({"parse", "--year", "99", copy.string()}).exitCode, EX_USAGE);
}

TEST_F(CliTest, ParseNamesSkippedLinesOnStderrWithLineNumberAndReason)
{
    const auto r = run({"parse", "--tz", "UTC", "--year", "2003", fixture("netfilter.log").string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto lines = r.errLines();
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(.*netfilter\.log:11: skipped: \S.*)"))) << lines[0];
    // The text output has one line per event, naming file and line.
    const auto out = splitLines(r.out);
    ASSERT_EQ(out.size(), std::size_t(kNetfilterEvents)) << r.out;
    EXPECT_NE(out[2].find("203.0.113.45:3001 -> 192.0.2.10:445"), std::string::npos) << out[2];
    EXPECT_NE(out[2].find("netfilter.log:4"), std::string::npos) << out[2];
    EXPECT_EQ(r.out.find(":11\n"), std::string::npos);
}

TEST_F(CliTest, ParseDetectsEachFormatAndReadsSeveralFiles)
{
    const auto events = parseEvents({fixture("netfilter.log").string(), fixture("zalog.txt").string(),
        fixture("pfirewall.log").string()});
    std::map<std::string, int> perFormat;
    for (const auto& e : events)
        ++perFormat[e["format"].get<std::string>()];
    EXPECT_EQ(perFormat,
        (std::map<std::string, int> {{"netfilter", 10}, {"zonealarm", 3}, {"windows-firewall", 3}}));
    const auto za = std::find_if(
        events.begin(), events.end(), [](const json& e) { return e["format"] == "zonealarm"; });
    ASSERT_NE(za, events.end());
    EXPECT_EQ((*za)["src"], "203.0.113.7");
    EXPECT_EQ((*za)["dst_port"], 445);
    EXPECT_EQ((*za)["line"], 4);
    EXPECT_EQ((*za)["file"], fixture("zalog.txt").string());
}

TEST_F(CliTest, ParseDoesNotTouchAnyDatabase)
{
    const auto other = m_dir / "not-created.db";
    const auto log = fixture("netfilter.log").string();
    EXPECT_EQ(run({"parse", log}).exitCode, 0);
    EXPECT_EQ(run({"parse", "--json", log}).exitCode, 0);
    EXPECT_EQ(run({"parse", "--json", "-"}, readFile(log)).exitCode, 0);
    EXPECT_EQ(run({"--db", other.string(), "parse", log}).exitCode, 0);
    EXPECT_EQ(run({"parse", "--db", other.string(), log}).exitCode, 0);
    EXPECT_EQ(filesBelow(m_cli.dataHome()), std::vector<std::string> {});
    EXPECT_EQ(filesBelow(m_cli.home()), std::vector<std::string> {});
    EXPECT_FALSE(fs::exists(other));
    EXPECT_FALSE(fs::exists(m_cli.defaultDb()));
}

TEST_F(CliTest, ParseReadsGzipFilesByContent)
{
    const auto plain = parseEvents({fixture("netfilter.log").string()});
    const std::string content = readFile(fixture("netfilter.log"));
    const auto gz = m_dir / "netfilter.log.gz";
    const auto disguised = m_dir / "compressed-but-named.log";
    writeGzip(gz, content);
    writeGzip(disguised, content);
    for (const auto& file : {gz, disguised}) {
        SCOPED_TRACE(file.string());
        auto events = parseEvents({file.string()});
        ASSERT_EQ(events.size(), plain.size());
        for (std::size_t i = 0; i < events.size(); ++i) {
            EXPECT_EQ(events[i]["file"], file.string());
            events[i]["file"] = plain[i]["file"];
            EXPECT_EQ(events[i], plain[i]);
        }
    }
}

TEST_F(CliTest, ParseReadsStandardInput)
{
    const auto r
        = run({"parse", "--json", "--tz", "UTC", "--year", "2003", "-"}, readFile(fixture("zalog.txt")));
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto events = jsonLines(r.out);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0]["file"], "-");
    EXPECT_EQ(events[0]["format"], "zonealarm");
    EXPECT_EQ(events[0]["time"], "2003-12-05T22:34:50Z");
    EXPECT_EQ(events[2]["direction"], "out");

    // Compressed standard input too.
    const auto gz = m_dir / "in.gz";
    writeGzip(gz, readFile(fixture("netfilter.log")));
    const auto z = run({"parse", "--json", "--tz", "UTC", "--year", "2003", "-"}, readFile(gz));
    ASSERT_EQ(z.exitCode, 0) << describe(z);
    EXPECT_EQ(jsonLines(z.out).size(), std::size_t(kNetfilterEvents));
}

TEST_F(CliTest, ParseWithAForcedFormatThatFindsNothingFails)
{
    const auto r = run({"parse", "--format", "zonealarm", fixture("netfilter.log").string()});
    EXPECT_EQ(r.exitCode, EX_DATAERR) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("tattle: "), std::string::npos) << r.err;
    // The right forced format reads the file as detection does.
    const auto ok = run({"parse", "--json", "--format", "netfilter", "--tz", "UTC", "--year", "2003",
        fixture("netfilter.log").string()});
    EXPECT_EQ(ok.exitCode, 0) << describe(ok);
    EXPECT_EQ(jsonLines(ok.out).size(), std::size_t(kNetfilterEvents));
}

// --- tattle import --------------------------------------------------------------------------------

TEST_F(CliTest, ImportPrintsAnAccountPerFileAndStoresTheEvents)
{
    const auto r = importLogs({fixture("netfilter.log").string(), fixture("zalog.txt").string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_EQ(r.out, "");
    const auto acc = accounts(r);
    ASSERT_EQ(acc.size(), 2u) << r.err;
    EXPECT_EQ(acc[0].file, fixture("netfilter.log").string());
    EXPECT_EQ(acc[0].format, "netfilter");
    EXPECT_EQ(acc[0].lines, 12u);
    EXPECT_EQ(acc[0].stored, 10u);
    EXPECT_EQ(acc[0].notEvents, 1u);
    EXPECT_EQ(acc[0].skipped, 1u);
    EXPECT_NE(r.err.find("line 11: "), std::string::npos) << "the skipped line is named:\n" << r.err;
    EXPECT_EQ(acc[1].format, "zonealarm");
    EXPECT_EQ(acc[1].lines, 6u);
    EXPECT_EQ(acc[1].stored, 3u);
    EXPECT_EQ(acc[1].skipped, 0u);
    EXPECT_EQ(eventCount(db()), 13);
}

TEST_F(CliTest, ImportingTheSameFileAgainStoresNothingTwice)
{
    const auto log = copyOf("netfilter.log");
    ASSERT_EQ(importLogs({log.string()}).exitCode, 0);
    ASSERT_EQ(eventCount(db()), kNetfilterEvents);
    const auto again = importLogs({log.string()});
    ASSERT_EQ(again.exitCode, 0) << describe(again);
    const auto acc = accounts(again);
    ASSERT_EQ(acc.size(), 1u) << again.err;
    EXPECT_EQ(acc[0].stored, 0u);
    EXPECT_EQ(eventCount(db()), kNetfilterEvents);
    EXPECT_EQ(sourcesJson().size(), 5u);
    EXPECT_EQ(sourceOf(sourcesJson(), "203.0.113.45")["events"], 5) << "counted twice";
}

TEST_F(CliTest, ImportingAGrownFileStoresOnlyTheNewLines)
{
    const auto log = copyOf("netfilter.log");
    ASSERT_EQ(importLogs({log.string()}).exitCode, 0);
    const std::string more = fixtureLine("netfilter.log", 4) + "\n" + fixtureLine("netfilter.log", 2) + "\n"
        + fixtureLine("netfilter.log", 5) + "\n";
    writeFile(log, readFile(log) + more);
    const auto r = importLogs({log.string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto acc = accounts(r);
    ASSERT_EQ(acc.size(), 1u) << r.err;
    EXPECT_EQ(acc[0].lines, 3u);
    EXPECT_EQ(acc[0].stored, 2u);
    EXPECT_EQ(acc[0].skipped, 0u) << "line 11 was counted before";
    EXPECT_EQ(eventCount(db()), kNetfilterEvents + 2);
    EXPECT_EQ(sourceOf(sourcesJson(), "203.0.113.45")["events"], 7);
}

TEST_F(CliTest, ImportingARenamedOrCompressedCopyStoresNothing)
{
    const auto log = copyOf("netfilter.log");
    ASSERT_EQ(importLogs({log.string()}).exitCode, 0);
    const auto renamed = m_dir / "netfilter.log.1";
    fs::copy_file(log, renamed);
    const auto gz = m_dir / "netfilter.log.2.gz";
    writeGzip(gz, readFile(log));
    for (const auto& copy : {renamed, gz}) {
        SCOPED_TRACE(copy.string());
        const auto r = importLogs({copy.string()});
        ASSERT_EQ(r.exitCode, 0) << describe(r);
        const auto acc = accounts(r);
        ASSERT_EQ(acc.size(), 1u) << r.err;
        EXPECT_EQ(acc[0].stored, 0u);
        EXPECT_EQ(eventCount(db()), kNetfilterEvents);
    }
    // The same content through standard input is the same file too.
    const auto in = importLogs({"-"}, readFile(log));
    ASSERT_EQ(in.exitCode, 0) << describe(in);
    EXPECT_EQ(eventCount(db()), kNetfilterEvents);
}

TEST_F(CliTest, ImportReadsStandardInput)
{
    const auto r = importLogs({"-"}, readFile(fixture("zalog.txt")));
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto acc = accounts(r);
    ASSERT_EQ(acc.size(), 1u) << r.err;
    EXPECT_EQ(acc[0].file, "-");
    EXPECT_EQ(acc[0].format, "zonealarm");
    EXPECT_EQ(acc[0].stored, 3u);
    EXPECT_EQ(eventCount(db()), 3);
    const auto again = importLogs({"-"}, readFile(fixture("zalog.txt")));
    ASSERT_EQ(accounts(again).size(), 1u) << again.err;
    EXPECT_EQ(accounts(again)[0].stored, 0u);
    EXPECT_EQ(eventCount(db()), 3);
    EXPECT_EQ(sourceOf(sourcesJson(), "203.0.113.7")["ports"], json::array({445}));
}

TEST_F(CliTest, ImportWithoutDbUsesXdgDataHome)
{
    const auto r = run({"import", "--tz", "UTC", "--year", "2003", fixture("netfilter.log").string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    ASSERT_TRUE(fs::exists(m_cli.defaultDb())) << m_cli.defaultDb();
    EXPECT_EQ(eventCount(m_cli.defaultDb()), kNetfilterEvents);
    EXPECT_EQ(filesBelow(m_cli.home()), std::vector<std::string> {});
    // Every command without --db uses the same database.
    const auto s = run({"sources", "--json"});
    ASSERT_EQ(s.exitCode, 0) << describe(s);
    EXPECT_EQ(sourceOf(parseJson(s.out), "203.0.113.45")["events"], 5);
    const auto e = run({"export", "csv"});
    ASSERT_EQ(e.exitCode, 0) << describe(e);
    EXPECT_EQ(csvRowOf(parseCsv(e.out), "203.0.113.45").at(1), "5");
}

TEST_F(CliTest, ImportWithoutXdgDataHomeUsesHomeLocalShare)
{
    m_cli.setEnv("XDG_DATA_HOME", std::nullopt);
    const auto r = run({"import", "--tz", "UTC", "--year", "2003", fixture("zalog.txt").string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto expected = m_cli.home() / ".local" / "share" / "tattle" / "tattle.db";
    EXPECT_EQ(eventCount(expected), 3);
    EXPECT_EQ(filesBelow(m_cli.dataHome()), std::vector<std::string> {});
}

TEST_F(CliTest, DbOptionWorksBeforeAndAfterEverySubcommand)
{
    const auto a = m_dir / "before.db", b = m_dir / "after.db";
    const auto log = fixture("zalog.txt").string();
    const auto first = run({"--db", a.string(), "import", log});
    ASSERT_EQ(first.exitCode, 0) << describe(first);
    const auto second = run({"import", "--db", b.string(), log});
    ASSERT_EQ(second.exitCode, 0) << describe(second);
    EXPECT_EQ(eventCount(a), 3);
    EXPECT_EQ(eventCount(b), 3);
    EXPECT_FALSE(fs::exists(m_cli.defaultDb()));
    for (const auto& args : std::vector<std::vector<std::string>> {
             {"--db", b.string(), "sources", "--json"}, {"sources", "--json", "--db", b.string()}}) {
        const auto r = run(args);
        ASSERT_EQ(r.exitCode, 0) << describe(r);
        EXPECT_EQ(parseJson(r.out).size(), 2u) << r.out; // the FWOUT line's source is this machine
    }
    for (const auto& args : std::vector<std::vector<std::string>> {
             {"--db", b.string(), "export", "csv"}, {"export", "csv", "--db", b.string()}}) {
        const auto r = run(args);
        ASSERT_EQ(r.exitCode, 0) << describe(r);
        EXPECT_EQ(parseCsv(r.out).size(), 3u) << r.out;
    }
    EXPECT_FALSE(fs::exists(m_cli.defaultDb())) << "a command ignored --db";
}

// --- errors ---------------------------------------------------------------------------------------

struct BadInput {
    std::string name;
    int exitCode;
};

TEST_F(CliTest, UnreadableOrUnrecognisedFilesFailWithOneLineAndKeepWhatWasStored)
{
    writeFile(m_dir / "empty.log", "");
    std::string junk;
    std::uint32_t x = 12345;
    for (int i = 0; i < 8192; ++i) {
        x = x * 1103515245u + 12345u;
        junk.push_back(char(x >> 24));
    }
    junk[100] = '\0';
    writeFile(m_dir / "junk.bin", junk);
    fs::create_directory(m_dir / "a-directory.log");
    fs::copy_file(fixture("not-a-log.txt"), m_dir / "diary.txt");

    ASSERT_EQ(importLogs({fixture("netfilter.log").string()}).exitCode, 0);
    ASSERT_EQ(eventCount(db()), kNetfilterEvents);
    for (const auto& c :
        std::vector<BadInput> {{"no-such-file.log", EX_NOINPUT}, {"a-directory.log", EX_NOINPUT},
            {"diary.txt", EX_DATAERR}, {"junk.bin", EX_DATAERR}, {"empty.log", EX_DATAERR}}) {
        SCOPED_TRACE(c.name);
        const auto path = (m_dir / c.name).string();
        for (const bool importing : {false, true}) {
            SCOPED_TRACE(importing ? "import" : "parse");
            const auto r = importing ? importLogs({path}) : run({"parse", path});
            EXPECT_EQ(r.exitCode, c.exitCode) << describe(r);
            const auto lines = r.errLines();
            ASSERT_EQ(lines.size(), 1u) << r.err;
            EXPECT_EQ(lines[0].rfind("tattle: ", 0), 0u) << lines[0];
            EXPECT_NE(lines[0].find(c.name), std::string::npos) << "the message names the file: " << lines[0];
            EXPECT_EQ(r.out, "");
            EXPECT_EQ(eventCount(db()), kNetfilterEvents);
        }
    }
    // A good file beside a bad one is still imported; the run fails.
    const auto mixed = importLogs({(m_dir / "diary.txt").string(), fixture("zalog.txt").string()});
    EXPECT_EQ(mixed.exitCode, EX_DATAERR) << describe(mixed);
    EXPECT_EQ(eventCount(db()), kNetfilterEvents + 3);
}

TEST_F(CliTest, ImportWithAForcedFormatThatFindsNothingFails)
{
    const auto forced = m_dir / "forced.db";
    writeFile(m_dir / "empty.log", "");
    for (const auto& [format, file] :
        std::vector<std::pair<std::string, fs::path>> {{"zonealarm", fixture("netfilter.log")},
            {"netfilter", m_dir / "empty.log"}, {"windows-firewall", fixture("not-a-log.txt")}}) {
        SCOPED_TRACE(format + " " + file.string());
        const auto r = run({"--db", forced.string(), "import", "--format", format, file.string()});
        EXPECT_EQ(r.exitCode, EX_DATAERR) << describe(r);
        EXPECT_NE(r.err.find("tattle: "), std::string::npos) << r.err;
    }
    EXPECT_EQ(eventCount(forced), 0);
    // A file whose lines were all stored before is no error.
    const auto log = copyOf("netfilter.log");
    EXPECT_EQ(importLogs({log.string()}).exitCode, 0);
    const auto again
        = run({"--db", db().string(), "import", "--format", "netfilter", "--year", "2003", log.string()});
    EXPECT_EQ(again.exitCode, 0) << describe(again);
    EXPECT_EQ(eventCount(db()), kNetfilterEvents);
}

// An import with a wrong --format stores nothing; it must not mark the file's lines as imported, or the
// right format could never read them afterwards.
TEST_F(CliTest, AWrongFormatImportDoesNotKeepTheRightOneFromReadingTheFile)
{
    const auto log = copyOf("netfilter.log");
    const auto wrong
        = run({"--db", db().string(), "import", "--format", "zonealarm", "--year", "2003", log.string()});
    EXPECT_NE(wrong.exitCode, 0) << describe(wrong);
    EXPECT_EQ(eventCount(db()), 0);
    const auto right = importLogs({log.string()});
    EXPECT_EQ(right.exitCode, 0) << describe(right);
    EXPECT_EQ(eventCount(db()), kNetfilterEvents) << right.err;
}

TEST_F(CliTest, BadOptionsAreUsageErrors)
{
    ASSERT_EQ(importLogs({fixture("zalog.txt").string()}).exitCode, 0);
    const auto log = fixture("netfilter.log").string();
    const auto dbArg = db().string();
    for (const auto& args : std::vector<std::vector<std::string>> {
             {"parse", "--format", "no-such-format", log},
             {"--db", dbArg, "import", "--format", "no-such-format", log},
             {"parse", "--tz", "Mars/Olympus_Mons", log},
             {"--db", dbArg, "import", "--tz", "Mars/Olympus_Mons", log},
             {"parse", "--tz", "+25:00", log},
             {"--db", dbArg, "sources", "--since", "last tuesday"},
             {"--db", dbArg, "sources", "--since", "2003-13-45"},
             {"--db", dbArg, "sources", "--until", "soon"},
             {"--db", dbArg, "sources", "--category", "no-such-category"},
             {"--db", dbArg, "sources", "--json", "--csv"},
             {"--db", dbArg, "import", "--year", "nineteen", log},
             {"--db", dbArg, "frobnicate"},
             {"--db", dbArg},
             {"--db", dbArg, "export"},
             {"parse"},
         }) {
        std::string joined;
        for (const auto& a : args)
            joined += a + " ";
        SCOPED_TRACE(joined);
        const auto r = run(args);
        EXPECT_EQ(r.exitCode, EX_USAGE) << describe(r);
        EXPECT_FALSE(r.err.empty());
        EXPECT_EQ(r.out, "");
    }
    EXPECT_EQ(eventCount(db()), 3);
}

// --- hostile input --------------------------------------------------------------------------------

TEST_F(CliTest, ATenMegabyteLineIsSkippedAndTheOthersImported)
{
    const std::string smb = fixtureLine("netfilter.log", 4);
    const std::string prefix = smb.substr(0, smb.find("SRC="));
    const auto log = m_dir / "long.log";
    writeFile(log,
        fixtureLine("netfilter.log", 1) + "\n" + prefix + "SRC=203.0.113.99 " + std::string(10 << 20, 'A')
            + "\n" + smb + "\n");

    const auto p = run({"parse", "--json", "--tz", "UTC", "--year", "2003", log.string()});
    ASSERT_EQ(p.exitCode, 0) << describe(p);
    const auto events = jsonLines(p.out);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0]["line"], 1);
    EXPECT_EQ(events[1]["line"], 3);
    EXPECT_EQ(events[1]["src"], "203.0.113.45");
    EXPECT_NE(p.err.find("long.log:2: skipped: "), std::string::npos) << p.err;
    EXPECT_LT(p.err.size(), 4096u) << "the long line is not echoed";

    const auto r = importLogs({log.string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto acc = accounts(r);
    ASSERT_EQ(acc.size(), 1u) << r.err.substr(0, 2000);
    EXPECT_EQ(acc[0].lines, 3u);
    EXPECT_EQ(acc[0].stored, 2u);
    EXPECT_EQ(acc[0].skipped, 1u);
    EXPECT_EQ(eventCount(db()), 2);
    EXPECT_TRUE(sourceOf(sourcesJson(), "203.0.113.99").is_null());
}

TEST_F(CliTest, InvalidUtf8AndNulBytesKeepJsonOutputValid)
{
    std::string hostileRule = fixtureLine("netfilter.log", 4);
    hostileRule.replace(
        hostileRule.find("[UFW BLOCK]"), 11, std::string("[UFW \xff\xfe\0B\x01\x1b[31m\xc3]", 17));
    std::string hostileTail = fixtureLine("netfilter.log", 5);
    hostileTail += std::string(" \xed\xa0\x80 \xc0\xaf \0 \"quoted\" \\", 20);
    const auto log = m_dir / "hostile.log";
    writeFile(log, fixtureLine("netfilter.log", 1) + "\n" + hostileRule + "\n" + hostileTail + "\n");

    const auto r = run({"parse", "--json", "--tz", "UTC", "--year", "2003", log.string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto events = jsonLines(r.out); // fails on invalid UTF-8 or a broken escape
    for (const auto& e : events) {
        const std::string raw = e.value("raw", "");
        EXPECT_EQ(raw.find("\xff"), std::string::npos);
        if (e["line"] != 1) {
            EXPECT_NE(raw.find("\xEF\xBF\xBD"), std::string::npos) << "U+FFFD stands in";
        }
    }
    // Whatever a line parses to, no raw control byte reaches the output.
    EXPECT_EQ(std::count_if(r.out.begin(), r.out.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n'; }),
        0);
    const json tail = eventAt(events, 3);
    ASSERT_TRUE(tail.is_object()) << r.out;
    EXPECT_EQ(tail["src"], "203.0.113.45");
    EXPECT_NE(tail["raw"].get<std::string>().find(std::string("\0 \"quoted\" \\", 12)), std::string::npos);

    // The same file through import: stored and summarised as valid JSON.
    const auto imp = importLogs({log.string()});
    ASSERT_EQ(imp.exitCode, 0) << describe(imp);
    EXPECT_EQ(eventCount(db()), std::int64_t(events.size()));
    EXPECT_EQ(sourceOf(sourcesJson(), "198.51.100.23")["events"], 1);
}

TEST_F(CliTest, ATruncatedGzipFileYieldsTheLinesBeforeTheDamageAndFails)
{
    // 4000 distinct lines, so that the compressed stream is long and half of it holds many lines.
    const std::string smb = fixtureLine("netfilter.log", 4);
    std::string content;
    constexpr int kLines = 4000;
    for (int i = 0; i < kLines; ++i) {
        std::string line = smb;
        line.replace(line.find("SPT=3001"), 8, "SPT=" + std::to_string(10000 + i * 7 % 50000));
        line.replace(line.find("ID=201"), 6, "ID=" + std::to_string(i * 7919 % 65536));
        content += line + "\n";
    }
    const auto whole = m_dir / "whole.log.gz";
    writeGzip(whole, content);
    const auto damaged = m_dir / "damaged.log.gz";
    fs::copy_file(whole, damaged);
    fs::resize_file(damaged, fs::file_size(whole) / 2);

    const auto p = run({"parse", "--json", "--tz", "UTC", "--year", "2003", damaged.string()});
    EXPECT_NE(p.exitCode, 0) << describe(p);
    EXPECT_NE(p.err.find("damaged.log.gz"), std::string::npos) << p.err;
    const auto events = jsonLines(p.out);
    ASSERT_GT(events.size(), 100u);
    ASSERT_LT(events.size(), std::size_t(kLines));
    for (std::size_t i = 0; i < events.size(); ++i) {
        ASSERT_EQ(events[i]["line"], i + 1) << "the lines before the damage, in order";
        ASSERT_EQ(events[i]["dst_port"], 445)
            << "a line cut short by the damage is no event: " << events[i].dump();
    }

    const auto r = importLogs({damaged.string()});
    EXPECT_NE(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.err.find("tattle: "), std::string::npos) << r.err;
    const auto acc = accounts(r);
    ASSERT_EQ(acc.size(), 1u) << r.err;
    EXPECT_EQ(acc[0].stored, events.size());
    EXPECT_EQ(eventCount(db()), std::int64_t(events.size()));

    // The intact file then brings exactly the rest.
    const auto rest = importLogs({whole.string()});
    ASSERT_EQ(rest.exitCode, 0) << describe(rest);
    EXPECT_EQ(eventCount(db()), kLines);
}

// --- tattle sources -------------------------------------------------------------------------------

TEST_F(CliTest, SourcesJsonSummarisesEachSource)
{
    ASSERT_EQ(importLogs({fixture("netfilter.log").string(), fixture("zalog.txt").string()}).exitCode, 0);
    const json all = sourcesJson();
    // Eight sources in the logs; the machine's own address (192.0.2.10, the FWOUT line) sent, not probed.
    ASSERT_EQ(all.size(), 7u) << all.dump();
    EXPECT_TRUE(sourceOf(all, "192.0.2.10").is_null());
    for (const auto& s : all)
        for (const char* key : {"src", "events", "first_seen", "last_seen", "ports", "categories"})
            EXPECT_TRUE(s.contains(key)) << key << " missing in " << s.dump();
    EXPECT_EQ(all[0]["src"], "203.0.113.45") << "most events first";

    const json smb = sourceOf(all, "203.0.113.45");
    EXPECT_EQ(smb["events"], 5);
    EXPECT_EQ(smb["ports"], json::array({445}));
    EXPECT_EQ(smb["categories"], json::array({"smb"}));
    EXPECT_EQ(smb["first_seen"], "2003-12-05T22:34:50Z");
    EXPECT_EQ(smb["last_seen"], "2003-12-05T22:34:54Z");
    EXPECT_EQ(smb.value("protocols", json()), json::array({"tcp"}));

    const json ssh = sourceOf(all, "198.51.100.23");
    EXPECT_EQ(ssh["events"], 2);
    EXPECT_EQ(ssh["ports"], json::array({22, 23}));
    EXPECT_EQ(ssh["categories"].get<std::set<std::string>>(), (std::set<std::string> {"ssh", "telnet"}));
    EXPECT_EQ(ssh["first_seen"], "2003-07-01T10:00:00Z");
    EXPECT_EQ(ssh["last_seen"], "2003-07-01T10:00:06Z");

    const json ping = sourceOf(all, "198.51.100.77");
    EXPECT_EQ(ping["ports"], json::array());
    EXPECT_EQ(ping["categories"], json::array({"ping"}));
    EXPECT_EQ(sourceOf(all, "2001:db8::abc")["categories"], json::array({"rdp"}));
    EXPECT_EQ(sourceOf(all, "203.0.113.7")["categories"], json::array({"smb"}));
    EXPECT_TRUE(sourceOf(all, "203.0.113.999").is_null());

    // What the machine sent is there on request.
    const auto out = run({"--db", db().string(), "sources", "--json", "--direction", "out"});
    ASSERT_EQ(out.exitCode, 0) << describe(out);
    const json sent = parseJson(out.out);
    ASSERT_EQ(sent.size(), 1u) << out.out;
    EXPECT_EQ(sent[0]["src"], "192.0.2.10");
    const auto any = run({"--db", db().string(), "sources", "--json", "--direction", "any"});
    EXPECT_EQ(parseJson(any.out).size(), 8u) << any.out;

    // An empty database is an empty array.
    const auto empty = run({"--db", (m_dir / "empty.db").string(), "sources", "--json"});
    ASSERT_EQ(empty.exitCode, 0) << describe(empty);
    EXPECT_EQ(parseJson(empty.out), json::array());
}

TEST_F(CliTest, SourcesCategoryKeepsOnlyThatCategoryOrGroup)
{
    ASSERT_EQ(importLogs({fixture("netfilter.log").string(), fixture("zalog.txt").string()}).exitCode, 0);
    EXPECT_EQ(sourceAddresses(sourcesJson({"--category", "smb"})),
        (std::set<std::string> {"203.0.113.45", "203.0.113.7"}));
    EXPECT_EQ(sourceAddresses(sourcesJson({"--category", "remote-access"})),
        (std::set<std::string> {"198.51.100.23", "2001:db8::abc"}));
    EXPECT_EQ(sourceAddresses(sourcesJson({"--category", "smb", "--category", "ping"})),
        (std::set<std::string> {"203.0.113.45", "203.0.113.7", "198.51.100.77", "198.51.100.200"}));
    // Only the events of the category are counted.
    const json ssh = sourceOf(sourcesJson({"--category", "ssh"}), "198.51.100.23");
    EXPECT_EQ(ssh["events"], 1);
    EXPECT_EQ(ssh["ports"], json::array({22}));
}

TEST_F(CliTest, SourcesSinceAndUntilFilterByTime)
{
    ASSERT_EQ(importLogs({fixture("netfilter.log").string()}).exitCode, 0);
    EXPECT_EQ(sourceAddresses(sourcesJson({"--since", "2003-12-01"})),
        (std::set<std::string> {"203.0.113.45", "198.51.100.77", "2001:db8::abc", "203.0.113.60"}));
    EXPECT_EQ(sourceAddresses(sourcesJson({"--since", "2003-12-05T22:35:30Z"})),
        (std::set<std::string> {"2001:db8::abc", "203.0.113.60"}));
    // An RFC 3339 time with an offset: 23:34:52+01:00 is 22:34:52Z, so three of the five SMB probes.
    EXPECT_EQ(sourceOf(sourcesJson({"--since", "2003-12-05T23:34:52+01:00"}), "203.0.113.45")["events"], 3);
    const json early = sourcesJson({"--until", "2003-12-01"});
    EXPECT_EQ(sourceAddresses(early), (std::set<std::string> {"198.51.100.23"}));
    EXPECT_EQ(sourceOf(early, "198.51.100.23")["events"], 2);
    EXPECT_EQ(sourcesJson({"--since", "7d"}), json::array()) << "2003 is more than a week ago";
    EXPECT_EQ(sourcesJson({"--since", "2003-12-01", "--category", "smb"}).size(), 1u);
}

TEST_F(CliTest, SourcesCsvIsRfc4180WithAHeader)
{
    ASSERT_EQ(importLogs({fixture("netfilter.log").string()}).exitCode, 0);
    const auto r = run({"--db", db().string(), "sources", "--csv"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_EQ(
        r.out.rfind("src,events,blocked,first_seen,last_seen,ports,protocols,categories,patterns\r\n", 0), 0u)
        << r.out;
    const auto rows = parseCsv(r.out);
    ASSERT_EQ(rows.size(), 6u) << r.out;
    EXPECT_EQ(rows[0], kCsvHeader);
    for (const auto& row : rows)
        EXPECT_EQ(row.size(), kCsvHeader.size());
    EXPECT_EQ(csvRowOf(rows, "203.0.113.45"),
        (std::vector<std::string> {"203.0.113.45", "5", "5", "2003-12-05T22:34:50Z", "2003-12-05T22:34:54Z",
            "445", "tcp", "smb", ""}));
    const auto ssh = csvRowOf(rows, "198.51.100.23");
    ASSERT_EQ(ssh.size(), kCsvHeader.size());
    EXPECT_EQ(ssh[5], "22 23");
    EXPECT_EQ(csvRowOf(rows, "2001:db8::abc").at(7), "rdp");
    // The same filters as --json.
    const auto smb = run({"--db", db().string(), "sources", "--csv", "--category", "smb"});
    EXPECT_EQ(parseCsv(smb.out).size(), 2u) << smb.out;
}

TEST_F(CliTest, SourcesTableIsTheDefault)
{
    ASSERT_EQ(importLogs({fixture("netfilter.log").string()}).exitCode, 0);
    const auto r = run({"--db", db().string(), "sources"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 6u) << r.out;
    EXPECT_EQ(lines[0].rfind("SOURCE", 0), 0u);
    EXPECT_EQ(lines[1].rfind("203.0.113.45 ", 0), 0u) << lines[1];
    EXPECT_NE(lines[1].find("smb"), std::string::npos) << lines[1];
    const auto limited = run({"--db", db().string(), "sources", "--limit", "2"});
    EXPECT_EQ(splitLines(limited.out).size(), 4u) << limited.out;
}

// --- tattle export csv ----------------------------------------------------------------------------

TEST_F(CliTest, ExportCsvWritesSpreadsheetSafeRfc4180)
{
    ASSERT_EQ(importLogs({fixture("netfilter.log").string(), fixture("pfirewall.log").string()}).exitCode, 0);
    const auto out = m_dir / "sources.csv";
    const auto r = run({"--db", db().string(), "export", "csv", "-o", out.string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("7 sources"), std::string::npos) << r.err;
    const std::string text = readFile(out);
    const auto rows = parseCsv(text);
    ASSERT_EQ(rows.size(), 8u) << text;
    EXPECT_EQ(rows[0], kCsvHeader);
    EXPECT_EQ(csvRowOf(rows, "203.0.113.8"),
        (std::vector<std::string> {"203.0.113.8", "1", "1", "2003-12-05T23:34:50Z", "2003-12-05T23:34:50Z",
            "445", "tcp", "smb", ""}));
    EXPECT_EQ(csvRowOf(rows, "2001:db8::abc").at(1), "2") << "one probe in each log";
    // No cell a spreadsheet would take for a formula. (No column carries attacker text today; the
    // apostrophe prefix itself is tested on CsvWriter in tests/reports.)
    for (const auto& row : rows)
        for (const auto& cell : row)
            if (!cell.empty()) {
                EXPECT_EQ(std::string("=+-@\t\r").find(cell[0]), std::string::npos) << cell;
            }

    const auto stdoutExport = run({"--db", db().string(), "export", "csv"});
    ASSERT_EQ(stdoutExport.exitCode, 0) << describe(stdoutExport);
    EXPECT_EQ(stdoutExport.out, text);
    const auto dash = run({"--db", db().string(), "export", "csv", "--output", "-"});
    EXPECT_EQ(dash.out, text);

    const auto bad
        = run({"--db", db().string(), "export", "csv", "-o", (m_dir / "no-such-dir" / "x.csv").string()});
    EXPECT_NE(bad.exitCode, 0);
    EXPECT_EQ(bad.errLines().size(), 1u) << bad.err;
}

} // namespace
} // namespace tattle::test
