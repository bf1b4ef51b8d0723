// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/cache.h"
#include "core/resolver/grouping.h"
#include "core/store/event_store.h"
#include "test_support.h"

#include <chrono>
#include <gtest/gtest.h>

using namespace tattle;
using namespace tattle::core;
using namespace tattle::core::resolver;

namespace {

IpAddress ip(const char* text)
{
    auto a = IpAddress::parse(text);
    EXPECT_TRUE(a) << text;
    return a.value_or(IpAddress {});
}

IpRange range(const char* text)
{
    auto r = IpRange::parse(text);
    EXPECT_TRUE(r) << text;
    return r.value_or(IpRange {});
}

NetworkInfo network(const char* cidr, const char* name, const char* email = "")
{
    NetworkInfo n;
    n.range = range(cidr);
    n.name = name;
    n.registry = "ripe";
    if (*email) n.abuse.push_back({email, ContactSource::Rdap, 90});
    return n;
}

constexpr Micros kDay = 86'400 * kMicrosPerSecond;
constexpr Micros kT0 = 1'700'000'000 * kMicrosPerSecond;

class ResolverCache : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto s = EventStore::open(test::scratchDir() / "cache.db");
        ASSERT_TRUE(s) << s.error().message;
        m_store.emplace(std::move(*s));
        m_cache.emplace(m_store->database());
    }
    NetworkCache& cache() { return *m_cache; }
    std::optional<EventStore> m_store;
    std::optional<NetworkCache> m_cache;
};

} // namespace

TEST_F(ResolverCache, MigrationCreatesTheTablesAtTheCurrentVersion)
{
    // 001 events, 002 networks, 003 import staging, 004 complaints.
    EXPECT_EQ(currentSchemaVersion(), 4);
    EXPECT_EQ(m_store->database().queryInt("PRAGMA user_version"), core::currentSchemaVersion());
    for (const char* table : {"networks", "source_networks", "contact_overrides", "server_stops"}) {
        EXPECT_EQ(m_store->database().queryInt(
                      std::string("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='") + table
                      + "'"),
            1)
            << table;
    }
    // The range lookup is an index seek, not a scan.
    auto plan
        = m_store->database().prepare("EXPLAIN QUERY PLAN SELECT id, first, last, expires_at, error_kind IS "
                                      "NOT NULL FROM networks WHERE family = 4 "
                                      "AND first <= x'C0000201' ORDER BY family DESC, first DESC LIMIT 16");
    std::string detail;
    while (plan.step())
        detail += std::string(plan.text(3)) + ";";
    EXPECT_NE(
        detail.find("SEARCH networks USING INDEX networks_range (family=? AND first<?)"), std::string::npos)
        << detail;
    EXPECT_EQ(detail.find("TEMP B-TREE"), std::string::npos) << detail;
}

TEST_F(ResolverCache, FindsTheMostSpecificRangeAndNothingOutside)
{
    const auto big = cache().storeNetwork(network("198.51.0.0/16", "BIG"), "", kT0, kDay, "");
    const auto small = cache().storeNetwork(network("198.51.100.0/24", "SMALL"), "", kT0, kDay, "");
    const auto other = cache().storeNetwork(network("203.0.113.0/25", "OTHER"), "", kT0, kDay, "");
    struct Case {
        const char* address;
        std::optional<std::int64_t> id;
    };
    for (auto c : {Case {"198.51.100.7", small}, Case {"198.51.100.0", small}, Case {"198.51.100.255", small},
             Case {"198.51.101.0", big}, Case {"198.51.0.0", big}, Case {"198.51.255.255", big},
             Case {"198.50.255.255", std::nullopt}, Case {"198.52.0.0", std::nullopt},
             Case {"203.0.113.127", other}, Case {"203.0.113.128", std::nullopt},
             Case {"0.0.0.0", std::nullopt}, Case {"255.255.255.255", std::nullopt}}) {
        const auto hit = cache().find(ip(c.address));
        EXPECT_EQ(hit ? std::optional(hit->id) : std::nullopt, c.id) << c.address;
    }
}

TEST_F(ResolverCache, FamiliesAreSeparate)
{
    // ::c633:6400 has the same leading bytes as 198.51.100.0 would in a blob comparison.
    cache().storeNetwork(network("198.51.100.0/24", "V4"), "", kT0, kDay, "");
    EXPECT_FALSE(cache().find(ip("c633:6400::1")));
    EXPECT_FALSE(cache().find(ip("::ffff:198.51.100.1")));
    cache().storeNetwork(network("2001:db8::/32", "V6"), "", kT0, kDay, "");
    EXPECT_FALSE(cache().find(ip("32.1.13.184")));
    ASSERT_TRUE(cache().find(ip("2001:db8:1::1")));
    EXPECT_EQ(cache().find(ip("2001:db8:1::1"))->range, range("2001:db8::/32"));
}

TEST_F(ResolverCache, ManySmallRangesBelowAnAddressDoNotHideTheLargeOne)
{
    const auto big = cache().storeNetwork(network("10.0.0.0/8", "BIG"), "", kT0, kDay, "");
    for (int i = 0; i < 40; ++i) {
        const std::string cidr = "10.1." + std::to_string(i) + ".0/24";
        cache().storeNetwork(network(cidr.c_str(), "SMALL"), "", kT0, kDay, "");
    }
    const auto hit = cache().find(ip("10.200.0.1"));
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->id, big);
}

TEST_F(ResolverCache, ExpiryFailuresAndReplacement)
{
    const auto id
        = cache().storeNetwork(network("192.0.2.0/24", "FIRST", "abuse@example.net"), "", kT0, kDay, "");
    auto hit = cache().find(ip("192.0.2.9"));
    ASSERT_TRUE(hit);
    EXPECT_FALSE(hit->expired(kT0 + kDay - 1));
    EXPECT_TRUE(hit->expired(kT0 + kDay));
    EXPECT_FALSE(hit->failed);

    // The same range again replaces the row and keeps its id (links stay valid).
    EXPECT_EQ(cache().storeNetwork(network("192.0.2.0/24", "SECOND"), "", kT0 + 5, kDay, ""), id);
    EXPECT_EQ(cache().network(id)->info.name, "SECOND");
    EXPECT_EQ(cache().networkCount(), 1);

    // A failure is kept for one address, briefly, with its kind.
    cache().storeFailure({ip("198.51.100.9"), ip("198.51.100.9")}, {ErrorKind::Timeout, "no answer"},
        "whois.x", kT0, 3600 * kMicrosPerSecond);
    hit = cache().find(ip("198.51.100.9"));
    ASSERT_TRUE(hit);
    EXPECT_TRUE(hit->failed);
    const auto row = cache().network(hit->id);
    ASSERT_TRUE(row && row->failure);
    EXPECT_EQ(row->failure->kind, ErrorKind::Timeout);
    EXPECT_EQ(row->failure->message, "no answer");
    EXPECT_FALSE(cache().find(ip("198.51.100.10")));

    // An answer covering the failed address replaces the failure.
    cache().storeNetwork(network("198.51.100.0/24", "FOUND"), "", kT0 + 10, kDay, "");
    hit = cache().find(ip("198.51.100.9"));
    ASSERT_TRUE(hit);
    EXPECT_FALSE(hit->failed);
    EXPECT_EQ(m_store->database().queryInt("SELECT count(*) FROM networks WHERE error_kind IS NOT NULL"), 0);
}

TEST_F(ResolverCache, HostileFieldsAreStoredCleanly)
{
    NetworkInfo n = network("192.0.2.0/24", "EVIL\r\nBcc: victim@example.org");
    n.orgName = std::string("Org\x1b[31mRed\x07\0Nul", 16);
    n.country = "G\nB";
    n.domain = "example.net\r\nX-Injected: 1";
    n.abuse = {{"abuse@example.net\r\nBcc: victim@example.org", ContactSource::Rdap, 90},
        {"mailto:Abuse@Example.NET.", ContactSource::Rdap, 80}, {"not an address", ContactSource::Rdap, 70},
        {"abuse@example.net", ContactSource::Rdap, 60}};
    n.asName = "\xff\xfe bad utf-8";
    const auto id = cache().storeNetwork(n, "", kT0, kDay, "raw\r\nanswer");
    const auto row = cache().network(id);
    ASSERT_TRUE(row);
    for (const std::string* s :
        {&row->info.name, &row->info.orgName, &row->info.asName, &row->info.domain, &row->info.country}) {
        EXPECT_EQ(s->find_first_of(std::string("\r\n\x1b\x07\0", 5)), std::string::npos) << *s;
    }
    EXPECT_EQ(row->info.country, "");
    EXPECT_EQ(row->info.domain, "");
    ASSERT_EQ(row->info.abuse.size(), 1u);
    std::string email = row->info.abuse[0].email;
    for (char& c : email)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(email, "abuse@example.net") << "deduplicated without regard to case";
    EXPECT_EQ(cache().rawAnswer(id), "raw\r\nanswer") << "the raw answer is kept as received";
}

TEST_F(ResolverCache, RawAnswersAreCompressed)
{
    std::string raw;
    for (int i = 0; i < 2000; ++i)
        raw += "remarks: line " + std::to_string(i % 10) + " of a long registry answer\n";
    const auto id = cache().storeNetwork(network("192.0.2.0/24", "RAW"), "", kT0, kDay, raw);
    EXPECT_EQ(cache().rawAnswer(id), raw);
    EXPECT_LT(
        m_store->database().queryInt("SELECT length(raw) FROM networks"), std::int64_t(raw.size() / 10));
}

TEST_F(ResolverCache, LinksOverridesAndStops)
{
    const auto id
        = cache().storeNetwork(network("198.51.100.0/24", "NET", "abuse@example.net"), "", kT0, kDay, "");
    cache().linkSource({ip("198.51.100.7"), ip("198.51.100.7"), id, "resolved", "", std::nullopt, kT0});
    cache().linkSource({ip("10.0.0.1"), std::nullopt, std::nullopt, "special", "private", std::nullopt, kT0});
    cache().setReverseDns(ip("198.51.100.7"), "host.example.net.");
    cache().setReverseDns(ip("10.0.0.1"), "bad\nname");
    const auto link = cache().sourceLink(ip("198.51.100.7"));
    ASSERT_TRUE(link);
    EXPECT_EQ(link->networkId, id);
    EXPECT_EQ(link->rdns, "host.example.net");
    EXPECT_EQ(cache().sourceLink(ip("10.0.0.1"))->rdns, "") << "an invalid name is not stored";
    // A new link keeps the reverse DNS name found earlier.
    cache().linkSource({ip("198.51.100.7"), ip("198.51.100.7"), id, "resolved", "", std::nullopt, kT0 + 1});
    EXPECT_EQ(cache().sourceLink(ip("198.51.100.7"))->rdns, "host.example.net");

    // Overrides: the most specific range containing the source wins over an AS override.
    NetworkInfo withAs = network("203.0.113.0/24", "ASNET", "abuse@registry.example");
    withAs.asn = 64500;
    cache().storeNetwork(withAs, "rdap", kT0, kDay, "");
    cache().setOverride(std::uint32_t(64500), "as@example.org", kT0);
    cache().setOverride(range("198.51.100.0/25"), "narrow@example.org", kT0);
    cache().setOverride(range("198.51.0.0/16"), "wide@example.org", kT0);
    auto all = cache().overrides();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(findOverride(all, {ip("198.51.100.7"), ip("198.51.100.7")}, std::nullopt)->email,
        "narrow@example.org");
    EXPECT_EQ(
        findOverride(all, {ip("198.51.100.200"), ip("198.51.100.200")}, 64500)->email, "wide@example.org");
    EXPECT_EQ(findOverride(all, {ip("203.0.113.1"), ip("203.0.113.1")}, 64500)->email, "as@example.org");
    EXPECT_EQ(findOverride(all, {ip("203.0.113.1"), ip("203.0.113.1")}, 64501), nullptr);
    // Setting again replaces; removing says whether there was one.
    cache().setOverride(std::uint32_t(64500), "as2@example.org", kT0);
    EXPECT_EQ(cache().overrides().size(), 3u);
    EXPECT_TRUE(cache().removeOverride(std::uint32_t(64500)));
    EXPECT_FALSE(cache().removeOverride(std::uint32_t(64500)));

    cache().saveStop({"rdap.lacnic.net", kT0 + 60 * kMicrosPerSecond, 1, "HTTP 429"});
    EXPECT_EQ(cache().activeStops(kT0).size(), 1u);
    EXPECT_TRUE(cache().activeStops(kT0 + 61 * kMicrosPerSecond).empty());
}

TEST_F(ResolverCache, SourceViewsApplyOverrides)
{
    NetworkInfo n = network("198.51.100.0/24", "NET", "abuse@example.net");
    n.asn = 64500;
    const auto id = cache().storeNetwork(n, "rdap", kT0, kDay, "");
    for (const char* a : {"198.51.100.7", "198.51.100.200"})
        cache().linkSource({ip(a), ip(a), id, "resolved", "", std::nullopt, kT0});
    cache().setOverride(range("198.51.100.128/25"), "upper@example.org", kT0);
    const auto views = loadSourceViews(cache());
    ASSERT_EQ(views.size(), 2u);
    EXPECT_EQ(findView(views, ip("198.51.100.7"))->contact.email, "abuse@example.net");
    EXPECT_EQ(findView(views, ip("198.51.100.7"))->contact.source, ContactSource::Rdap);
    EXPECT_EQ(findView(views, ip("198.51.100.200"))->contact.email, "upper@example.org");
    EXPECT_EQ(findView(views, ip("198.51.100.200"))->contact.source, ContactSource::UserOverride);
    EXPECT_EQ(findView(views, ip("198.51.100.201")), nullptr);
}

TEST_F(ResolverCache, CachedRangeLookupIsFast)
{
    // 20,000 networks, then lookups spread over them: each must stay far below the 50 us target.
    {
        sql::Transaction tx(m_store->database());
        for (std::uint32_t i = 0; i < 20'000; ++i) {
            NetworkInfo n;
            n.range = *IpRange::fromPrefix(IpAddress::v4(0x0B000000u + (i << 8)), 24);
            n.name = "N" + std::to_string(i);
            cache().storeNetwork(n, "", kT0, kDay, "");
        }
        tx.commit();
    }
    constexpr int kLookups = 50'000;
    int found = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kLookups; ++i) {
        const std::uint32_t net = std::uint32_t(i * 7919) % 20'000;
        if (cache().find(IpAddress::v4(0x0B000000u + (net << 8) + std::uint32_t(i % 256)))) ++found;
    }
    const auto perLookup
        = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count()
        / kLookups;
    EXPECT_EQ(found, kLookups);
    RecordProperty("microseconds_per_lookup", std::to_string(perLookup));
    std::cout << "cached range lookup: " << perLookup << " us\n";
#if !defined(__SANITIZE_ADDRESS__)
    EXPECT_LT(perLookup, 50.0);
#endif
}
