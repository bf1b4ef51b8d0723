// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/registry_map.h"

#include "core/resolver/ip_math.h"
#include "core/resolver/json_guard.h"
#include "core/resolver/network_info.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace tattle::core::resolver {

namespace {

using nlohmann::json;

// Our own and IANA's files are a few hundred kilobytes; anything far larger is not one of them.
constexpr std::size_t kMaxTableBytes = 16 * 1024 * 1024;

struct KnownRir {
    std::string_view id, whoisHost, rdapHost;
};
constexpr KnownRir kRirs[] = {
    {"arin", "whois.arin.net", "rdap.arin.net"},
    {"ripe", "whois.ripe.net", "rdap.db.ripe.net"},
    {"apnic", "whois.apnic.net", "rdap.apnic.net"},
    {"lacnic", "whois.lacnic.net", "rdap.lacnic.net"},
    {"afrinic", "whois.afrinic.net", "rdap.afrinic.net"},
};

std::string_view hostOfUrl(std::string_view url) noexcept
{
    if (const auto p = url.find("://"); p != std::string_view::npos) url.remove_prefix(p + 3);
    return url.substr(0, url.find_first_of("/:?#"));
}

bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

const KnownRir* rirOfUrls(const std::vector<std::string>& urls) noexcept
{
    for (const auto& u : urls) {
        for (const KnownRir& r : kRirs) {
            if (iequals(hostOfUrl(u), r.rdapHost)) return &r;
        }
    }
    return nullptr;
}

// https first (RFC 9224 section 3), each with a trailing slash so that "ip/ADDRESS" can be appended.
std::vector<std::string> normalisedUrls(std::vector<std::string> urls)
{
    std::stable_partition(
        urls.begin(), urls.end(), [](const std::string& u) { return u.starts_with("https://"); });
    std::vector<std::string> out;
    for (auto& u : urls) {
        if (u.empty()) continue;
        if (u.back() != '/') u.push_back('/');
        if (std::find(out.begin(), out.end(), u) == out.end()) out.push_back(std::move(u));
    }
    return out;
}

struct AsnRange {
    std::uint64_t first = 0, last = 0;
};

std::optional<AsnRange> parseAsnRange(std::string_view text) noexcept
{
    const auto dash = text.find('-');
    const auto a = ipmath::parseDecimal(text.substr(0, dash), 0xFFFFFFFFull);
    const auto b
        = dash == std::string_view::npos ? a : ipmath::parseDecimal(text.substr(dash + 1), 0xFFFFFFFFull);
    if (!a || !b || *a > *b) return std::nullopt;
    return AsnRange {*a, *b};
}

struct Entry {
    std::string block, registry, rir, whoisHost;
    std::vector<std::string> rdapUrls;
    IpRange range; // for address blocks
    AsnRange asns; // for AS number ranges
};

template<typename K> struct Segment {
    K first {}, last {};
    std::uint32_t index = 0;
};

struct IpKeys {
    static std::optional<IpAddress> next(const IpAddress& a) noexcept { return ipmath::next(a); }
    static std::optional<IpAddress> previous(const IpAddress& a) noexcept { return ipmath::previous(a); }
};
struct AsnKeys {
    static std::optional<std::uint64_t> next(std::uint64_t a) noexcept { return a + 1; }
    static std::optional<std::uint64_t> previous(std::uint64_t a) noexcept
    {
        return a == 0 ? std::nullopt : std::optional<std::uint64_t>(a - 1);
    }
};

// Paints [first, last] over the disjoint segments in `painted`, replacing what was there: painting the
// broadest blocks first leaves every address with its most specific block.
template<typename K, typename Keys> struct Painter {
    struct Seg {
        K last;
        std::uint32_t index;
    };
    std::map<K, Seg> painted;

    void paint(const K& first, const K& last, std::uint32_t index)
    {
        auto it = painted.upper_bound(first);
        if (it != painted.begin()) {
            auto before = std::prev(it);
            if (before->first < first && !(before->second.last < first)) {
                const Seg old = before->second;
                before->second.last = *Keys::previous(first);
                if (last < old.last) painted.emplace(*Keys::next(last), Seg {old.last, old.index});
            }
        }
        it = painted.lower_bound(first);
        while (it != painted.end() && !(last < it->first)) {
            if (last < it->second.last) {
                const Seg old = it->second;
                it = painted.erase(it);
                painted.emplace(*Keys::next(last), old);
                break;
            }
            it = painted.erase(it);
        }
        painted.emplace(first, Seg {last, index});
    }

    std::vector<Segment<K>> segments() const
    {
        std::vector<Segment<K>> out;
        out.reserve(painted.size());
        for (const auto& [first, seg] : painted)
            out.push_back({first, seg.last, seg.index});
        return out;
    }
};

template<typename K> const Segment<K>* findSegment(const std::vector<Segment<K>>& segs, const K& key) noexcept
{
    auto it = std::upper_bound(
        segs.begin(), segs.end(), key, [](const K& k, const Segment<K>& s) { return k < s.first; });
    if (it == segs.begin()) return nullptr;
    --it;
    return key <= it->last ? &*it : nullptr;
}

// Broadest first, file order among equals, so that the most specific block is painted last.
void sortBroadestFirst(std::vector<std::uint32_t>& order, const std::vector<Entry>& entries, bool asn)
{
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (asn)
            return entries[a].asns.last - entries[a].asns.first
                > entries[b].asns.last - entries[b].asns.first;
        return ipmath::span(entries[a].range.first, entries[a].range.last)
            > ipmath::span(entries[b].range.first, entries[b].range.last);
    });
}

} // namespace

struct RegistryMap::Data {
    std::vector<Entry> entries;
    std::vector<Segment<IpAddress>> v4, v6;
    std::vector<Segment<std::uint64_t>> asn;

    // The RDAP bootstrap overlay (empty until loadBootstrap()).
    std::vector<Entry> overlay;
    std::vector<Segment<IpAddress>> ov4, ov6;
    std::vector<Segment<std::uint64_t>> oasn;

    static void index(const std::vector<Entry>& entries, std::vector<Segment<IpAddress>>& v4,
        std::vector<Segment<IpAddress>>& v6, std::vector<Segment<std::uint64_t>>& asn)
    {
        std::vector<std::uint32_t> ips, asns;
        for (std::uint32_t i = 0; i < entries.size(); ++i)
            (entries[i].range.valid() ? ips : asns).push_back(i);
        sortBroadestFirst(ips, entries, false);
        sortBroadestFirst(asns, entries, true);
        Painter<IpAddress, IpKeys> p4, p6;
        for (std::uint32_t i : ips) {
            const IpRange& r = entries[i].range;
            (r.first.isV4() ? p4 : p6).paint(r.first, r.last, i);
        }
        Painter<std::uint64_t, AsnKeys> pa;
        for (std::uint32_t i : asns)
            pa.paint(entries[i].asns.first, entries[i].asns.last, i);
        v4 = p4.segments();
        v6 = p6.segments();
        asn = pa.segments();
    }
};

std::string_view RegistryLookup::rdapBaseUrl() const noexcept
{
    for (const auto& u : rdapUrls) {
        if (u.starts_with("https://")) return u;
    }
    return rdapUrls.empty() ? std::string_view {} : std::string_view(rdapUrls.front());
}

RegistryMap::RegistryMap()
    : m_data(std::make_unique<Data>())
{
}
RegistryMap::~RegistryMap() = default;
RegistryMap::RegistryMap(RegistryMap&&) noexcept = default;
RegistryMap& RegistryMap::operator=(RegistryMap&&) noexcept = default;

namespace {

std::string where(std::string_view source, std::string_view pointer)
{
    return std::string(source) + ": " + std::string(pointer) + ": ";
}

Result<std::string> stringAt(
    const json& obj, const char* key, std::string_view source, const std::string& ptr, bool required = true)
{
    const auto it = obj.find(key);
    if (it == obj.end()) {
        if (!required) return std::string {};
        return fail(ErrorKind::Config, where(source, ptr + "/" + key) + "missing.");
    }
    if (!it->is_string()) return fail(ErrorKind::Config, where(source, ptr + "/" + key) + "not a string.");
    return it->get<std::string>();
}

Result<std::vector<std::string>> urlsAt(const json& value, std::string_view source, const std::string& ptr)
{
    if (!value.is_array()) return fail(ErrorKind::Config, where(source, ptr) + "not an array of URLs.");
    std::vector<std::string> urls;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const json& u = value[i];
        if (!u.is_string()) {
            return fail(ErrorKind::Config, where(source, ptr + "/" + std::to_string(i)) + "not a string.");
        }
        const auto s = u.get<std::string>();
        if (!s.starts_with("https://") && !s.starts_with("http://")) {
            return fail(
                ErrorKind::Config, where(source, ptr + "/" + std::to_string(i)) + "not an http(s) URL: " + s);
        }
        urls.push_back(s);
    }
    return normalisedUrls(std::move(urls));
}

Result<void> parseSection(
    const json& doc, const char* section, bool asn, std::string_view source, std::vector<Entry>& out)
{
    const std::string base = std::string("/") + section;
    const auto it = doc.find(section);
    if (it == doc.end()) return fail(ErrorKind::Config, where(source, base) + "missing.");
    if (!it->is_array()) return fail(ErrorKind::Config, where(source, base) + "not an array.");
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& row = (*it)[i];
        const std::string ptr = base + "/" + std::to_string(i);
        if (!row.is_object()) return fail(ErrorKind::Config, where(source, ptr) + "not an object.");
        Entry e;
        auto block = stringAt(row, asn ? "range" : "prefix", source, ptr);
        if (!block) return std::unexpected(block.error());
        e.block = *block;
        if (asn) {
            const auto r = parseAsnRange(e.block);
            if (!r) return fail(ErrorKind::Config, where(source, ptr + "/range") + "not an AS number range.");
            e.asns = *r;
        } else {
            const auto r = IpRange::parseCidr(e.block);
            if (!r || (std::string_view(section) == "ipv4") != r->first.isV4()) {
                return fail(ErrorKind::Config,
                    where(source, ptr + "/prefix") + "not an " + section + " prefix: " + e.block);
            }
            e.range = *r;
        }
        auto registry = stringAt(row, "registry", source, ptr);
        if (!registry) return std::unexpected(registry.error());
        auto rir = stringAt(row, "rir", source, ptr, false);
        if (!rir) return std::unexpected(rir.error());
        auto whois = stringAt(row, "whois", source, ptr);
        if (!whois) return std::unexpected(whois.error());
        if (registry->empty() || whois->empty()) {
            return fail(ErrorKind::Config, where(source, ptr) + "registry and whois must not be empty.");
        }
        e.registry = *registry;
        e.rir = rir->empty() ? *registry : *rir;
        e.whoisHost = *whois;
        if (const auto r = row.find("rdap"); r != row.end()) {
            auto urls = urlsAt(*r, source, ptr + "/rdap");
            if (!urls) return std::unexpected(urls.error());
            e.rdapUrls = std::move(*urls);
        }
        out.push_back(std::move(e));
    }
    return {};
}

Result<void> parseBootstrapFile(std::string_view text, int kind, std::vector<Entry>& out)
{
    static constexpr std::string_view kNames[]
        = {"IANA RDAP bootstrap ipv4.json", "IANA RDAP bootstrap ipv6.json", "IANA RDAP bootstrap asn.json"};
    const std::string_view source = kNames[kind];
    auto doc = parseUntrustedJson(text, kMaxTableBytes, source, ErrorKind::Config);
    if (!doc) return std::unexpected(doc.error());
    if (!doc->is_object()) return fail(ErrorKind::Config, std::string(source) + ": not a JSON object.");
    const auto services = doc->find("services");
    if (services == doc->end() || !services->is_array()) {
        return fail(ErrorKind::Config, where(source, "/services") + "missing or not an array.");
    }
    for (std::size_t i = 0; i < services->size(); ++i) {
        const json& svc = (*services)[i];
        const std::string ptr = "/services/" + std::to_string(i);
        if (!svc.is_array() || svc.size() < 2 || !svc[0].is_array()) {
            return fail(ErrorKind::Config, where(source, ptr) + "expected [[entries], [URLs]].");
        }
        auto urls = urlsAt(svc[1], source, ptr + "/1");
        if (!urls) return std::unexpected(urls.error());
        const KnownRir* rir = rirOfUrls(*urls);
        for (std::size_t k = 0; k < svc[0].size(); ++k) {
            const json& key = svc[0][k];
            const std::string kptr = ptr + "/0/" + std::to_string(k);
            if (!key.is_string()) return fail(ErrorKind::Config, where(source, kptr) + "not a string.");
            Entry e;
            e.block = key.get<std::string>();
            if (kind == 2) {
                const auto r = parseAsnRange(e.block);
                if (!r)
                    return fail(
                        ErrorKind::Config, where(source, kptr) + "not an AS number range: " + e.block);
                e.asns = *r;
            } else {
                const auto r = IpRange::parseCidr(e.block);
                if (!r || r->first.isV4() != (kind == 0)) {
                    return fail(
                        ErrorKind::Config, where(source, kptr) + "not a prefix of this family: " + e.block);
                }
                e.range = *r;
            }
            const std::string host(urls->empty() ? std::string_view {} : hostOfUrl(urls->front()));
            e.registry = rir ? std::string(rir->id) : host;
            e.rir = e.registry;
            e.whoisHost = rir ? std::string(rir->whoisHost) : std::string {};
            e.rdapUrls = *urls;
            out.push_back(std::move(e));
        }
    }
    return {};
}

Result<std::string> readWholeFile(const std::filesystem::path& path)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return fail(ErrorKind::Io, "Cannot read " + path.string() + ": " + ec.message() + ".");
    if (size > kMaxTableBytes) {
        return fail(ErrorKind::Config, path.string() + " is too large (" + std::to_string(size) + " bytes).");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ErrorKind::Io, "Cannot open " + path.string() + ".");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) return fail(ErrorKind::Io, "Cannot read " + path.string() + ".");
    return ss.str();
}

RegistryLookup lookupOf(const Entry& e) noexcept
{
    return {e.block, e.registry, e.rir, e.whoisHost, std::span<const std::string>(e.rdapUrls)};
}

// The table answers; the overlay's URLs replace its own. Where the overlay knows a more specific block of
// another RIR (IANA moved space since the table was generated), the overlay wins outright.
template<typename K, typename Span>
std::optional<RegistryLookup> combine(const Entry* table, const Entry* overlay, Span spanOf)
{
    if (!table && !overlay) return std::nullopt;
    if (!table) {
        if (overlay->whoisHost.empty()) return std::nullopt;
        return lookupOf(*overlay);
    }
    RegistryLookup r = lookupOf(*table);
    if (overlay) {
        if (overlay->rir != table->rir && !overlay->whoisHost.empty() && spanOf(*overlay) < spanOf(*table)) {
            return lookupOf(*overlay);
        }
        r.rdapUrls = std::span<const std::string>(overlay->rdapUrls);
    }
    return r;
}

} // namespace

Result<RegistryMap> RegistryMap::parseDelegations(std::string_view text, std::string_view sourceName)
{
    auto doc = parseUntrustedJson(text, kMaxTableBytes, sourceName, ErrorKind::Config);
    if (!doc) return std::unexpected(doc.error());
    try {
        if (!doc->is_object())
            return fail(ErrorKind::Config, std::string(sourceName) + ": not a JSON object.");
        const auto format = doc->find("format");
        if (format == doc->end() || !format->is_string() || *format != "tattle-delegations-1") {
            return fail(
                ErrorKind::Config, where(sourceName, "/format") + "expected \"tattle-delegations-1\".");
        }
        RegistryMap map;
        for (const auto& [section, asn] : {std::pair {"ipv4", false}, {"ipv6", false}, {"asn", true}}) {
            auto ok = parseSection(*doc, section, asn, sourceName, map.m_data->entries);
            if (!ok) return std::unexpected(ok.error());
        }
        Data::index(map.m_data->entries, map.m_data->v4, map.m_data->v6, map.m_data->asn);
        return map;
    } catch (const std::exception& e) {
        return fail(ErrorKind::Config, std::string(sourceName) + ": " + e.what());
    }
}

Result<RegistryMap> RegistryMap::load(const std::filesystem::path& dir)
{
    const auto path = dir / "delegations.json";
    auto text = readWholeFile(path);
    if (!text) return std::unexpected(text.error());
    auto map = parseDelegations(*text, path.string());
    if (!map) return map;
    const auto boot = dir / "rdap-bootstrap";
    std::error_code ec;
    if (std::filesystem::exists(boot / "ipv4.json", ec) && std::filesystem::exists(boot / "ipv6.json", ec)
        && std::filesystem::exists(boot / "asn.json", ec)) {
        auto v4 = readWholeFile(boot / "ipv4.json");
        if (!v4) return std::unexpected(v4.error());
        auto v6 = readWholeFile(boot / "ipv6.json");
        if (!v6) return std::unexpected(v6.error());
        auto asn = readWholeFile(boot / "asn.json");
        if (!asn) return std::unexpected(asn.error());
        auto ok = map->loadBootstrap(*v4, *v6, *asn);
        if (!ok) return fail(ok.error().kind, boot.string() + ": " + ok.error().message);
    }
    return map;
}

Result<void> RegistryMap::loadBootstrap(
    std::string_view ipv4Json, std::string_view ipv6Json, std::string_view asnJson)
{
    if (!m_data) m_data = std::make_unique<Data>();
    try {
        std::vector<Entry> overlay;
        const std::string_view texts[] = {ipv4Json, ipv6Json, asnJson};
        for (int kind = 0; kind < 3; ++kind) {
            auto ok = parseBootstrapFile(texts[kind], kind, overlay);
            if (!ok) return ok;
        }
        std::vector<Segment<IpAddress>> ov4, ov6;
        std::vector<Segment<std::uint64_t>> oasn;
        Data::index(overlay, ov4, ov6, oasn);
        m_data->overlay = std::move(overlay);
        m_data->ov4 = std::move(ov4);
        m_data->ov6 = std::move(ov6);
        m_data->oasn = std::move(oasn);
        return {};
    } catch (const std::exception& e) {
        return fail(ErrorKind::Config, std::string("IANA RDAP bootstrap: ") + e.what());
    }
}

std::optional<RegistryLookup> RegistryMap::find(const IpAddress& a) const noexcept
{
    if (!a.isValid() || !m_data) return std::nullopt;
    const Data& d = *m_data;
    const auto* seg = findSegment(a.isV4() ? d.v4 : d.v6, a);
    const auto* oseg = findSegment(a.isV4() ? d.ov4 : d.ov6, a);
    return combine<IpAddress>(seg ? &d.entries[seg->index] : nullptr,
        oseg ? &d.overlay[oseg->index] : nullptr,
        [](const Entry& e) { return ipmath::span(e.range.first, e.range.last); });
}

std::optional<RegistryLookup> RegistryMap::findAsn(std::uint32_t asn) const noexcept
{
    if (!m_data) return std::nullopt;
    const Data& d = *m_data;
    const auto* seg = findSegment(d.asn, std::uint64_t(asn));
    const auto* oseg = findSegment(d.oasn, std::uint64_t(asn));
    return combine<std::uint64_t>(seg ? &d.entries[seg->index] : nullptr,
        oseg ? &d.overlay[oseg->index] : nullptr, [](const Entry& e) { return e.asns.last - e.asns.first; });
}

std::size_t RegistryMap::ipv4RangeCount() const noexcept
{
    return m_data ? m_data->v4.size() : 0;
}
std::size_t RegistryMap::ipv6RangeCount() const noexcept
{
    return m_data ? m_data->v6.size() : 0;
}
std::size_t RegistryMap::asnRangeCount() const noexcept
{
    return m_data ? m_data->asn.size() : 0;
}

} // namespace tattle::core::resolver
