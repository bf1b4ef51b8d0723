// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/whois_parser.h"
#include "core/text_util.h"
#include "test_support.h"

#include <chrono>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <random>

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

WhoisParseOptions options()
{
    WhoisParseOptions o;
    o.placeholders = &placeholders();
    return o;
}

IpAddress ip(const char* text)
{
    auto a = IpAddress::parse(text);
    EXPECT_TRUE(a) << text;
    return a.value_or(IpAddress {});
}

std::string emails(const std::vector<AbuseContact>& abuse)
{
    std::string s;
    for (const auto& a : abuse)
        s += (s.empty() ? "" : ",") + a.email;
    return s;
}

std::string sample(const std::string& rel)
{
    return tattle::test::readFile(tattle::test::samplesDir() / "whois" / rel);
}

std::string fixture(const std::string& name)
{
    return tattle::test::readFile(tattle::test::dataDir() / "whois" / name);
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
    for (const auto& c : n.cidrs)
        EXPECT_TRUE(clean(c)) << c;
    for (const auto& a : n.abuse)
        EXPECT_TRUE(clean(a.email)) << a.email;
}

} // namespace

// What tattle reads from every recorded WHOIS answer (the report's table is this test).
TEST(ResolverWhois, EveryRecordedAnswer)
{
    struct Case {
        const char* file;
        const char* host;
        const char* query;
        const char* range;
        const char* name;
        const char* country;
        const char* org;
        const char* abuse;
        const char* registry;
        const char* referral; // host:port, "" for none
    };
    for (auto c : {
             Case {"arin/ipwhois-74.125.225.229.txt", "whois.arin.net", "74.125.225.229", "74.125.0.0/16",
                 "GOOGLE", "US", "Google Inc.", "arin-contact@google.com", "arin", ""},
             Case {"arin/ipwhois-2001-4860-4860--8888.txt", "whois.arin.net", "2001:4860:4860::8888",
                 "2001:4860::/32", "GOOGLE-IPV6", "US", "Google Inc.", "arin-contact@google.com", "arin", ""},
             Case {"arin/phpwhois-63.95.254.3.txt", "whois.arin.net", "63.95.254.3", "63.95.254.0/23",
                 "UU-63-95-254-D4", "US", "GEORGIA PUBLIC WEB, INC.",
                 "akeem.mcdaniel@accelecom.net,ARIN-NOC@openfiberky.com,ARIN-NOC@accelecom.net,kerry.hull@"
                 "accelecom.net",
                 "arin", "rwhois.gapublicweb.net:4321"},
             Case {"arin/phpwhois-70.84.47.210.txt", "whois.arin.net", "70.84.47.210", "70.84.0.0/14",
                 "NETBLK-THEPLANET-BLK-13", "US", "SoftLayer Technologies Inc.", "abuse@softlayer.com",
                 "arin", ""},
             Case {"ripe/ipwhois-62.239.237.1.txt", "whois.ripe.net", "62.239.237.1", "62.239.237.0/24",
                 "BT-CORPORATE", "GB", "UDC", "protect@bt.com", "ripe", ""},
             Case {"ripe/ipwhois-2a00-2381-ffff--1.txt", "whois.ripe.net", "2a00:2381:ffff::1",
                 "2a00:2381:ffff::/64", "BT-WORLD-IPVSIX-LAUNCH", "GB", "BT World IPv6 Launch",
                 "protect@bt.com", "ripe", ""},
             Case {"ripe/phpwhois-151.99.187.181.txt", "whois.ripe.net", "151.99.187.181", "151.99.187.0/24",
                 "INTERBUSINESS", "IT", "Telecom Italia SPA", "abuse@business.telecomitalia.it", "ripe", ""},
             Case {"ripe/phpwhois-2001-630-d0-f111-203-93ff-fed1-f454.txt", "whois.ripe.net",
                 "2001:630:d0:f111:203:93ff:fed1:f454", "2001:630:d0::/48", "UNI-SOTON", "GB",
                 "University of Southampton", "serviceline@soton.ac.uk", "ripe", ""},
             Case {"ripe/phpwhois-62.97.102.115.txt", "whois.ripe.net", "62.97.102.115", "62.97.102.112/29",
                 "NET-ES-AVANCEM-AMB-VOSTE-SL", "ES", "Avancem amb Voste S.L.", "abuse@colt.net", "ripe", ""},
             Case {"apnic/ipwhois-210.107.73.73.txt", "whois.apnic.net", "210.107.73.73", "210.107.0.0/17",
                 "BORANET-NET-210-107", "KR", "DACOM Corp.", "abuse@bora.net", "apnic", ""},
             Case {"apnic/ipwhois-2001-240-10c-1--ca20-9d1d.txt", "whois.apnic.net",
                 "2001:240:10c:1::ca20:9d1d", "2001:240:10c::/48", "IIJ-PRJNET", "JP",
                 "Internet Initiative Japan Inc.", "", "jpnic", ""},
             Case {"twnic/phpwhois-218.165.121.114.txt", "whois.apnic.net", "218.165.121.114",
                 "218.165.0.0/16", "HINET-NET", "TW", "Chunghwa Telecom Co.,Ltd.", "abuse@hinet.net", "twnic",
                 ""},
             Case {"afrinic/ipwhois-196.11.240.215.txt", "whois.afrinic.net", "196.11.240.215",
                 "196.11.239.0 - 196.11.246.255", "NET-196-11-239-0", "ZA", "MTN SA",
                 "abuse@mtnbusiness.co.za", "afrinic", ""},
             Case {"afrinic/ipwhois-2001-43f8-7b0--.txt", "whois.afrinic.net",
                 "2001:43f8:7b0::", "2001:43f8:7b0::/48", "Tespok", "KE",
                 "Telecommunication Sevice Providers Association of Kenya - TESPOK", "", "afrinic", ""},
             Case {"afrinic/phpwhois-66.18.70.6.txt", "whois.afrinic.net", "66.18.70.6", "66.18.70.0/24",
                 "SENTECH-ISP9-ZA", "ZA", "Sentech Ltd - ISP Mail", "", "afrinic", ""},
             Case {"lacnic/ipwhois-200.57.141.161.txt", "whois.lacnic.net", "200.57.141.161",
                 "200.57.128.0/19", "Triara.com, S.A. de C.V.", "MX", "Triara.com, S.A. de C.V.",
                 "operacion.redes@triara.com", "lacnic", ""},
             Case {"lacnic/ipwhois-2801-10-c000--.txt", "whois.lacnic.net",
                 "2801:10:c000::", "2801:10:c000::/48", "Universidad Catolica de Oriente", "CO",
                 "Universidad Catolica de Oriente", "sistemas.red@uco.edu.co", "lacnic", ""},
             Case {"lacnic/phpwhois-200.44.33.31.txt", "whois.lacnic.net", "200.44.33.31", "200.44.0.0/16",
                 "CANTV Servicios, Venezuela", "VE", "CANTV Servicios, Venezuela", "ipadmin@cantv.com.ve",
                 "lacnic", ""},
             Case {"nicbr/phpwhois-200.165.206.74.txt", "whois.registro.br", "200.165.206.74",
                 "200.165.0.0/16", "V tal", "BR", "V tal", "ld-numeracaoip@vtal.com", "nicbr", ""},
             Case {"iana/whris-iana-then-ripe-example.com.txt", "whois.iana.org", "93.184.216.34",
                 "93.184.216.0/24", "EDGECAST-NETBLK-03", "EU", "NETBLK-03-EU-93-184-216-0-24",
                 "abuse@verizondigitalmedia.com", "ripe", "whois.ripe.net:43"},
             Case {"jpnic/ipwhois-nir-133.1.2.5.html", "whois.nic.ad.jp", "133.1.2.5", "133.1.0.0/16",
                 "OSAKAU-NET", "JP", "Osaka University", "", "jpnic", ""},
             Case {"krnic/ipwhois-nir-115.1.2.3.html", "whois.nic.or.kr", "115.1.2.3", "115.1.2.0/26", "",
                 "KR", "KT", "kornet_ip@kt.com", "krnic", ""},
         }) {
        SCOPED_TRACE(c.file);
        auto r = parseWhois(sample(c.file), c.host, ip(c.query), options());
        ASSERT_TRUE(r) << r.error().message;
        ASSERT_TRUE(r->network);
        const NetworkInfo& n = *r->network;
        EXPECT_EQ(n.range.toString(), c.range);
        EXPECT_TRUE(n.range.contains(ip(c.query)));
        EXPECT_EQ(n.name, c.name);
        EXPECT_EQ(n.country, c.country);
        EXPECT_EQ(n.orgName, c.org);
        EXPECT_EQ(emails(n.abuse), c.abuse);
        EXPECT_EQ(n.registry, c.registry);
        EXPECT_EQ(n.server, c.host);
        for (const auto& a : n.abuse)
            EXPECT_EQ(a.source, ContactSource::Whois);
        const std::string ref
            = r->referral ? r->referral->host + ":" + std::to_string(r->referral->port) : "";
        EXPECT_EQ(ref, c.referral);
        expectClean(n);
    }
}

TEST(ResolverWhois, DetailsOfSelectedAnswers)
{
    // ARIN: handle, parent, CIDR, origin AS; the rwhois referral.
    auto r = parseWhois(
        sample("arin/phpwhois-70.84.47.210.txt"), "whois.arin.net", ip("70.84.47.210"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->handle, "NET-70-84-0-0-1");
    EXPECT_EQ(r->network->parentHandle, "NET-70-0-0-0-0");
    EXPECT_EQ(r->network->orgHandle, "SOFTL");
    EXPECT_EQ(r->network->type, "Direct Allocation");
    EXPECT_EQ(r->network->cidrs, std::vector<std::string> {"70.84.0.0/14"});
    EXPECT_EQ(r->network->asn, 36420u);
    EXPECT_EQ(r->network->abuse[0].confidence, confidence::kAbuseMailbox);
    r = parseWhois(sample("arin/phpwhois-63.95.254.3.txt"), "whois.arin.net", ip("63.95.254.3"), options());
    ASSERT_TRUE(r && r->referral);
    EXPECT_TRUE(r->referral->rwhois);
    EXPECT_EQ(
        r->network->abuse.front().email, "akeem.mcdaniel@accelecom.net"); // RAbuseEmail before OrgAbuseEmail

    // RIPE: the "% Abuse contact for" line, route object's origin, organisation object's name.
    r = parseWhois(sample("ripe/phpwhois-2001-630-d0-f111-203-93ff-fed1-f454.txt"), "whois.ripe.net",
        ip("2001:630:d0:f111:203:93ff:fed1:f454"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->asn, 786u);
    EXPECT_EQ(r->network->orgHandle, "ORG-UOS35-RIPE");
    EXPECT_EQ(r->network->abuse[0].confidence, confidence::kAbuseRole);
    EXPECT_EQ(r->network->domain, "soton.ac.uk");

    // APNIC/KRNIC: the IRT is KRNIC's hostmaster (a placeholder); the holder's abuse@ comes next.
    r = parseWhois(
        sample("apnic/ipwhois-210.107.73.73.txt"), "whois.apnic.net", ip("210.107.73.73"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->abuse[0].confidence, confidence::kAbuseLocalPart);
    r = parseWhois(sample("apnic/ipwhois-210.107.73.73.txt"), "whois.apnic.net", ip("210.107.73.73"));
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(emails(r->network->abuse), "hostmaster@nic.or.kr"); // no placeholder list given

    // TWNIC-mirrored object inherits the abuse contact of the APNIC allocation around it.
    r = parseWhois(
        sample("twnic/phpwhois-218.165.121.114.txt"), "whois.apnic.net", ip("218.165.121.114"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->abuse[0].confidence, confidence::kAbuseRole);

    // LACNIC: abuse-c points at a person object whose e-mail is the contact; AS from aut-num.
    r = parseWhois(
        sample("lacnic/phpwhois-200.44.33.31.txt"), "whois.lacnic.net", ip("200.44.33.31"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->asn, 8048u);
    EXPECT_EQ(r->network->orgHandle, "VE-CSVE-LACNIC");
    EXPECT_EQ(r->network->abuse[0].confidence, confidence::kAbuseCPerson);

    // An address outside every block of the answer: the most specific block is still reported.
    r = parseWhois(sample("ripe/ipwhois-62.239.237.1.txt"), "whois.ripe.net", ip("192.0.2.1"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->range.toString(), "62.239.237.0/24");
}

// Compare with what the samples' own .expected.json files assert.
TEST(ResolverWhois, AgreesWithTheSamplesExpectations)
{
    int compared = 0;
    for (const char* dir : {"arin", "ripe", "apnic", "lacnic", "afrinic", "iana", "jpnic"}) {
        for (const auto& entry :
            std::filesystem::directory_iterator(tattle::test::samplesDir() / "whois" / dir)) {
            const std::string file = entry.path().filename().string();
            if (!file.ends_with(".expected.json")) continue;
            SCOPED_TRACE(file);
            const auto expected = nlohmann::json::parse(tattle::test::readFile(entry.path()));
            const std::string stem = file.substr(0, file.size() - 14);
            const auto answer
                = entry.path().parent_path() / (stem + (std::string(dir) == "jpnic" ? ".html" : ".txt"));
            const std::string host = std::string(dir) == "iana" ? "whois.iana.org"
                : std::string(dir) == "jpnic"                   ? "whois.nic.ad.jp"
                                                                : "whois." + std::string(dir) + ".net";
            const std::string query
                = expected.contains("query") ? expected["query"].get<std::string>() : "93.184.216.34";
            auto r = parseWhois(tattle::test::readFile(answer), host, ip(query.c_str()), options());
            ASSERT_TRUE(r) << r.error().message;
            ASSERT_TRUE(r->network);
            const NetworkInfo& n = *r->network;
            EXPECT_TRUE(n.range.contains(ip(query.c_str())));
            if (expected.contains("asn_data")) {
                EXPECT_EQ(n.country, expected["asn_data"]["asn_country_code"].get<std::string>());
            }
            if (expected.contains("abuse_contacts_in_text") && !expected["abuse_contacts_in_text"].empty()) {
                ASSERT_FALSE(n.abuse.empty());
                bool found = false;
                for (const auto& line : expected["abuse_contacts_in_text"]) {
                    std::string l = line.get<std::string>(), e = n.abuse[0].email;
                    for (auto* s : {&l, &e}) {
                        for (char& ch : *s)
                            ch = char(std::tolower(static_cast<unsigned char>(ch)));
                    }
                    found = found || l.find(e) != std::string::npos;
                }
                EXPECT_TRUE(found) << n.abuse[0].email;
            }
            if (expected.contains("documented_parse") && expected["documented_parse"]["json"].is_object()) {
                const auto& net = expected["documented_parse"]["json"]["nets"][0];
                EXPECT_EQ(n.range.toString(), net["cidr"].get<std::string>());
                EXPECT_EQ(n.handle, net["handle"].get<std::string>());
                EXPECT_EQ(n.name, net["name"].get<std::string>());
                EXPECT_EQ(n.country, net["country"].get<std::string>());
            }
            if (expected.contains("expected")) { // whris: IANA referral then the RIPE block
                const auto& e = expected["expected"];
                ASSERT_TRUE(r->referral);
                EXPECT_EQ(r->referral->host, e["WhoisResponseServer"].get<std::string>());
                const auto& block = e["ParseResult"][1];
                EXPECT_EQ(n.handle, block["IpRange"].get<std::string>());
                EXPECT_EQ(n.country, block["Country"].get<std::string>());
                EXPECT_EQ(n.name, block["NetName"].get<std::string>());
                const std::string line = e["abuse_contact_line_in_text"].get<std::string>();
                EXPECT_NE(line.find(n.abuse.at(0).email), std::string::npos);
            }
            if (expected.contains("nir")) {
                EXPECT_EQ(n.registry, expected["nir"].get<std::string>());
                const std::string text = expected["documented_parse"]["text"].get<std::string>();
                EXPECT_NE(text.find("\"cidr\": \"" + n.range.toString() + "\""), std::string::npos);
                EXPECT_NE(text.find(n.name), std::string::npos);
            }
            ++compared;
        }
    }
    EXPECT_EQ(compared, 12);
}

TEST(ResolverWhois, IrrRouteAnswers)
{
    int files = 0;
    for (const auto& entry :
        std::filesystem::directory_iterator(tattle::test::samplesDir() / "whois" / "radb")) {
        const std::string file = entry.path().filename().string();
        if (!file.ends_with(".expected.json")) continue;
        SCOPED_TRACE(file);
        const auto expected = nlohmann::json::parse(tattle::test::readFile(entry.path()));
        const auto routes = parseRoutes(
            tattle::test::readFile(entry.path().parent_path() / (file.substr(0, file.size() - 14) + ".txt")));
        const std::string asn = expected["asn"].get<std::string>();
        if (asn == "NA") {
            EXPECT_TRUE(routes.empty());
        }
        for (const auto& r : routes) {
            EXPECT_EQ(std::to_string(r.origin), asn);
            EXPECT_TRUE(r.prefix.valid());
            EXPECT_TRUE(clean(r.description));
        }
        ++files;
    }
    EXPECT_EQ(files, 10);
    const auto routes = parseRoutes(sample("radb/ipwhois-asn-origin-62.239.237.1.txt"));
    ASSERT_FALSE(routes.empty());
    EXPECT_EQ(routes[0].prefix.toString(), "192.151.16.0/20");
    EXPECT_EQ(routes[0].source, "RADB");
    EXPECT_TRUE(parseRoutes(sample("radb/ipwhois-asn-origin-196.11.240.215.txt")).empty());
}

TEST(ResolverWhois, TeamCymruBulk)
{
    const auto expected
        = nlohmann::json::parse(sample("cymru/ipwhois-bulk-verbose-2024-10-15.expected.json"));
    const auto records = parseCymru(sample("cymru/ipwhois-bulk-verbose-2024-10-15.txt"));
    ASSERT_EQ(records.size(), expected["query"].size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        EXPECT_EQ(records[i].address, ip(expected["query"][i].get<std::string>().c_str()));
        EXPECT_TRUE(records[i].asn);
        EXPECT_TRUE(records[i].prefix && records[i].prefix->contains(records[i].address));
        EXPECT_EQ(records[i].country.size(), 2u);
        EXPECT_FALSE(records[i].registry.empty());
    }
    EXPECT_EQ(records[2].asn, 2856u);
    EXPECT_EQ(records[2].registry, "ripe");
    EXPECT_EQ(records[2].asName, "BT-UK-AS BTnet UK Regional network, GB");
    EXPECT_EQ(records[0].allocated, "2007-03-13");
    EXPECT_EQ(records[7].prefix->toString(), "2801:10:c000::/48");

    const auto& lines = expected["test_lines_from_tests_test_asn.py"];
    EXPECT_EQ(parseCymru(lines["whois_verbose_valid"].get<std::string>()).size(), 1u);
    EXPECT_TRUE(
        parseCymru(lines["whois_verbose_bad_registry (expect ASNRegistryError)"].get<std::string>()).empty());
    EXPECT_TRUE(parseCymru(lines["whois_truncated (expect ASNParseError)"].get<std::string>()).empty());
    EXPECT_TRUE(parseCymru("").empty());
    EXPECT_TRUE(parseCymru("Error: no ASN or IP match on line 1.\n").empty());
    const auto na = parseCymru("NA | 192.0.2.1 | NA | | other | | NA\n");
    ASSERT_EQ(na.size(), 1u);
    EXPECT_FALSE(na[0].asn);
    EXPECT_FALSE(na[0].prefix);
    const auto evil
        = parseCymru("64496 | 192.0.2.1 | 192.0.2.0/24 | US | arin | 2001-01-01 | EVIL\x1b[2J\x07NAME\r\n");
    ASSERT_EQ(evil.size(), 1u);
    EXPECT_TRUE(clean(evil[0].asName));

    EXPECT_EQ(cymruBulkQuery({ip("192.0.2.1"), IpAddress {}, ip("2001:db8::1")}),
        "begin\nverbose\n192.0.2.1\n2001:db8::1\nend\n");
}

TEST(ResolverWhois, QuerySyntaxPerServer)
{
    EXPECT_EQ(queryFor("whois.arin.net", ip("192.0.2.1")), "n + 192.0.2.1");
    EXPECT_EQ(queryFor("WHOIS.ARIN.NET.", ip("2001:db8::1")), "n + 2001:db8::1");
    EXPECT_EQ(queryFor("whois.ripe.net", ip("192.0.2.1")), "-r 192.0.2.1");
    EXPECT_EQ(queryFor("whois.apnic.net", ip("192.0.2.1")), "-r 192.0.2.1");
    EXPECT_EQ(queryFor("whois.afrinic.net", ip("192.0.2.1")), "-r 192.0.2.1");
    EXPECT_EQ(queryFor("whois.nic.ad.jp", ip("192.0.2.1")), "192.0.2.1/e");
    EXPECT_EQ(queryFor("whois.lacnic.net", ip("192.0.2.1")), "192.0.2.1");
    EXPECT_EQ(queryFor("whois.registro.br", ip("192.0.2.1")), "192.0.2.1");
    EXPECT_EQ(queryFor("whois.nic.or.kr", ip("192.0.2.1")), "192.0.2.1");
    EXPECT_EQ(queryFor("rwhois.example.net", ip("192.0.2.1")), "192.0.2.1");
    EXPECT_EQ(asnQueryFor("whois.arin.net", 64500), "a 64500");
    EXPECT_EQ(asnQueryFor("whois.ripe.net", 64500), "-r AS64500");
    EXPECT_EQ(asnQueryFor("whois.nic.ad.jp", 64500), "AS64500/e");
    EXPECT_EQ(asnQueryFor("whois.lacnic.net", 64500), "AS64500");
}

TEST(ResolverWhois, Charsets)
{
    EXPECT_EQ(whoisCharset("whois.apnic.net"), "iso-8859-1");
    EXPECT_EQ(whoisCharset("whois.nic.ad.jp"), "iso-2022-jp");
    EXPECT_EQ(whoisCharset("whois.twnic.net"), "utf-8/big5");
    EXPECT_EQ(whoisCharset("whois.ripe.net"), "utf-8");
    EXPECT_EQ(whoisCharset("whois.registro.br"), "iso-8859-1");
    EXPECT_EQ(whoisCharset("rwhois.example.net"), "utf-8/iso-8859-1");
    // ISO-8859-1; but valid UTF-8 from a "latin-1" server stays UTF-8.
    EXPECT_EQ(decodeToUtf8("Seguran\xe7"
                           "a",
                  "iso-8859-1"),
        "Seguran\xc3\xa7"
        "a");
    EXPECT_EQ(decodeToUtf8("Seguran\xc3\xa7"
                           "a",
                  "iso-8859-1"),
        "Seguran\xc3\xa7"
        "a");
    // UTF-8 servers: invalid sequences replaced.
    EXPECT_EQ(decodeToUtf8("a\xff"
                           "b",
                  "utf-8"),
        "a\xEF\xBF\xBD"
        "b");
    // Unknown servers: UTF-8 when valid, else Latin-1.
    EXPECT_EQ(decodeToUtf8("caf\xe9", "utf-8/iso-8859-1"), "caf\xc3\xa9");
    // Big5 (TWNIC) and ISO-2022-JP (JPNIC).
    EXPECT_EQ(decodeToUtf8("\xa4\xa4\xb5\xd8", "utf-8/big5"), "\xe4\xb8\xad\xe8\x8f\xaf"); // 中華
    EXPECT_EQ(decodeToUtf8("\x1b$B$\"\x1b(B", "iso-2022-jp"), "\xe3\x81\x82"); // あ
    // Invalid bytes in a multi-byte charset never crash and always give valid UTF-8.
    std::mt19937 rng(3);
    for (const char* cs : {"iso-2022-jp", "utf-8/big5", "iso-8859-1", "cp1251", "utf-8", "no-such-charset"}) {
        for (int i = 0; i < 50; ++i) {
            std::string junk(std::size_t(rng() % 300), '\0');
            for (char& ch : junk)
                ch = char(rng());
            EXPECT_TRUE(isValidUtf8(decodeToUtf8(junk, cs))) << cs;
        }
    }
}

TEST(ResolverWhois, OwnFixtures)
{
    // Japanese JPNIC output in ISO-2022-JP: Japanese keys, English organisation preferred.
    auto r = parseWhois(fixture("jpnic-ja.txt"), "whois.nic.ad.jp", ip("192.0.2.7"), options());
    ASSERT_TRUE(r && r->network) << (r ? "" : r.error().message);
    EXPECT_EQ(r->network->range.toString(), "192.0.2.0/24");
    EXPECT_EQ(r->network->name, "EXAMPLE-NET");
    EXPECT_EQ(r->network->orgName, "Example K.K.");
    EXPECT_NE(r->text.find("\xe3\x83\x8d\xe3\x83\x83\xe3\x83\x88"), std::string::npos); // ネット decoded

    // TWNIC in Big5.
    r = parseWhois(fixture("twnic-big5.txt"), "whois.twnic.net", ip("198.51.100.7"), options());
    ASSERT_TRUE(r && r->network) << (r ? "" : r.error().message);
    EXPECT_EQ(r->network->range.toString(), "198.51.100.0/24");
    EXPECT_EQ(r->network->name, "EXAMPLE-TW");
    EXPECT_EQ(emails(r->network->abuse), "abuse@example.com.tw");
    EXPECT_NE(r->text.find("\xe4\xb8\xad\xe8\x8f\xaf"), std::string::npos);

    // NIC.br in ISO-8859-1.
    r = parseWhois(fixture("nicbr-latin1.txt"), "whois.registro.br", ip("203.0.113.9"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->orgName, "Servi\xc3\xa7os de Exemplo S\xc3\xa3o Paulo");
    EXPECT_EQ(emails(r->network->abuse), "abuse@exemplo.example.br");
    EXPECT_EQ(r->network->asn, 64501u);

    // LACNIC with CRLF and short forms; the /24 is more specific than the /16.
    r = parseWhois(fixture("lacnic-short-forms.txt"), "whois.lacnic.net", ip("198.51.100.20"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->range.toString(), "198.51.100.0/24");
    EXPECT_EQ(r->network->orgName, "Ejemplo Chico Ltda.");
    EXPECT_EQ(emails(r->network->abuse), "seguridad@ejemplo-chico.example");
    EXPECT_FALSE(r->network->asn); // "N/A"
    r = parseWhois(fixture("lacnic-short-forms.txt"), "whois.lacnic.net", ip("198.51.7.1"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->range.toString(), "198.51.0.0/16");
    EXPECT_EQ(emails(r->network->abuse), "noc@grande.example");
    EXPECT_EQ(r->network->asn, 64500u);

    // KRNIC English: the more specific assignment wins; the abuse section ranks first for the /24.
    r = parseWhois(fixture("krnic-english.txt"), "whois.nic.or.kr", ip("203.0.113.7"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->range.toString(), "203.0.113.0/26");
    EXPECT_EQ(r->network->orgName, "Example Customer");
    EXPECT_EQ(emails(r->network->abuse), "ip@example.co.kr");
    r = parseWhois(fixture("krnic-english.txt"), "whois.nic.or.kr", ip("203.0.113.200"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->range.toString(), "203.0.113.0/24");
    EXPECT_EQ(emails(r->network->abuse), "abuse@example.co.kr,ip@example.co.kr");

    // APNIC IRT: the help desk is dropped, the real mailbox cleaned; ZZ is no country.
    r = parseWhois(fixture("apnic-irt-placeholders.txt"), "whois.apnic.net", ip("203.0.113.1"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(emails(r->network->abuse), "Abuse@example.com");
    EXPECT_EQ(r->network->country, "");

    // APNIC stub for space that moved to ARIN: a referral.
    r = parseWhois(fixture("apnic-transferred-stub.txt"), "whois.apnic.net", ip("203.0.113.1"), options());
    ASSERT_TRUE(r && r->referral);
    EXPECT_EQ(r->referral->host, "whois.arin.net");

    // IANA alone: a referral and no network.
    r = parseWhois(fixture("iana-referral.txt"), "whois.iana.org", ip("203.0.113.1"), options());
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->network);
    ASSERT_TRUE(r->referral);
    EXPECT_EQ(r->referral->host, "whois.apnic.net");
    EXPECT_EQ(r->referral->port, 43);
    EXPECT_FALSE(r->referral->rwhois);
}

TEST(ResolverWhois, ArinNestedNetworksAndReferrals)
{
    const std::string text = fixture("arin-nested-referrals.txt");
    auto r = parseWhois(text, "whois.arin.net", ip("198.51.100.77"), options());
    ASSERT_TRUE(r && r->network);
    const NetworkInfo& n = *r->network;
    EXPECT_EQ(n.range.toString(), "198.51.100.0/24");
    EXPECT_EQ(n.handle, "NET-198-51-100-0-1");
    EXPECT_EQ(n.parentHandle, "NET-198-51-0-0-1");
    EXPECT_EQ(n.orgName, "Example Customer");
    EXPECT_EQ(n.country, "CA");
    EXPECT_EQ(n.cidrs, (std::vector<std::string> {"198.51.100.0/25", "198.51.100.128/25"}));
    // The customer's own POCs, the resource one first; not the carrier's.
    EXPECT_EQ(emails(n.abuse), "resource-abuse@customer.example.org,org-abuse@customer.example.org");
    // The last ReferralServer wins.
    ASSERT_TRUE(r->referral);
    EXPECT_EQ(r->referral->host, "rwhois.example.org");
    EXPECT_EQ(r->referral->port, 4321);
    EXPECT_TRUE(r->referral->rwhois);
    // An address of the carrier's block outside the customer's: the carrier's network and contacts.
    r = parseWhois(text, "whois.arin.net", ip("198.51.7.7"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_EQ(r->network->range.toString(), "198.51.0.0/16");
    EXPECT_EQ(r->network->orgName, "Example Big Carrier");
    EXPECT_EQ(r->network->asn, 64496u);
    EXPECT_EQ(emails(r->network->abuse), "abuse@carrier.example.net");

    // Referral forms.
    const auto referral = [](const std::string& value) {
        auto a
            = parseWhois("NetRange: 192.0.2.0 - 192.0.2.255\nNetName: X\n\nReferralServer: " + value + "\n",
                "whois.arin.net", IpAddress {}, {});
        return a && a->referral
            ? a->referral->host + ":" + std::to_string(a->referral->port) + (a->referral->rwhois ? "r" : "")
            : std::string("none");
    };
    EXPECT_EQ(referral("whois://whois.ripe.net"), "whois.ripe.net:43");
    EXPECT_EQ(referral("whois://whois.example.net:4343/"), "whois.example.net:4343");
    EXPECT_EQ(referral("whois.lacnic.net"), "whois.lacnic.net:43");
    EXPECT_EQ(referral("rwhois://rwhois.fuse.net:4321/"), "rwhois.fuse.net:4321r");
    EXPECT_EQ(referral("rwhois://rwhois.example.net"), "rwhois.example.net:4321r");
    EXPECT_EQ(referral("https://rdap.example.net/"), "none");
    EXPECT_EQ(referral("whois://evil.example.net:99999"), "none");
    EXPECT_EQ(referral("whois://evil.example.net:0"), "none");
    EXPECT_EQ(referral("whois://bad host\x01.example"), "none");
    EXPECT_EQ(referral("localhost"), "none");
    EXPECT_EQ(referral("whois.arin.net"), "none"); // a referral to itself is none
}

TEST(ResolverWhois, HostileAnswers)
{
    auto r = parseWhois(fixture("ripe-hostile.txt"), "whois.ripe.net", ip("192.0.2.1"), options());
    ASSERT_TRUE(r && r->network) << (r ? "" : r.error().message);
    const NetworkInfo& n = *r->network;
    expectClean(n);
    EXPECT_EQ(n.country, "GB");
    EXPECT_EQ(n.type, "ASSIGNED PA");
    EXPECT_EQ(n.name.find('\x1b'), std::string::npos);
    EXPECT_EQ(n.orgName.find('\x07'), std::string::npos);
    // The abuse line's decorations are cleaned; the role's and IRT's plausible addresses follow.
    EXPECT_EQ(emails(n.abuse), "Abuse@example.net,irt@example.net");
    for (const auto& a : n.abuse)
        EXPECT_EQ(a.email.find_first_of("\r\n :<>;"), std::string::npos);

    r = parseWhois(fixture("invalid-utf8.txt"), "whois.ripe.net", ip("192.0.2.1"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_TRUE(isValidUtf8(r->text));
    EXPECT_EQ(r->network->name, "BAD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD(NAME");
    EXPECT_EQ(emails(r->network->abuse), "abuse@example.net");

    r = parseWhois(fixture("ripe-rate-limited.txt"), "whois.ripe.net", ip("192.0.2.1"), options());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::RateLimited);
    r = parseWhois(fixture("ripe-not-found.txt"), "whois.ripe.net", ip("192.0.2.1"), options());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::NotFound);
    for (const char* junk : {"", "\r\n\r\n", "garbage without structure", "%\n%\n%", "inetnum: not a range\n",
             "NetRange: 1.2.3.4 - 1.2.3.0\n", "inetnum: 192.0.2.0 - 2001:db8::\n"}) {
        r = parseWhois(junk, "whois.ripe.net", ip("192.0.2.1"), options());
        ASSERT_FALSE(r) << junk;
        EXPECT_EQ(r.error().kind, ErrorKind::BadResponse) << junk;
    }

    // 100 MB: refused by size before decoding or parsing.
    std::string huge = "inetnum: 192.0.2.0 - 192.0.2.255\nnetname: ";
    huge.append(100u * 1024 * 1024, 'A');
    const auto start = std::chrono::steady_clock::now();
    r = parseWhois(huge, "whois.ripe.net", ip("192.0.2.1"), options());
    const auto ms
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(r.error().message.find("more than the limit"), std::string::npos);
    EXPECT_LT(ms, 50.0);
    EXPECT_TRUE(parseRoutes(huge).empty());

    // A long (but allowed) line and many objects stay bounded.
    std::string big = "inetnum: 192.0.2.0 - 192.0.2.255\nnetname: " + std::string(1 << 20, 'N') + "\n\n";
    for (int i = 0; i < 5000; ++i)
        big += "role: R\nnic-hdl: H" + std::to_string(i) + "\ne-mail: x@example.net\n\n";
    r = parseWhois(big, "whois.ripe.net", ip("192.0.2.1"), options());
    ASSERT_TRUE(r && r->network);
    EXPECT_LE(r->network->name.size(), 256u);

    // Random damage to real answers never crashes and never leaks control characters.
    std::mt19937 rng(11);
    for (const char* file : {"ripe/ipwhois-62.239.237.1.txt", "arin/phpwhois-63.95.254.3.txt",
             "lacnic/ipwhois-200.57.141.161.txt", "krnic/ipwhois-nir-115.1.2.3.html"}) {
        const std::string base = sample(file);
        for (int i = 0; i < 100; ++i) {
            std::string s = base;
            for (int k = 0; k < 10; ++k) {
                const std::size_t at = rng() % s.size();
                if (rng() % 2)
                    s[at] = char(rng());
                else
                    s.erase(at, rng() % 40);
            }
            for (const char* host :
                {"whois.ripe.net", "whois.nic.ad.jp", "whois.twnic.net", "whois.nic.or.kr"}) {
                auto a = parseWhois(s, host, ip("62.239.237.1"), options());
                if (a && a->network) expectClean(*a->network);
            }
        }
    }
}

TEST(ResolverContacts, CleanEmail)
{
    struct Case {
        const char* in;
        const char* out; // "" = rejected
    };
    for (auto c :
        {Case {"abuse@example.net", "abuse@example.net"}, Case {"  abuse@Example.NET. ", "abuse@example.net"},
            Case {"mailto:abuse@example.net", "abuse@example.net"},
            Case {"MAILTO:abuse@example.net", "abuse@example.net"},
            Case {"<abuse@example.net>", "abuse@example.net"},
            Case {"\"abuse@example.net\",", "abuse@example.net"},
            Case {"(abuse@example.net);", "abuse@example.net"},
            Case {"Abuse.Desk+x@sub.example.co.uk", "Abuse.Desk+x@sub.example.co.uk"},
            Case {"abuse@xn--bcher-kva.example", "abuse@xn--bcher-kva.example"}, Case {"abuse@example", ""},
            Case {"abuse@localhost", ""}, Case {"DATA REDACTED", ""}, Case {"a b@example.net", ""},
            Case {"abuse@example.net\r\nBcc: x@example.org", ""}, Case {"abuse@@example.net", ""},
            Case {"@example.net", ""}, Case {"abuse@", ""}, Case {".abuse@example.net", ""},
            Case {"ab..use@example.net", ""}, Case {"abuse@-example.net", ""}, Case {"abuse@example.123", ""},
            Case {"abuse@exa_mple.net", ""}, Case {"abus\xc3\xa9@example.net", ""}, Case {"", ""}}) {
        EXPECT_EQ(cleanEmail(c.in).value_or(""), c.out) << c.in;
    }
    EXPECT_FALSE(cleanEmail(std::string_view("ab\0use@example.net", 18)));
    EXPECT_FALSE(cleanEmail(std::string(300, 'a') + "@example.net"));
    EXPECT_FALSE(cleanEmail("a@" + std::string(300, 'b') + ".net"));
    EXPECT_EQ(findEmails("send spam to <abuse@example.net>. or NOC@Example.org; not x@y"),
        (std::vector<std::string> {"abuse@example.net", "NOC@example.org"}));
    EXPECT_EQ(sanitizeField("a\r\nb\tc\x1b[0m\xe2\x80\xae"
                            "d  e"),
        "a b c [0m d e");
    EXPECT_EQ(sanitizeField(std::string(1000, 'x'), 10), std::string(10, 'x'));
    EXPECT_EQ(
        sanitizeField("\xc3\xa9\xc3\xa9\xc3\xa9", 5), "\xc3\xa9\xc3\xa9"); // cut on a character boundary
    EXPECT_EQ(countryCode(" de "), "DE");
    EXPECT_EQ(countryCode("ZZ"), "");
    EXPECT_EQ(countryCode("DEU"), "");
    EXPECT_EQ(countryCode("1A"), "");
    EXPECT_EQ(registryOfWhoisHost("WHOIS.RIPE.NET."), "ripe");
    EXPECT_EQ(registryOfWhoisHost("whois.example.net"), "");
    EXPECT_EQ(hostName("Whois.Example.NET."), "whois.example.net");
    EXPECT_EQ(hostName("whois.example.net\r\nx"), "");
    EXPECT_EQ(hostName("http://x"), "");
}

TEST(ResolverContacts, PlaceholderListFile)
{
    EXPECT_GE(placeholders().size(), 10u);
    for (const char* p : {"ipadmin@lacnic.net", "REMOVED@LACNIC.NET", "helpdesk@apnic.net.", "DATA REDACTED",
             "data redacted", "search-apnic-not-arin@apnic.net"}) {
        EXPECT_TRUE(placeholders().isPlaceholder(p)) << p;
    }
    for (const char* p : {"abuse@ripe.net", "abuse@example.net", "lacnic.net"}) {
        EXPECT_FALSE(placeholders().isPlaceholder(p)) << p;
    }
    auto bad = PlaceholderList::parse(
        R"({"format": "tattle-abuse-placeholders-1", "emails": ["x"], "texts": []})", "p.json");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("p.json: /emails/0"), std::string::npos) << bad.error().message;
    bad = PlaceholderList::parse(R"({"format": "tattle-abuse-placeholders-1", "emails": []})", "p.json");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("p.json: /texts"), std::string::npos) << bad.error().message;
    EXPECT_FALSE(PlaceholderList::parse("{", "p.json"));
    EXPECT_FALSE(PlaceholderList::load("/nonexistent/placeholders.json"));
}

TEST(ResolverWhois, AutnumAnswers)
{
    auto a = parseWhoisAutnum(sample("arin/phpwhois-AS220.txt"), "whois.arin.net", 220, options());
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->first, 220u);
    EXPECT_EQ(a->name, "OOALC-HOSTNET-AS");
    EXPECT_EQ(a->handle, "AS220");
    EXPECT_EQ(a->orgName, "Air Force Systems Networking");
    EXPECT_EQ(a->orgHandle, "7ESG");
    EXPECT_EQ(a->country, "US");
    EXPECT_EQ(emails(a->abuse), "disa.columbus.ns.mbx.arin-registrations@mail.mil");

    // APNIC answer for a KRNIC member: as-blocks first, then the aut-num and its IRT.
    a = parseWhoisAutnum(sample("krnic/phpwhois-AS9700.txt"), "whois.apnic.net", 9700, options());
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->first, 9700u);
    EXPECT_EQ(a->name, "KRNIC-AS-KR");
    EXPECT_EQ(a->country, "KR");
    EXPECT_EQ(a->orgName, "Korea Internet Security Agency");
    EXPECT_EQ(emails(a->abuse), "irt@nic.or.kr");
    EXPECT_EQ(a->abuse[0].confidence, confidence::kAbuseRole);

    auto missing = parseWhoisAutnum(sample("arin/phpwhois-AS220.txt"), "whois.arin.net", 64500, options());
    ASSERT_FALSE(missing);
    missing = parseWhoisAutnum(fixture("ripe-not-found.txt"), "whois.ripe.net", 64500, options());
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::NotFound);
    auto limited = parseWhoisAutnum(fixture("ripe-rate-limited.txt"), "whois.ripe.net", 64500, options());
    ASSERT_FALSE(limited);
    EXPECT_EQ(limited.error().kind, ErrorKind::RateLimited);
    auto range
        = parseWhoisAutnum("ASNumber: 64496 - 64511\nASName: DOC\n", "whois.arin.net", 64500, options());
    ASSERT_TRUE(range);
    EXPECT_EQ(range->last, 64511u);
    EXPECT_FALSE(parseWhoisAutnum("ASNumber: 64511 - 64496\n", "whois.arin.net", 0, options()));
}
