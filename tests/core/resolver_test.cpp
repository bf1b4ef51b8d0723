// SPDX-License-Identifier: GPL-3.0-or-later
// The resolver against fake RDAP, WHOIS and DNS servers on loopback replaying recorded registry answers
// (../shared/samples) and hostile ones.
#include "core/resolver/cache.h"
#include "core/resolver/contacts.h"
#include "core/resolver/grouping.h"
#include "core/resolver/registry_map.h"
#include "core/resolver/resolver.h"
#include "core/resolver/whois_lookup.h"
#include "core/store/event_store.h"
#include "core/text_util.h"
#include "fake_dns_server.h"
#include "fake_servers.h"
#include "test_support.h"

#include <chrono>
#include <gtest/gtest.h>

using namespace tattle;
using namespace tattle::core;
using namespace tattle::core::resolver;
using namespace std::chrono_literals;
using test::FakeHttpServer;
using test::FakeWhoisServer;
using test::HostileMode;

namespace {

IpAddress ip(const char* text)
{
    auto a = IpAddress::parse(text);
    EXPECT_TRUE(a) << text;
    return a.value_or(IpAddress {});
}

std::vector<IpAddress> ips(std::initializer_list<const char*> texts)
{
    std::vector<IpAddress> out;
    for (const char* t : texts)
        out.push_back(ip(t));
    return out;
}

const std::filesystem::path kResources = TATTLE_RESOURCES_DIR;

struct RdapRegistry {
    const char* id;
    const char* base;
};
constexpr RdapRegistry kRdap[] = {{"arin", "https://rdap.arin.net/registry/"},
    {"ripe", "https://rdap.db.ripe.net/"}, {"apnic", "https://rdap.apnic.net/"},
    {"lacnic", "https://rdap.lacnic.net/rdap/"}, {"afrinic", "https://rdap.afrinic.net/rdap/"}};
constexpr const char* kWhoisHosts[]
    = {"whois.arin.net", "whois.ripe.net", "whois.apnic.net", "whois.lacnic.net", "whois.afrinic.net",
        "whois.nic.or.kr", "whois.nic.ad.jp", "whois.twnic.net", "whois.registro.br", "whois.iana.org"};

/// Everything a resolver test needs: a scratch database, the shipped registry table, one fake RDAP server
/// for every registry (paths /arin/, /ripe/ ...), one fake WHOIS server per registry host, Team Cymru and
/// a DNS server, with short limits and no waiting between queries.
class ResolverTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto s = EventStore::open(test::scratchDir() / "resolver.db");
        ASSERT_TRUE(s) << s.error().message;
        m_store.emplace(std::move(*s));
        auto map = RegistryMap::load(kResources / "iana");
        ASSERT_TRUE(map) << map.error().message;
        m_map = std::move(*map);
        auto p = PlaceholderList::load(kResources / "abuse-placeholders.json");
        ASSERT_TRUE(p) << p.error().message;
        m_placeholders = std::move(*p);
        for (const auto& r : kRdap)
            m_rdap.loadSamples(test::samplesDir() / "rdap" / r.id, std::string("/") + r.id + "/");
        for (const char* host : kWhoisHosts)
            m_whois.emplace(host, std::make_unique<FakeWhoisServer>());
        // 130.59.0.0/16 is in a block IANA gave ARIN; ARIN's RDAP sends the client to RIPE.
        m_rdap.addRedirect("/arin/ip/130.59.31.80", "https://rdap.db.ripe.net/ip/130.59.31.80");
        m_cymru.addAnswerFile(
            "begin", test::samplesDir() / "whois" / "cymru" / "ipwhois-bulk-verbose-2024-10-15.txt");
    }

    FakeWhoisServer& whois(const std::string& host) { return *m_whois.at(host); }

    ResolverOptions options()
    {
        ResolverOptions o;
        for (const auto& r : kRdap)
            EXPECT_TRUE(o.rdapBases.add(std::string(r.base) + "=" + m_rdap.baseUrl() + "/" + r.id + "/"));
        for (const auto& [host, server] : m_whois)
            EXPECT_TRUE(o.endpoints.add(host + "=" + server->endpoint()));
        EXPECT_TRUE(o.endpoints.add(std::string(WhoisClient::kCymruHost) + "=" + m_cymru.endpoint()));
        o.dns.server = WhoisEndpoint {"127.0.0.1", m_dns.port()};
        o.dns.timeout = 300ms;
        o.dns.attempts = 1;
        o.whois.connectTimeout = 2s;
        o.whois.readTimeout = 2s;
        o.whois.totalTimeout = 3s;
        o.http.connectTimeout = 2s;
        o.http.totalTimeout = 3s;
        o.intervals = {{"", 0ms}, {"rdap.lacnic.net", 0ms}, {"whois.lacnic.net", 0ms}};
        o.reverseLookup = [](const IpAddress& a) -> std::optional<std::string> {
            return a == IpAddress::parse("74.125.225.229")
                ? std::optional<std::string>("lga15s43-in-f5.1e100.net")
                : std::optional<std::string>("");
        };
        o.now = [this] { return m_now; };
        return o;
    }

    ResolveReport resolve(const std::vector<IpAddress>& sources, ResolverOptions o)
    {
        Resolver r(*m_store, m_map, &m_placeholders, std::move(o));
        auto report = r.resolve(sources);
        EXPECT_TRUE(report) << (report ? "" : report.error().message);
        return report ? std::move(*report) : ResolveReport {};
    }

    ResolveReport resolve(const std::vector<IpAddress>& sources) { return resolve(sources, options()); }

    /// The network a source was linked to.
    std::optional<CachedNetwork> networkOf(const char* address)
    {
        NetworkCache cache(m_store->database());
        const auto link = cache.sourceLink(ip(address));
        if (!link || !link->networkId) return std::nullopt;
        return cache.network(*link->networkId);
    }

    std::optional<SourceLink> linkOf(const char* address)
    {
        NetworkCache cache(m_store->database());
        return cache.sourceLink(ip(address));
    }

    std::size_t whoisQueries() const
    {
        std::size_t n = 0;
        for (const auto& [host, server] : m_whois)
            n += server->queryCount();
        return n;
    }

    std::optional<EventStore> m_store;
    RegistryMap m_map;
    PlaceholderList m_placeholders;
    FakeHttpServer m_rdap;
    std::map<std::string, std::unique_ptr<FakeWhoisServer>> m_whois;
    FakeWhoisServer m_cymru;
    test::FakeDnsServer m_dns;
    Micros m_now = 1'750'000'000 * kMicrosPerSecond;
};

std::string sample(const char* relative)
{
    return test::readFile(test::samplesDir() / relative);
}

} // namespace

TEST_F(ResolverTest, EachRegistryOverRdap)
{
    // AFRINIC's RDAP gives no abuse entity: the Abusix zone is asked.
    m_dns.addTxt("215.240.11.196.abuse-contacts.abusix.zone", {"abuse@mtnbusiness.co.za"});
    // LACNIC's RDAP gives 200.57.141.161 as a network of that one address: its WHOIS gives the range.
    whois("whois.lacnic.net").loadSamples(test::samplesDir() / "whois" / "lacnic");
    const auto sources = ips({"74.125.225.229", "62.239.237.1", "130.59.31.80", "1.1.1.1", "200.57.141.161",
        "196.11.240.215", "2001:4860:4860::8888", "2a00:2381:ffff::1"});
    const auto report = resolve(sources);
    EXPECT_EQ(report.sources, sources.size());
    EXPECT_EQ(report.resolved, sources.size()) << (report.failures.empty() ? "" : report.failures[0].reason);
    EXPECT_EQ(report.newNetworks, sources.size());
    EXPECT_EQ(report.fromCache, 0u);
    EXPECT_EQ(m_rdap.requestCount(), sources.size() + 1) << "one query is redirected from ARIN to RIPE";
    EXPECT_EQ(whoisQueries(), 1u) << "RDAP answered: WHOIS only for LACNIC's single-address network";
    EXPECT_EQ(whois("whois.lacnic.net").queryCount(), 1u);
    EXPECT_EQ(report.queriesPerServer.at("rdap.arin.net"), 3u);
    EXPECT_EQ(report.queriesPerServer.at("rdap.db.ripe.net"), 3u) << "the redirected query counts there too";
    EXPECT_EQ(report.registryQueries(), sources.size() + 2) << "a redirect hop and LACNIC's WHOIS";

    struct Expect {
        const char* address;
        const char* range;
        const char* registry;
        const char* contact; // "" for none
        ContactSource source;
    };
    for (const auto& e : {
             Expect {
                 "74.125.225.229", "74.125.0.0/16", "arin", "arin-contact@google.com", ContactSource::Rdap},
             Expect {"62.239.237.1", "62.239.237.0/24", "ripe", "", ContactSource::Rdap},
             Expect {"130.59.31.80", "130.59.0.0/16", "ripe", "abuse@switch.ch", ContactSource::Rdap},
             Expect {"200.57.141.161", "200.57.128.0/19", "lacnic", "operacion.redes@triara.com",
                 ContactSource::Rdap},
             Expect {"196.11.240.215", "196.11.239.0 - 196.11.246.255", "afrinic", "abuse@mtnbusiness.co.za",
                 ContactSource::AbusixDns},
             Expect {"2001:4860:4860::8888", "2001:4860::/32", "arin", "", ContactSource::Rdap},
         }) {
        const auto n = networkOf(e.address);
        ASSERT_TRUE(n) << e.address;
        EXPECT_EQ(n->info.range.toString(), e.range) << e.address;
        EXPECT_EQ(n->info.registry, e.registry) << e.address;
        if (*e.contact) {
            ASSERT_FALSE(n->info.abuse.empty()) << e.address;
            std::string got = n->info.abuse.front().email;
            for (char& c : got)
                c = char(std::tolower(static_cast<unsigned char>(c)));
            EXPECT_EQ(got, e.contact) << e.address;
            EXPECT_EQ(n->info.abuse.front().source, e.source) << e.address;
        } else {
            EXPECT_FALSE(n->info.abuse.empty()) << e.address;
        }
    }
    // APNIC lists only its help desk for 1.1.1.0/24: a placeholder, never a contact.
    const auto apnic = networkOf("1.1.1.1");
    ASSERT_TRUE(apnic);
    for (const auto& c : apnic->info.abuse)
        EXPECT_NE(c.email, "helpdesk@apnic.net");
    // AS numbers the registries did not give came from one Team Cymru bulk query.
    EXPECT_EQ(m_cymru.queryCount(), 1u);
    ASSERT_FALSE(m_cymru.queries().empty());
    EXPECT_TRUE(m_cymru.queries().front().starts_with("begin"));
    EXPECT_EQ(report.queriesPerServer.at("whois.cymru.com"), 1u);
    const auto bt = networkOf("62.239.237.1");
    ASSERT_TRUE(bt && bt->info.asn);
    EXPECT_EQ(*bt->info.asn, 2856u);
    EXPECT_EQ(bt->asnSource, "cymru");
    EXPECT_NE(bt->info.asName.find("BT-UK-AS"), std::string::npos);
    EXPECT_EQ(linkOf("74.125.225.229")->rdns, "lga15s43-in-f5.1e100.net");
    EXPECT_EQ(report.reverseDnsNames, 1u);
}

TEST_F(ResolverTest, ASecondSourceInACachedRangeSendsNoQuery)
{
    auto first = resolve(ips({"74.125.225.229"}));
    EXPECT_EQ(first.resolved, 1u);
    EXPECT_EQ(m_rdap.requestCount(), 1u);
    const auto second = resolve(ips({"74.125.225.230", "74.125.1.1", "74.125.255.255"}));
    EXPECT_EQ(second.resolved, 3u);
    EXPECT_EQ(second.fromCache, 3u);
    EXPECT_EQ(second.newNetworks, 0u);
    EXPECT_EQ(second.totalQueries(), 0u);
    EXPECT_EQ(m_rdap.requestCount(), 1u) << "no request for sources inside the cached 74.125.0.0/16";
    EXPECT_EQ(m_cymru.queryCount() + whoisQueries(), first.queriesPerServer.count("whois.cymru.com"));
    EXPECT_EQ(networkOf("74.125.1.1")->id, networkOf("74.125.225.229")->id);
}

TEST_F(ResolverTest, QueriesAreAtMostTheDistinctNetworks)
{
    std::vector<IpAddress> sources;
    for (int i = 229; i < 255; ++i)
        sources.push_back(ip(("74.125.225." + std::to_string(i)).c_str()));
    for (int i = 1; i < 30; ++i)
        sources.push_back(ip(("62.239.237." + std::to_string(i)).c_str()));
    for (const char* a : {"130.59.31.80", "130.59.31.81", "130.59.200.1", "130.59.255.254"})
        sources.push_back(ip(a));
    const auto report = resolve(sources);
    EXPECT_EQ(report.resolved, sources.size());
    EXPECT_EQ(report.networks, 3u);
    EXPECT_EQ(report.newNetworks, 3u);
    EXPECT_EQ(report.registryQueries(), 4u) << "three networks, plus the redirect one of them needs";
    EXPECT_EQ(m_rdap.requestCount(), 4u) << "three queries, one of them redirected";
    EXPECT_EQ(report.fromCache, sources.size() - 3);
}

TEST_F(ResolverTest, SpecialPurposeAddressesAreNeverLookedUpAnd6to4TeredoMapToTheIpv4Inside)
{
    const auto report = resolve(
        ips({"10.1.2.3", "192.0.2.1", "127.0.0.1", "100.64.0.1", "224.0.0.1", "fe80::1", "2001:db8::1",
            "2002:4a7d:e1e5::1", "2001:0:4136:e378:8000:63bf:b582:1e1a", "2002:0a00:0001::1"}));
    EXPECT_EQ(report.special, 8u);
    EXPECT_EQ(report.resolved, 2u);
    EXPECT_EQ(m_rdap.requestCount(), 1u) << "both tunnels carry 74.125.225.229: one network, one query";
    ASSERT_EQ(m_rdap.paths().size(), 1u);
    EXPECT_EQ(m_rdap.paths()[0], "/arin/ip/74.125.225.229");
    const auto priv = linkOf("10.1.2.3");
    ASSERT_TRUE(priv);
    EXPECT_EQ(priv->status, "special");
    EXPECT_NE(priv->reason.find("private"), std::string::npos) << priv->reason;
    EXPECT_NE(priv->reason.find("never looked up"), std::string::npos) << priv->reason;
    const auto tunnel = linkOf("2002:a00:1::1");
    ASSERT_TRUE(tunnel);
    EXPECT_EQ(tunnel->status, "special");
    EXPECT_NE(tunnel->reason.find("10.0.0.1"), std::string::npos) << tunnel->reason;
    const auto teredo = linkOf("2001:0:4136:e378:8000:63bf:b582:1e1a");
    ASSERT_TRUE(teredo && teredo->lookup);
    EXPECT_EQ(*teredo->lookup, ip("74.125.225.229"));
}

TEST_F(ResolverTest, WhoisWhenRdapIsOffForEveryRegistry)
{
    for (const auto& [host, dir] : std::vector<std::pair<std::string, std::string>> {
             {"whois.arin.net", "arin"}, {"whois.ripe.net", "ripe"}, {"whois.lacnic.net", "lacnic"},
             {"whois.afrinic.net", "afrinic"}, {"whois.nic.or.kr", "apnic"}, {"whois.twnic.net", "twnic"}}) {
        EXPECT_GT(whois(host).loadSamples(test::samplesDir() / "whois" / dir), 0u) << dir;
    }
    ResolverOptions o = options();
    o.useRdap = false;
    const auto sources = ips({"74.125.225.229", "62.239.237.1", "200.57.141.161", "196.11.240.215",
        "210.107.73.73", "218.165.121.114"});
    const auto report = resolve(sources, o);
    EXPECT_EQ(m_rdap.requestCount(), 0u);
    EXPECT_EQ(report.resolved, sources.size()) << (report.failures.empty() ? "" : report.failures[0].reason);
    EXPECT_EQ(whois("whois.arin.net").queries(), std::vector<std::string> {"n + 74.125.225.229"});
    EXPECT_EQ(whois("whois.ripe.net").queries(), std::vector<std::string> {"-r 62.239.237.1"});
    const auto bt = networkOf("62.239.237.1");
    ASSERT_TRUE(bt);
    EXPECT_EQ(bt->info.range.toString(), "62.239.237.0/24");
    ASSERT_FALSE(bt->info.abuse.empty());
    EXPECT_EQ(bt->info.abuse.front().email, "protect@bt.com");
    EXPECT_EQ(bt->info.abuse.front().source, ContactSource::Whois);
    const auto hinet = networkOf("218.165.121.114");
    ASSERT_TRUE(hinet);
    EXPECT_TRUE(hinet->info.range.contains(ip("218.165.121.114")));
    // The raw answers are kept with the network.
    NetworkCache cache(m_store->database());
    EXPECT_NE(cache.rawAnswer(bt->id).find("% Abuse contact for '62.239.237.0 - 62.239.237.255'"),
        std::string::npos);
}

TEST_F(ResolverTest, ArinReferralToRipeAndTheMostSpecificNetworkWins)
{
    const IpAddress a = ip("98.76.54.32");
    ASSERT_EQ(m_map.find(a)->registry, "arin");
    whois("whois.arin.net")
        .addAnswer("98.76.54.32",
            "NetRange:       98.0.0.0 - 98.255.255.255\nCIDR:           98.0.0.0/8\nNetName:        "
            "RIPE-ERX-98\n"
            "Organization:   RIPE Network Coordination Centre (RIPE)\nReferralServer:  "
            "whois://whois.ripe.net\n"
            "OrgAbuseEmail:  abuse@ripe.example\n");
    whois("whois.ripe.net")
        .addAnswer("98.76.54.32",
            "% Abuse contact for '98.76.54.0 - 98.76.54.255' is 'abuse@isp.example'\n\n"
            "inetnum:        98.76.54.0 - 98.76.54.255\nnetname:        ISP-NET\ncountry:        NL\n"
            "org:            ORG-ISP1-RIPE\nsource:         RIPE\n");
    ResolverOptions o = options();
    o.useRdap = false;
    const auto report = resolve({a}, o);
    EXPECT_EQ(report.resolved, 1u);
    EXPECT_EQ(report.referrals, 1u);
    EXPECT_EQ(report.registryQueries(), 2u);
    EXPECT_EQ(whois("whois.arin.net").queries(), std::vector<std::string> {"n + 98.76.54.32"});
    EXPECT_EQ(whois("whois.ripe.net").queries(), std::vector<std::string> {"-r 98.76.54.32"});
    const auto n = networkOf("98.76.54.32");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->info.range.toString(), "98.76.54.0/24");
    EXPECT_EQ(n->info.name, "ISP-NET");
    ASSERT_FALSE(n->info.abuse.empty());
    EXPECT_EQ(n->info.abuse.front().email, "abuse@isp.example");
    EXPECT_EQ(n->info.server, "whois.arin.net > whois.ripe.net");
}

TEST_F(ResolverTest, IanaReferralAndAReferralToAnotherPort)
{
    // IANA's answer refers to RIPE (the sample holds both answers, one after the other).
    const std::string both = sample("whois/iana/whris-iana-then-ripe-example.com.txt");
    const auto split = both.find("% This is the RIPE Database");
    ASSERT_NE(split, std::string::npos);
    whois("whois.iana.org").setDefaultAnswer(both.substr(0, split));
    whois("whois.ripe.net").setDefaultAnswer(both.substr(split));
    FakeWhoisServer rwhois;
    rwhois.setDefaultAnswer("inetnum:        63.95.254.0 - 63.95.254.127\nnetname:        GPW-CUSTOMER\n"
                            "abuse-mailbox:  abuse@customer.example\nsource:         RWHOIS\n");
    EndpointOverrides endpoints;
    for (const auto& [host, server] : m_whois)
        ASSERT_TRUE(endpoints.add(host + "=" + server->endpoint()));
    ASSERT_TRUE(endpoints.add("rwhois.gapublicweb.net:4321=" + rwhois.endpoint()));
    WhoisOptions limits;
    limits.totalTimeout = 3s;
    const WhoisClient client(limits, endpoints);
    std::vector<std::string> asked;
    const WhoisTransport transport = [&](std::string_view host, std::string_view query, std::uint16_t port) {
        asked.push_back(std::string(host) + ":" + std::to_string(port));
        return client.query(host, query, port);
    };
    WhoisLookupOptions wo;
    wo.placeholders = &m_placeholders;
    auto r = whoisLookup(ip("93.184.216.34"), "whois.iana.org", transport, wo);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_TRUE(r->network);
    EXPECT_EQ(r->network->range.toString(), "93.184.216.0/24");
    EXPECT_EQ(r->chain, (std::vector<std::string> {"whois.iana.org", "whois.ripe.net"}));
    ASSERT_FALSE(r->network->abuse.empty());
    EXPECT_EQ(r->network->abuse.front().email, "abuse@verizondigitalmedia.com");

    // ARIN's ReferralServer names an RWhois server on port 4321.
    whois("whois.arin.net").loadSamples(test::samplesDir() / "whois" / "arin");
    asked.clear();
    auto rw = whoisLookup(ip("63.95.254.3"), "whois.arin.net", transport, wo);
    ASSERT_TRUE(rw) << rw.error().message;
    EXPECT_EQ(asked, (std::vector<std::string> {"whois.arin.net:43", "rwhois.gapublicweb.net:4321"}));
    ASSERT_TRUE(rw->network);
    EXPECT_EQ(rw->network->range.toString(), "63.95.254.0/25") << "the referral's more specific network wins";
}

TEST_F(ResolverTest, AReferralLoopEndsAfterEachServerWasAskedOnce)
{
    const IpAddress a = ip("98.76.54.32");
    whois("whois.arin.net")
        .setDefaultAnswer("NetRange:       98.0.0.0 - 98.255.255.255\nNetName:        LOOP-A\n"
                          "ReferralServer:  whois://whois.ripe.net\n");
    whois("whois.ripe.net")
        .setDefaultAnswer("NetRange:       98.76.0.0 - 98.76.255.255\nNetName:        LOOP-B\n"
                          "ReferralServer:  whois://whois.arin.net:43\n");
    ResolverOptions o = options();
    o.useRdap = false;
    const auto start = std::chrono::steady_clock::now();
    const auto report = resolve({a}, o);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_EQ(whois("whois.arin.net").queryCount(), 1u);
    EXPECT_EQ(whois("whois.ripe.net").queryCount(), 1u);
    EXPECT_EQ(report.resolved, 1u);
    const auto n = networkOf("98.76.54.32");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->info.name, "LOOP-B");
    bool noted = false;
    for (const auto& note : report.notes)
        noted = noted || note.find("loop") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST_F(ResolverTest, Http429StopsThatServerHereAndInTheNextRun)
{
    m_rdap.addRateLimited("/arin/ip/74.125.225.229", "120");
    ResolverOptions o = options();
    o.useWhois = false;
    const auto report = resolve(ips({"74.125.225.229", "98.76.54.32", "99.1.2.3", "62.239.237.1"}), o);
    EXPECT_EQ(report.failed, 3u);
    EXPECT_EQ(report.failureKinds.at("rate-limited"), 3u);
    EXPECT_EQ(report.queriesPerServer.at("rdap.arin.net"), 1u) << "no query after the 429";
    EXPECT_EQ(report.resolved, 1u) << "other registries are still asked";
    bool noted = false;
    for (const auto& n : report.notes)
        noted = noted || n.find("rdap.arin.net asked tattle to slow down") != std::string::npos;
    EXPECT_TRUE(noted);
    for (const auto& f : report.failures)
        EXPECT_NE(f.reason.find("rdap.arin.net"), std::string::npos) << f.reason;
    EXPECT_EQ(
        m_store->database().queryInt("SELECT count(*) FROM server_stops WHERE server = 'rdap.arin.net'"), 1);
    // Rate-limit failures are not cached as answers about the network.
    EXPECT_EQ(m_store->database().queryInt("SELECT count(*) FROM networks WHERE error_kind IS NOT NULL"), 0);

    // A new run (a new resolver, as a new `tattle lookup` would make) still keeps away from the server.
    const std::size_t before = m_rdap.requestCount();
    const auto again = resolve(ips({"74.125.225.229"}), o);
    EXPECT_EQ(m_rdap.requestCount(), before);
    EXPECT_EQ(again.failed, 1u);

    // With WHOIS on, the sources fall back to WHOIS.
    whois("whois.arin.net").loadSamples(test::samplesDir() / "whois" / "arin");
    const auto fallback = resolve(ips({"74.125.225.229"}), options());
    EXPECT_EQ(fallback.resolved, 1u);
    EXPECT_EQ(m_rdap.requestCount(), before);
    EXPECT_EQ(whois("whois.arin.net").queryCount(), 1u);
}

// ARIN's RDAP redirects 130.59.31.80 to RIPE's. The rate limit and the stop belong to the server that
// answered: RIPE's 429 stops RIPE, not ARIN, and counts as a query there.
TEST_F(ResolverTest, ARedirectTargetIsRateLimitedAndStoppedOnItsOwn)
{
    m_rdap.addRateLimited("/ripe/ip/130.59.31.80", "120");
    ResolverOptions o = options();
    o.useWhois = false;
    const auto first = resolve(ips({"130.59.31.80"}), o);
    EXPECT_EQ(first.failed, 1u);
    EXPECT_EQ(first.queriesPerServer.at("rdap.arin.net"), 1u);
    EXPECT_EQ(first.queriesPerServer.at("rdap.db.ripe.net"), 1u);
    EXPECT_EQ(
        m_store->database().queryInt("SELECT count(*) FROM server_stops WHERE server = 'rdap.db.ripe.net'"),
        1);
    EXPECT_EQ(
        m_store->database().queryInt("SELECT count(*) FROM server_stops WHERE server = 'rdap.arin.net'"), 0);

    // ARIN still answers its own addresses; RIPE's are not asked for while it is stopped, whether directly
    // or through ARIN's redirect.
    const std::size_t before = m_rdap.requestCount();
    const auto second = resolve(ips({"74.125.225.229", "62.239.237.1"}), o);
    EXPECT_EQ(second.resolved, 1u);
    EXPECT_EQ(second.failed, 1u);
    EXPECT_EQ(m_rdap.requestCount(), before + 1) << "only ARIN's own address was fetched";
    EXPECT_FALSE(networkOf("62.239.237.1"));
    EXPECT_TRUE(networkOf("74.125.225.229"));
}

TEST_F(ResolverTest, RipeAccessDeniedStopsWhoisRipe)
{
    whois("whois.ripe.net")
        .setDefaultAnswer(
            "%ERROR:201: access denied for 127.0.0.1\n%\n% Sorry, access from your host has been "
            "permanently denied\n% because of a repeated excessive querying.\n");
    ResolverOptions o = options();
    o.useRdap = false;
    const auto report = resolve(ips({"62.239.237.1", "151.99.187.181", "193.0.6.139"}), o);
    EXPECT_EQ(whois("whois.ripe.net").queryCount(), 1u);
    EXPECT_EQ(report.failed, 3u);
    EXPECT_EQ(report.failureKinds.at("rate-limited"), 3u);
}

TEST_F(ResolverTest, OfflineAnswersFromTheCacheAlone)
{
    resolve(ips({"74.125.225.229"}));
    const std::size_t requests = m_rdap.requestCount();
    ResolverOptions o = options();
    o.offline = true;
    const auto report = resolve(ips({"74.125.9.9", "62.239.237.1"}), o);
    EXPECT_EQ(m_rdap.requestCount(), requests);
    EXPECT_EQ(report.totalQueries(), 0u);
    EXPECT_EQ(report.resolved, 1u);
    EXPECT_EQ(report.fromCache, 1u);
    EXPECT_EQ(report.failed, 1u);
    ASSERT_EQ(report.failures.size(), 1u);
    EXPECT_NE(report.failures[0].reason.find("offline"), std::string::npos);

    // An expired answer is still used offline, and asked again online.
    m_now += 15LL * 86'400 * kMicrosPerSecond;
    EXPECT_EQ(resolve(ips({"74.125.9.9"}), o).resolved, 1u);
    EXPECT_EQ(m_rdap.requestCount(), requests);
    ResolverOptions online = options();
    online.useWhois = false;
    resolve(ips({"74.125.9.9"}), online);
    EXPECT_EQ(m_rdap.requestCount(), requests + 1) << "expired after 14 days";
}

TEST_F(ResolverTest, FailuresAreCachedBriefly)
{
    ResolverOptions o = options();
    o.useWhois = false;
    const auto first = resolve(ips({"13.104.9.9"}), o); // no route: 404
    EXPECT_EQ(first.failed, 1u);
    EXPECT_EQ(first.failureKinds.at("not-found"), 1u);
    EXPECT_EQ(m_rdap.requestCount(), 1u);
    const auto second = resolve(ips({"13.104.9.9"}), o);
    EXPECT_EQ(second.failed, 1u);
    EXPECT_EQ(m_rdap.requestCount(), 1u) << "the failure is remembered for an hour";
    m_now += 3601 * kMicrosPerSecond;
    resolve(ips({"13.104.9.9"}), o);
    EXPECT_EQ(m_rdap.requestCount(), 2u);
}

TEST_F(ResolverTest, AServerThatNeverAnswersCostsBoundedTime)
{
    whois("whois.arin.net").setMode(HostileMode::NeverAnswer);
    ResolverOptions o = options();
    o.useRdap = false;
    o.whois.readTimeout = 500ms;
    o.whois.totalTimeout = 700ms;
    const auto start = std::chrono::steady_clock::now();
    const auto report = resolve(ips({"13.104.0.1", "74.125.225.229", "98.76.54.32", "8.8.8.8"}), o);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_LT(took, 5s);
    EXPECT_EQ(report.failed, 4u);
    EXPECT_EQ(whois("whois.arin.net").connectionCount(), 2u) << "after two timeouts the server is skipped";
    EXPECT_GE(report.failureKinds.at("timeout"), 4u);
}

TEST_F(ResolverTest, HostileAnswersAreStoredCleanlyOrNotAtAll)
{
    // CR/LF and control characters in the name, organisation and e-mail fields.
    m_rdap.addJson("/arin/ip/13.104.0.1", R"({"objectClassName": "ip network", "handle": "NET-13\r\nX",
        "startAddress": "13.104.0.0", "endAddress": "13.104.255.255", "name": "EVIL\r\nBcc: victim@example.org",
        "country": "US\u0007", "port43": "whois.arin.net",
        "entities": [{"objectClassName": "entity", "handle": "ABUSE-1", "roles": ["abuse"],
          "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Org\u001b[31m\r\nName"],
            ["email", {}, "text", "abuse@evil.example\r\nBcc: victim@example.org"],
            ["email", {"pref": "2"}, "text", "mailto:Abuse@Evil.Example."]]]}]})");
    m_rdap.addJson("/arin/ip/74.125.225.229", "{\"objectClassName\": \"ip network\", \"startAddress\": ");
    ResolverOptions o = options();
    o.useWhois = false;
    const auto report = resolve(ips({"13.104.0.1", "74.125.225.229"}), o);
    EXPECT_EQ(report.resolved, 1u);
    EXPECT_EQ(report.failed, 1u);
    EXPECT_EQ(report.failureKinds.at("bad-response"), 1u) << "invalid JSON";
    const auto n = networkOf("13.104.0.1");
    ASSERT_TRUE(n);
    for (const std::string& s : {n->info.name, n->info.handle, n->info.orgName, n->info.country})
        EXPECT_EQ(s.find_first_of("\r\n\x07\x1b"), std::string::npos) << s;
    ASSERT_EQ(n->info.abuse.size(), 1u);
    EXPECT_EQ(n->info.abuse[0].email.find_first_of("\r\n "), std::string::npos);
    EXPECT_EQ(
        m_store->database().queryInt(
            "SELECT count(*) FROM networks WHERE name LIKE '%' || char(10) || '%' OR abuse_email LIKE '%' || "
            "char(13) || '%'"),
        0);
    EXPECT_FALSE(networkOf("74.125.225.229"));
}

TEST_F(ResolverTest, AHugeAnswerIsCutOffInBoundedTime)
{
    m_rdap.setMode(HostileMode::Huge);
    m_rdap.setHugeBytes(std::size_t(100) << 20);
    ResolverOptions o = options();
    o.useWhois = false;
    const auto start = std::chrono::steady_clock::now();
    const auto report = resolve(ips({"74.125.225.229"}), o);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    EXPECT_EQ(report.failed, 1u);
    EXPECT_EQ(m_store->database().queryInt("SELECT count(*) FROM networks WHERE error_kind IS NULL"), 0);
}

TEST_F(ResolverTest, ContactsFromAbusixThenAGuess)
{
    // 196.11.240.215: AFRINIC gives no abuse entity, only a remark naming an address. That weak contact
    // sends tattle to the Abusix zone, which knows nothing here: the remark's address stays.
    auto report = resolve(ips({"196.11.240.215"}));
    EXPECT_EQ(report.dnsQueries, 1u);
    EXPECT_EQ(m_dns.questions(), std::vector<std::string> {"215.240.11.196.abuse-contacts.abusix.zone"});
    auto n = networkOf("196.11.240.215");
    ASSERT_TRUE(n);
    ASSERT_FALSE(n->info.abuse.empty());
    EXPECT_EQ(n->info.abuse.front().email, "abuse@mtnbusiness.co.za");
    EXPECT_EQ(n->info.abuse.front().source, ContactSource::Rdap);
    EXPECT_EQ(n->info.abuse.front().confidence, confidence::kRemark);

    // No contact at all: Abusix, then abuse@ the holder's domain, marked as a guess.
    m_rdap.addJson("/arin/ip/13.104.0.1", R"({"objectClassName": "ip network", "startAddress": "13.104.0.0",
        "endAddress": "13.104.255.255", "name": "NOABUSE", "port43": "whois.arin.net",
        "entities": [{"objectClassName": "entity", "handle": "ISP-1", "roles": ["registrant"],
          "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Example ISP"],
            ["email", {}, "text", "noc@example-isp.net"]]]}]})");
    report = resolve(ips({"13.104.0.1"}));
    EXPECT_EQ(report.dnsQueries, 1u);
    n = networkOf("13.104.0.1");
    ASSERT_TRUE(n);
    ASSERT_FALSE(n->info.abuse.empty());
    EXPECT_EQ(n->info.abuse.front().email, "abuse@example-isp.net");
    EXPECT_EQ(n->info.abuse.front().source, ContactSource::DomainGuess);
    EXPECT_EQ(n->info.abuse.front().confidence, confidence::kDomainGuess);
    EXPECT_EQ(report.contactSources.at("guess"), 1u);

    // Abusix's answer where the registry has nothing; LACNIC's withdrawn-contact marker is not a contact.
    m_dns.addTxt("2.0.57.200.abuse-contacts.abusix.zone", {"removed@lacnic.net"});
    m_dns.addTxt("1.0.104.14.abuse-contacts.abusix.zone", {"abuse@isp14.example, noc@isp14.example"});
    ResolverOptions o = options();
    o.guessDomain = false;
    m_rdap.addJson("/lacnic/ip/200.57.0.2", R"({"objectClassName": "ip network", "startAddress": "200.57.0.0",
        "endAddress": "200.57.0.255", "name": "NOCONTACT", "port43": "whois.lacnic.net"})");
    m_rdap.addJson("/apnic/ip/14.104.0.1", R"({"objectClassName": "ip network", "startAddress": "14.104.0.0",
        "endAddress": "14.104.0.255", "name": "ABUSIX", "port43": "whois.apnic.net"})");
    report = resolve(ips({"200.57.0.2", "14.104.0.1"}), o);
    EXPECT_EQ(report.withoutContact, 1u);
    n = networkOf("200.57.0.2");
    ASSERT_TRUE(n);
    EXPECT_TRUE(n->info.abuse.empty());
    n = networkOf("14.104.0.1");
    ASSERT_TRUE(n);
    ASSERT_EQ(n->info.abuse.size(), 2u);
    EXPECT_EQ(n->info.abuse[0].email, "abuse@isp14.example");
    EXPECT_EQ(n->info.abuse[0].source, ContactSource::AbusixDns);
    EXPECT_EQ(n->info.abuse[0].confidence, confidence::kAbusixDns);
}

// The Abusix zone keeps to its rate limit like the registries: with an hour between queries and no
// waiting allowed, the second weak contact of the run asks nothing and falls back to the domain guess.
TEST_F(ResolverTest, AbusixQueriesKeepToTheZonesRateLimit)
{
    for (const char* a : {"13.104.0.1", "13.105.0.1"}) {
        const std::string third = std::string(a).substr(3, 3);
        m_rdap.addJson(std::string("/arin/ip/") + a,
            R"({"objectClassName": "ip network", "startAddress": "13.)" + third + R"(.0.0",
            "endAddress": "13.)"
                + third + R"(.255.255", "name": "NOABUSE", "port43": "whois.arin.net",
            "entities": [{"objectClassName": "entity", "handle": "ISP-1", "roles": ["registrant"],
              "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Example ISP"],
                ["email", {}, "text", "noc@example-isp.net"]]]}]})");
    }
    ResolverOptions o = options();
    o.intervals.emplace_back("abuse-contacts.abusix.zone", std::chrono::hours(1));
    o.maxRateWait = 0s;
    const auto report = resolve(ips({"13.104.0.1", "13.105.0.1"}), o);
    EXPECT_EQ(report.resolved, 2u);
    EXPECT_EQ(report.dnsQueries, 1u);
    EXPECT_EQ(m_dns.questions().size(), 1u);
    bool noted = false;
    for (const auto& n : report.notes)
        noted = noted || n.find("Abusix zone is not asked again") != std::string::npos;
    EXPECT_TRUE(noted);
    for (const char* a : {"13.104.0.1", "13.105.0.1"}) {
        const auto n = networkOf(a);
        ASSERT_TRUE(n) << a;
        ASSERT_FALSE(n->info.abuse.empty()) << a;
        EXPECT_EQ(n->info.abuse.front().source, ContactSource::DomainGuess) << a;
    }
}

TEST_F(ResolverTest, ProgressAndCancel)
{
    std::atomic<bool> cancel {false};
    std::vector<ResolveProgress> seen;
    ResolveControl control;
    control.cancel = &cancel;
    control.progress = [&](const ResolveProgress& p) {
        seen.push_back(p);
        if (p.done >= 1) cancel = true;
    };
    Resolver r(*m_store, m_map, &m_placeholders, options());
    auto report = r.resolve(ips({"74.125.225.229", "62.239.237.1", "130.59.31.80"}), control);
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->wasCancelled);
    EXPECT_EQ(report->cancelled, 2u);
    EXPECT_EQ(report->resolved, 1u);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().total, 3u);
}

TEST_F(ResolverTest, AllStoredSourcesWhenNoneAreGivenAndCasesGroupThem)
{
    // Sources as an import leaves them: source_ports rows.
    auto& db = m_store->database();
    const auto category = m_store->labelId("smb");
    auto ins
        = db.prepare("INSERT INTO source_ports(src, proto, dst_port, category, events, blocked, first_seen, "
                     "last_seen) VALUES (?, 6, 445, ?, ?, ?, 1, 2)");
    const std::vector<std::pair<const char*, int>> rows {{"74.125.225.229", 5}, {"74.125.225.230", 2},
        {"62.239.237.1", 7}, {"10.0.0.1", 1}, {"2a00:2381:ffff::1", 3}, {"2a00:2381:ffff::2", 4}};
    for (const auto& [a, events] : rows) {
        const IpAddress addr = ip(a);
        ins.reset();
        ins.bindBlob(1, addr.data(), addr.size()).bind(2, category).bind(3, events).bind(4, events);
        ins.run();
    }
    const auto report = resolve({});
    EXPECT_EQ(report.sources, rows.size());
    EXPECT_EQ(report.special, 1u);
    EXPECT_EQ(report.resolved, 5u);
    EXPECT_EQ(report.registryQueries(), 3u);

    NetworkCache cache(db);
    cache.setOverride(IpRange::parse("62.239.237.0/24").value(), "override@example.net", m_now);
    std::vector<SourceSummary> summaries;
    for (const auto& [a, events] : rows) {
        SourceSummary s;
        s.src = ip(a);
        s.events = events;
        summaries.push_back(s);
    }
    const auto views = loadSourceViews(cache);
    GroupingOptions go;
    go.skipSpecial = true;
    const auto cases = groupSources(summaries, views, GroupBy::Contact, go);
    ASSERT_GE(cases.size(), 3u);
    const auto byKey = [&](const std::string& key) -> const SourceGroup* {
        for (const auto& c : cases)
            if (c.key == key) return &c;
        return nullptr;
    };
    const SourceGroup* bt = byKey("override@example.net");
    ASSERT_TRUE(bt);
    EXPECT_EQ(bt->events, 7);
    EXPECT_EQ(bt->contacts.front().source, ContactSource::UserOverride);
    const SourceGroup* google = byKey("arin-contact@google.com");
    ASSERT_TRUE(google);
    EXPECT_EQ(google->events, 7);
    ASSERT_EQ(google->networks.size(), 1u);
    EXPECT_EQ(google->networks[0].sources.size(), 2u);
    // The two IPv6 sources share a /64: one entry with both.
    const SourceGroup* v6 = nullptr;
    for (const auto& c : cases)
        for (const auto& n : c.networks)
            if (n.network && n.network->info.range.contains(ip("2a00:2381:ffff::1"))) v6 = &c;
    ASSERT_TRUE(v6);
    ASSERT_EQ(v6->networks.size(), 1u);
    ASSERT_EQ(v6->networks[0].sources.size(), 1u);
    EXPECT_EQ(v6->networks[0].sources[0].address, "2a00:2381:ffff::/64");
    EXPECT_EQ(v6->networks[0].sources[0].members.size(), 2u);
    EXPECT_EQ(v6->networks[0].sources[0].events, 7);
    for (const auto& c : cases)
        for (const auto& n : c.networks)
            for (const auto& s : n.sources)
                EXPECT_NE(s.address, "10.0.0.1") << "special-purpose sources make no case";

    go.ipv6Prefix = 128;
    const auto byNetwork = groupSources(summaries, views, GroupBy::Network, go);
    std::size_t v6Entries = 0;
    for (const auto& g : byNetwork)
        for (const auto& n : g.networks)
            for (const auto& s : n.sources)
                if (s.address.find(':') != std::string::npos) ++v6Entries;
    EXPECT_EQ(v6Entries, 2u) << "with /128 every IPv6 source stands alone";
    const auto byAsn = groupSources(summaries, views, GroupBy::Asn);
    ASSERT_FALSE(byAsn.empty());
    EXPECT_TRUE(byAsn.front().key.starts_with("AS")) << byAsn.front().key;
}

TEST_F(ResolverTest, AnExpiredNetworkTheRegistryNowDrawsDifferentlyIsReplaced)
{
    const auto net = [](const char* first, const char* last) {
        return std::string(R"({"objectClassName": "ip network", "startAddress": ")") + first
            + R"(", "endAddress": ")" + last + R"(", "name": "REDRAWN", "port43": "whois.arin.net"})";
    };
    m_rdap.addJson("/arin/ip/13.104.1.1", net("13.104.1.0", "13.104.1.255"));
    ResolverOptions o = options();
    o.useWhois = false;
    o.useCymru = false;
    EXPECT_EQ(resolve(ips({"13.104.1.1"}), o).resolved, 1u);
    m_now += 15LL * 86'400 * kMicrosPerSecond;
    m_rdap.addJson("/arin/ip/13.104.1.1", net("13.104.0.0", "13.104.255.255"));
    EXPECT_EQ(resolve(ips({"13.104.1.1"}), o).resolved, 1u);
    EXPECT_EQ(m_rdap.requestCount(), 2u);
    const auto again = resolve(ips({"13.104.1.1", "13.104.200.1"}), o);
    EXPECT_EQ(again.fromCache, 2u);
    EXPECT_EQ(m_rdap.requestCount(), 2u) << "the stale /24 no longer hides the fresh /16";
    EXPECT_EQ(networkOf("13.104.1.1")->info.range.toString(), "13.104.0.0/16");
}

TEST_F(ResolverTest, ATricklingServerAndInvalidUtf8)
{
    // A WHOIS server that sends one byte every 50 ms, forever: the overall deadline ends it.
    whois("whois.arin.net").setMode(HostileMode::Trickle);
    ResolverOptions o = options();
    o.useRdap = false;
    o.whois.totalTimeout = 800ms;
    const auto start = std::chrono::steady_clock::now();
    const auto slow = resolve(ips({"13.104.0.1"}), o);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_EQ(slow.failed, 1u);
    EXPECT_EQ(slow.failureKinds.count("timeout"), 1u);

    // Latin-1 bytes from a server that is supposed to send UTF-8: stored as valid UTF-8.
    whois("whois.ripe.net")
        .setDefaultAnswer(
            "% Abuse contact for '62.239.237.0 - 62.239.237.255' is 'abuse@example.net'\n\n"
            "inetnum:        62.239.237.0 - 62.239.237.255\nnetname:        CAF\xc9-NET\n"
            "descr:          Soci\xe9t\xe9 \xff\xfe\ncountry:        FR\nsource:         RIPE\n");
    const auto report = resolve(ips({"62.239.237.1"}), o);
    EXPECT_EQ(report.resolved, 1u);
    const auto n = networkOf("62.239.237.1");
    ASSERT_TRUE(n);
    EXPECT_TRUE(isValidUtf8(n->info.name)) << n->info.name;
    EXPECT_TRUE(isValidUtf8(n->info.orgName)) << n->info.orgName;
    EXPECT_TRUE(n->info.name.starts_with("CAF")) << n->info.name;
}
