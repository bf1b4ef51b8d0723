// SPDX-License-Identifier: GPL-3.0-or-later
// tattle_resolver_bench: the resolver on 50,000 distinct sources against fake RDAP and Team Cymru servers
// on loopback. Prints queries sent against the distinct networks the sources fall in, queries per source,
// wall time, a second (all cached) pass, and the time of one cached-range lookup. JSON with --json.
//
//   tattle_resolver_bench [--sources N] [--networks N] [--seed N] [--json]
#include "core/resolver/address_space.h"
#include "core/resolver/cache.h"
#include "core/resolver/contacts.h"
#include "core/resolver/registry_map.h"
#include "core/resolver/resolver.h"
#include "core/store/event_store.h"
#include "fake_servers.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

using namespace tattle;
using namespace tattle::core;
using namespace tattle::core::resolver;
using Clock = std::chrono::steady_clock;

namespace {

struct Network {
    IpRange range;
    std::string rir;
    std::string rdapId; ///< which fake RDAP path answers for it
    std::vector<IpAddress> sources;
};

constexpr std::pair<const char*, const char*> kRdapBases[] = {{"arin", "https://rdap.arin.net/registry/"},
    {"ripe", "https://rdap.db.ripe.net/"}, {"apnic", "https://rdap.apnic.net/"},
    {"lacnic", "https://rdap.lacnic.net/rdap/"}, {"afrinic", "https://rdap.afrinic.net/rdap/"}};

std::string rdapJson(const Network& n, std::size_t index)
{
    const std::string name = "BENCH-NET-" + std::to_string(index);
    return R"({"objectClassName": "ip network", "handle": ")" + name + R"(", "startAddress": ")"
        + n.range.first.toString() + R"(", "endAddress": ")" + n.range.last.toString() + R"(", "name": ")"
        + name + R"(", "country": "NL", "port43": "whois.)" + n.rir
        + R"(.net", "entities": [{"objectClassName": "entity",
        "handle": "ABUSE-)"
        + std::to_string(index)
        + R"(", "roles": ["abuse"], "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
        ["fn", {}, "text", "Abuse desk"], ["email", {}, "text", "abuse@net)"
        + std::to_string(index) + R"(.example"]]]}]})";
}

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

} // namespace

int main(int argc, char** argv)
{
    std::size_t wantSources = 50'000, wantNetworks = 5'000;
    unsigned seed = 1;
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--sources" && i + 1 < argc)
            wantSources = std::stoul(argv[++i]);
        else if (a == "--networks" && i + 1 < argc)
            wantNetworks = std::stoul(argv[++i]);
        else if (a == "--seed" && i + 1 < argc)
            seed = unsigned(std::stoul(argv[++i]));
        else if (a == "--json")
            json = true;
        else {
            std::cerr << "usage: tattle_resolver_bench [--sources N] [--networks N] [--seed N] [--json]\n";
            return 64;
        }
    }
    const std::filesystem::path resources = TATTLE_SOURCE_RESOURCES_DIR;
    auto map = RegistryMap::load(resources / "iana");
    auto placeholders = PlaceholderList::load(resources / "abuse-placeholders.json");
    if (!map || !placeholders) {
        std::cerr << "cannot load the registry table or placeholders\n";
        return 1;
    }

    // Networks: random public /16 to /24 blocks that a regional registry holds, none overlapping; sources
    // spread over them (a few busy networks, many with one or two sources).
    std::mt19937 rng(seed);
    std::vector<Network> networks;
    std::set<std::uint32_t> usedSlash16;
    while (networks.size() < wantNetworks) {
        const std::uint32_t base = rng() & 0xFFFF0000u;
        if (usedSlash16.contains(base)) continue;
        const int length = 16 + int(rng() % 9);
        const auto range = IpRange::fromPrefix(
            IpAddress::v4(base + ((rng() & 0xFFFFu) & ~((1u << (32 - length)) - 1u))), length);
        if (!range || !isPublic(range->first) || !isPublic(range->last)) continue;
        const auto reg = map->find(range->first);
        if (!reg) continue;
        // The fake RDAP server stands in for the server the table names (ARIN's for RIPE's blocks inside
        // ARIN's legacy /8s: the real one would redirect).
        std::string rdapId;
        for (const auto& [id, url] : kRdapBases)
            if (reg->rdapBaseUrl() == url) rdapId = id;
        if (rdapId.empty()) continue;
        usedSlash16.insert(base);
        networks.push_back({*range, std::string(reg->rir), rdapId, {}});
    }
    std::set<IpAddress> all;
    std::geometric_distribution<int> extra(0.15);
    while (all.size() < wantSources) {
        Network& n = networks[std::size_t(rng()) % networks.size()];
        const std::uint32_t span = n.range.last.v4Value() - n.range.first.v4Value() + 1;
        const int count = 1 + extra(rng);
        for (int i = 0; i < count && all.size() < wantSources; ++i) {
            const IpAddress a = IpAddress::v4(n.range.first.v4Value() + std::uint32_t(rng()) % span);
            // Only where the whole table agrees with the network's registry (a network never spans two).
            const auto reg = map->find(a);
            if (!isPublic(a) || !reg || reg->rir != n.rir) continue;
            if (all.insert(a).second) n.sources.push_back(a);
        }
    }
    std::size_t distinctNetworks = 0;
    test::FakeHttpServer rdap;
    test::FakeWhoisServer cymru;
    std::string bulk = "Bulk mode; whois.cymru.com [bench]\n";
    for (std::size_t i = 0; i < networks.size(); ++i) {
        auto& n = networks[i];
        if (n.sources.empty()) continue;
        ++distinctNetworks;
        std::sort(n.sources.begin(), n.sources.end());
        // Sources are resolved in address order: the lowest one of each network is the one asked about.
        rdap.addJson("/" + n.rdapId + "/ip/" + n.sources.front().toString(), rdapJson(n, i));
        bulk += std::to_string(64512 + i % 1000) + " | " + n.sources.front().toString() + " | "
            + n.range.toString() + " | NL | " + n.rir + " | 2001-01-01 | BENCH-AS-" + std::to_string(i % 1000)
            + ", NL\n";
    }
    cymru.addAnswer("begin", bulk);

    const auto dir
        = std::filesystem::temp_directory_path() / ("tattle-resolver-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto store = EventStore::open(dir / "bench.db");
    if (!store) {
        std::cerr << store.error().message << '\n';
        return 1;
    }
    ResolverOptions o;
    for (const auto& [rir, base] : kRdapBases)
        (void)o.rdapBases.add(std::string(base) + "=" + rdap.baseUrl() + "/" + rir + "/");
    (void)o.endpoints.add(std::string(WhoisClient::kCymruHost) + "=" + cymru.endpoint());
    o.useWhois = false; // every network answers over RDAP; WHOIS would only be a fallback
    o.useAbusix = false;
    o.reverseDns = false;
    o.intervals = {{"", std::chrono::milliseconds(0)}, {"rdap.lacnic.net", std::chrono::milliseconds(0)}};
    o.cymruBatch = 10'000;

    const std::vector<IpAddress> sources(all.begin(), all.end());
    ResolveReport first, second;
    double firstWall = 0, secondWall = 0;
    {
        Resolver r(*store, *map, &*placeholders, o);
        auto t0 = Clock::now();
        auto rep = r.resolve(sources);
        firstWall = seconds(Clock::now() - t0);
        if (!rep) {
            std::cerr << rep.error().message << '\n';
            return 1;
        }
        first = std::move(*rep);
        t0 = Clock::now();
        rep = r.resolve(sources);
        secondWall = seconds(Clock::now() - t0);
        if (!rep) {
            std::cerr << rep.error().message << '\n';
            return 1;
        }
        second = std::move(*rep);
    }

    // The cached-range lookup itself, on every source in a shuffled order.
    std::vector<IpAddress> shuffled = sources;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    NetworkCache cache(store->database());
    std::size_t hits = 0;
    const auto t0 = Clock::now();
    for (const auto& a : shuffled)
        hits += cache.find(a) ? 1 : 0;
    const double lookupUs = seconds(Clock::now() - t0) * 1e6 / double(shuffled.size());

    const double perSource = double(first.registryQueries()) / double(sources.size());
    if (json) {
        std::printf(
            "{\"sources\": %zu, \"distinct_networks\": %zu, \"resolved\": %zu, \"registry_queries\": %zu, "
            "\"cymru_connections\": %zu, \"queries_per_source\": %.4f, \"wall_seconds\": %.3f, "
            "\"cached_pass_seconds\": %.3f, \"cached_pass_queries\": %zu, \"cached_lookup_us\": %.2f, "
            "\"cached_lookup_hits\": %zu}\n",
            sources.size(), distinctNetworks, first.resolved, first.registryQueries(),
            first.queriesPerServer.count("whois.cymru.com") ? first.queriesPerServer.at("whois.cymru.com")
                                                            : 0,
            perSource, firstWall, secondWall, second.totalQueries(), lookupUs, hits);
    } else {
        std::printf("sources                 %zu\n", sources.size());
        std::printf("distinct networks       %zu\n", distinctNetworks);
        std::printf("resolved                %zu (failed %zu)\n", first.resolved, first.failed);
        std::printf("registry queries        %zu (at most the distinct networks: %s)\n",
            first.registryQueries(), first.registryQueries() <= distinctNetworks ? "yes" : "NO");
        std::printf("Team Cymru connections  %zu\n",
            first.queriesPerServer.count("whois.cymru.com") ? first.queriesPerServer.at("whois.cymru.com")
                                                            : 0);
        std::printf("queries per source      %.4f\n", perSource);
        std::printf("wall time               %.2f s (%.1f us per source)\n", firstWall,
            firstWall * 1e6 / double(sources.size()));
        std::printf("second pass (cached)    %.2f s, %zu queries, %zu from the cache\n", secondWall,
            second.totalQueries(), second.fromCache);
        std::printf("cached-range lookup     %.2f us (%zu of %zu found)\n", lookupUs, hits, shuffled.size());
    }
    for (std::size_t i = 0; i < first.failures.size() && i < 5; ++i)
        std::fprintf(stderr, "failed: %s: %s\n", first.failures[i].source.toString().c_str(),
            first.failures[i].reason.c_str());
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return first.registryQueries() <= distinctNetworks ? 0 : 1;
}
