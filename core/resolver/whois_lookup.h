// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/resolver/network_info.h"
#include "core/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// WHOIS lookups across referrals, over a transport the caller provides (the resolver's client, rate
/// limiter and counters), and Team Cymru answers: the resolver's glue to the WHOIS answer parser.
namespace tattle::core::resolver {

class PlaceholderList;

/// Sends one query line to host:port and returns the raw answer.
using WhoisTransport
    = std::function<Result<std::string>(std::string_view host, std::string_view query, std::uint16_t port)>;

struct WhoisLookupOptions {
    /// Referrals followed after the first server (ARIN -> RIPE is one).
    int maxReferrals = 3;
    const PlaceholderList* placeholders = nullptr;
    /// Called when an answer (rather than the transport) says the server refuses us for querying too much.
    std::function<void(std::string_view host)> rateLimited;
};

/// What a chain of WHOIS servers said about an address.
struct WhoisLookupResult {
    /// The most specific network found along the chain.
    std::optional<NetworkInfo> network;
    /// The servers asked, in order ("whois.arin.net", "whois.ripe.net").
    std::vector<std::string> chain;
    /// Every answer (UTF-8), each after a line "% tattle: answer of HOST to QUERY".
    std::string raw;
    /// What went wrong along the way without spoiling the result (a failed referral, a loop).
    std::vector<std::string> notes;
};

/// Asks host about a, follows its referrals (IANA refer:, ARIN ReferralServer, APNIC transfer stubs) up
/// to maxReferrals, never the same host and port twice (a loop ends the chain with a note), and keeps the
/// most specific network. Errors: the first server's failure, or NotFound when no server knew a network.
Result<WhoisLookupResult> whoisLookup(const IpAddress& a, std::string_view host,
    const WhoisTransport& transport, const WhoisLookupOptions& options);

/// The query line for host (see queryFor in whois_parser.h).
std::string whoisQueryLine(std::string_view host, const IpAddress& a);

/// One answer line of Team Cymru's IP-to-ASN service.
struct AsnRecord {
    IpAddress address;
    std::optional<std::uint32_t> asn;
    std::optional<IpRange> prefix;
    std::string country;
    std::string registry;
    std::string asName;
};

/// Parses a Team Cymru verbose (bulk) answer.
std::vector<AsnRecord> parseAsnAnswer(std::string_view text);

} // namespace tattle::core::resolver
