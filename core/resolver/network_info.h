// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/time.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tattle::core::resolver {

/// An address block: [first, last], both of the same family. CIDR prefixes are ranges too.
struct IpRange {
    IpAddress first, last;
    bool contains(const IpAddress& a) const noexcept;
    bool valid() const noexcept;
    /// "192.0.2.0/24" or "2001:db8::/32".
    static std::optional<IpRange> parseCidr(std::string_view text);
    /// "192.0.2.0 - 192.0.2.255" (RIPE/ARIN style, spaces optional).
    static std::optional<IpRange> parseRange(std::string_view text);
    /// "192.0.2.0/24" when the range is one CIDR block, else "192.0.2.0 - 192.0.2.200".
    std::string toString() const;
    friend bool operator==(const IpRange&, const IpRange&) = default;

    /// The block base/length with the host bits of base cleared; nullopt for a bad length or address.
    static std::optional<IpRange> fromPrefix(const IpAddress& base, int length) noexcept;
    /// A CIDR block, a "first - last" range or a single address.
    static std::optional<IpRange> parse(std::string_view text);
    /// The prefix length when the range is exactly one CIDR block.
    std::optional<int> prefixLength() const noexcept;
    /// True when this range is inside other (same family).
    bool within(const IpRange& other) const noexcept;
};

/// Where an abuse contact came from, best first; shown to the user with the contact.
enum class ContactSource : std::uint8_t {
    UserOverride, ///< the user set it for this network or AS
    Rdap, ///< the RDAP abuse entity
    Whois, ///< abuse-c / abuse-mailbox / OrgAbuseEmail / IRT / "% Abuse contact for" in WHOIS
    AbusixDns, ///< the Abusix abuse-contacts DNS zone
    DomainGuess, ///< abuse@ the network's domain (RFC 2142): a guess
    None,
};
/// "user", "rdap", "whois", "abusix", "guess", "none".
std::string_view contactSourceName(ContactSource s) noexcept;

/// An abuse contact with where it came from and how sure tattle is (0-100).
struct AbuseContact {
    std::string email;
    ContactSource source = ContactSource::None;
    int confidence = 0;
};

/// What a registry says about the network an address belongs to.
struct NetworkInfo {
    IpRange range; ///< the network's extent (the cache key)
    std::vector<std::string> cidrs; ///< CIDR blocks when the registry gives them
    std::string handle; ///< e.g. "NET-192-0-2-0-1", "EXAMPLE-NET"
    std::string name; ///< netname
    std::string type; ///< e.g. "ASSIGNED PA", "DIRECT ALLOCATION"
    std::string country; ///< ISO 3166 alpha-2, upper case, empty when unknown
    std::string parentHandle;
    std::string orgName; ///< the organisation or ISP holding it
    std::string orgHandle;
    std::vector<AbuseContact> abuse; ///< best first, deduplicated, placeholders removed
    std::optional<std::uint32_t> asn;
    std::string asName;
    std::string registry; ///< "arin", "ripe", "apnic", "lacnic", "afrinic", or a NIR ("jpnic" ...)
    std::string server; ///< the server that answered (host or RDAP base URL)
    std::string domain; ///< the network's e-mail/web domain where known (for the RFC 2142 guess)
    std::string whoisServer; ///< the registry's WHOIS server named in the answer (RDAP port43)
};

/// A referral found in a WHOIS answer: go and ask this server.
struct WhoisReferral {
    std::string host;
    int port = 43;
    bool rwhois = false; ///< rwhois:// (RFC 2167), queried the same way on its port
};

} // namespace tattle::core::resolver
