// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/resolver/registry_map.h"
#include "core/result.h"

#include <filesystem>
#include <string>
#include <vector>

/// The registry tables on disk: the copy shipped in resources/iana and the fresher IANA RDAP bootstrap
/// files `tattle update-registries` downloads into the user's data directory.
namespace tattle::core::resolver {

class HttpClient;

/// Where IANA publishes the RDAP bootstrap files (RFC 9224).
inline constexpr std::string_view kIanaRdapBase = "https://data.iana.org/rdap/";
/// The files fetched, in the order RegistryMap::loadBootstrap takes them.
inline constexpr std::string_view kBootstrapFiles[] = {"ipv4.json", "ipv6.json", "asn.json"};

/// userDataDir/iana/rdap-bootstrap: where `tattle update-registries` writes.
std::filesystem::path userBootstrapDir(const std::filesystem::path& userDataDir);

/// The registry map: shippedDir/delegations.json, overlaid with the user's bootstrap files when all three
/// exist, parse, and are not older than the ones the shipped table was made from. `notes` tells which
/// copy is used and why a user copy was passed over.
Result<RegistryMap> loadRegistries(const std::filesystem::path& shippedDir,
    const std::filesystem::path& userDataDir, std::vector<std::string>* notes = nullptr);

/// What update-registries did.
struct RegistryUpdate {
    std::vector<std::string> files; ///< "ipv4.json (publication 2024-05-01T..., 12345 bytes)"
    std::size_t ipv4Ranges = 0, ipv6Ranges = 0, asnRanges = 0;
    std::filesystem::path dir;
};

/// Downloads IANA's bootstrap files through http (so --rdap-base rewrites apply), checks them by
/// overlaying them on the shipped table, and only then replaces the user's copy (each file written to a
/// temporary name and renamed). Errors name the file and leave the previous copy in place.
Result<RegistryUpdate> updateRegistries(
    HttpClient& http, const std::filesystem::path& shippedDir, const std::filesystem::path& userDataDir);

/// The "publication" member of a bootstrap file ("" when absent or not JSON).
std::string bootstrapPublication(std::string_view json);

} // namespace tattle::core::resolver
