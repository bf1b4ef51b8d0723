// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/result.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tattle::core::resolver {

/// Where to ask about an address or AS number: the registry that holds it, its WHOIS server and the
/// RDAP base URLs. Views into the RegistryMap; valid while the map lives and is not reloaded.
struct RegistryLookup {
    std::string_view block; ///< the delegated block as the table gives it: "14.64.0.0/11", "2497-2528"
    std::string_view registry; ///< "arin", "ripe", "apnic", "lacnic", "afrinic", "jpnic", "krnic", "twnic"
    std::string_view rir; ///< the regional registry above it ("apnic" for "jpnic"); == registry for an RIR
    std::string_view whoisHost; ///< e.g. "whois.nic.ad.jp"
    std::span<const std::string> rdapUrls; ///< RDAP base URLs, https first, each ending in '/'
    /// The RDAP base URL to use (RFC 9224: https preferred); empty when there is none.
    std::string_view rdapBaseUrl() const noexcept;
};

/// Which registry holds which IPv4/IPv6 block and AS number range: resources/iana/delegations.json
/// (made by scripts/gen-delegations.py from IANA's registries, IANA's RDAP bootstrap files and the
/// Debian whois client's tables of national registries), optionally overlaid with fresher IANA RDAP
/// bootstrap files. The most specific block wins; lookups are binary searches over disjoint ranges.
class RegistryMap {
public:
    RegistryMap();
    ~RegistryMap();
    RegistryMap(RegistryMap&&) noexcept;
    RegistryMap& operator=(RegistryMap&&) noexcept;
    RegistryMap(const RegistryMap&) = delete;
    RegistryMap& operator=(const RegistryMap&) = delete;

    /// Reads dir/delegations.json, then, when dir/rdap-bootstrap/{ipv4,ipv6,asn}.json all exist (IANA's
    /// files as downloaded by `tattle update-registries`), overlays their RDAP base URLs.
    static Result<RegistryMap> load(const std::filesystem::path& dir);
    /// Parses the text of a delegations.json; `sourceName` names it in error messages.
    static Result<RegistryMap> parseDelegations(std::string_view json, std::string_view sourceName);

    /// Overlays IANA RDAP bootstrap files (RFC 9224 format): their base URLs replace the table's, and
    /// blocks they list that the table lacks become known (registry taken from the RDAP host). On an
    /// error the map is left unchanged.
    Result<void> loadBootstrap(
        std::string_view ipv4Json, std::string_view ipv6Json, std::string_view asnJson);

    /// The registry for address a (already mapped through lookupAddress()), or nullopt when no table
    /// covers it (special-purpose space, unallocated space).
    std::optional<RegistryLookup> find(const IpAddress& a) const noexcept;
    /// The registry for an AS number.
    std::optional<RegistryLookup> findAsn(std::uint32_t asn) const noexcept;

    /// Numbers of disjoint ranges after resolving overlaps (for tests and `tattle update-registries`).
    std::size_t ipv4RangeCount() const noexcept;
    std::size_t ipv6RangeCount() const noexcept;
    std::size_t asnRangeCount() const noexcept;

    struct Data;

private:
    std::unique_ptr<Data> m_data;
};

} // namespace tattle::core::resolver
