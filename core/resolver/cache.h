// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/resolver/network_info.h"
#include "core/result.h"
#include "core/store/sqlite.h"
#include "core/time.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

/// The resolver's tables in the event database (resources/schema/002_networks.sql): registry answers
/// by address range, the network of each source, the user's contact overrides and the servers that
/// asked tattle to stop. Only this class holds their SQL.
namespace tattle::core::resolver {

/// The short name of an error kind as the cache stores it: "timeout", "rate-limited", "not-found" ...
std::string_view errorKindName(ErrorKind kind) noexcept;
/// The inverse of errorKindName() (BadResponse for an unknown name).
ErrorKind errorKindFromName(std::string_view name) noexcept;

/// What the range lookup finds: enough to decide without reading the whole row.
struct CacheHit {
    std::int64_t id = 0;
    IpRange range;
    Micros expiresAt = 0;
    bool failed = false; ///< a failed lookup kept briefly (see CachedNetwork::failure)
    bool expired(Micros now) const noexcept { return now >= expiresAt; }
};

/// One row of the networks table.
struct CachedNetwork {
    std::int64_t id = 0;
    NetworkInfo info; ///< info.abuse holds every contact, best first
    std::string asnSource; ///< "rdap", "whois", "cymru" or ""
    Micros fetchedAt = 0, expiresAt = 0;
    std::optional<Error> failure; ///< set for a failed lookup
    /// The best contact, or an empty one (source None).
    AbuseContact bestContact() const;
};

/// A contact the user set for a network (an address range) or for an AS; it wins over the registries.
struct ContactOverride {
    std::int64_t id = 0;
    std::variant<IpRange, std::uint32_t> target;
    std::string email;
    Micros createdAt = 0;
    /// "192.0.2.0/24" or "AS64500".
    std::string targetText() const;
};

/// The link of one source address to its network.
struct SourceLink {
    IpAddress src;
    std::optional<IpAddress> lookup; ///< the address asked about (the IPv4 inside 6to4/Teredo)
    std::optional<std::int64_t> networkId;
    std::string status; ///< "resolved", "special", "failed"
    std::string reason;
    std::optional<std::string> rdns; ///< nullopt: not looked up; "": no name
    Micros resolvedAt = 0;
};

/// A server that answered "too many queries", not to be asked again before `until`.
struct ServerStop {
    std::string server;
    Micros until = 0;
    int stops = 0;
    std::string reason;
};

/// The resolver's view of the database. Methods throw sql::DbError like the store's wrapper; callers
/// turn it into a Result at their boundary. Not thread-safe (one connection, one thread).
class NetworkCache {
public:
    explicit NetworkCache(sql::Database& db);
    ~NetworkCache();
    NetworkCache(const NetworkCache&) = delete;
    NetworkCache& operator=(const NetworkCache&) = delete;

    /// The most specific cached range (answer or failure, expired or not) that contains a: an index seek
    /// on (family, first) descending plus a check of last. nullopt when none does.
    std::optional<CacheHit> find(const IpAddress& a);
    /// The whole row.
    std::optional<CachedNetwork> network(std::int64_t id);

    /// Stores an answer for info.range (replacing an earlier row for the same range, keeping its id, and
    /// dropping failures inside the range). raw: the answers as received (stored zstd-compressed).
    std::int64_t storeNetwork(const NetworkInfo& info, std::string_view asnSource, Micros fetchedAt,
        Micros ttl, std::string_view raw);
    /// Stores a failed lookup of range (usually one address) with why.
    std::int64_t storeFailure(
        const IpRange& range, const Error& error, std::string_view server, Micros fetchedAt, Micros ttl);
    void updateAsn(std::int64_t id, std::uint32_t asn, std::string_view asName, std::string_view source);
    void updateCountry(std::int64_t id, std::string_view country);
    /// Replaces the contacts of a network (best first).
    void updateContacts(std::int64_t id, const std::vector<AbuseContact>& contacts);
    /// Drops a row (an expired network the registry no longer draws the same way); links to it are cleared.
    void removeNetwork(std::int64_t id);
    /// The raw answers stored with a network, decompressed ("" when none).
    std::string rawAnswer(std::int64_t id);
    /// Drops every cached row (networks and links); overrides and stops stay.
    void clear();
    std::int64_t networkCount();

    void linkSource(const SourceLink& link);
    void setReverseDns(const IpAddress& src, std::string_view name);
    std::optional<SourceLink> sourceLink(const IpAddress& src);
    /// Every link, ordered by source address.
    std::vector<SourceLink> sourceLinks();
    /// The distinct source addresses of the stored events, ascending.
    std::vector<IpAddress> eventSources();

    /// Sets (replacing) the contact for a range or an AS.
    std::int64_t setOverride(
        const std::variant<IpRange, std::uint32_t>& target, std::string_view email, Micros now);
    /// Removes it; false when there was none.
    bool removeOverride(const std::variant<IpRange, std::uint32_t>& target);
    std::vector<ContactOverride> overrides();

    void saveStop(const ServerStop& stop);
    /// Stops still in force at now.
    std::vector<ServerStop> activeStops(Micros now);

private:
    sql::Database& m_db;
    sql::Statement m_find;
};

/// Picks the override for `range` (a source address as a one-address range, or a whole network) with AS
/// `asn`: the most specific range override containing range, else the AS override. nullptr when none.
const ContactOverride* findOverride(
    const std::vector<ContactOverride>& overrides, const IpRange& range, std::optional<std::uint32_t> asn);

} // namespace tattle::core::resolver
