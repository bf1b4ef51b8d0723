// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/registry_files.h"

#include "core/resolver/contacts.h"
#include "core/resolver/http_client.h"
#include "core/resolver/json_guard.h"

#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

namespace tattle::core::resolver {

namespace {

constexpr std::size_t kMaxBootstrapBytes = 4 * 1024 * 1024;

std::optional<std::string> readText(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    if (!in.good() && !in.eof()) return std::nullopt;
    return s.str();
}

/// The publication times of the bootstrap files the shipped table was made from, by file name.
std::map<std::string, std::string> shippedPublications(const std::filesystem::path& shippedDir)
{
    std::map<std::string, std::string> out;
    const auto text = readText(shippedDir / "delegations.json");
    if (!text) return out;
    auto j = parseUntrustedJson(*text, 64 * 1024 * 1024, "delegations.json");
    if (!j || !j->is_object() || !j->contains("sources") || !(*j)["sources"].is_object()) return out;
    for (const auto& [key, value] : (*j)["sources"].items()) {
        if (value.is_string() && key.starts_with("rdap-bootstrap/"))
            out[key.substr(std::string_view("rdap-bootstrap/").size())] = value.get<std::string>();
    }
    return out;
}

} // namespace

std::filesystem::path userBootstrapDir(const std::filesystem::path& userDataDir)
{
    return userDataDir / "iana" / "rdap-bootstrap";
}

std::string bootstrapPublication(std::string_view json)
{
    auto j = parseUntrustedJson(json, kMaxBootstrapBytes, "bootstrap file");
    if (!j || !j->is_object() || !j->contains("publication") || !(*j)["publication"].is_string()) return {};
    return sanitizeField((*j)["publication"].get<std::string>(), 64);
}

Result<RegistryMap> loadRegistries(const std::filesystem::path& shippedDir,
    const std::filesystem::path& userDataDir, std::vector<std::string>* notes)
{
    auto map = RegistryMap::load(shippedDir);
    if (!map) return map;
    const auto dir = userBootstrapDir(userDataDir);
    std::array<std::string, 3> texts;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        auto t = readText(dir / kBootstrapFiles[i]);
        if (!t) return map; // no complete user copy: the shipped table alone
        texts[i] = std::move(*t);
    }
    // A user copy older than what this tattle shipped with (downloaded before an upgrade) is passed over.
    const auto shipped = shippedPublications(shippedDir);
    bool older = false;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const auto it = shipped.find(std::string(kBootstrapFiles[i]));
        const std::string mine = bootstrapPublication(texts[i]);
        if (it != shipped.end() && !mine.empty() && mine < it->second) older = true;
    }
    if (older) {
        if (notes)
            notes->push_back("The registry files in " + dir.string()
                + " are older than the ones tattle ships with; the shipped ones are used.");
        return map;
    }
    if (auto r = map->loadBootstrap(texts[0], texts[1], texts[2]); !r) {
        if (notes)
            notes->push_back("The registry files in " + dir.string() + " cannot be used (" + r.error().message
                + "); the shipped ones are used. Run `tattle update-registries` again.");
        return map;
    }
    if (notes) notes->push_back("Using the registry files in " + dir.string() + ".");
    return map;
}

Result<RegistryUpdate> updateRegistries(
    HttpClient& http, const std::filesystem::path& shippedDir, const std::filesystem::path& userDataDir)
{
    RegistryUpdate update;
    update.dir = userBootstrapDir(userDataDir);
    std::array<std::string, 3> texts;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string url = std::string(kIanaRdapBase) + std::string(kBootstrapFiles[i]);
        auto r = http.get(url);
        if (!r) return fail(r.error().kind, "Cannot download " + url + ": " + r.error().message);
        if (auto e = r->statusError()) return fail(e->kind, "Cannot download " + url + ": " + e->message);
        if (r->body.size() > kMaxBootstrapBytes)
            return fail(ErrorKind::BadResponse,
                url + " is larger than " + std::to_string(kMaxBootstrapBytes) + " bytes.");
        const std::string publication = bootstrapPublication(r->body);
        if (publication.empty())
            return fail(
                ErrorKind::BadResponse, url + " is not an RDAP bootstrap file (no publication time).");
        update.files.push_back(std::string(kBootstrapFiles[i]) + " (publication " + publication + ", "
            + std::to_string(r->body.size()) + " bytes)");
        texts[i] = std::move(r->body);
    }
    auto map = RegistryMap::load(shippedDir);
    if (!map) return std::unexpected(map.error());
    if (auto r = map->loadBootstrap(texts[0], texts[1], texts[2]); !r)
        return fail(ErrorKind::BadResponse,
            "The downloaded registry files do not fit together: " + r.error().message);
    update.ipv4Ranges = map->ipv4RangeCount();
    update.ipv6Ranges = map->ipv6RangeCount();
    update.asnRanges = map->asnRangeCount();

    std::error_code ec;
    std::filesystem::create_directories(update.dir, ec);
    if (ec) return fail(ErrorKind::Io, "Cannot create " + update.dir.string() + ": " + ec.message() + ".");
    std::array<std::filesystem::path, 3> temps;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        temps[i] = update.dir / (std::string(kBootstrapFiles[i]) + ".tmp-" + std::to_string(::getpid()));
        std::ofstream out(temps[i], std::ios::binary | std::ios::trunc);
        out << texts[i];
        out.close();
        if (!out) {
            for (std::size_t j = 0; j <= i; ++j)
                std::filesystem::remove(temps[j], ec);
            return fail(ErrorKind::Io, "Cannot write " + temps[i].string() + ".");
        }
    }
    for (std::size_t i = 0; i < texts.size(); ++i) {
        std::filesystem::rename(temps[i], update.dir / kBootstrapFiles[i], ec);
        if (ec)
            return fail(ErrorKind::Io,
                "Cannot replace " + (update.dir / kBootstrapFiles[i]).string() + ": " + ec.message() + ".");
    }
    return update;
}

} // namespace tattle::core::resolver
