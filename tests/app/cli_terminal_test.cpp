// SPDX-License-Identifier: GPL-3.0-or-later
// The progress bars of `tattle import` and `tattle lookup` appear on a terminal and only there: the command
// is run once under a pseudo-terminal (util-linux `script`, which gives it one) and once with stderr to a
// pipe, as scripts run it.
#include "cli_runner.h"
#include "core/fake_servers.h"
#include "test_support.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace {

using namespace tattle::test;
namespace fs = std::filesystem;

std::string shellQuoted(const std::string& s)
{
    std::string q = "'";
    for (char c : s) {
        if (c == '\'')
            q += "'\\''";
        else
            q += c;
    }
    return q + "'";
}

/// Runs tattle with args on a pseudo-terminal (stdin, stdout and stderr all on it) and returns what the
/// terminal showed. HOME and the XDG folders point into root.
std::string runOnTerminal(const fs::path& root, const std::vector<std::string>& args)
{
    std::string command = "env HOME=" + shellQuoted((root / "home").string())
        + " XDG_DATA_HOME=" + shellQuoted((root / "xdg-data").string()) + " XDG_CONFIG_HOME="
        + shellQuoted((root / "xdg-config").string()) + " TZ=UTC " + shellQuoted(TATTLE_CLI_PATH);
    for (const auto& a : args)
        command += " " + shellQuoted(a);
    const std::string script
        = "script -qec " + shellQuoted(command) + " /dev/null < /dev/null 2>&1"; // -e: the command's status
    std::string shown;
    FILE* p = ::popen(script.c_str(), "r");
    if (p == nullptr) return shown;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        shown.append(buf, n);
    ::pclose(p);
    return shown;
}

std::string ufwLines(int count, const std::string& prefix = "203.0.113.")
{
    std::string log;
    for (int i = 0; i < count; ++i) {
        log += "Jul  1 10:" + std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60)
            + ":00 gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC="
            + prefix + std::to_string(i % 250 + 1)
            + " DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=101 DF PROTO=TCP SPT=40000 DPT=445 "
              "WINDOW=64240 RES=0x00 SYN URGP=0\n";
    }
    return log;
}

TEST(CliTerminal, ImportDrawsAProgressBarOnATerminalOnly)
{
    const fs::path dir = scratchDir();
    writeFile(dir / "ufw.log", ufwLines(2000));
    const std::string db = (dir / "t.db").string();
    const std::string shown = runOnTerminal(
        dir, {"--db", db, "import", "--tz", "UTC", "--year", "2024", (dir / "ufw.log").string()});
    EXPECT_NE(shown.find("\r"), std::string::npos) << shown;
    EXPECT_NE(shown.find("%"), std::string::npos) << shown;
    EXPECT_NE(shown.find("\033[K"), std::string::npos) << "the bar is erased when done: " << shown;
    EXPECT_NE(shown.find("2000 stored"), std::string::npos) << shown;

    // Not a terminal: no bar, no escape sequences.
    Cli cli(dir);
    writeFile(dir / "ufw2.log", ufwLines(1500));
    const auto r = cli.run({"--db", (dir / "p.db").string(), "import", "--tz", "UTC", "--year", "2024",
        (dir / "ufw2.log").string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\033'), std::string::npos) << r.err;
}

TEST(CliTerminal, LookupDrawsAProgressBarOnATerminal)
{
    const fs::path dir = scratchDir();
    writeFile(dir / "ufw.log", ufwLines(20, "3.0.0.")); // ARIN's addresses: looked up
    const std::string db = (dir / "t.db").string();
    Cli cli(dir);
    ASSERT_EQ(
        cli.run({"--db", db, "import", "--tz", "UTC", "--year", "2024", (dir / "ufw.log").string()}).exitCode,
        0);
    // Every query goes to a loopback server that knows nothing: the lookups fail fast, the bar is drawn.
    FakeHttpServer rdap;
    const std::string shown = runOnTerminal(dir,
        {"--db", db, "lookup", "--no-rdns", "--no-abusix", "--no-cymru", "--no-whois", "--rate", "1ms",
            "--timeout", "3", "--rdap-base", "https://rdap.arin.net/registry/=" + rdap.baseUrl() + "/arin/"});
    EXPECT_NE(shown.find("\rLooking up ["), std::string::npos) << shown;
    EXPECT_NE(shown.find("sources"), std::string::npos) << shown;
}

} // namespace
