// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/resolver/contacts.h"
#include "core/resolver/network_info.h"
#include "core/resolver/rdap_parser.h"
#include "core/result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// WHOIS answers (RFC 3912: no charset, no structure) to NetworkInfo, per registry dialect. Pure
/// functions: no I/O, never throw.
namespace tattle::core::resolver {

/// The character set host answers in (REFERENCE A8, after the Debian whois client's servers_charset_list):
/// "utf-8", "iso-8859-1", "iso-2022-jp", "cp1251", or "utf-8/big5" for TWNIC (UTF-8 when the bytes are
/// valid UTF-8, else Big5). Unknown hosts: "utf-8/iso-8859-1".
std::string_view whoisCharset(std::string_view host) noexcept;

/// bytes in `charset` (a whoisCharset() value or any name glibc iconv knows) as UTF-8. Sequences that are
/// invalid in the charset become U+FFFD; the result is always valid UTF-8. Text declared single-byte
/// that is valid multi-byte UTF-8 is taken as UTF-8 (servers that moved to UTF-8).
std::string decodeToUtf8(std::string_view bytes, std::string_view charset);

/// The query line to send to host for address a, without the CR LF the transport adds:
///   whois.arin.net                         "n + 192.0.2.1" (network records with full details)
///   whois.ripe.net, whois.apnic.net,
///   whois.afrinic.net                      "-r 192.0.2.1"
///   whois.nic.ad.jp                        "192.0.2.1/e" (English output)
///   everyone else (LACNIC, NIC.br, KRNIC, TWNIC, IANA, RWhois ...)  "192.0.2.1"
/// "-r" (no recursive look-ups of contact objects) keeps person and role objects out of the answer, so
/// queries do not count against the RIPE/AFRINIC daily limits on personal data (REFERENCE A11), while the
/// "% Abuse contact for ... is ..." line, computed from abuse-c, is still printed (A2). "-b" would also
/// keep the abuse contact but drops netname, country and the route objects' origin AS; "-B" would show
/// personal objects unfiltered and count against the limit.
std::string queryFor(std::string_view host, const IpAddress& a);

/// The query line for AS number asn: ARIN "a 64500", JPNIC "AS64500/e", RIPE family "-r AS64500",
/// others "AS64500".
std::string asnQueryFor(std::string_view host, std::uint32_t asn);

struct WhoisParseOptions {
    std::size_t maxBytes = 4 * 1024 * 1024;
    /// Contacts to drop; nullptr drops none.
    const PlaceholderList* placeholders = nullptr;
};

/// What one WHOIS answer says.
struct WhoisAnswer {
    /// The most specific network that contains the query (or, for a query the answer does not cover,
    /// the most specific network in it); nullopt when the answer has none (IANA's referral, a pointer).
    std::optional<NetworkInfo> network;
    /// Where the answer sends the client for (more specific) data: IANA "refer:", ARIN "ReferralServer:"
    /// (the last one wins) or "ResourceLink:", APNIC's "Transferred to ..." stubs. Follow it when network
    /// is empty or comes from a different registry than the referral's; with a depth limit.
    std::optional<WhoisReferral> referral;
    /// The whole answer as UTF-8 (for the cache and the user).
    std::string text;
};

/// Parses the answer `bytes` from `host` to a query for `query`: decodes the host's charset, detects the
/// dialect (RIPE-style RPSL as used by RIPE, APNIC, AFRINIC, LACNIC, NIC.br, TWNIC mirrors and IANA;
/// ARIN; JPNIC; KRNIC), takes the most specific network containing the query and its abuse contacts
/// (RIPE "% Abuse contact for" line, abuse-c roles, IRT abuse-mailbox, ARIN RAbuseEmail then
/// OrgAbuseEmail; abuse@ addresses of other contacts and remark addresses only when there is none).
/// Errors: RateLimited (RIPE %ERROR:201 access denied, "rate limit" / "too many queries" notices),
/// NotFound (no entries and no referral), BadResponse (nothing usable; over maxBytes).
Result<WhoisAnswer> parseWhois(std::string_view bytes, std::string_view host, const IpAddress& query,
    const WhoisParseOptions& options = {});

/// Parses a WHOIS answer to an AS number query (asnQueryFor): ARIN "ASNumber"/"ASName" with the
/// organisation and its abuse POC; RPSL "aut-num"/"as-name" with "% Abuse contact for 'ASn'", abuse-c and
/// IRT. asn selects the object (0: the first). Errors as parseWhois.
Result<AutnumInfo> parseWhoisAutnum(
    std::string_view bytes, std::string_view host, std::uint32_t asn, const WhoisParseOptions& options = {});

/// A route or route6 object (an IRR answer such as whois.radb.net "-i origin AS64500", or the route
/// objects at the end of a RIPE answer).
struct RouteRecord {
    IpRange prefix;
    std::uint32_t origin = 0;
    std::string description; ///< the first descr line
    std::string source; ///< "RADB", "RIPE" ...
};

/// Every route/route6 object with a valid prefix and origin; "No entries found" gives none.
std::vector<RouteRecord> parseRoutes(std::string_view text, std::size_t maxBytes = 4 * 1024 * 1024);

/// One line of a Team Cymru verbose answer: AS | IP | BGP prefix | CC | registry | allocated | AS name.
struct CymruRecord {
    IpAddress address;
    std::optional<std::uint32_t> asn; ///< nullopt for "NA"
    std::optional<IpRange> prefix;
    std::string country;
    std::string registry; ///< "arin", "ripe" (Cymru's "ripencc"), "apnic", "lacnic", "afrinic"
    std::string allocated; ///< "2007-03-13" or ""
    std::string asName;
};

/// The bulk query for whois.cymru.com: "begin\nverbose\n<ip>\n...\nend\n" (one connection, many
/// addresses; single queries get a client null-routed, REFERENCE A9).
std::string cymruBulkQuery(const std::vector<IpAddress>& addresses);

/// Parses a Team Cymru bulk (or single) verbose answer. Header, error and malformed lines are skipped;
/// values are sanitised. Never throws.
std::vector<CymruRecord> parseCymru(std::string_view text);

} // namespace tattle::core::resolver
