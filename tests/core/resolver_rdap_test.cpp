// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/json_guard.h"
#include "core/resolver/rdap_parser.h"
#include "test_support.h"

#include <chrono>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>

using namespace tattle::core;
using namespace tattle::core::resolver;
using tattle::ErrorKind;

namespace {

const PlaceholderList& placeholders()
{
    static PlaceholderList list = [] {
        auto l
            = PlaceholderList::load(std::filesystem::path(TATTLE_RESOURCES_DIR) / "abuse-placeholders.json");
        EXPECT_TRUE(l) << (l ? "" : l.error().message);
        return l ? std::move(*l) : PlaceholderList {};
    }();
    return list;
}

RdapOptions options()
{
    RdapOptions o;
    o.placeholders = &placeholders();
    return o;
}

std::string emails(const std::vector<AbuseContact>& abuse)
{
    std::string s;
    for (const auto& a : abuse)
        s += (s.empty() ? "" : ",") + a.email;
    return s;
}

std::filesystem::path sample(const std::string& rel)
{
    return tattle::test::samplesDir() / "rdap" / rel;
}

std::string fixture(const std::string& name)
{
    return tattle::test::readFile(tattle::test::dataDir() / "rdap" / name);
}

bool clean(const std::string& s)
{
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7F) return false;
    }
    return s.find("\xE2\x80\xA8") == std::string::npos && s.find("\xE2\x80\xAE") == std::string::npos;
}

void expectClean(const NetworkInfo& n)
{
    for (const std::string* f : {&n.handle, &n.name, &n.type, &n.country, &n.parentHandle, &n.orgName,
             &n.orgHandle, &n.registry, &n.server, &n.domain, &n.whoisServer}) {
        EXPECT_TRUE(clean(*f)) << *f;
    }
    for (const auto& a : n.abuse)
        EXPECT_TRUE(clean(a.email)) << a.email;
}

} // namespace

// What tattle reads from every recorded network answer (the report's table is this test).
TEST(ResolverRdap, EveryRecordedNetworkAnswer)
{
    struct Case {
        const char* file;
        const char* range;
        const char* name;
        const char* country;
        const char* org;
        const char* abuse; // best first
        const char* registry;
    };
    for (auto c : {
             Case {"afrinic/ipwhois-ip-196.11.240.215.json", "196.11.239.0 - 196.11.246.255",
                 "ORG-VSA1-AFRINIC", "ZA", "", "abuse@mtnbusiness.co.za", "afrinic"},
             Case {"afrinic/ipwhois-ip-2001-43f8-7b0--.json", "2001:43f8:7b0::/48", "ORG-TA38-AFRINIC", "KE",
                 "", "", "afrinic"},
             Case {"apnic/ipwhois-ip-2001-240-10c-1--ca20-9d1d.json", "2001:240::/32",
                 "IIJ-JPNIC-JP-20000308", "JP", "Japan Network Information Center", "", "apnic"},
             Case {"apnic/ipwhois-ip-210.107.73.73.json", "210.107.0.0/17", "BORANET-NET-210-107", "KR",
                 "DACOM Corp.", "abuse@bora.net", "apnic"},
             Case {"apnic/whoisit-cidr-1.1.1.0_24.json", "1.1.1.0/24", "APNIC-LABS", "AU",
                 "APNIC and Cloudflare DNS Resolver project", "resolver-abuse@cloudflare.com", "apnic"},
             Case {"apnic/whoisit-ip-1.1.1.1.json", "1.1.1.0/24", "APNIC-LABS", "AU",
                 "APNIC and Cloudflare DNS Resolver project", "resolver-abuse@cloudflare.com", "apnic"},
             Case {"apnic/whoisit-recorded-ip-1.1.1.0_24.json", "1.1.1.0/24", "APNIC-LABS", "AU",
                 "APNIC Research and Development", "resolver-abuse@cloudflare.com", "apnic"},
             Case {"apnic/whoisit-recorded-ip-1.1.1.1.json", "1.1.1.0/24", "APNIC-LABS", "AU",
                 "APNIC Research and Development", "resolver-abuse@cloudflare.com", "apnic"},
             Case {"arin/ipwhois-ip-2001-4860-4860--8888.json", "2001:4860::/32", "GOOGLE-IPV6", "",
                 "Google Inc.", "arin-contact@google.com", "arin"},
             Case {"arin/ipwhois-ip-74.125.225.229.json", "74.125.0.0/16", "GOOGLE", "", "Google Inc.",
                 "arin-contact@google.com", "arin"},
             Case {"arin/whoisit-cidr-2001-4860--_32.json", "2001:4860::/32", "GOOGLE-IPV6", "", "Google LLC",
                 "network-abuse@google.com,arin-contact@google.com", "arin"},
             Case {"arin/whoisit-ip-13.104.0.0.json", "13.64.0.0 - 13.107.255.255", "MSFT", "",
                 "Microsoft Corporation", "abuse@microsoft.com", "arin"},
             Case {"arin/whoisit-ip-2001-4860--.json", "2001:4860::/32", "GOOGLE-IPV6", "", "Google LLC",
                 "network-abuse@google.com,arin-contact@google.com", "arin"},
             Case {"arin/whoisit-recorded-ip-2606-4700-4700--1111.json", "2606:4700::/32", "CLOUDFLARENET",
                 "", "Cloudflare, Inc.", "abuse@cloudflare.com", "arin"},
             Case {"lacnic/ipwhois-ip-200.57.141.161.json", "200.57.141.161/32", "Triara.com, S.A. de C.V.",
                 "MX", "Triara.com, S.A. de C.V.", "operacion.redes@triara.com", "lacnic"},
             Case {"lacnic/ipwhois-ip-2801-10-c000--.json", "2801:10:c000::/128",
                 "Universidad Catolica de Oriente", "CO", "Universidad Catolica de Oriente",
                 "sistemas.red@uco.edu.co", "lacnic"},
             Case {"ripe/ipwhois-ip-2a00-2381-ffff--1.json", "2a00:2381:ffff::/64", "BT-WORLD-IPVSIX-LAUNCH",
                 "GB", "", "zzdnsr@bt.com,steve.a.marshall@bt.com,lee.bailey-hague@bt.com", "ripe"},
             Case {"ripe/ipwhois-ip-62.239.237.1.json", "62.239.237.0/24", "BT-CORPORATE", "GB", "",
                 "zzdnsr@bt.com,steve.a.marshall@bt.com,lee.bailey-hague@bt.com", "ripe"},
             Case {"ripe/whoisit-ip-130.59.31.80.json", "130.59.0.0/16", "SWITCH-LAN", "CH", "",
                 "abuse@switch.ch", "ripe"},
         }) {
        SCOPED_TRACE(c.file);
        auto n = parseRdapNetwork(tattle::test::readFile(sample(c.file)), options());
        ASSERT_TRUE(n) << n.error().message;
        EXPECT_EQ(n->range.toString(), c.range);
        EXPECT_EQ(n->name, c.name);
        EXPECT_EQ(n->country, c.country);
        EXPECT_EQ(n->orgName, c.org);
        EXPECT_EQ(emails(n->abuse), c.abuse);
        EXPECT_EQ(n->registry, c.registry);
        EXPECT_EQ(n->whoisServer, "whois." + std::string(c.registry) + ".net");
        for (const auto& a : n->abuse)
            EXPECT_EQ(a.source, ContactSource::Rdap);
        expectClean(*n);
    }
}

TEST(ResolverRdap, DetailsOfSelectedAnswers)
{
    // ARIN: zero-padded IPv4, the abuse POC nested under the registrant, shared roles.
    auto n
        = parseRdapNetwork(tattle::test::readFile(sample("arin/ipwhois-ip-74.125.225.229.json")), options());
    ASSERT_TRUE(n);
    EXPECT_EQ(n->handle, "NET-74-125-0-0-1");
    EXPECT_EQ(n->parentHandle, "NET-74-0-0-0-0");
    EXPECT_EQ(n->orgHandle, "GOGL");
    EXPECT_EQ(n->domain, "google.com");
    ASSERT_EQ(n->abuse.size(), 1u);
    EXPECT_EQ(n->abuse[0].confidence, confidence::kSharedAbuseRole);
    EXPECT_EQ(n->cidrs, std::vector<std::string> {"74.125.0.0/16"});

    // ARIN cidr0 and origin AS; the pure abuse POC ranks before the shared one.
    n = parseRdapNetwork(tattle::test::readFile(sample("arin/whoisit-ip-2001-4860--.json")), options());
    ASSERT_TRUE(n);
    EXPECT_EQ(n->asn, 15169u);
    EXPECT_EQ(n->type, "DIRECT ALLOCATION");
    ASSERT_EQ(n->abuse.size(), 2u);
    EXPECT_EQ(n->abuse[0].confidence, confidence::kAbuseRole);
    EXPECT_EQ(n->abuse[1].confidence, confidence::kSharedAbuseRole);

    n = parseRdapNetwork(tattle::test::readFile(sample("arin/whoisit-ip-13.104.0.0.json")), options());
    ASSERT_TRUE(n);
    EXPECT_EQ(n->cidrs, (std::vector<std::string> {"13.64.0.0/11", "13.96.0.0/13", "13.104.0.0/14"}));

    // APNIC: the IRT's only address is APNIC's help desk (a placeholder); the remark names the real one.
    n = parseRdapNetwork(tattle::test::readFile(sample("apnic/whoisit-ip-1.1.1.1.json")), options());
    ASSERT_TRUE(n);
    ASSERT_EQ(n->abuse.size(), 1u);
    EXPECT_EQ(n->abuse[0].confidence, confidence::kRemark);
    EXPECT_EQ(n->domain, "cloudflare.com");
    // Without a placeholder list the help desk stays.
    n = parseRdapNetwork(tattle::test::readFile(sample("apnic/whoisit-ip-1.1.1.1.json")));
    ASSERT_TRUE(n);
    EXPECT_EQ(emails(n->abuse), "helpdesk@apnic.net");

    // APNIC/KRNIC: the IRT is KRNIC's hostmaster (placeholder); the holder's abuse@ ranks first, not the
    // other addresses of the same remark.
    n = parseRdapNetwork(tattle::test::readFile(sample("apnic/ipwhois-ip-210.107.73.73.json")), options());
    ASSERT_TRUE(n);
    ASSERT_EQ(n->abuse.size(), 1u);
    EXPECT_EQ(n->abuse[0].confidence, confidence::kAbuseLocalPart);

    // LACNIC: one entity with roles administrative, technical and abuse; upper-case domain lowered.
    n = parseRdapNetwork(tattle::test::readFile(sample("lacnic/ipwhois-ip-200.57.141.161.json")), options());
    ASSERT_TRUE(n);
    EXPECT_EQ(n->type, "allocated");
    EXPECT_EQ(n->orgHandle, "MX-TSCV6-LACNIC");
    EXPECT_EQ(n->domain, "triara.com");

    // RIPE (old format): no objectClassName, addresses with a "/len" suffix.
    n = parseRdapNetwork(tattle::test::readFile(sample("ripe/ipwhois-ip-62.239.237.1.json")), options());
    ASSERT_TRUE(n);
    EXPECT_EQ(n->handle, "62.239.237.0 - 62.239.237.255");
    EXPECT_EQ(n->type, "ASSIGNED PA");
}

// Compare with what the samples' own .expected.json files assert, wherever they assert a comparable field.
TEST(ResolverRdap, AgreesWithTheSamplesExpectations)
{
    int compared = 0;
    for (const auto& entry :
        std::filesystem::recursive_directory_iterator(tattle::test::samplesDir() / "rdap")) {
        const auto path = entry.path();
        const std::string file = path.filename().string();
        if (file.size() < 14 || file.substr(file.size() - 14) != ".expected.json") continue;
        SCOPED_TRACE(file);
        const auto answer = path.parent_path() / (file.substr(0, file.size() - 14) + ".json");
        const auto expected = nlohmann::json::parse(tattle::test::readFile(path));
        const std::string body = tattle::test::readFile(answer);
        const bool autnum = file.find("autnum") != std::string::npos;
        const bool entity = file.find("entity") != std::string::npos;
        if (entity) {
            auto n = parseRdapNetwork(body, options());
            ASSERT_FALSE(n);
            EXPECT_EQ(n.error().kind, ErrorKind::BadResponse);
            ++compared;
            continue;
        }
        if (autnum) {
            auto a = parseRdapAutnum(body, options());
            ASSERT_TRUE(a) << a.error().message;
            for (const auto& as : expected["asserts"]) {
                const auto& p = as["path"];
                const auto& v = as["expected"];
                if (p == nlohmann::json {"handle"}) {
                    EXPECT_EQ(a->handle, v.get<std::string>());
                }
                if (p == nlohmann::json {"name"}) {
                    EXPECT_EQ(a->name, v.get<std::string>());
                }
                if (p == nlohmann::json {"whois_server"}) {
                    EXPECT_EQ(a->whoisServer, v.get<std::string>());
                }
                if (p == nlohmann::json {"asn_range"}) {
                    EXPECT_EQ(a->first, v[0].get<std::uint32_t>());
                    EXPECT_EQ(a->last, v[1].get<std::uint32_t>());
                }
                if (p == nlohmann::json {"entities", "abuse"}) {
                    EXPECT_EQ(emails(a->abuse), v[0]["email"].get<std::string>());
                }
            }
            ++compared;
            continue;
        }
        auto n = parseRdapNetwork(body, options());
        ASSERT_TRUE(n) << n.error().message;
        if (expected.contains("query") && expected["query"].is_string()) {
            const auto q = IpAddress::parse(expected["query"].get<std::string>());
            ASSERT_TRUE(q);
            EXPECT_TRUE(n->range.contains(*q)) << n->range.toString();
            const auto& asn = expected["asn_data"];
            if (!n->country.empty()) {
                EXPECT_EQ(n->country, asn["asn_country_code"].get<std::string>());
            }
        }
        if (expected.contains("asserts")) {
            for (const auto& as : expected["asserts"]) {
                const auto& p = as["path"];
                const auto& v = as["expected"];
                const auto text = [&] { return v.get<std::string>(); };
                if (p == nlohmann::json {"name"}) {
                    EXPECT_EQ(n->name, text());
                }
                if (p == nlohmann::json {"handle"}) {
                    EXPECT_EQ(n->handle, text());
                }
                if (p == nlohmann::json {"parent_handle"}) {
                    EXPECT_EQ(n->parentHandle, text());
                }
                if (p == nlohmann::json {"whois_server"}) {
                    EXPECT_EQ(n->whoisServer, text());
                }
                if (p == nlohmann::json {"country"}) {
                    EXPECT_EQ(n->country, text());
                }
                if (p == nlohmann::json {"rir"}) {
                    EXPECT_EQ(n->registry, text());
                }
                if (p == nlohmann::json {"assignment_type"}) {
                    std::string t = n->type;
                    for (char& ch : t)
                        ch = char(std::tolower(static_cast<unsigned char>(ch)));
                    EXPECT_EQ(t, text());
                }
                if (p == nlohmann::json {"network"}) {
                    std::smatch m;
                    const std::string expr = v["__python_expr__"].get<std::string>();
                    ASSERT_TRUE(std::regex_search(expr, m, std::regex("Network\\('([^']+)'\\)"))) << expr;
                    const auto net = IpRange::parseCidr(m[1].str());
                    ASSERT_TRUE(net);
                    EXPECT_TRUE(net->within(n->range)) << m[1].str();
                    EXPECT_NE(std::find(n->cidrs.begin(), n->cidrs.end(), m[1].str()), n->cidrs.end())
                        << m[1].str();
                }
                if (p == nlohmann::json {"entities", "abuse"}) {
                    std::string want;
                    for (const auto& e : v)
                        want += (want.empty() ? "" : ",") + e["email"].get<std::string>();
                    EXPECT_EQ(emails(n->abuse), want);
                }
            }
        }
        if (expected.contains("documented_parse")) {
            const auto& net = expected["documented_parse"]["json"]["network"];
            EXPECT_EQ(n->handle, net["handle"].get<std::string>());
            EXPECT_EQ(n->name, net["name"].get<std::string>());
            EXPECT_EQ(n->parentHandle, net["parent_handle"].get<std::string>());
            EXPECT_EQ(n->range.first.toString(), net["start_address"].get<std::string>());
            EXPECT_EQ(n->range.last.toString(), net["end_address"].get<std::string>());
            EXPECT_EQ(n->range.toString(), net["cidr"].get<std::string>());
        }
        ++compared;
    }
    EXPECT_GE(compared, 17);
}

TEST(ResolverRdap, Autnum)
{
    auto a = parseRdapAutnum(
        tattle::test::readFile(sample("arin/whoisit-recorded-autnum-13335.json")), options());
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->first, 13335u);
    EXPECT_EQ(a->last, 13335u);
    EXPECT_EQ(a->handle, "AS13335");
    EXPECT_EQ(a->name, "CLOUDFLARENET");
    EXPECT_EQ(a->orgName, "Cloudflare, Inc.");
    EXPECT_EQ(emails(a->abuse), "abuse@cloudflare.com");
    EXPECT_EQ(a->domain, "cloudflare.com");
    // A network is not an autnum, and the other way round.
    auto wrong
        = parseRdapAutnum(tattle::test::readFile(sample("arin/whoisit-ip-13.104.0.0.json")), options());
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(wrong.error().message.find("not an autnum"), std::string::npos);
    auto net = parseRdapNetwork(tattle::test::readFile(sample("arin/whoisit-autnum-13335.json")), options());
    ASSERT_FALSE(net);
    EXPECT_EQ(net.error().kind, ErrorKind::BadResponse);
    a = parseRdapAutnum(R"({"objectClassName": "autnum", "handle": "AS64500", "name": "DOC"})");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->first, 64500u);
    a = parseRdapAutnum(R"({"objectClassName": "autnum", "startAutnum": 64500, "endAutnum": 64499})");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->last, 64500u);
    EXPECT_FALSE(parseRdapAutnum(R"({"objectClassName": "autnum", "startAutnum": -1})"));
    EXPECT_FALSE(parseRdapAutnum(R"({"objectClassName": "autnum", "startAutnum": 4294967296})"));
}

TEST(ResolverRdap, ErrorObjectsAndRateLimits)
{
    struct Case {
        const char* file;
        ErrorKind kind;
        const char* contains;
    };
    for (auto c : {Case {"error-404.json", ErrorKind::NotFound, "No network covers 192.0.2.1"},
             Case {"error-429.json", ErrorKind::RateLimited, "429"},
             Case {"error-500.json", ErrorKind::BadResponse, "error 500"},
             Case {"rate-limit-notice.json", ErrorKind::RateLimited, "Rate Limit is maxed at 10 queries"},
             Case {"invalid-json.json", ErrorKind::BadResponse, "not valid JSON"},
             Case {"wrong-class-domain.json", ErrorKind::BadResponse, "\"domain\" object, not an ip network"},
             Case {"no-extent.json", ErrorKind::BadResponse, "no valid startAddress"}}) {
        SCOPED_TRACE(c.file);
        const auto body = fixture(c.file);
        auto n = parseRdapNetwork(body, options());
        ASSERT_FALSE(n);
        EXPECT_EQ(n.error().kind, c.kind);
        EXPECT_NE(n.error().message.find(c.contains), std::string::npos) << n.error().message;
        EXPECT_TRUE(clean(n.error().message)) << n.error().message;
        auto a = parseRdapAutnum(body, options());
        ASSERT_FALSE(a);
        if (c.kind != ErrorKind::BadResponse) {
            EXPECT_EQ(a.error().kind, c.kind);
        }
    }
    // rdapError() for the transport: HTTP status and body together.
    EXPECT_EQ(rdapError("<html>Too Many Requests</html>", 429)->kind, ErrorKind::RateLimited);
    EXPECT_EQ(rdapError("", 404)->kind, ErrorKind::NotFound);
    EXPECT_EQ(rdapError("<html>oops</html>", 503)->kind, ErrorKind::BadResponse);
    EXPECT_EQ(rdapError(fixture("rate-limit-notice.json"), 200)->kind, ErrorKind::RateLimited);
    EXPECT_EQ(rdapError(fixture("error-404.json"), 404)->kind, ErrorKind::NotFound);
    EXPECT_EQ(rdapError(R"({"errorCode": "x", "title": "Gone"})", 410)->kind, ErrorKind::BadResponse);
    EXPECT_FALSE(rdapError(tattle::test::readFile(sample("ripe/whoisit-ip-130.59.31.80.json")), 200));
    EXPECT_FALSE(rdapError("not json", 200));
}

TEST(ResolverRdap, HostileFieldsAreSanitised)
{
    auto n = parseRdapNetwork(fixture("hostile-fields.json"), options());
    ASSERT_TRUE(n) << n.error().message;
    expectClean(*n);
    EXPECT_EQ(n->handle, "NET-198-51-100-0-1 X-Injected: yes");
    EXPECT_EQ(n->name.find('\r'), std::string::npos);
    EXPECT_EQ(n->name.substr(0, 8), "EVIL NET");
    EXPECT_EQ(n->country, "GB");
    EXPECT_EQ(n->whoisServer, ""); // not a host name
    EXPECT_EQ(n->orgName, "Evil Org Ltd");
    // Only the plausible addresses survive, cleaned (the one with CR LF and a header is refused whole);
    // none carries a header line.
    EXPECT_EQ(emails(n->abuse), "Abuse@example.net,noc@example.net");
    for (const auto& a : n->abuse)
        EXPECT_EQ(a.email.find_first_of("\r\n :<>"), std::string::npos);
}

TEST(ResolverRdap, PlaceholdersDroppedAndPrefOrder)
{
    auto n = parseRdapNetwork(fixture("placeholders-and-pref.json"), options());
    ASSERT_TRUE(n) << n.error().message;
    // pref 1 (number and string, deduplicated case-insensitively), 2, 3; the help desk, DATA REDACTED and
    // LACNIC's ipadmin/removed addresses dropped; the technical abuse@ not used while an abuse role has one.
    EXPECT_EQ(emails(n->abuse), "first@example.net,second@example.net,third@example.net");
    EXPECT_EQ(n->country, ""); // "ZZ" is a placeholder
    EXPECT_EQ(n->domain, "example.net");
}

TEST(ResolverRdap, InvalidUtf8AndCidr0Only)
{
    auto n = parseRdapNetwork(fixture("invalid-utf8.json"), options());
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(n->name, "BAD\xEF\xBF\xBD\xEF\xBF\xBDUTF8");
    EXPECT_EQ(emails(n->abuse), "abuse@example.net");
    expectClean(*n);

    n = parseRdapNetwork(fixture("cidr0-only.json"), options());
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(n->range.toString(), "2001:db8:100:: - 2001:db8:2ff:ffff:ffff:ffff:ffff:ffff");
    EXPECT_EQ(n->cidrs, (std::vector<std::string> {"2001:db8:100::/40", "2001:db8:200::/40"}));
    EXPECT_EQ(n->asn, 64496u);
}

TEST(ResolverRdap, SizeCapAndDepthGuard)
{
    // 100 MB is refused by size before any parsing (and quickly).
    std::string huge = R"({"objectClassName": "ip network", "name": ")";
    huge.append(100u * 1024 * 1024, 'A');
    huge += "\"}";
    const auto start = std::chrono::steady_clock::now();
    auto n = parseRdapNetwork(huge, options());
    const auto ms
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(n.error().message.find("more than the limit"), std::string::npos);
    EXPECT_LT(ms, 50.0);
    RdapOptions small = options();
    small.maxBytes = 100;
    EXPECT_FALSE(parseRdapNetwork(fixture("hostile-fields.json"), small));

    // Deeply nested entities or arrays: refused before nlohmann recurses.
    std::string deep
        = R"({"objectClassName": "ip network", "startAddress": "192.0.2.0", "endAddress": "192.0.2.1", "x": )";
    deep += std::string(100000, '[') + std::string(100000, ']') + "}";
    n = parseRdapNetwork(deep, options());
    ASSERT_FALSE(n);
    EXPECT_NE(n.error().message.find("deeper than 64"), std::string::npos);
    std::string entities
        = R"({"objectClassName": "ip network", "startAddress": "192.0.2.0", "endAddress": "192.0.2.1")";
    std::string tail;
    for (int i = 0; i < 20; ++i) {
        entities += R"(, "entities": [{"roles": ["abuse"], "vcardArray": ["vcard", [["email", {}, "text", "a)"
            + std::to_string(i) + R"(@example.net"]]])";
        tail += "}]";
    }
    entities += tail + "}";
    n = parseRdapNetwork(entities, options());
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(n->abuse.size(), 20u);
}

TEST(ResolverRdap, GarbageNeverThrows)
{
    std::mt19937 rng(7);
    const std::string base = tattle::test::readFile(sample("arin/whoisit-ip-2001-4860--.json"));
    for (int i = 0; i < 300; ++i) {
        std::string s = base;
        const int edits = 1 + int(rng() % 8);
        for (int k = 0; k < edits; ++k) {
            const std::size_t at = rng() % s.size();
            switch (rng() % 3) {
            case 0:
                s[at] = char(rng());
                break;
            case 1:
                s.erase(at, rng() % 20);
                break;
            default:
                s.insert(at, 1, "{}[]\",:\\"[rng() % 8]);
            }
        }
        auto n = parseRdapNetwork(s, options());
        if (n) expectClean(*n);
        (void)parseRdapAutnum(s, options());
        (void)rdapError(s, int(rng() % 600));
    }
    for (const char* junk :
        {"", "null", "[]", "0", "\"x\"", "{}", R"({"entities": 5})", R"({"objectClassName": 5})",
            R"({"objectClassName": "ip network", "startAddress": 1, "endAddress": []})",
            R"({"objectClassName": "ip network", "startAddress": "192.0.2.0", "endAddress": "2001:db8::"})",
            R"({"objectClassName": "ip network", "startAddress": "0300.0.0.0", "endAddress": "192.0.2.1"})"}) {
        auto n = parseRdapNetwork(junk, options());
        EXPECT_FALSE(n) << junk;
    }
}
