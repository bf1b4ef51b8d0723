// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/address_space.h"
#include "core/resolver/json_guard.h"
#include "core/resolver/registry_map.h"
#include "test_support.h"

#include <chrono>
#include <cstdlib>
#include <gtest/gtest.h>
#include <random>
#include <sstream>

using namespace tattle::core;
using namespace tattle::core::resolver;

namespace {

IpAddress ip(const char* text)
{
    auto a = IpAddress::parse(text);
    EXPECT_TRUE(a) << text;
    return a.value_or(IpAddress {});
}

std::filesystem::path ianaResources()
{
    return std::filesystem::path(TATTLE_RESOURCES_DIR) / "iana";
}

const RegistryMap& shipped()
{
    static RegistryMap map = [] {
        auto m = RegistryMap::load(ianaResources());
        EXPECT_TRUE(m) << (m ? "" : m.error().message);
        return m ? std::move(*m) : RegistryMap {};
    }();
    return map;
}

std::string table(const std::string& ipv4, const std::string& ipv6 = "", const std::string& asn = "")
{
    return R"({"format": "tattle-delegations-1", "ipv4": [)" + ipv4 + R"(], "ipv6": [)" + ipv6
        + R"(], "asn": [)" + asn + "]}";
}

std::string row(const char* prefix, const char* registry, const char* whois = "whois.example.net")
{
    return std::string(R"({"prefix": ")") + prefix + R"(", "registry": ")" + registry + R"(", "whois": ")"
        + whois + R"(", "rdap": ["http://rdap.example.net/x", "https://rdap.example.net/x"]})";
}

} // namespace

TEST(ResolverRegistryMap, ShippedTableKnowsEveryRegistry)
{
    struct Case {
        const char* address;
        const char* registry;
        const char* rir;
        const char* whois;
        const char* rdap;
    };
    for (auto c : {
             Case {"1.1.1.1", "apnic", "apnic", "whois.apnic.net", "https://rdap.apnic.net/"},
             Case {"74.125.225.229", "arin", "arin", "whois.arin.net", "https://rdap.arin.net/registry/"},
             Case {"62.239.237.1", "ripe", "ripe", "whois.ripe.net", "https://rdap.db.ripe.net/"},
             Case {"200.57.141.161", "lacnic", "lacnic", "whois.lacnic.net", "https://rdap.lacnic.net/rdap/"},
             Case {"196.11.240.215", "afrinic", "afrinic", "whois.afrinic.net",
                 "https://rdap.afrinic.net/rdap/"},
             Case {"133.1.2.5", "jpnic", "apnic", "whois.nic.ad.jp", "https://rdap.apnic.net/"},
             Case {"115.1.2.3", "krnic", "apnic", "whois.nic.or.kr", "https://rdap.apnic.net/"},
             Case {"210.107.73.73", "krnic", "apnic", "whois.nic.or.kr", "https://rdap.apnic.net/"},
             Case {"218.165.121.114", "twnic", "apnic", "whois.twnic.net", "https://rdap.apnic.net/"},
             Case {"2a00:2381:ffff::1", "ripe", "ripe", "whois.ripe.net", "https://rdap.db.ripe.net/"},
             Case {
                 "2001:4860:4860::8888", "arin", "arin", "whois.arin.net", "https://rdap.arin.net/registry/"},
             Case {
                 "2001:240:10c:1::ca20:9d1d", "apnic", "apnic", "whois.apnic.net", "https://rdap.apnic.net/"},
             Case {"2801:10:c000::", "lacnic", "lacnic", "whois.lacnic.net", "https://rdap.lacnic.net/rdap/"},
             Case {"2001:43f8:7b0::", "afrinic", "afrinic", "whois.afrinic.net",
                 "https://rdap.afrinic.net/rdap/"},
             Case {"2400:1::1", "krnic", "apnic", "whois.nic.or.kr", "https://rdap.apnic.net/"},
         }) {
        const auto r = shipped().find(ip(c.address));
        ASSERT_TRUE(r) << c.address;
        EXPECT_EQ(r->registry, c.registry) << c.address;
        EXPECT_EQ(r->rir, c.rir) << c.address;
        EXPECT_EQ(r->whoisHost, c.whois) << c.address;
        EXPECT_EQ(r->rdapBaseUrl(), c.rdap) << c.address;
        EXPECT_FALSE(r->block.empty());
    }
    // ARIN lists http too; https comes first.
    const auto arin = shipped().find(ip("74.125.225.229"));
    ASSERT_TRUE(arin);
    ASSERT_EQ(arin->rdapUrls.size(), 2u);
    EXPECT_EQ(arin->rdapUrls[1], "http://rdap.arin.net/registry/");
    // Special-purpose and unallocated space is in no table.
    for (const char* none :
        {"10.0.0.1", "127.0.0.1", "224.0.0.1", "240.0.0.1", "fe80::1", "::1", "4000::1"}) {
        EXPECT_FALSE(shipped().find(ip(none))) << none;
    }
    EXPECT_FALSE(shipped().find(IpAddress {}));
    EXPECT_GT(shipped().ipv4RangeCount(), 200u);
    EXPECT_GT(shipped().ipv6RangeCount(), 10u);
    EXPECT_GT(shipped().asnRangeCount(), 100u);
}

TEST(ResolverRegistryMap, ShippedTableAsNumbers)
{
    struct Case {
        std::uint32_t asn;
        const char* registry;
    };
    // AS3786, AS12091 and AS19373 sit in blocks IANA gave ARIN before the other RIRs existed: IANA (and
    // so the table) says ARIN, whose answer refers onwards.
    for (auto c : {Case {13335, "arin"}, Case {15169, "arin"}, Case {2856, "ripe"}, Case {3786, "arin"},
             Case {9700, "krnic"}, Case {4730, "apnic"}, Case {37578, "afrinic"}, Case {12091, "arin"},
             Case {19373, "arin"}, Case {264653, "lacnic"}, Case {9990, "jpnic"}, Case {327700, "afrinic"}}) {
        const auto r = shipped().findAsn(c.asn);
        ASSERT_TRUE(r) << c.asn;
        EXPECT_EQ(std::string(r->registry), c.registry) << c.asn;
        EXPECT_FALSE(r->rdapBaseUrl().empty()) << c.asn;
    }
    EXPECT_FALSE(shipped().findAsn(0));
}

// Team Cymru's bulk answer names the RIR of each sample address: the shipped table must agree.
TEST(ResolverRegistryMap, AgreesWithTeamCymruOnEverySampleAddress)
{
    const auto text = tattle::test::readFile(
        tattle::test::samplesDir() / "whois" / "cymru" / "ipwhois-bulk-verbose-2024-10-15.txt");
    std::istringstream in(text);
    std::string line;
    int checked = 0;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::istringstream fields(line);
        for (std::string part; std::getline(fields, part, '|');) {
            while (!part.empty() && part.front() == ' ')
                part.erase(0, 1);
            while (!part.empty() && part.back() == ' ')
                part.pop_back();
            f.push_back(part);
        }
        if (f.size() != 7) continue;
        const auto addr = IpAddress::parse(f[1]);
        ASSERT_TRUE(addr) << line;
        const auto r = shipped().find(*addr);
        ASSERT_TRUE(r) << line;
        const std::string expected = f[4] == "ripencc" ? "ripe" : f[4];
        EXPECT_EQ(r->rir, expected) << line;
        ++checked;
    }
    EXPECT_EQ(checked, 12);
}

TEST(ResolverRegistryMap, MostSpecificBlockWinsWhateverTheOrder)
{
    const std::string rows[] = {
        row("10.1.2.0/24", "c"), row("10.0.0.0/8", "a"), row("10.1.0.0/16", "b"), row("10.1.2.128/25", "d")};
    auto map = RegistryMap::parseDelegations(
        table(rows[0] + "," + rows[1] + "," + rows[2] + "," + rows[3]), "t.json");
    ASSERT_TRUE(map) << map.error().message;
    struct Case {
        const char* address;
        const char* registry;
    };
    for (auto c : {Case {"10.0.0.0", "a"}, Case {"10.0.255.255", "a"}, Case {"10.1.0.0", "b"},
             Case {"10.1.1.255", "b"}, Case {"10.1.2.0", "c"}, Case {"10.1.2.127", "c"},
             Case {"10.1.2.128", "d"}, Case {"10.1.2.255", "d"}, Case {"10.1.3.0", "b"},
             Case {"10.1.255.255", "b"}, Case {"10.2.0.0", "a"}, Case {"10.255.255.255", "a"}}) {
        const auto r = map->find(ip(c.address));
        ASSERT_TRUE(r) << c.address;
        EXPECT_EQ(r->registry, c.registry) << c.address;
        EXPECT_EQ(r->rir, c.registry) << c.address;
        EXPECT_EQ(r->rdapBaseUrl(), "https://rdap.example.net/x/");
    }
    EXPECT_FALSE(map->find(ip("9.255.255.255")));
    EXPECT_FALSE(map->find(ip("11.0.0.0")));
    EXPECT_FALSE(map->find(ip("::ffff:10.1.2.3")));
    EXPECT_EQ(map->ipv4RangeCount(), 6u);
}

TEST(ResolverRegistryMap, EdgesOfTheAddressSpace)
{
    auto map = RegistryMap::parseDelegations(
        table(row("0.0.0.0/0", "all") + "," + row("255.255.255.255/32", "top") + ","
                + row("0.0.0.0/32", "bottom"),
            row("::/0", "six") + "," + row("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "max")),
        "edges");
    ASSERT_TRUE(map) << map.error().message;
    EXPECT_EQ(map->find(ip("0.0.0.0"))->registry, "bottom");
    EXPECT_EQ(map->find(ip("0.0.0.1"))->registry, "all");
    EXPECT_EQ(map->find(ip("255.255.255.254"))->registry, "all");
    EXPECT_EQ(map->find(ip("255.255.255.255"))->registry, "top");
    EXPECT_EQ(map->find(ip("::"))->registry, "six");
    EXPECT_EQ(map->find(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))->registry, "max");
    EXPECT_EQ(map->find(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"))->registry, "six");
}

TEST(ResolverRegistryMap, AsnRangesMostSpecificWins)
{
    auto map = RegistryMap::parseDelegations(
        table("", "",
            R"({"range": "1-64296", "registry": "arin", "whois": "whois.arin.net"},
               {"range": "2497-2528", "registry": "jpnic", "rir": "apnic", "whois": "whois.nic.ad.jp"},
               {"range": "4200000000-4294967294", "registry": "ripe", "whois": "whois.ripe.net"},
               {"range": "2500", "registry": "one", "whois": "w"})"),
        "asn");
    ASSERT_TRUE(map) << map.error().message;
    EXPECT_EQ(map->findAsn(1)->registry, "arin");
    EXPECT_EQ(map->findAsn(2496)->registry, "arin");
    EXPECT_EQ(map->findAsn(2497)->registry, "jpnic");
    EXPECT_EQ(map->findAsn(2497)->rir, "apnic");
    EXPECT_EQ(map->findAsn(2500)->registry, "one");
    EXPECT_EQ(map->findAsn(2501)->registry, "jpnic");
    EXPECT_EQ(map->findAsn(2529)->registry, "arin");
    EXPECT_FALSE(map->findAsn(64297));
    EXPECT_EQ(map->findAsn(4294967294u)->registry, "ripe");
    EXPECT_FALSE(map->findAsn(4294967295u));
    EXPECT_TRUE(map->findAsn(2500)->rdapUrls.empty());
    EXPECT_EQ(map->findAsn(2500)->rdapBaseUrl(), "");
}

TEST(ResolverRegistryMap, ErrorsNameTheFileAndThePointer)
{
    struct Case {
        std::string json;
        const char* expected;
    };
    for (const auto& c : {
             Case {"", "t.json is not valid JSON"},
             Case {"[]", "t.json: not a JSON object"},
             Case {R"({"format": "other"})", "t.json: /format:"},
             Case {R"({"format": "tattle-delegations-1", "ipv6": [], "asn": []})", "t.json: /ipv4: missing"},
             Case {table(row("300.0.0.0/8", "x")), "t.json: /ipv4/0/prefix: not an ipv4 prefix"},
             Case {table(row("10.0.0.0/8", "x") + "," + row("2001:db8::/32", "x")),
                 "t.json: /ipv4/1/prefix: not an ipv4 prefix"},
             Case {table("", row("10.0.0.0/8", "x")), "t.json: /ipv6/0/prefix"},
             Case {table(R"({"prefix": "10.0.0.0/8", "whois": "w"})"), "t.json: /ipv4/0/registry: missing"},
             Case {table(R"({"prefix": "10.0.0.0/8", "registry": 5, "whois": "w"})"),
                 "t.json: /ipv4/0/registry: not a string"},
             Case {table(R"({"prefix": "10.0.0.0/8", "registry": "a", "whois": "w", "rdap": ["ftp://x/"]})"),
                 "t.json: /ipv4/0/rdap/0: not an http(s) URL"},
             Case {table(R"(7)"), "t.json: /ipv4/0: not an object"},
             Case {table("", "", R"({"range": "9-3", "registry": "a", "whois": "w"})"),
                 "t.json: /asn/0/range: not an AS number range"},
             Case {table("", "", R"({"range": "1-4294967296", "registry": "a", "whois": "w"})"),
                 "t.json: /asn/0/range"},
             Case {std::string(200, '[') + std::string(200, ']'), "deeper than 64"},
         }) {
        auto map = RegistryMap::parseDelegations(c.json, "t.json");
        ASSERT_FALSE(map) << c.json;
        EXPECT_EQ(map.error().kind, tattle::ErrorKind::Config);
        EXPECT_NE(map.error().message.find(c.expected), std::string::npos) << map.error().message;
    }
    auto missing = RegistryMap::load(tattle::test::scratchDir() / "no-such-dir");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("delegations.json"), std::string::npos);
}

TEST(ResolverRegistryMap, BootstrapOverlayReplacesRdapUrls)
{
    const auto dir = tattle::test::samplesDir() / "iana" / "rdap-bootstrap";
    RegistryMap map = RegistryMap::load(ianaResources()).value();
    auto ok = map.loadBootstrap(tattle::test::readFile(dir / "ipv4.json"),
        tattle::test::readFile(dir / "ipv6.json"), tattle::test::readFile(dir / "asn.json"));
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(map.find(ip("133.1.2.5"))->registry, "jpnic");
    EXPECT_EQ(map.find(ip("133.1.2.5"))->rdapBaseUrl(), "https://rdap.apnic.net/");
    EXPECT_EQ(map.findAsn(13335)->rdapBaseUrl(), "https://rdap.arin.net/registry/");

    // A fresher file that moves 1.0.0.0/8's RDAP service elsewhere and hands 203.0.113.0/24 to RIPE.
    const std::string v4 = R"({"version": "1.0", "services": [
        [["1.0.0.0/8"], ["http://rdap.example.org/rdap", "https://rdap.example.org/rdap"]],
        [["203.0.113.0/24"], ["https://rdap.db.ripe.net/"]],
        [["5.0.0.0/8"], ["https://rdap.db.ripe.net/"]]]})";
    const std::string v6 = R"({"services": [[["2001:db8::/32"], ["https://rdap.lacnic.net/rdap/"]]]})";
    const std::string asn = R"({"services": [[["64496-64511"], ["https://rdap.afrinic.net/rdap/"]]]})";
    ok = map.loadBootstrap(v4, v6, asn);
    ASSERT_TRUE(ok) << ok.error().message;
    auto r = map.find(ip("1.1.1.1"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->registry, "apnic");
    EXPECT_EQ(r->rdapBaseUrl(), "https://rdap.example.org/rdap/");
    r = map.find(ip("203.0.113.5"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->registry, "ripe");
    EXPECT_EQ(r->whoisHost, "whois.ripe.net");
    r = map.find(ip("2001:db8::1"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->registry, "lacnic");
    EXPECT_EQ(map.findAsn(64500)->registry, "afrinic");
    // Blocks the overlay does not name keep the table's URLs.
    EXPECT_EQ(map.find(ip("74.125.225.229"))->rdapBaseUrl(), "https://rdap.arin.net/registry/");

    // A bad overlay leaves the map as it was.
    ok = map.loadBootstrap(R"({"services": [[["1.0.0.0/33"], ["https://x/"]]]})", v6, asn);
    ASSERT_FALSE(ok);
    EXPECT_NE(ok.error().message.find("ipv4.json: /services/0/0/0"), std::string::npos) << ok.error().message;
    ok = map.loadBootstrap(v4, R"({"services": {}})", asn);
    ASSERT_FALSE(ok);
    EXPECT_NE(ok.error().message.find("ipv6.json: /services"), std::string::npos) << ok.error().message;
    ok = map.loadBootstrap(v4, v6, R"({"services": [[["x-y"], ["https://x/"]]]})");
    ASSERT_FALSE(ok);
    EXPECT_NE(ok.error().message.find("asn.json: /services/0/0/0"), std::string::npos) << ok.error().message;
    EXPECT_EQ(map.find(ip("1.1.1.1"))->rdapBaseUrl(), "https://rdap.example.org/rdap/");

    // Bootstrap files alone are enough for the RIRs.
    RegistryMap bare;
    ASSERT_TRUE(bare.loadBootstrap(tattle::test::readFile(dir / "ipv4.json"),
        tattle::test::readFile(dir / "ipv6.json"), tattle::test::readFile(dir / "asn.json")));
    EXPECT_EQ(bare.find(ip("62.239.237.1"))->whoisHost, "whois.ripe.net");
    EXPECT_EQ(bare.find(ip("2001:43f8:7b0::"))->registry, "afrinic");
}

TEST(ResolverRegistryMap, LoadReadsABootstrapFolderBesideTheTable)
{
    const auto dir = tattle::test::scratchDir() / "iana-with-bootstrap";
    std::filesystem::create_directories(dir / "rdap-bootstrap");
    std::filesystem::copy_file(ianaResources() / "delegations.json", dir / "delegations.json");
    tattle::test::writeFile(dir / "rdap-bootstrap" / "ipv4.json",
        R"({"services": [[["1.0.0.0/8"], ["https://rdap.example.org/"]]]})");
    tattle::test::writeFile(dir / "rdap-bootstrap" / "ipv6.json", R"({"services": []})");
    tattle::test::writeFile(dir / "rdap-bootstrap" / "asn.json", R"({"services": []})");
    auto map = RegistryMap::load(dir);
    ASSERT_TRUE(map) << map.error().message;
    EXPECT_EQ(map->find(ip("1.1.1.1"))->rdapBaseUrl(), "https://rdap.example.org/");
    tattle::test::writeFile(dir / "rdap-bootstrap" / "asn.json", "{");
    map = RegistryMap::load(dir);
    ASSERT_FALSE(map);
    EXPECT_NE(map.error().message.find("asn.json"), std::string::npos) << map.error().message;
}

// The shipped table is what scripts/gen-delegations.py makes from the IANA inputs.
TEST(ResolverRegistryMap, ShippedTableIsCurrent)
{
    const auto script = std::filesystem::path(TATTLE_RESOURCES_DIR) / ".." / "scripts" / "gen-delegations.py";
    const auto out = tattle::test::scratchDir() / "delegations.json";
    const std::string cmd = "/usr/bin/python3 '" + script.string() + "' --iana '"
        + (tattle::test::samplesDir() / "iana").string() + "' --out '" + out.string() + "' > /dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    EXPECT_EQ(tattle::test::readFile(out), tattle::test::readFile(ianaResources() / "delegations.json"))
        << "run scripts/gen-delegations.py";
}

TEST(ResolverRegistryMap, LookupIsFast)
{
    std::mt19937 rng(42);
    std::vector<IpAddress> addresses;
    for (int i = 0; i < 200000; ++i) {
        std::uint8_t b[16];
        for (auto& x : b)
            x = std::uint8_t(rng());
        b[0] = std::uint8_t(0x20 | (b[0] & 0x0F));
        addresses.push_back(i % 2 ? IpAddress::v4(std::uint32_t(rng())) : IpAddress::fromBytes(b, 16));
    }
    const auto start = std::chrono::steady_clock::now();
    std::size_t found = 0;
    for (const auto& a : addresses)
        found += shipped().find(a).has_value();
    const auto ns
        = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    const double perLookup = ns / double(addresses.size());
    std::printf(
        "RegistryMap::find: %.0f ns per lookup (%zu of %zu found)\n", perLookup, found, addresses.size());
    EXPECT_GT(found, addresses.size() / 4);
    EXPECT_LT(perLookup, 20000.0); // ~100 ns in a release build; generous for sanitizer builds
}

TEST(ResolverJsonGuard, CountsNestingOutsideStrings)
{
    EXPECT_EQ(jsonNestingDepth("{}"), 1);
    EXPECT_EQ(jsonNestingDepth(R"({"a": [1, {"b": []}]})"), 4);
    EXPECT_EQ(jsonNestingDepth(R"({"a": "[[[[[[[[\"[[[["})"), 1);
    EXPECT_EQ(jsonNestingDepth(R"(["\\", [[]]])"), 3);
    EXPECT_EQ(jsonNestingDepth("]]]]"), 0);
    EXPECT_EQ(jsonNestingDepth(std::string(100000, '['), 64), 65);
    auto deep = parseUntrustedJson(std::string(100000, '[') + std::string(100000, ']'), 1 << 20, "deep");
    ASSERT_FALSE(deep);
    EXPECT_EQ(deep.error().kind, tattle::ErrorKind::BadResponse);
    auto ok = parseUntrustedJson(std::string(64, '[') + std::string(64, ']'), 1 << 20, "ok");
    EXPECT_TRUE(ok);
    auto big = parseUntrustedJson(std::string(2000, ' '), 1000, "big answer");
    ASSERT_FALSE(big);
    EXPECT_NE(big.error().message.find("big answer is 2000 bytes"), std::string::npos);
    // Invalid UTF-8 inside a string is repaired rather than failing the whole document.
    auto bad = parseUntrustedJson("{\"a\": \"x\xff\xfey\"}", 1000, "utf8");
    ASSERT_TRUE(bad) << bad.error().message;
    EXPECT_EQ((*bad)["a"].get<std::string>(), "x\xEF\xBF\xBD\xEF\xBF\xBDy");
    auto junk = parseUntrustedJson("{\"a\": \x01\x02}", 1000, "junk");
    ASSERT_FALSE(junk);
    for (char c : junk.error().message)
        EXPECT_FALSE(c == '\x01' || c == '\x02');
}
