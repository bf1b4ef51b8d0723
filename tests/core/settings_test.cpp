// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/settings.h"
#include "test_support.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

using namespace tattle;
using namespace tattle::core;

namespace {

std::filesystem::path fresh(const std::string& name)
{
    static int n = 0;
    const auto dir = test::scratchDir() / ("settings-" + std::to_string(++n));
    std::filesystem::create_directories(dir);
    return dir / name;
}

int modeOf(const std::filesystem::path& p)
{
    struct stat st { };
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return int(st.st_mode & 0777);
}

} // namespace

TEST(Settings, MissingFileGivesTheDefaults)
{
    auto s = loadSettings(fresh("none.json"));
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->cooldownDays, 7);
    EXPECT_EQ(s->ipv6Prefix, 64);
    EXPECT_EQ(s->machineReadable, "xarf4");
    EXPECT_EQ(s->templateName, "abuse-complaint");
    EXPECT_EQ(s->ownAddressMask, "[my address]");
    EXPECT_TRUE(s->useRdap);
    EXPECT_FALSE(s->maskOwnAddress);
}

TEST(Settings, DefaultPathFollowsXdgConfigHome)
{
    const char* old = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = old ? old : "";
    ::setenv("XDG_CONFIG_HOME", "/tmp/tattle-xdg-test", 1);
    EXPECT_EQ(defaultSettingsPath(), std::filesystem::path("/tmp/tattle-xdg-test/tattle/settings.json"));
    if (old)
        ::setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
    else
        ::unsetenv("XDG_CONFIG_HOME");
}

TEST(Settings, SaveThenLoadKeepsEveryValueAndWrites0600)
{
    Settings s;
    s.reporter = {"Jörg Müller", "jm@example.org", "Example GmbH", "kept in sync by NTP"};
    s.smtp = {"smtps://mail.example.org:465", "jm", "s3cret"};
    s.logTimeZone = "Europe/Berlin";
    s.ownNetworks = {"192.0.2.0/24", "2001:db8::/48", "198.51.100.7"};
    s.allowList = {"203.0.113.0/28"};
    s.maskOwnAddress = true;
    s.ownAddressMask = "[me]";
    s.templateName = "my-template";
    s.machineReadable = "xarf02";
    s.cooldownDays = 14;
    s.ipv6Prefix = 56;
    s.useRdap = false;
    s.useWhois = false;
    s.databasePath = "/tmp/x.db";
    const auto file = fresh("sub/dir/settings.json");
    auto saved = saveSettings(s, file);
    ASSERT_TRUE(saved) << saved.error().message;
    EXPECT_EQ(modeOf(file), 0600);
    EXPECT_EQ(modeOf(file.parent_path()), 0700);
    auto back = loadSettings(file);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->reporter.name, s.reporter.name);
    EXPECT_EQ(back->reporter.email, s.reporter.email);
    EXPECT_EQ(back->reporter.organisation, s.reporter.organisation);
    EXPECT_EQ(back->reporter.clock, s.reporter.clock);
    EXPECT_EQ(back->smtp.url, s.smtp.url);
    EXPECT_EQ(back->smtp.user, s.smtp.user);
    EXPECT_EQ(back->smtp.password, s.smtp.password);
    EXPECT_EQ(back->logTimeZone, s.logTimeZone);
    EXPECT_EQ(back->ownNetworks, s.ownNetworks);
    EXPECT_EQ(back->allowList, s.allowList);
    EXPECT_EQ(back->maskOwnAddress, true);
    EXPECT_EQ(back->ownAddressMask, "[me]");
    EXPECT_EQ(back->templateName, "my-template");
    EXPECT_EQ(back->machineReadable, "xarf02");
    EXPECT_EQ(back->cooldownDays, 14);
    EXPECT_EQ(back->ipv6Prefix, 56);
    EXPECT_FALSE(back->useRdap);
    EXPECT_FALSE(back->useWhois);
    EXPECT_EQ(back->databasePath, "/tmp/x.db");
    // No temporary file is left beside it.
    int files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(file.parent_path()))
        ++files;
    EXPECT_EQ(files, 1);
}

TEST(Settings, SaveReplacesAnExistingFileAtomically)
{
    const auto file = fresh("settings.json");
    test::writeFile(file, "{\"cooldownDays\": 3}");
    ::chmod(file.c_str(), 0644);
    Settings s;
    s.cooldownDays = 5;
    ASSERT_TRUE(saveSettings(s, file));
    EXPECT_EQ(modeOf(file), 0600);
    auto back = loadSettings(file);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->cooldownDays, 5);
}

TEST(Settings, PasswordInAFileOthersCanReadIsRefused)
{
    const auto file = fresh("settings.json");
    test::writeFile(file, R"({"smtp": {"url": "smtp://mail.example.org:587", "password": "pw"}})");
    ::chmod(file.c_str(), 0644);
    auto s = loadSettings(file);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("/smtp/password"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("chmod 600"), std::string::npos);
    ::chmod(file.c_str(), 0600);
    EXPECT_TRUE(loadSettings(file));
    // Without a password the mode does not matter.
    test::writeFile(file, R"({"smtp": {"url": "smtp://mail.example.org:587"}})");
    ::chmod(file.c_str(), 0644);
    EXPECT_TRUE(loadSettings(file));
}

TEST(Settings, UnknownKeysAreWarningsNamingTheirPointer)
{
    const auto file = fresh("settings.json");
    test::writeFile(file, R"({"cooldownDays": 2, "colour": "red", "reporter": {"nick": "x", "a/b": 1}})");
    std::vector<std::string> warnings;
    auto s = loadSettings(file, &warnings);
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->cooldownDays, 2);
    ASSERT_EQ(warnings.size(), 3u);
    std::string all;
    for (const auto& w : warnings)
        all += w + "\n";
    EXPECT_NE(all.find("/colour: unknown setting"), std::string::npos) << all;
    EXPECT_NE(all.find("/reporter/nick"), std::string::npos) << all;
    EXPECT_NE(all.find("/reporter/a~1b"), std::string::npos) << all;
    EXPECT_NE(all.find(file.string()), std::string::npos);
}

struct BadCase {
    const char* json;
    const char* pointer; ///< expected in the message
    const char* reason; ///< a word expected in the message
};

TEST(Settings, HostileFilesGiveErrorsNamingFilePointerAndReason)
{
    const std::string huge(5000, 'a');
    const BadCase cases[] = {
        {"not json", "", "JSON"},
        {"[1, 2]", "/", "object"},
        {R"({"cooldownDays": "7"})", "/cooldownDays", "whole number"},
        {R"({"cooldownDays": 7.5})", "/cooldownDays", "whole number"},
        {R"({"cooldownDays": -1})", "/cooldownDays", "between"},
        {R"({"cooldownDays": 99999999999})", "/cooldownDays", "out of range"},
        {R"({"ipv6Prefix": 0})", "/ipv6Prefix", "between"},
        {R"({"ipv6Prefix": 129})", "/ipv6Prefix", "between"},
        {R"({"maskOwnAddress": "yes"})", "/maskOwnAddress", "true or false"},
        {R"({"maskOwnAddress": true, "ownAddressMask": ""})", "/ownAddressMask", "empty"},
        {R"({"reporter": "me"})", "/reporter", "object"},
        {R"({"reporter": {"name": 5}})", "/reporter/name", "text"},
        {R"({"reporter": {"name": "Eve\r\nBcc: victim@example.com"}})", "/reporter/name", "line break"},
        {R"({"reporter": {"organisation": "A\u0000B"}})", "/reporter/organisation", "control"},
        {R"({"reporter": {"clock": "ntp\u2028x"}})", "/reporter/clock", "control"},
        {R"({"reporter": {"email": "not-an-address"}})", "/reporter/email", "e-mail"},
        {R"({"reporter": {"email": "a@b@example.org"}})", "/reporter/email", "e-mail"},
        {R"({"reporter": {"email": "me@localhost"}})", "/reporter/email", "e-mail"},
        {R"({"reporter": {"email": "m e@example.org"}})", "/reporter/email", "e-mail"},
        {R"({"reporter": {"email": "me@example.org\nBcc: x@example.org"}})", "/reporter/email", "line break"},
        {R"({"smtp": {"url": "http://mail.example.org"}})", "/smtp/url", "smtp://"},
        {R"({"smtp": {"url": "smtp://"}})", "/smtp/url", "server"},
        {R"({"smtp": {"url": "smtp://user:pw@mail.example.org"}})", "/smtp/url", "password"},
        {R"({"smtp": {"user": ["x"]}})", "/smtp/user", "text"},
        {R"({"ownNetworks": "192.0.2.0/24"})", "/ownNetworks", "list"},
        {R"({"ownNetworks": ["192.0.2.0/24", 7]})", "/ownNetworks/1", "text"},
        {R"({"ownNetworks": ["192.0.2.0/33"]})", "/ownNetworks/0", "network"},
        {R"({"allowList": ["203.0.113.0/24", "example.org"]})", "/allowList/1", "network"},
        {R"({"logTimeZone": "Mars/Olympus"})", "/logTimeZone", "time zone"},
        {R"({"templateName": "../../etc/passwd"})", "/templateName", "template name"},
        {R"({"templateName": ""})", "/templateName", "template name"},
        {R"({"machineReadable": "arf"})", "/machineReadable", "none, xarf4, xarf02"},
        {R"({"useRdap": 1})", "/useRdap", "true or false"},
        {R"({"databasePath": null})", "/databasePath", "text"},
    };
    for (const auto& c : cases) {
        const auto file = fresh("settings.json");
        test::writeFile(file, c.json);
        auto s = loadSettings(file);
        ASSERT_FALSE(s) << c.json;
        EXPECT_EQ(s.error().kind, ErrorKind::Config);
        const auto& m = s.error().message;
        EXPECT_NE(m.find(file.string()), std::string::npos) << m;
        EXPECT_NE(m.find(std::string(": ") + c.pointer), std::string::npos) << c.json << " -> " << m;
        EXPECT_NE(m.find(c.reason), std::string::npos) << c.json << " -> " << m;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
    // Huge strings, deep nesting, a huge file.
    {
        const auto file = fresh("settings.json");
        test::writeFile(file, R"({"reporter": {"name": ")" + huge + R"("}})");
        auto s = loadSettings(file);
        ASSERT_FALSE(s);
        EXPECT_NE(s.error().message.find("too long"), std::string::npos) << s.error().message;
    }
    {
        const auto file = fresh("settings.json");
        test::writeFile(file, std::string(10000, '[') + std::string(10000, ']'));
        EXPECT_FALSE(loadSettings(file));
    }
    {
        const auto file = fresh("settings.json");
        test::writeFile(file, "{\"x\": \"" + std::string(kMaxSettingsFileBytes + 10, 'a') + "\"}");
        auto s = loadSettings(file);
        ASSERT_FALSE(s);
        EXPECT_NE(s.error().message.find("too large"), std::string::npos);
    }
    {
        // Invalid UTF-8.
        const auto file = fresh("settings.json");
        test::writeFile(file, "{\"reporter\": {\"name\": \"\xC3\x28\"}}");
        EXPECT_FALSE(loadSettings(file));
    }
    {
        // A folder in the place of the file.
        const auto file = fresh("settings.json");
        std::filesystem::create_directories(file);
        EXPECT_FALSE(loadSettings(file));
    }
}

TEST(Settings, GoodValuesAreAccepted)
{
    const char* good[] = {
        R"({})",
        R"({"reporter": {"email": "first.last+tag@mail.example.co.uk", "name": "Zoë O'Brien, Jr."}})",
        R"({"smtp": {"url": "smtp://mail.example.org:587", "user": "me@example.org"}})",
        R"({"smtp": {"url": "smtps://me@mail.example.org:465"}})",
        R"({"ownNetworks": ["192.0.2.1", "2001:db8::/32", "198.51.100.0 - 198.51.100.9"]})",
        R"({"logTimeZone": "UTC"})",
        R"({"logTimeZone": "+05:30"})",
        R"({"cooldownDays": 0, "ipv6Prefix": 128, "machineReadable": "none"})",
    };
    for (const char* j : good) {
        const auto file = fresh("settings.json");
        test::writeFile(file, j);
        auto s = loadSettings(file);
        EXPECT_TRUE(s) << j << ": " << (s ? "" : s.error().message);
    }
}

TEST(Settings, SaveRefusesInvalidSettingsAndWritesNothing)
{
    const auto file = fresh("settings.json");
    Settings s;
    s.reporter.name = "x\ny";
    auto r = saveSettings(s, file);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("/reporter/name"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(file));
    s = Settings {};
    s.allowList = {"not a network"};
    EXPECT_FALSE(saveSettings(s, file));
    EXPECT_FALSE(validateSettings(s));
    EXPECT_TRUE(validateSettings(Settings {}));
}

TEST(Settings, SetSettingByDottedKey)
{
    Settings s;
    ASSERT_TRUE(setSetting(s, "reporter.name", "Ann Example"));
    EXPECT_EQ(s.reporter.name, "Ann Example");
    ASSERT_TRUE(setSetting(s, "cooldownDays", "3"));
    EXPECT_EQ(s.cooldownDays, 3);
    ASSERT_TRUE(setSetting(s, "maskOwnAddress", "true"));
    EXPECT_TRUE(s.maskOwnAddress);
    ASSERT_TRUE(setSetting(s, "ownNetworks", "192.0.2.0/24, 2001:db8::/32"));
    EXPECT_EQ(s.ownNetworks, (std::vector<std::string> {"192.0.2.0/24", "2001:db8::/32"}));
    ASSERT_TRUE(setSetting(s, "ownNetworks", ""));
    EXPECT_TRUE(s.ownNetworks.empty());
    ASSERT_TRUE(setSetting(s, "smtp.password", "pw"));
    EXPECT_EQ(s.smtp.password, "pw");

    const Settings before = s;
    auto r = setSetting(s, "nope", "1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    EXPECT_FALSE(setSetting(s, "cooldownDays", "3x"));
    EXPECT_FALSE(setSetting(s, "cooldownDays", "-4"));
    EXPECT_FALSE(setSetting(s, "maskOwnAddress", "maybe"));
    EXPECT_FALSE(setSetting(s, "reporter.email", "bad"));
    EXPECT_FALSE(setSetting(s, "reporter.name", "a\r\nb"));
    EXPECT_FALSE(setSetting(s, "allowList", "192.0.2.0/24,nonsense"));
    EXPECT_EQ(s.cooldownDays, before.cooldownDays);
    EXPECT_EQ(s.reporter.name, before.reporter.name);
    EXPECT_TRUE(s.allowList.empty());

    const auto keys = settingKeys();
    for (const char* k : {"reporter.name", "reporter.email", "reporter.organisation", "reporter.clock",
             "smtp.url", "smtp.user", "smtp.password", "logTimeZone", "ownNetworks", "allowList",
             "maskOwnAddress", "ownAddressMask", "templateName", "machineReadable", "cooldownDays",
             "ipv6Prefix", "useRdap", "useWhois", "databasePath"})
        EXPECT_NE(std::find(keys.begin(), keys.end(), k), keys.end()) << k;
}

TEST(Settings, JsonLeavesThePasswordOutUnlessAsked)
{
    Settings s;
    s.smtp.password = "hunter2";
    EXPECT_EQ(settingsToJson(s, false).find("hunter2"), std::string::npos);
    EXPECT_NE(settingsToJson(s, true).find("hunter2"), std::string::npos);
    const auto j = nlohmann::json::parse(settingsToJson(s, false));
    EXPECT_EQ(j["cooldownDays"], 7);
    EXPECT_EQ(j["reporter"]["name"], "");
}
