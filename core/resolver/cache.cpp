// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/cache.h"

#include "core/resolver/contacts.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <zstd.h>

namespace tattle::core::resolver {

namespace {

constexpr int kFindWindow = 16; // rows the range lookup reads before it looks further

int familyOf(const IpAddress& a)
{
    return a.isV4() ? 4 : 6;
}

IpAddress addressOf(std::span<const std::uint8_t> b)
{
    return IpAddress::fromBytes(b.data(), b.size());
}

sql::Statement& bindAddress(sql::Statement& st, int index, const IpAddress& a)
{
    return st.bindBlob(index, a.data(), a.size());
}

std::string_view sourceName(ContactSource s)
{
    return contactSourceName(s);
}

ContactSource sourceFromName(std::string_view name)
{
    for (auto s : {ContactSource::UserOverride, ContactSource::Rdap, ContactSource::Whois,
             ContactSource::AbusixDns, ContactSource::DomainGuess}) {
        if (contactSourceName(s) == name) return s;
    }
    return ContactSource::None;
}

// Registry text is hostile: whatever a parser let through, nothing with a control character, a line break
// or invalid UTF-8 reaches the database.
std::string clean(std::string_view s, std::size_t max = 256)
{
    return sanitizeField(s, max);
}

bool sameEmail(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
        return (x >= 'A' && x <= 'Z' ? char(x - 'A' + 'a') : x)
            == (y >= 'A' && y <= 'Z' ? char(y - 'A' + 'a') : y);
    });
}

std::vector<AbuseContact> cleanContacts(const std::vector<AbuseContact>& contacts)
{
    std::vector<AbuseContact> out;
    for (const auto& c : contacts) {
        auto email = cleanEmail(c.email);
        if (!email) continue;
        if (std::any_of(
                out.begin(), out.end(), [&](const AbuseContact& o) { return sameEmail(o.email, *email); }))
            continue;
        out.push_back({*email, c.source, std::clamp(c.confidence, 0, 100)});
    }
    return out;
}

std::string contactsJson(const std::vector<AbuseContact>& contacts)
{
    nlohmann::json a = nlohmann::json::array();
    for (const auto& c : contacts)
        a.push_back({{"email", c.email}, {"source", sourceName(c.source)}, {"confidence", c.confidence}});
    return a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<AbuseContact> contactsFromJson(std::string_view text)
{
    std::vector<AbuseContact> out;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_array()) return out;
    for (const auto& c : j) {
        if (!c.is_object() || !c.contains("email") || !c["email"].is_string()) continue;
        AbuseContact ac;
        ac.email = c["email"].get<std::string>();
        if (c.contains("source") && c["source"].is_string())
            ac.source = sourceFromName(c["source"].get<std::string>());
        if (c.contains("confidence") && c["confidence"].is_number_integer())
            ac.confidence = c["confidence"].get<int>();
        out.push_back(std::move(ac));
    }
    return out;
}

std::string compress(std::string_view raw)
{
    std::string out(ZSTD_compressBound(raw.size()), '\0');
    const size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 3);
    if (ZSTD_isError(n)) return {};
    out.resize(n);
    return out;
}

} // namespace

std::string_view errorKindName(ErrorKind kind) noexcept
{
    switch (kind) {
    case ErrorKind::Io:
        return "io";
    case ErrorKind::Format:
        return "format";
    case ErrorKind::NotFound:
        return "not-found";
    case ErrorKind::Database:
        return "database";
    case ErrorKind::Config:
        return "config";
    case ErrorKind::Usage:
        return "usage";
    case ErrorKind::Timeout:
        return "timeout";
    case ErrorKind::RateLimited:
        return "rate-limited";
    case ErrorKind::BadResponse:
        break;
    }
    return "bad-response";
}

ErrorKind errorKindFromName(std::string_view name) noexcept
{
    for (auto k : {ErrorKind::Io, ErrorKind::Format, ErrorKind::NotFound, ErrorKind::Database,
             ErrorKind::Config, ErrorKind::Usage, ErrorKind::Timeout, ErrorKind::RateLimited}) {
        if (errorKindName(k) == name) return k;
    }
    return ErrorKind::BadResponse;
}

AbuseContact CachedNetwork::bestContact() const
{
    return info.abuse.empty() ? AbuseContact {} : info.abuse.front();
}

std::string ContactOverride::targetText() const
{
    if (const auto* r = std::get_if<IpRange>(&target)) return r->toString();
    return "AS" + std::to_string(std::get<std::uint32_t>(target));
}

NetworkCache::NetworkCache(sql::Database& db)
    : m_db(db)
{
    // Descending on the range start: the first rows are the ranges starting closest below the address;
    // nested ranges (a network and its parent) come most specific first.
    m_find = m_db.prepare("SELECT id, first, last, expires_at, error_kind IS NOT NULL FROM networks "
                          "WHERE family = ?1 AND first <= ?2 ORDER BY family DESC, first DESC LIMIT "
        + std::to_string(kFindWindow));
}

NetworkCache::~NetworkCache() = default;

std::optional<CacheHit> NetworkCache::find(const IpAddress& a)
{
    if (!a.isValid()) return std::nullopt;
    m_find.reset();
    m_find.bind(1, familyOf(a));
    bindAddress(m_find, 2, a);
    std::optional<CacheHit> best;
    int rows = 0;
    auto scan = [&](sql::Statement& st) {
        while (st.step()) {
            ++rows;
            const IpAddress first = addressOf(st.blob(1)), last = addressOf(st.blob(2));
            if (best && first < best->range.first) break;
            if (first.family() != a.family() || last.family() != a.family() || a > last) continue;
            if (best && best->range.last <= last) continue;
            best = CacheHit {st.int64(0), {first, last}, st.int64(3), st.int64(4) != 0};
        }
        st.reset();
    };
    scan(m_find);
    if (!best && rows >= kFindWindow) {
        // Many small ranges start between a and the start of a large one that holds it: look further.
        // Only a miss gets here, and a miss costs a registry query anyway.
        auto wide
            = m_db.prepare("SELECT id, first, last, expires_at, error_kind IS NOT NULL FROM networks "
                           "WHERE family = ?1 AND first <= ?2 AND last >= ?2 ORDER BY family DESC, first "
                           "DESC LIMIT 1");
        wide.bind(1, familyOf(a));
        bindAddress(wide, 2, a);
        scan(wide);
    }
    return best;
}

std::optional<CachedNetwork> NetworkCache::network(std::int64_t id)
{
    auto st = m_db.prepare(
        "SELECT first, last, registry, handle, name, type, org, org_handle, country, domain, asn, as_name, "
        "asn_source, contacts, server, fetched_at, expires_at, error_kind, error FROM networks WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    CachedNetwork n;
    n.id = id;
    n.info.range = {addressOf(st.blob(0)), addressOf(st.blob(1))};
    n.info.registry = st.text(2);
    n.info.handle = st.text(3);
    n.info.name = st.text(4);
    n.info.type = st.text(5);
    n.info.orgName = st.text(6);
    n.info.orgHandle = st.text(7);
    n.info.country = st.text(8);
    n.info.domain = st.text(9);
    if (!st.isNull(10)) n.info.asn = std::uint32_t(st.int64(10));
    n.info.asName = st.text(11);
    n.asnSource = st.text(12);
    n.info.abuse = contactsFromJson(st.text(13));
    n.info.server = st.text(14);
    n.fetchedAt = st.int64(15);
    n.expiresAt = st.int64(16);
    if (!st.isNull(17)) n.failure = Error {errorKindFromName(st.text(17)), std::string(st.text(18))};
    return n;
}

std::int64_t NetworkCache::storeNetwork(
    const NetworkInfo& info, std::string_view asnSource, Micros fetchedAt, Micros ttl, std::string_view raw)
{
    const auto contacts = cleanContacts(info.abuse);
    const AbuseContact best = contacts.empty() ? AbuseContact {} : contacts.front();
    const int family = familyOf(info.range.first);

    std::optional<std::int64_t> existing;
    {
        auto st = m_db.prepare("SELECT id FROM networks WHERE family = ? AND first = ? AND last = ?");
        st.bind(1, family);
        bindAddress(st, 2, info.range.first);
        bindAddress(st, 3, info.range.last);
        if (st.step()) existing = st.int64(0);
    }
    // Failures inside the range are answered now.
    {
        auto del
            = m_db.prepare("DELETE FROM networks WHERE family = ?1 AND first >= ?2 AND first <= ?3 AND last "
                           "<= ?3 AND error_kind IS NOT NULL AND id IS NOT ?4");
        del.bind(1, family);
        bindAddress(del, 2, info.range.first);
        bindAddress(del, 3, info.range.last);
        del.bindOptional(4, existing);
        del.run();
    }
    const char* sqlText = existing
        ? "UPDATE networks SET family=?1, first=?2, last=?3, registry=?4, handle=?5, name=?6, type=?7, "
          "org=?8, "
          "org_handle=?9, country=?10, domain=?11, asn=?12, as_name=?13, asn_source=?14, abuse_email=?15, "
          "abuse_source=?16, abuse_confidence=?17, contacts=?18, server=?19, fetched_at=?20, expires_at=?21, "
          "error_kind=NULL, error=NULL, raw=?22 WHERE id=?23"
        : "INSERT INTO networks(family, first, last, registry, handle, name, type, org, org_handle, country, "
          "domain, asn, as_name, asn_source, abuse_email, abuse_source, abuse_confidence, contacts, server, "
          "fetched_at, expires_at, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
          "?15, "
          "?16, ?17, ?18, ?19, ?20, ?21, ?22)";
    auto st = m_db.prepare(sqlText);
    st.bind(1, family);
    bindAddress(st, 2, info.range.first);
    bindAddress(st, 3, info.range.last);
    st.bind(4, clean(info.registry, 32));
    st.bind(5, clean(info.handle));
    st.bind(6, clean(info.name));
    st.bind(7, clean(info.type, 64));
    st.bind(8, clean(info.orgName));
    st.bind(9, clean(info.orgHandle));
    st.bind(10, countryCode(info.country));
    st.bind(11, hostName(info.domain));
    st.bindOptional(12, info.asn ? std::optional<std::int64_t>(*info.asn) : std::nullopt);
    st.bind(13, clean(info.asName));
    st.bind(14, info.asn ? asnSource : std::string_view(""));
    st.bind(15, best.email);
    st.bind(16, sourceName(best.source));
    st.bind(17, best.confidence);
    st.bind(18, contactsJson(contacts));
    st.bind(19, clean(info.server, 1024));
    st.bind(20, fetchedAt);
    st.bind(21, fetchedAt + ttl);
    if (raw.empty()) {
        st.bindNull(22);
    } else {
        const std::string z = compress(raw);
        st.bindBlob(22, z.data(), z.size());
    }
    if (existing) st.bind(23, *existing);
    st.run();
    return existing ? *existing : m_db.lastInsertId();
}

std::int64_t NetworkCache::storeFailure(
    const IpRange& range, const Error& error, std::string_view server, Micros fetchedAt, Micros ttl)
{
    const int family = familyOf(range.first);
    {
        auto del = m_db.prepare(
            "DELETE FROM networks WHERE family = ? AND first = ? AND last = ? AND error_kind IS NOT NULL");
        del.bind(1, family);
        bindAddress(del, 2, range.first);
        bindAddress(del, 3, range.last);
        del.run();
    }
    auto st = m_db.prepare(
        "INSERT INTO networks(family, first, last, server, fetched_at, expires_at, error_kind, "
        "error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, family);
    bindAddress(st, 2, range.first);
    bindAddress(st, 3, range.last);
    st.bind(4, clean(server, 1024));
    st.bind(5, fetchedAt);
    st.bind(6, fetchedAt + ttl);
    st.bind(7, errorKindName(error.kind));
    st.bind(8, clean(error.message, 1024));
    st.run();
    return m_db.lastInsertId();
}

void NetworkCache::updateAsn(
    std::int64_t id, std::uint32_t asn, std::string_view asName, std::string_view source)
{
    auto st = m_db.prepare("UPDATE networks SET asn = ?, as_name = ?, asn_source = ? WHERE id = ?");
    st.bind(1, std::int64_t(asn)).bind(2, clean(asName)).bind(3, source).bind(4, id);
    st.run();
}

void NetworkCache::updateCountry(std::int64_t id, std::string_view country)
{
    auto st = m_db.prepare("UPDATE networks SET country = ? WHERE id = ?");
    st.bind(1, countryCode(country)).bind(2, id);
    st.run();
}

void NetworkCache::updateContacts(std::int64_t id, const std::vector<AbuseContact>& contacts)
{
    const auto cleaned = cleanContacts(contacts);
    const AbuseContact best = cleaned.empty() ? AbuseContact {} : cleaned.front();
    auto st = m_db.prepare("UPDATE networks SET abuse_email = ?, abuse_source = ?, abuse_confidence = ?, "
                           "contacts = ? WHERE id = ?");
    st.bind(1, best.email).bind(2, sourceName(best.source)).bind(3, best.confidence);
    st.bind(4, contactsJson(cleaned)).bind(5, id);
    st.run();
}

void NetworkCache::removeNetwork(std::int64_t id)
{
    auto st = m_db.prepare("DELETE FROM networks WHERE id = ?");
    st.bind(1, id);
    st.run();
}

std::string NetworkCache::rawAnswer(std::int64_t id)
{
    auto st = m_db.prepare("SELECT raw FROM networks WHERE id = ?");
    st.bind(1, id);
    if (!st.step() || st.isNull(0)) return {};
    const auto blob = st.blob(0);
    const unsigned long long size = ZSTD_getFrameContentSize(blob.data(), blob.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (64u << 20)) return {};
    std::string text(size, '\0');
    const size_t n = ZSTD_decompress(text.data(), text.size(), blob.data(), blob.size());
    if (ZSTD_isError(n)) return {};
    text.resize(n);
    return text;
}

void NetworkCache::clear()
{
    m_db.exec("DELETE FROM source_networks; DELETE FROM networks;");
}

std::int64_t NetworkCache::networkCount()
{
    return m_db.queryInt("SELECT count(*) FROM networks WHERE error_kind IS NULL");
}

void NetworkCache::linkSource(const SourceLink& link)
{
    auto st = m_db.prepare(
        "INSERT INTO source_networks(src, lookup, network_id, status, reason, rdns, resolved_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6) ON CONFLICT(src) DO UPDATE SET "
        "lookup = excluded.lookup, network_id = excluded.network_id, status = excluded.status, "
        "reason = excluded.reason, resolved_at = excluded.resolved_at");
    bindAddress(st, 1, link.src);
    if (link.lookup)
        bindAddress(st, 2, *link.lookup);
    else
        st.bindNull(2);
    st.bindOptional(3, link.networkId);
    st.bind(4, link.status);
    st.bind(5, clean(link.reason, 1024));
    st.bind(6, link.resolvedAt);
    st.run();
}

void NetworkCache::setReverseDns(const IpAddress& src, std::string_view name)
{
    auto st = m_db.prepare("UPDATE source_networks SET rdns = ? WHERE src = ?");
    st.bind(1, hostName(name));
    bindAddress(st, 2, src);
    st.run();
}

namespace {

SourceLink readLink(const sql::Statement& st)
{
    SourceLink l;
    l.src = addressOf(st.blob(0));
    if (!st.isNull(1)) l.lookup = addressOf(st.blob(1));
    if (!st.isNull(2)) l.networkId = st.int64(2);
    l.status = st.text(3);
    l.reason = st.text(4);
    if (!st.isNull(5)) l.rdns = std::string(st.text(5));
    l.resolvedAt = st.int64(6);
    return l;
}

constexpr const char* kLinkColumns = "src, lookup, network_id, status, reason, rdns, resolved_at";

} // namespace

std::optional<SourceLink> NetworkCache::sourceLink(const IpAddress& src)
{
    auto st = m_db.prepare(std::string("SELECT ") + kLinkColumns + " FROM source_networks WHERE src = ?");
    bindAddress(st, 1, src);
    if (!st.step()) return std::nullopt;
    return readLink(st);
}

std::vector<SourceLink> NetworkCache::sourceLinks()
{
    auto st = m_db.prepare(std::string("SELECT ") + kLinkColumns + " FROM source_networks ORDER BY src");
    std::vector<SourceLink> out;
    while (st.step())
        out.push_back(readLink(st));
    return out;
}

std::vector<IpAddress> NetworkCache::eventSources()
{
    // source_ports is keyed by source first: the distinct sources are a walk of its primary key.
    auto st = m_db.prepare("SELECT DISTINCT src FROM source_ports ORDER BY src");
    std::vector<IpAddress> out;
    while (st.step()) {
        const IpAddress a = addressOf(st.blob(0));
        if (a.isValid()) out.push_back(a);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::int64_t NetworkCache::setOverride(
    const std::variant<IpRange, std::uint32_t>& target, std::string_view email, Micros now)
{
    removeOverride(target);
    auto st = m_db.prepare("INSERT INTO contact_overrides(family, first, last, asn, email, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)");
    if (const auto* r = std::get_if<IpRange>(&target)) {
        st.bind(1, familyOf(r->first));
        bindAddress(st, 2, r->first);
        bindAddress(st, 3, r->last);
        st.bindNull(4);
    } else {
        st.bindNull(1).bindNull(2).bindNull(3);
        st.bind(4, std::int64_t(std::get<std::uint32_t>(target)));
    }
    st.bind(5, email);
    st.bind(6, now);
    st.run();
    return m_db.lastInsertId();
}

bool NetworkCache::removeOverride(const std::variant<IpRange, std::uint32_t>& target)
{
    if (const auto* r = std::get_if<IpRange>(&target)) {
        auto st = m_db.prepare(
            "DELETE FROM contact_overrides WHERE asn IS NULL AND family = ? AND first = ? AND last = ?");
        st.bind(1, familyOf(r->first));
        bindAddress(st, 2, r->first);
        bindAddress(st, 3, r->last);
        st.run();
    } else {
        auto st = m_db.prepare("DELETE FROM contact_overrides WHERE asn = ?");
        st.bind(1, std::int64_t(std::get<std::uint32_t>(target)));
        st.run();
    }
    return m_db.changes() > 0;
}

std::vector<ContactOverride> NetworkCache::overrides()
{
    auto st
        = m_db.prepare("SELECT id, first, last, asn, email, created_at FROM contact_overrides ORDER BY id");
    std::vector<ContactOverride> out;
    while (st.step()) {
        ContactOverride o;
        o.id = st.int64(0);
        if (st.isNull(3))
            o.target = IpRange {addressOf(st.blob(1)), addressOf(st.blob(2))};
        else
            o.target = std::uint32_t(st.int64(3));
        o.email = st.text(4);
        o.createdAt = st.int64(5);
        out.push_back(std::move(o));
    }
    return out;
}

void NetworkCache::saveStop(const ServerStop& stop)
{
    auto st = m_db.prepare(
        "INSERT INTO server_stops(server, stopped_until, stops, reason) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(server) DO UPDATE SET stopped_until = excluded.stopped_until, "
        "stops = excluded.stops, reason = excluded.reason");
    st.bind(1, stop.server).bind(2, stop.until).bind(3, stop.stops).bind(4, clean(stop.reason, 1024));
    st.run();
}

std::vector<ServerStop> NetworkCache::activeStops(Micros now)
{
    auto st = m_db.prepare(
        "SELECT server, stopped_until, stops, reason FROM server_stops WHERE stopped_until > ?");
    st.bind(1, now);
    std::vector<ServerStop> out;
    while (st.step())
        out.push_back({std::string(st.text(0)), st.int64(1), int(st.int64(2)), std::string(st.text(3))});
    return out;
}

const ContactOverride* findOverride(
    const std::vector<ContactOverride>& overrides, const IpRange& range, std::optional<std::uint32_t> asn)
{
    const ContactOverride* best = nullptr;
    for (const auto& o : overrides) {
        const auto* r = std::get_if<IpRange>(&o.target);
        if (!r || !range.within(*r)) continue;
        if (!best) {
            best = &o;
            continue;
        }
        const auto& b = std::get<IpRange>(best->target);
        if (r->within(b)) best = &o;
    }
    if (best || !asn) return best;
    for (const auto& o : overrides) {
        const auto* a = std::get_if<std::uint32_t>(&o.target);
        if (a && *a == *asn) return &o;
    }
    return nullptr;
}

} // namespace tattle::core::resolver
