// SPDX-License-Identifier: GPL-3.0-or-later
// Black-box tests of `tattle report`, `tattle complaints`, `tattle settings` and the exports: the built
// binary in a sandboxed environment, sending to a real SMTP server on loopback (Debian's python3-aiosmtpd,
// tests/reports/smtp_server.py) with STARTTLS and AUTH. The sources are public addresses because the
// never-report policy refuses documentation ranges; the contacts are the user's own (tattle contact set),
// so no registry is asked, and nothing is sent anywhere but to the test's server.
#include "../reports/mime_support.h"
#include "../reports/subprocess.h"
#include "cli_runner.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <sysexits.h>
#include <thread>

namespace tattle::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

std::string describe(const CliResult& r)
{
    return "exit " + std::to_string(r.exitCode) + "\n--- stderr:\n" + r.err + "--- stdout (start):\n"
        + r.out.substr(0, 3000);
}

/// A UFW log line: a blocked TCP SYN from src to port at 10:mm:00 on 1 July (netfilter logs name no year;
/// --year gives it).
std::string ufwLine(const std::string& src, int minute, int port, const char* proto = "TCP")
{
    const std::string mm = (minute < 10 ? "0" : "") + std::to_string(minute);
    std::string line = "Jul  1 10:" + mm
        + ":00 gw kernel: [  100.000001] [UFW BLOCK] IN=eth0 OUT= "
          "MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 "
          "SRC="
        + src + " DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=101 DF PROTO=" + proto
        + " SPT=40000 DPT=" + std::to_string(port);
    line += std::string(proto) == "TCP" ? " WINDOW=64240 RES=0x00 SYN URGP=0\n" : " LEN=40\n";
    return line;
}

std::vector<fs::path> emlFiles(const fs::path& dir)
{
    std::vector<fs::path> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".eml") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

struct Certificate {
    fs::path cert, key;
    std::string error;
};

const Certificate& certificate()
{
    static const Certificate c = [] {
        Certificate r;
        const fs::path dir = scratchDir();
        r.cert = dir / "report-cert.pem";
        r.key = dir / "report-key.pem";
        const RunResult run = runProgram(
            {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", r.key.string(), "-out", r.cert.string(), "-days", "2", "-subj",
                "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
            60s);
        if (run.exitCode != 0) r.error = "openssl failed: " + run.err;
        return r;
    }();
    return c;
}

class CliReportTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        static int n = 0;
        root = scratchDir() / ("report-" + std::to_string(++n));
        cli.emplace(root);
        db = root / "t.db";
    }

    CliResult tattle(std::vector<std::string> args, const std::optional<std::string>& input = {})
    {
        args.insert(args.begin(), {"--db", db.string()});
        return cli->run(args, input);
    }

    void importLines(const std::string& name, const std::string& lines)
    {
        writeFile(root / name, lines);
        const auto r = tattle({"import", "--year", "2024", "--tz", "UTC", (root / name).string()});
        ASSERT_EQ(r.exitCode, 0) << describe(r);
    }

    /// Two good sources of abuse@example.net, one UDP-only source, one of noc@example.com.
    void setUpCase()
    {
        importLines("ufw.log",
            ufwLine("74.125.225.229", 1, 445) + ufwLine("74.125.225.229", 3, 445)
                + ufwLine("74.125.1.1", 4, 22) + ufwLine("74.125.1.1", 9, 23)
                + ufwLine("74.125.2.2", 5, 137, "UDP") + ufwLine("130.59.31.80", 6, 3389)
                + ufwLine("130.59.31.80", 8, 3389) + ufwLine("10.0.0.9", 7, 445));
        for (auto [net, mail] : {std::pair {"74.125.0.0/16", "abuse@example.net"},
                 std::pair {"130.59.0.0/16", "noc@example.com"}}) {
            const auto r = tattle({"contact", "set", net, mail});
            ASSERT_EQ(r.exitCode, 0) << describe(r);
        }
        for (auto [k, v] : {std::pair {"reporter.name", "Ann Reporter"},
                 std::pair {"reporter.email", "ann@example.org"}, std::pair {"cooldownDays", "0"},
                 std::pair {"logTimeZone", "UTC"}, std::pair {"machineReadable", "xarf4"}}) {
            const auto r = tattle({"settings", "set", k, v});
            ASSERT_EQ(r.exitCode, 0) << describe(r);
        }
    }

    fs::path root, db;
    std::optional<Cli> cli;
};

TEST_F(CliReportTest, EmlPerContactRecordedAndASecondRunMakesNothing)
{
    setUpCase();
    const fs::path out = root / "out";
    // Without --yes on a non-terminal it refuses to make anything.
    auto r = tattle({"report", "--out", out.string()});
    EXPECT_EQ(r.exitCode, EX_USAGE) << describe(r);
    EXPECT_NE(r.err.find("--yes"), std::string::npos);
    EXPECT_TRUE(emlFiles(out).empty());

    // A preview names the complaints and every source left out, and makes nothing.
    r = tattle({"report"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.out.find("to abuse@example.net: 2 sources, 4 events"), std::string::npos) << describe(r);
    EXPECT_NE(r.out.find("to noc@example.com: 1 source, 2 events"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("left out 10.0.0.9 (1 events): special-purpose address (private"), std::string::npos)
        << describe(r);
    EXPECT_NE(r.err.find("left out 74.125.2.2 (1 events): the address may be forged"), std::string::npos)
        << describe(r);

    r = tattle({"report", "--out", out.string(), "--yes"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    auto files = emlFiles(out);
    ASSERT_EQ(files.size(), 2u) << describe(r);
    EXPECT_NE(r.err.find("Made 2 complaints covering 6 events"), std::string::npos) << describe(r);
    struct stat st { };
    ASSERT_EQ(::stat(files[0].c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    bool sawExample = false;
    for (const auto& f : files) {
        const std::string bytes = readFile(f);
        expectWellFormedLines(bytes);
        const auto parsed = parseWithPython(bytes);
        ASSERT_FALSE(parsed.is_null());
        if (bytes.find("To: abuse@example.net") != std::string::npos) {
            sawExample = true;
            EXPECT_NE(bytes.find("X-Unsent: 1"), std::string::npos);
            EXPECT_NE(bytes.find("From: Ann Reporter <ann@example.org>"), std::string::npos);
            EXPECT_NE(bytes.find("xarf-74.125.225.229.json"), std::string::npos);
        }
    }
    EXPECT_TRUE(sawExample);

    r = tattle({"complaints"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.out.find("abuse@example.net  eml  2 sources, 4 events  no probes from them since"),
        std::string::npos)
        << describe(r);

    // The second run: every event is reported.
    r = tattle({"report", "--out", out.string(), "--yes"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.err.find("Nothing to report"), std::string::npos) << describe(r);
    EXPECT_EQ(emlFiles(out).size(), 2u);

    // New probes: only they are covered; then the cooldown holds the next ones.
    writeFile(root / "later.log", ufwLine("74.125.225.229", 30, 22) + ufwLine("74.125.225.229", 35, 23));
    r = tattle({"import", "--year", "2024", "--tz", "UTC", (root / "later.log").string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    // The import tells how the complaints fared (the new lines are older than the complaints).
    EXPECT_NE(
        r.err.find("Complaints: 0 of 2 were followed by more probes from their sources"), std::string::npos)
        << describe(r);
    r = tattle({"report", "--out", out.string(), "--yes"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.err.find("Made 1 complaint covering 2 events"), std::string::npos) << describe(r);
    EXPECT_EQ(emlFiles(out).size(), 3u);
    r = tattle({"complaints", "--json"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto list = json::parse(r.out);
    ASSERT_EQ(list.size(), 3u);
    int stillProbing = 0;
    for (const auto& c : list)
        stillProbing += c["stopped"] == false;
    EXPECT_EQ(stillProbing, 0) << "the later events were before these complaints were made";

    ASSERT_EQ(tattle({"settings", "set", "cooldownDays", "7"}).exitCode, 0);
    importLines("later2.log", ufwLine("74.125.225.229", 40, 22) + ufwLine("74.125.225.229", 45, 23));
    r = tattle({"report", "--out", out.string(), "--yes"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.err.find("abuse@example.net: in cooldown until"), std::string::npos) << describe(r);
    EXPECT_EQ(emlFiles(out).size(), 3u);

    // --again covers reported events too.
    ASSERT_EQ(tattle({"settings", "set", "cooldownDays", "0"}).exitCode, 0);
    r = tattle({"report", "--contact", "noc@example.com", "--again"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.out.find("to noc@example.com: 1 source, 2 events"), std::string::npos) << describe(r);
}

/// Runs `tattle args...` on a pseudo-terminal (Python's pty module), answering each approval prompt with
/// the next of `answers`; returns what the terminal showed and the exit status.
RunResult runOnTerminal(const Cli& cli, const fs::path& db, const std::vector<std::string>& args,
    const std::vector<std::string>& answers)
{
    json cfg;
    cfg["argv"] = std::vector<std::string> {TATTLE_CLI_PATH, "--db", db.string()};
    for (const auto& a : args)
        cfg["argv"].push_back(a);
    cfg["answers"] = answers;
    cfg["env"] = {{"HOME", cli.home().string()}, {"XDG_DATA_HOME", cli.dataHome().string()},
        {"XDG_CONFIG_HOME", (cli.root() / "xdg-config").string()}, {"TZ", "UTC"}};
    const fs::path config = cli.root() / "pty.json";
    const fs::path script = cli.root() / "pty_run.py";
    writeFile(config, cfg.dump());
    writeFile(script, R"(import json, os, pty, select, sys, time
cfg = json.load(open(sys.argv[1]))
os.environ.update(cfg["env"])
os.environ.pop("TATTLE_DB", None)
pid, fd = pty.fork()
if pid == 0:
    os.execv(cfg["argv"][0], cfg["argv"])
answers, out, answered = list(cfg["answers"]), b"", 0
deadline = time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
        while out.count(b"[q]uit: ") > answered and answers:
            os.write(fd, (answers.pop(0) + "\n").encode())
            answered += 1
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
)");
    return runProgram({kSystemPython, script.string(), config.string()}, 90s);
}

TEST_F(CliReportTest, OnATerminalEachComplaintIsShownAndNeedsAYes)
{
    setUpCase();
    const fs::path out = root / "out";
    const auto r = runOnTerminal(*cli, db, {"report", "--out", out.string()}, {"n", "y"});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    // The first complaint (abuse@example.net, more events) was shown in full and refused.
    EXPECT_NE(r.out.find("Complaint 1 of 2 to abuse@example.net"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Original log lines"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Make this complaint to abuse@example.net?"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Made 1 complaint covering 2 events"), std::string::npos) << r.out;
    const auto files = emlFiles(out);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_NE(readFile(files[0]).find("To: noc@example.com"), std::string::npos);
    const auto list = json::parse(tattle({"complaints", "--json"}).out);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["contact"], "noc@example.com");
    // "q" stops before anything is made.
    const auto q = runOnTerminal(*cli, db, {"report", "--out", out.string()}, {"q"});
    ASSERT_EQ(q.exitCode, 0) << q.out;
    EXPECT_NE(q.out.find("Made 0 complaints"), std::string::npos) << q.out;
    EXPECT_EQ(emlFiles(out).size(), 1u);
}

TEST_F(CliReportTest, SendByStartTlsWithAuthAndDryRunRecordsNothing)
{
    const auto& cert = certificate();
    ASSERT_TRUE(cert.error.empty()) << cert.error;
    setUpCase();
    const fs::path mail = root / "mail";
    fs::create_directories(mail);
    ChildProcess server;
    ASSERT_TRUE(server.start({kSystemPython, (reportsScriptsDir() / "smtp_server.py").string(), "--dir",
        mail.string(), "--lifetime", "90", "--tls", "starttls", "--cert", cert.cert.string(), "--key",
        cert.key.string(), "--auth", "ann:s3cret"}));
    std::string ready;
    ASSERT_TRUE(server.readLine(ready, 30s) && ready.starts_with("READY ")) << ready << server.errors();
    const std::string url = "smtp://127.0.0.1:" + ready.substr(6);
    ASSERT_EQ(tattle({"settings", "set", "smtp.user", "ann"}).exitCode, 0);

    // Dry run: the SMTP commands and the message, nothing sent, nothing recorded.
    auto r = tattle({"report", "--dry-run", "--smtp", url, "--smtp-ca", cert.cert.string(), "--contact",
        "abuse@example.net"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.out.find("MAIL FROM:<ann@example.org>"), std::string::npos) << describe(r);
    EXPECT_NE(r.out.find("RCPT TO:<abuse@example.net>"), std::string::npos);
    EXPECT_EQ(r.out.find("s3cret"), std::string::npos);
    EXPECT_NE(r.err.find("nothing was sent or recorded"), std::string::npos);
    EXPECT_EQ(tattle({"complaints", "--json"}).out, "[]\n");

    // Without the password the login fails and nothing is recorded.
    r = tattle({"report", "--send", "--yes", "--smtp", url, "--smtp-ca", cert.cert.string(), "--contact",
        "abuse@example.net"});
    EXPECT_EQ(r.exitCode, EX_UNAVAILABLE) << describe(r);
    EXPECT_EQ(tattle({"complaints", "--json"}).out, "[]\n");

    cli->setEnv("TATTLE_SMTP_PASSWORD", "s3cret");
    r = tattle({"report", "--send", "--yes", "--smtp", url, "--smtp-ca", cert.cert.string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.err.find("Made 2 complaints"), std::string::npos) << describe(r);
    std::size_t received = 0;
    for (int i = 0; i < 500 && received < 2; ++i) {
        received = 0;
        for (const auto& e : fs::directory_iterator(mail))
            received += e.path().extension() == ".json";
        if (received < 2) std::this_thread::sleep_for(10ms);
    }
    ASSERT_EQ(received, 2u);
    std::set<std::string> recipients;
    for (int n = 1; n <= 2; ++n) {
        const auto meta = json::parse(readFile(mail / (std::to_string(n) + ".json")));
        EXPECT_EQ(meta["mail_from"], "ann@example.org");
        for (const auto& to : meta["rcpt_tos"])
            recipients.insert(to.get<std::string>());
        EXPECT_TRUE(meta.value("tls", false)) << meta.dump();
        const std::string bytes = readFile(mail / (std::to_string(n) + ".eml"));
        EXPECT_EQ(bytes.find("X-Unsent"), std::string::npos);
        EXPECT_FALSE(parseWithPython(bytes).is_null());
    }
    EXPECT_EQ(recipients, (std::set<std::string> {"abuse@example.net", "noc@example.com"}));
    r = tattle({"complaints", "--json"});
    const auto list = json::parse(r.out);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0]["method"], "smtp");
    EXPECT_FALSE(list[0]["sent_at"].is_null());
    EXPECT_TRUE(list[0]["message_id"].get<std::string>().starts_with("<"));

    // A second run sends nothing.
    r = tattle({"report", "--send", "--yes", "--smtp", url, "--smtp-ca", cert.cert.string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.err.find("Nothing to report"), std::string::npos);
    std::this_thread::sleep_for(200ms);
    std::size_t after = 0;
    for (const auto& e : fs::directory_iterator(mail))
        after += e.path().extension() == ".json";
    EXPECT_EQ(after, 2u);
}

TEST_F(CliReportTest, SettingsCommandRefusesHostileValues)
{
    auto r = tattle({"settings", "path"});
    ASSERT_EQ(r.exitCode, 0);
    EXPECT_EQ(r.out, (root / "xdg-config" / "tattle" / "settings.json").string() + "\n");
    for (auto [k, v] : {std::pair {"reporter.name", "Ann\r\nBcc: victim@example.com"},
             std::pair {"reporter.email", "ann@example.org\nBcc: x@example.com"},
             std::pair {"cooldownDays", "x"}, std::pair {"ownNetworks", "192.0.2.0/24,not-a-net"},
             std::pair {"smtp.url", "smtp://u:pw@host"}}) {
        r = tattle({"settings", "set", k, v});
        EXPECT_EQ(r.exitCode, EX_CONFIG) << k << describe(r);
        EXPECT_EQ(r.err.find('\r'), std::string::npos);
    }
    r = tattle({"settings", "set", "nosuch", "1"});
    EXPECT_EQ(r.exitCode, EX_USAGE);
    ASSERT_EQ(tattle({"settings", "set", "smtp.password", "hunter2"}).exitCode, 0);
    r = tattle({"settings", "show"});
    ASSERT_EQ(r.exitCode, 0);
    EXPECT_EQ(r.out.find("hunter2"), std::string::npos);
    EXPECT_EQ(json::parse(r.out)["cooldownDays"], 7);
    struct stat st { };
    ASSERT_EQ(::stat((root / "xdg-config" / "tattle" / "settings.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // useRdap/useWhois turn the lookup's protocols off like --no-rdap/--no-whois.
    ASSERT_EQ(tattle({"settings", "set", "useRdap", "false"}).exitCode, 0);
    r = tattle({"lookup", "--no-whois", "--offline"});
    EXPECT_EQ(r.exitCode, EX_USAGE) << describe(r);
    EXPECT_NE(r.err.find("nothing to ask"), std::string::npos) << describe(r);
    // A broken settings file stops `report` with the file, pointer and reason.
    writeFile(root / "xdg-config" / "tattle" / "settings.json", R"({"cooldownDays": "seven"})");
    r = tattle({"report"});
    EXPECT_EQ(r.exitCode, EX_CONFIG);
    EXPECT_NE(r.err.find("/cooldownDays: must be a whole number"), std::string::npos) << describe(r);
}

TEST_F(CliReportTest, ExportsAbuseIpdbDshieldJsonAndCsvByEvent)
{
    setUpCase();
    auto r = tattle({"export", "abuseipdb"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(r.out.starts_with("IP,Categories,ReportDate,Comment\r\n")) << describe(r);
    EXPECT_NE(r.err.find("AbuseIPDB: 0 sources written"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("older than 60 days"), std::string::npos) << "the log is from July 2024: " << r.err;
    EXPECT_NE(r.err.find("left out 1 source: special-address"), std::string::npos) << r.err;

    r = tattle({"export", "dshield", "--userid", "7"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.out.find("2024-07-01 10:01:00 +00:00\t7\t1\t74.125.225.229\t40000\t192.0.2.10\t445\t6\tS\n"),
        std::string::npos)
        << describe(r);
    EXPECT_EQ(r.out.find("10.0.0.9"), std::string::npos);

    r = tattle({"export", "csv", "--by", "event"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_TRUE(r.out.starts_with("id,time,action,proto,src,"));
    EXPECT_NE(r.out.find(",74.125.2.2,40000,192.0.2.10,137,"), std::string::npos);

    r = tattle({"export", "csv", "--by", "network"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    r = tattle({"export", "json"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const auto j = json::parse(r.out);
    EXPECT_EQ(j.size(), 5u);
    r = tattle({"export", "json", "--by", "event", "-o", (root / "events.jsonl").string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(
        readFile(root / "events.jsonl").find("\"raw\":\"Jul  1 10:01:00 gw kernel:"), std::string::npos);
}

} // namespace
} // namespace tattle::test

namespace tattle::test {
namespace {

TEST_F(CliReportTest, MailtoOpensTheMailClientWithTheTextAndRecordsIt)
{
    setUpCase();
    // A stand-in for xdg-open on PATH that keeps the URL it was given.
    const fs::path bin = root / "bin";
    fs::create_directories(bin);
    writeFile(
        bin / "xdg-open", "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"" + (root / "opened.txt").string() + "\"\n");
    fs::permissions(bin / "xdg-open", fs::perms::owner_all);
    cli->setEnv("PATH", bin.string() + ":/usr/bin:/bin");
    auto r = tattle({"report", "--mailto", "--yes", "--contact", "noc@example.com"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    const std::string opened = readFile(root / "opened.txt");
    EXPECT_TRUE(opened.starts_with("mailto:noc@example.com?subject=")) << opened;
    EXPECT_NE(opened.find("%0D%0A"), std::string::npos);
    EXPECT_EQ(opened.find(' '), std::string::npos);
    const auto list = json::parse(tattle({"complaints", "--json"}).out);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["method"], "mailto");
    // A mail client that cannot be opened: nothing recorded.
    writeFile(bin / "xdg-open", "#!/bin/sh\nexit 3\n");
    r = tattle({"report", "--mailto", "--yes"});
    EXPECT_EQ(r.exitCode, EX_UNAVAILABLE) << describe(r);
    EXPECT_EQ(json::parse(tattle({"complaints", "--json"}).out).size(), 1u);
}

} // namespace
} // namespace tattle::test
