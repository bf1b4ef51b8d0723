// SPDX-License-Identifier: GPL-3.0-or-later
// Black-box tests of `tattle lookup`, `tattle sources --by`, `tattle contact` and `tattle
// update-registries`, with every server redirected to fakes on loopback (--endpoint, --rdap-base, --dns).
#include "../core/fake_dns_server.h"
#include "../core/fake_servers.h"
#include "cli_runner.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sysexits.h>

namespace tattle::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string describe(const CliResult& r)
{
    return "exit " + std::to_string(r.exitCode) + "\n--- stderr:\n" + r.err + "--- stdout (start):\n"
        + r.out.substr(0, 2000);
}

/// A UFW log line from src.
std::string ufwLine(const std::string& src, int second, int port)
{
    return "Jul  1 10:00:" + std::string(second < 10 ? "0" : "") + std::to_string(second)
        + " gw kernel: [  100.000001] [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 "
          "SRC="
        + src + " DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=101 DF PROTO=TCP SPT=40000 DPT="
        + std::to_string(port) + " WINDOW=64240 RES=0x00 SYN URGP=0\n";
}

class CliLookupTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_rdap.loadSamples(samplesDir() / "rdap" / "arin", "/arin/");
        m_rdap.loadSamples(samplesDir() / "rdap" / "ripe", "/ripe/");
        m_arin.loadSamples(samplesDir() / "whois" / "arin");
        m_ripe.loadSamples(samplesDir() / "whois" / "ripe");
        m_cymru.addAnswerFile(
            "begin", samplesDir() / "whois" / "cymru" / "ipwhois-bulk-verbose-2024-10-15.txt");
    }

    /// The options that send every query to the fakes, and no waiting between queries.
    std::vector<std::string> redirects() const
    {
        return {"--rdap-base", "https://rdap.arin.net/registry/=" + m_rdap.baseUrl() + "/arin/",
            "--rdap-base", "https://rdap.db.ripe.net/=" + m_rdap.baseUrl() + "/ripe/", "--endpoint",
            "whois.arin.net=" + m_arin.endpoint(), "--endpoint", "whois.ripe.net=" + m_ripe.endpoint(),
            "--endpoint", "whois.cymru.com=" + m_cymru.endpoint(), "--dns", m_dns.endpoint(), "--rate", "1ms",
            "--timeout", "3"};
    }

    CliResult lookup(std::vector<std::string> extra)
    {
        std::vector<std::string> args {"--db", db().string(), "lookup"};
        const auto r = redirects();
        args.insert(args.end(), r.begin(), r.end());
        args.insert(args.end(), extra.begin(), extra.end());
        return m_cli.run(args);
    }

    CliResult run(std::vector<std::string> args)
    {
        args.insert(args.begin(), {"--db", db().string()});
        return m_cli.run(args);
    }

    void importSources()
    {
        std::string log;
        int second = 0;
        for (const char* src : {"74.125.225.229", "74.125.225.229", "74.125.225.230", "62.239.237.1",
                 "62.239.237.1", "62.239.237.1", "62.239.237.1", "10.0.0.7"})
            log += ufwLine(src, second++, 445);
        writeFile(m_dir / "ufw.log", log);
        const auto r = m_cli.run(
            {"--db", db().string(), "import", "--tz", "UTC", "--year", "2024", (m_dir / "ufw.log").string()});
        ASSERT_EQ(r.exitCode, 0) << describe(r);
    }

    fs::path db() const { return m_dir / "lookup.db"; }

    fs::path m_dir = scratchDir();
    Cli m_cli {m_dir};
    FakeHttpServer m_rdap;
    FakeWhoisServer m_arin, m_ripe, m_cymru;
    FakeDnsServer m_dns;
};

} // namespace

TEST_F(CliLookupTest, LookupOfStoredSourcesThenSourcesByEveryLevel)
{
    importSources();
    const auto r = lookup({"--no-rdns"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(
        r.err.find("Sources: 4 (3 resolved, 1 of them from the cache; 1 special-purpose"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("rdap.arin.net: 1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("rdap.db.ripe.net: 1"), std::string::npos) << r.err;
    EXPECT_EQ(m_rdap.requestCount(), 2u);

    // --by ip --json: the summary's keys plus what the lookup found.
    const auto byIp = run({"sources", "--by", "ip", "--json"});
    ASSERT_EQ(byIp.exitCode, 0) << describe(byIp);
    const json rows = json::parse(byIp.out);
    ASSERT_EQ(rows.size(), 4u);
    json google;
    for (const auto& row : rows)
        if (row["src"] == "74.125.225.229") google = row;
    ASSERT_TRUE(google.is_object());
    EXPECT_EQ(google["events"], 2);
    EXPECT_EQ(google["network"], "74.125.0.0/16");
    EXPECT_EQ(google["country"], "US");
    EXPECT_EQ(google["asn"], 15169);
    EXPECT_EQ(google["abuse_contact"], "arin-contact@google.com");
    EXPECT_EQ(google["contact_source"], "rdap");
    EXPECT_TRUE(google.contains("org"));
    EXPECT_TRUE(google.contains("ports")) << "the summary's own keys stay";
    for (const auto& row : rows)
        if (row["src"] == "10.0.0.7") {
            EXPECT_EQ(row["lookup"], "special");
            EXPECT_TRUE(row["abuse_contact"].is_null());
        }

    for (const char* by : {"network", "asn", "isp", "contact"}) {
        const auto g = run({"sources", "--by", by, "--json"});
        ASSERT_EQ(g.exitCode, 0) << by << describe(g);
        const json groups = json::parse(g.out);
        ASSERT_TRUE(groups.is_array()) << by;
        ASSERT_FALSE(groups.empty()) << by;
        EXPECT_TRUE(groups[0].contains("networks")) << by;
        EXPECT_TRUE(groups[0].contains("abuse_contact")) << by;
        EXPECT_FALSE(groups[0]["key"].is_null()) << by << ": the keyless group comes last";
    }
    const auto asn = json::parse(run({"sources", "--by", "asn", "--json"}).out);
    EXPECT_EQ(asn[0]["key"], "AS2856");
    EXPECT_EQ(asn[0]["events"], 4);
    const auto csv = run({"sources", "--by", "network", "--csv"});
    ASSERT_EQ(csv.exitCode, 0);
    EXPECT_TRUE(csv.out.starts_with("key,label,abuse_contact,contact_source,network,network_name,src"))
        << csv.out;
    const auto text = run({"sources", "--by", "contact"});
    ASSERT_EQ(text.exitCode, 0);
    EXPECT_NE(text.out.find("arin-contact@google.com (rdap)"), std::string::npos) << text.out;

    // A second lookup answers everything from the cache.
    const auto again = lookup({"--no-rdns"});
    ASSERT_EQ(again.exitCode, 0) << describe(again);
    EXPECT_EQ(m_rdap.requestCount(), 2u);
    EXPECT_NE(again.err.find("3 resolved, 3 of them from the cache"), std::string::npos) << again.err;
}

// IPv6 sources of one /64 count as one source (the default); --ipv6-prefix 128 lists each address. The
// CSV forms of --by ip and --by asn carry the lookup's columns.
TEST_F(CliLookupTest, Ipv6PrefixGroupingAndCsvLevels)
{
    std::string log;
    int second = 0;
    for (const char* src : {"2001:4860:4860::8888", "2001:4860:4860::8888", "2001:4860:4860::8889"}) {
        log += "Jul  1 10:00:0" + std::to_string(second++)
            + " gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:86:dd SRC=" + src
            + " DST=2001:db8::10 LEN=80 TC=0 HOPLIMIT=56 FLOWLBL=0 PROTO=TCP SPT=40000 DPT=22 WINDOW=64800 "
              "RES=0x00 SYN URGP=0\n";
    }
    writeFile(m_dir / "v6.log", log);
    auto r = m_cli.run(
        {"--db", db().string(), "import", "--tz", "UTC", "--year", "2024", (m_dir / "v6.log").string()});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    r = lookup({"--no-rdns"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);

    const auto sourcesOf = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> args {"sources", "--by", "network", "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto g = run(args);
        EXPECT_EQ(g.exitCode, 0) << describe(g);
        const json groups = json::parse(g.out);
        EXPECT_EQ(groups.size(), 1u) << g.out;
        return groups.at(0).at("networks").at(0).at("sources");
    };
    const json byPrefix = sourcesOf({});
    ASSERT_EQ(byPrefix.size(), 1u) << byPrefix.dump();
    EXPECT_EQ(byPrefix[0]["src"], "2001:4860:4860::/64");
    EXPECT_EQ(byPrefix[0]["addresses"], 2);
    EXPECT_EQ(byPrefix[0]["events"], 3);
    const json byAddress = sourcesOf({"--ipv6-prefix", "128"});
    ASSERT_EQ(byAddress.size(), 2u) << byAddress.dump();
    EXPECT_EQ(byAddress[0]["src"], "2001:4860:4860::8888");
    EXPECT_EQ(byAddress[0]["events"], 2);
    EXPECT_EQ(run({"sources", "--by", "network", "--ipv6-prefix", "129"}).exitCode, 64);

    const auto ipCsv = run({"sources", "--by", "ip", "--csv"});
    ASSERT_EQ(ipCsv.exitCode, 0) << describe(ipCsv);
    EXPECT_NE(ipCsv.out.find("abuse_contact"), std::string::npos) << ipCsv.out;
    EXPECT_NE(ipCsv.out.find("2001:4860::/32"), std::string::npos) << ipCsv.out;
    const auto asnCsv = run({"sources", "--by", "asn", "--csv"});
    ASSERT_EQ(asnCsv.exitCode, 0) << describe(asnCsv);
    EXPECT_TRUE(asnCsv.out.starts_with("key,label,abuse_contact")) << asnCsv.out;
}

TEST_F(CliLookupTest, LookupOfGivenAddressesOverWhoisAndOffline)
{
    const auto r = lookup({"--no-rdap", "--no-rdns", "62.239.237.1", "192.0.2.5"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.out.find("62.239.237.1: 62.239.237.0/24"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("protect@bt.com (whois"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("192.0.2.5: special: documentation"), std::string::npos) << r.out;
    EXPECT_EQ(m_ripe.queries(), std::vector<std::string> {"-r 62.239.237.1"});
    EXPECT_EQ(m_rdap.requestCount(), 0u);

    const auto offline = lookup({"--offline", "62.239.237.200", "74.125.225.229"});
    EXPECT_EQ(offline.exitCode, EX_TEMPFAIL) << describe(offline);
    EXPECT_NE(offline.out.find("62.239.237.200: 62.239.237.0/24"), std::string::npos) << offline.out;
    EXPECT_NE(offline.out.find("74.125.225.229: failed: Not in the cache"), std::string::npos) << offline.out;
    EXPECT_EQ(m_ripe.queryCount(), 1u);
    EXPECT_EQ(m_arin.queryCount(), 0u);
}

TEST_F(CliLookupTest, ContactOverridesWin)
{
    const auto set = run({"contact", "set", "AS15169", "Abuse@Example.NET"});
    ASSERT_EQ(set.exitCode, 0) << describe(set);
    EXPECT_EQ(set.out, "Abuse contact for AS15169: Abuse@example.net\n");
    ASSERT_EQ(run({"contact", "set", "62.239.237.0/24", "noc@example.org"}).exitCode, 0);
    EXPECT_EQ(run({"contact", "set", "not-a-network", "x@example.org"}).exitCode, EX_USAGE);
    EXPECT_EQ(
        run({"contact", "set", "192.0.2.0/24", "not an address\r\nBcc: x@example.org"}).exitCode, EX_USAGE);
    const auto list = json::parse(run({"contact", "list", "--json"}).out);
    ASSERT_EQ(list.size(), 2u);

    importSources();
    ASSERT_EQ(lookup({"--no-rdns"}).exitCode, 0);
    const json rows = json::parse(run({"sources", "--by", "ip", "--json"}).out);
    for (const auto& row : rows) {
        if (row["src"] == "74.125.225.229") {
            EXPECT_EQ(row["abuse_contact"], "Abuse@example.net");
            EXPECT_EQ(row["contact_source"], "user");
        }
        if (row["src"] == "62.239.237.1") {
            EXPECT_EQ(row["abuse_contact"], "noc@example.org");
        }
    }
    EXPECT_EQ(run({"contact", "unset", "AS15169"}).exitCode, 0);
    EXPECT_EQ(run({"contact", "unset", "AS15169"}).exitCode, EX_DATAERR);
}

TEST_F(CliLookupTest, UsageErrors)
{
    for (const auto& args : std::vector<std::vector<std::string>> {{"lookup", "--no-rdap", "--no-whois"},
             {"lookup", "not-an-address"}, {"lookup", "--endpoint", "nonsense"}, {"lookup", "--rate", "fast"},
             {"lookup", "--rdap-base", "ftp://x=y"}, {"sources", "--by", "planet"}}) {
        const auto r = run(args);
        EXPECT_EQ(r.exitCode, EX_USAGE) << args[1] << describe(r);
    }
}

TEST_F(CliLookupTest, UpdateRegistriesThroughARewrittenIanaBase)
{
    for (const char* f : {"ipv4.json", "ipv6.json", "asn.json"})
        ASSERT_TRUE(m_rdap.addFile(std::string("/iana/") + f, samplesDir() / "iana" / "rdap-bootstrap" / f));
    const auto r = m_cli.run(
        {"update-registries", "--rdap-base", "https://data.iana.org/rdap/=" + m_rdap.baseUrl() + "/iana/"});
    ASSERT_EQ(r.exitCode, 0) << describe(r);
    EXPECT_NE(r.out.find("ipv4.json (publication 2019-06-07T19:00:02Z"), std::string::npos) << r.out;
    const auto saved = m_cli.dataHome() / "tattle" / "iana" / "rdap-bootstrap" / "asn.json";
    EXPECT_TRUE(fs::exists(saved));
    EXPECT_EQ(
        m_rdap.paths(), (std::vector<std::string> {"/iana/ipv4.json", "/iana/ipv6.json", "/iana/asn.json"}));

    // A broken download leaves the saved copy alone.
    m_rdap.addJson("/iana2/ipv4.json", "{\"not\": \"bootstrap\"}");
    const auto bad = m_cli.run(
        {"update-registries", "--rdap-base", "https://data.iana.org/rdap/=" + m_rdap.baseUrl() + "/iana2/"});
    EXPECT_NE(bad.exitCode, 0);
    EXPECT_EQ(readFile(saved), readFile(samplesDir() / "iana" / "rdap-bootstrap" / "asn.json"));
}

} // namespace tattle::test
