// SPDX-License-Identifier: GPL-3.0-or-later
// Black-box tests of the command line around formats defined as data: `tattle formats` (and --check), the
// user's formats folder, and `tattle detect -v`.
#include "cli_runner.h"
#include "test_support.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <sysexits.h>

namespace tattle::test {
namespace {

namespace fs = std::filesystem;

class FormatsCliTest : public ::testing::Test {
protected:
    fs::path userFormats() const { return m_dir / "xdg-config" / "tattle" / "formats"; }
    static fs::path builtin(const std::string& id)
    {
        return fs::path(TATTLE_RESOURCES_DIR) / "formats" / (id + ".json");
    }
    static std::string describe(const CliResult& r)
    {
        return "exit " + std::to_string(r.exitCode) + "\nout:\n" + r.out + "\nerr:\n" + r.err;
    }

    fs::path m_dir = scratchDir();
    Cli m_cli {m_dir};
};

TEST_F(FormatsCliTest, ListsDataFormatsMarkedAndTheMixedReader)
{
    const auto r = m_cli.run({"formats"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_EQ(r.err, "");
    for (const char* id : {"sonicwall", "sophos-xg", "sophos-utm", "watchguard", "mikrotik", "ipfw"})
        EXPECT_NE(r.out.find(std::string("\n") + id + "\t(data) "), std::string::npos) << id << "\n" << r.out;
    EXPECT_NE(r.out.find("\nnetfilter\tLinux"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\nmixed\t"), std::string::npos) << r.out;
}

TEST_F(FormatsCliTest, UserFormatsOverrideBuiltinOnesAndBrokenOnesAreWarnings)
{
    fs::create_directories(userFormats());
    auto mine = nlohmann::ordered_json::parse(readFile(builtin("ipfw")));
    mine["title"] = "My own ipfw";
    writeFile(userFormats() / "ipfw.json", mine.dump());
    writeFile(userFormats() / "broken.json", "{\"id\": \"broken\",");
    const auto r = m_cli.run({"formats"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.out.find("\nipfw\t(data) My own ipfw\n"), std::string::npos) << r.out;
    const auto warnings = r.errLines();
    ASSERT_EQ(warnings.size(), 1u) << r.err;
    EXPECT_TRUE(warnings[0].starts_with("tattle: warning: format not loaded: ")) << warnings[0];
    EXPECT_NE(warnings[0].find((userFormats() / "broken.json").string()), std::string::npos) << warnings[0];
    EXPECT_NE(warnings[0].find("not valid JSON at line 1"), std::string::npos) << warnings[0];

    // The format still reads files; the broken one is simply absent.
    const auto d = m_cli.run({"detect", (samplesDir() / "logs" / "ipfw" / "ossec-docs-wipfw.log").string()});
    EXPECT_EQ(d.exitCode, 0) << describe(d);
    EXPECT_TRUE(d.out.ends_with(": ipfw\n")) << d.out;
    const auto p = m_cli.run({"parse", "--format", "broken", builtin("ipfw").string()});
    EXPECT_EQ(p.exitCode, EX_USAGE) << describe(p);
}

TEST_F(FormatsCliTest, CheckRunsTheSamplesOfAFormatFile)
{
    const auto good
        = m_cli.run({"formats", "--check", builtin("sonicwall").string(), builtin("mikrotik").string()});
    ASSERT_EQ(good.exitCode, 0) << describe(good);
    EXPECT_EQ(good.err, "");
    EXPECT_NE(good.out.find(builtin("sonicwall").string() + ": format \"sonicwall\""), std::string::npos)
        << good.out;
    EXPECT_NE(good.out.find("samples give what they expect"), std::string::npos) << good.out;

    auto j = nlohmann::ordered_json::parse(readFile(builtin("watchguard")));
    j["samples"][0]["expect"]["src"] = "192.0.2.250";
    j["samples"][2]["expect"]["proto"] = "udp";
    const fs::path file = m_dir / "my-watchguard.json";
    writeFile(file, j.dump(2));
    const auto bad = m_cli.run({"formats", "--check", file.string()});
    EXPECT_EQ(bad.exitCode, EX_DATAERR) << describe(bad);
    EXPECT_EQ(bad.out, "");
    const auto lines = bad.errLines();
    ASSERT_EQ(lines.size(), 2u) << bad.err;
    EXPECT_EQ(lines[0],
        "tattle: " + file.string() + ": /samples/0/expect/src: expected 192.0.2.250, got 192.0.2.101");
    EXPECT_EQ(lines[1], "tattle: " + file.string() + ": /samples/2/expect/proto: expected udp, got icmp");

    j = nlohmann::ordered_json::parse(readFile(builtin("watchguard")));
    j["patterns"][1] = "(?<src>[";
    writeFile(file, j.dump(2));
    const auto regex = m_cli.run({"formats", "--check", file.string()});
    EXPECT_EQ(regex.exitCode, EX_DATAERR) << describe(regex);
    EXPECT_TRUE(regex.err.starts_with("tattle: " + file.string() + ": /patterns/1: bad regular expression"))
        << regex.err;

    const auto missing = m_cli.run({"formats", "--check", (m_dir / "none.json").string()});
    EXPECT_EQ(missing.exitCode, EX_DATAERR) << describe(missing);
    EXPECT_NE(missing.err.find("none.json"), std::string::npos) << missing.err;
}

TEST_F(FormatsCliTest, DetectVerboseSaysWhyEachFormatLost)
{
    const auto r
        = m_cli.run({"detect", "-v", (dataDir() / "logs" / "mixed" / "central-syslog.log").string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.out.find("central-syslog.log: mixed\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\n  mixed\t"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\tchosen\ta mixture of formats"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\n  sonicwall\t"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\trejected: mixed scored higher\t"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\n  watchguard\t0\trejected: below 50\tno line contains \"firewall: msg_id=\"\"\n"),
        std::string::npos)
        << r.out;
}

} // namespace
} // namespace tattle::test
