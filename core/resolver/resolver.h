// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/resolver/dns_client.h"
#include "core/resolver/http_client.h"
#include "core/resolver/network_info.h"
#include "core/resolver/rate_limiter.h"
#include "core/resolver/reverse_dns.h"
#include "core/resolver/whois_client.h"
#include "core/result.h"
#include "core/time.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace tattle::core {
class EventStore;
}

/// Who is behind each source: the network, organisation, country, AS and abuse contact of every source
/// address, from the cache, RDAP, WHOIS, Team Cymru and DNS, politely.
namespace tattle::core::resolver {

class RegistryMap;
class PlaceholderList;

/// Confidence of the contact sources the resolver adds itself (the registries' are in contacts.h).
namespace confidence {
inline constexpr int kAbusixDns = 70; ///< the Abusix abuse-contact zone
inline constexpr int kDomainGuess = 20; ///< abuse@ the network's domain (RFC 2142): a guess
} // namespace confidence

struct ResolverOptions {
    bool offline = false; ///< answer from the cache only
    bool useRdap = true;
    bool useWhois = true;
    bool useCymru = true; ///< AS numbers from Team Cymru where the registries give none
    bool useAbusix = true; ///< contacts from the Abusix DNS zone where the registries give none
    bool guessDomain = true; ///< abuse@ the network's domain when nothing else is known
    bool reverseDns = true;
    EndpointOverrides endpoints; ///< --endpoint HOST=ADDR:PORT
    RdapBaseRewrites rdapBases; ///< --rdap-base FROM=TO
    WhoisOptions whois;
    HttpOptions http;
    DnsOptions dns; ///< dns.server set: reverse DNS asks it too (instead of the system resolver)
    std::string abusixZone = std::string(kAbusixZone);
    int maxReferrals = 3;
    std::chrono::seconds successTtl {std::chrono::days(14)};
    std::chrono::seconds failureTtl {std::chrono::hours(1)};
    /// The longest a query waits for its server's turn (LACNIC allows one every 10 s).
    std::chrono::seconds maxRateWait {std::chrono::minutes(2)};
    /// Per-server minimum intervals ("" for the default), replacing the built-in ones.
    std::vector<std::pair<std::string, RateLimiter::Duration>> intervals;
    /// The first stop after a rate-limit answer and the longest (it doubles with every new stop).
    RateLimiter::Duration initialBackoff = std::chrono::minutes(5);
    RateLimiter::Duration maxBackoff = std::chrono::hours(24);
    int reverseDnsThreads = 4;
    std::chrono::milliseconds reverseDnsTimeout {20'000};
    /// Team Cymru addresses per connection.
    std::size_t cymruBatch = 5'000;
    /// Replaces the reverse DNS lookup (tests).
    ReverseDnsPool::Lookup reverseLookup;
    /// The wall clock (UTC microseconds); tests set it to age the cache.
    std::function<Micros()> now;
};

/// How far a run has got, for a progress bar.
struct ResolveProgress {
    std::size_t done = 0, total = 0; ///< sources handled of all
    std::size_t queries = 0; ///< network queries sent so far
    std::string_view stage; ///< "networks", "as numbers", "contacts", "reverse dns"
};

/// Progress callback and cancel flag (the GUI's worker sets the flag; the run stops between queries).
struct ResolveControl {
    std::function<void(const ResolveProgress&)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

/// One source that could not be resolved, and why.
struct ResolveFailure {
    IpAddress source;
    ErrorKind kind = ErrorKind::NotFound;
    std::string reason;
};

/// The account of one run.
struct ResolveReport {
    std::size_t sources = 0; ///< addresses handled
    std::size_t special = 0; ///< special-purpose: never looked up
    std::map<std::string, std::size_t> specialKinds; ///< "private (RFC 1918)" -> count
    std::size_t resolved = 0; ///< with a network
    std::size_t fromCache = 0; ///< of which answered from the cache (no query)
    std::size_t failed = 0;
    std::size_t cancelled = 0; ///< not handled because the run was cancelled
    std::size_t networks = 0; ///< distinct networks the resolved sources fall in
    std::size_t newNetworks = 0; ///< networks fetched in this run
    std::size_t referrals = 0; ///< WHOIS referrals followed
    std::map<std::string, std::size_t> queriesPerServer; ///< "rdap.arin.net" -> 3, "whois.cymru.com" -> 1 ...
    std::size_t dnsQueries = 0; ///< Abusix TXT questions
    std::size_t reverseDnsNames = 0; ///< sources that got a reverse DNS name
    std::size_t withoutContact = 0; ///< resolved sources whose network has no abuse contact
    std::map<std::string, std::size_t> contactSources; ///< per source network: "rdap" -> n, "guess" -> n ...
    std::map<std::string, std::size_t> failureKinds; ///< "timeout" -> n ...
    std::vector<ResolveFailure> failures; ///< the first 100
    std::vector<std::string> notes; ///< server stops, referral loops ... (each once)
    bool wasCancelled = false;
    std::chrono::milliseconds elapsed {0};

    /// Registry queries (RDAP and WHOIS, referrals included; Team Cymru excluded).
    std::size_t registryQueries() const;
    std::size_t totalQueries() const;
};

/// Resolves sources to networks and abuse contacts and stores them in the event database. Registry queries
/// run one at a time, in address order, so that every network is fetched once and the sources after it
/// are answered from the cache; per-server rate limits, stops after rate-limit answers (kept across runs
/// in the database), timeouts and size limits bound what it sends and how long it waits.
class Resolver {
public:
    Resolver(EventStore& store, const RegistryMap& registries, const PlaceholderList* placeholders,
        ResolverOptions options = {});
    ~Resolver();
    Resolver(const Resolver&) = delete;
    Resolver& operator=(const Resolver&) = delete;

    /// Resolves the given sources, or every source of the stored events when the span is empty.
    Result<ResolveReport> resolve(std::span<const IpAddress> sources, const ResolveControl& control = {});

    const ResolverOptions& options() const noexcept { return m_options; }
    RateLimiter& rateLimiter() noexcept;

private:
    struct Impl;
    ResolverOptions m_options;
    std::unique_ptr<Impl> m_impl;
};

} // namespace tattle::core::resolver
