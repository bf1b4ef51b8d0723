// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/resolver/contacts.h"
#include "core/resolver/network_info.h"
#include "core/result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// RDAP answers (RFC 9083) to NetworkInfo: pure functions, no I/O, never throw.
namespace tattle::core::resolver {

/// Registry answers are a few kilobytes to a few hundred; anything above the cap is refused unparsed.
inline constexpr std::size_t kDefaultMaxAnswerBytes = 4 * 1024 * 1024;

struct RdapOptions {
    std::size_t maxBytes = kDefaultMaxAnswerBytes;
    /// Contacts to drop; nullptr drops none.
    const PlaceholderList* placeholders = nullptr;
};

/// An RDAP ip network object: the extent from startAddress/endAddress (ARIN's zero-padded IPv4 and the
/// "/len" suffixes of old RIPE answers accepted) or else from cidr0_cidrs, name, handle, type, country,
/// parentHandle, port43, ARIN's origin AS, the registrant organisation, and the abuse contacts from the
/// whole entity tree (the abuse role's vCard e-mails by "pref", deduplicated, placeholders dropped;
/// abuse@ addresses of other entities and addresses in abuse remarks only when no abuse role has one).
/// Errors: RDAP error objects give NotFound (404), RateLimited (429, "Rate Limit Notice") or
/// BadResponse; invalid JSON, another object class or no extent give BadResponse.
Result<NetworkInfo> parseRdapNetwork(std::string_view body, const RdapOptions& options = {});

/// An RDAP autnum object.
struct AutnumInfo {
    std::uint32_t first = 0, last = 0; ///< startAutnum/endAutnum (equal for one AS)
    std::string handle; ///< "AS13335"
    std::string name; ///< "CLOUDFLARENET"
    std::string type;
    std::string country;
    std::string orgName; ///< the registrant's name
    std::string orgHandle;
    std::vector<AbuseContact> abuse;
    std::string whoisServer; ///< port43
    std::string domain;
};

/// Parses an RDAP autnum object (same rules and errors as parseRdapNetwork).
Result<AutnumInfo> parseRdapAutnum(std::string_view body, const RdapOptions& options = {});

/// The error an RDAP answer stands for, from the HTTP status and the body: an RDAP error object
/// (errorCode, title, description), a rate-limit notice (LACNIC's "Rate Limit Notice"), HTTP 429 with any
/// body (RIPE once sent HTML), 404. nullopt when the answer is not an error. Never throws.
std::optional<Error> rdapError(std::string_view body, int httpStatus = 200);

} // namespace tattle::core::resolver
