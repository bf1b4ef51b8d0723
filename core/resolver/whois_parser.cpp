// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/whois_parser.h"

#include "core/resolver/ip_math.h"
#include "core/text_util.h"

#include <algorithm>
#include <cerrno>
#include <iconv.h>

namespace tattle::core::resolver {

namespace {

// ---------------------------------------------------------------------------------------------------
// Small text helpers

char lower(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

std::string lowered(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

bool icontains(std::string_view hay, std::string_view needle) noexcept
{
    if (needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        if (iequals(hay.substr(i, needle.size()), needle)) return true;
    }
    return false;
}

std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

template<typename F> void forEachLine(std::string_view text, F&& f)
{
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        f(line);
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
}

// ---------------------------------------------------------------------------------------------------
// Charsets

struct IconvHandle {
    iconv_t cd;
    explicit IconvHandle(const char* from)
        : cd(iconv_open("UTF-8", from))
    {
    }
    ~IconvHandle()
    {
        if (cd != iconv_t(-1)) iconv_close(cd);
    }
    IconvHandle(const IconvHandle&) = delete;
    IconvHandle& operator=(const IconvHandle&) = delete;
};

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

std::optional<std::string> iconvToUtf8(std::string_view bytes, const std::string& charset)
{
    IconvHandle h(charset.c_str());
    if (h.cd == iconv_t(-1)) return std::nullopt;
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 2 + 16);
    std::string in(bytes);
    char* inPtr = in.data();
    std::size_t inLeft = in.size();
    char buf[4096];
    while (inLeft > 0) {
        char* outPtr = buf;
        std::size_t outLeft = sizeof buf;
        const std::size_t r = iconv(h.cd, &inPtr, &inLeft, &outPtr, &outLeft);
        out.append(buf, std::size_t(outPtr - buf));
        if (r != std::size_t(-1)) continue;
        if (errno == E2BIG) continue;
        // EILSEQ (invalid) or EINVAL (truncated at the end): one replacement character, skip a byte.
        out.append(kReplacement);
        ++inPtr;
        --inLeft;
    }
    // Flush a stateful encoding (ISO-2022-JP back to ASCII).
    char* outPtr = buf;
    std::size_t outLeft = sizeof buf;
    iconv(h.cd, nullptr, nullptr, &outPtr, &outLeft);
    out.append(buf, std::size_t(outPtr - buf));
    return toValidUtf8(out);
}

bool hasMultibyteUtf8(std::string_view s) noexcept
{
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })
        && isValidUtf8(s);
}

bool isAscii(std::string_view s) noexcept
{
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// ---------------------------------------------------------------------------------------------------
// RPSL-like objects: paragraphs of "key: value" lines (RIPE, APNIC, AFRINIC, LACNIC, NIC.br, IANA, ARIN)

struct Attr {
    std::string key; // lower case
    std::string value; // trimmed; continuation lines joined with a space
};

struct Object {
    std::vector<Attr> attrs;
    int section = 0; // networks seen before and including this object
    bool iana = false; // part of IANA's answer in front of a registry's
    bool isNetwork = false;
    std::size_t networkKey = 0; // index of the attribute that gave the range
    IpRange range;

    std::string_view get(std::string_view key) const
    {
        for (const Attr& a : attrs) {
            if (a.key == key) return a.value;
        }
        return {};
    }
    std::vector<std::string_view> all(std::string_view key) const
    {
        std::vector<std::string_view> out;
        for (const Attr& a : attrs) {
            if (a.key == key) out.push_back(a.value);
        }
        return out;
    }
    std::string_view type() const
    {
        return attrs.empty() ? std::string_view {} : std::string_view(attrs.front().key);
    }
};

struct AbuseLine {
    std::optional<IpRange> range;
    std::string label; // what the line is about, as printed ("AS9700", "192.0.2.0 - 192.0.2.255")
    std::string email;
};

struct Document {
    std::vector<Object> objects;
    std::vector<std::string> comments;
    std::vector<AbuseLine> abuseLines;
    std::string referServer; // IANA "refer:"
};

bool isKeyChar(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// "200.57.128/19" (LACNIC's short form) -> "200.57.128.0/19".
std::optional<IpRange> parseNetworkValue(std::string_view v)
{
    v = trim(v);
    if (auto r = IpRange::parse(v)) return r;
    const auto slash = v.find('/');
    if (slash == std::string_view::npos || v.find(':') != std::string_view::npos) return std::nullopt;
    std::string addr(v.substr(0, slash));
    const auto dots = std::count(addr.begin(), addr.end(), '.');
    if (dots < 1 || dots > 2) return std::nullopt;
    for (auto i = dots; i < 3; ++i)
        addr += ".0";
    return IpRange::parseCidr(addr + std::string(v.substr(slash)));
}

// "% Abuse contact for '62.239.237.0 - 62.239.237.255' is 'protect@bt.com'"
std::optional<AbuseLine> parseAbuseLine(std::string_view comment)
{
    static constexpr std::string_view kFor = "abuse contact for '";
    const std::string low = lowered(comment);
    const auto p = low.find(kFor);
    if (p == std::string::npos) return std::nullopt;
    const auto rangeStart = p + kFor.size();
    const auto rangeEnd = low.find("' is '", rangeStart);
    if (rangeEnd == std::string::npos) return std::nullopt;
    const auto mailStart = rangeEnd + 6;
    const auto mailEnd = low.find('\'', mailStart);
    if (mailEnd == std::string::npos) return std::nullopt;
    AbuseLine line;
    line.label = std::string(trim(comment.substr(rangeStart, rangeEnd - rangeStart)));
    line.range = parseNetworkValue(line.label);
    line.email = std::string(comment.substr(mailStart, mailEnd - mailStart));
    return line;
}

Document parseObjects(std::string_view text, bool ianaFirst)
{
    Document doc;
    Object current;
    bool iana = ianaFirst;
    int sections = 0;
    const auto finish = [&] {
        if (current.attrs.empty()) return;
        current.iana = iana;
        // The network key opens the object (RPSL inetnum, ARIN NetRange), or follows a name (TWNIC).
        for (std::size_t i = 0; i < std::min<std::size_t>(3, current.attrs.size()) && !iana; ++i) {
            const std::string& k = current.attrs[i].key;
            if (k != "inetnum" && k != "inet6num" && k != "netrange" && k != "netblock") continue;
            if (const auto r = parseNetworkValue(current.attrs[i].value)) {
                current.isNetwork = true;
                current.range = *r;
                current.networkKey = i;
                ++sections;
            }
            break;
        }
        current.section = sections;
        if (iana) {
            if (const auto refer = current.get("refer"); !refer.empty()) doc.referServer = std::string(refer);
        }
        doc.objects.push_back(std::move(current));
        current = Object {};
    };
    forEachLine(text, [&](std::string_view line) {
        if (doc.objects.size() > 20000) return;
        const std::string_view t = trim(line);
        if (t.empty()) {
            finish();
            return;
        }
        if (line.front() == '%' || line.front() == '#') {
            finish();
            std::string_view c = line;
            while (!c.empty() && (c.front() == '%' || c.front() == '#'))
                c.remove_prefix(1);
            c = trim(c);
            if (icontains(c, "IANA WHOIS server")) {
                iana = true;
            } else if (iana && !c.empty() && !icontains(c, "iana") && !icontains(c, "this query returned")) {
                iana = false;
            }
            if (auto abuse = parseAbuseLine(c)) doc.abuseLines.push_back(std::move(*abuse));
            if (doc.comments.size() < 2000) doc.comments.emplace_back(c.substr(0, 1000));
            return;
        }
        if ((line.front() == ' ' || line.front() == '\t' || line.front() == '+') && !current.attrs.empty()) {
            std::string& v = current.attrs.back().value;
            const std::string_view more = trim(line.front() == '+' ? line.substr(1) : line);
            if (!more.empty() && v.size() < 4096) {
                if (!v.empty()) v += ' ';
                v += more;
            }
            return;
        }
        const auto colon = t.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon > 40) return;
        const std::string_view key = t.substr(0, colon);
        if (!std::all_of(key.begin(), key.end(), isKeyChar)) return;
        if (current.attrs.size() >= 2000) return;
        current.attrs.push_back({lowered(key), std::string(trim(t.substr(colon + 1)).substr(0, 4096))});
    });
    finish();
    return doc;
}

// ---------------------------------------------------------------------------------------------------
// Referrals

std::optional<WhoisReferral> parseReferral(std::string_view v)
{
    v = trim(v);
    WhoisReferral r;
    if (icontains(v.substr(0, std::min<std::size_t>(v.size(), 10)), "rwhois://")) {
        r.rwhois = true;
        r.port = 4321;
        v.remove_prefix(9);
    } else if (icontains(v.substr(0, std::min<std::size_t>(v.size(), 10)), "whois://")) {
        v.remove_prefix(8);
    } else if (v.find("://") != std::string_view::npos) {
        return std::nullopt; // http(s):// links are not WHOIS servers
    }
    v = v.substr(0, v.find('/'));
    if (const auto colon = v.find(':'); colon != std::string_view::npos) {
        const auto port = ipmath::parseDecimal(v.substr(colon + 1), 65535);
        if (!port || *port == 0) return std::nullopt;
        r.port = int(*port);
        v = v.substr(0, colon);
    }
    r.host = hostName(v);
    if (r.host.empty() || r.host.find('.') == std::string::npos) return std::nullopt;
    return r;
}

std::optional<WhoisReferral> transferredTo(const Object& o)
{
    bool stub = false;
    for (const auto m : o.all("mnt-by"))
        stub = stub || iequals(m, "APNIC-STUB");
    if (!stub) return std::nullopt;
    for (const auto d : o.all("descr")) {
        if (!icontains(d, "transferred to")) continue;
        if (icontains(d, "ARIN")) return parseReferral("whois.arin.net");
        if (icontains(d, "RIPE")) return parseReferral("whois.ripe.net");
        if (icontains(d, "LACNIC")) return parseReferral("whois.lacnic.net");
        if (icontains(d, "AFRINIC")) return parseReferral("whois.afrinic.net");
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------------
// Errors

bool mentionsRateLimit(std::string_view s) noexcept
{
    return icontains(s, "%ERROR:201") || icontains(s, "ERROR:201") || icontains(s, "access denied")
        || icontains(s, "temporarily denied") || icontains(s, "rate limit")
        || icontains(s, "too many queries") || icontains(s, "query limit") || icontains(s, "daily limit")
        || icontains(s, "queries exceeded");
}

bool mentionsNotFound(std::string_view s) noexcept
{
    return icontains(s, "no entries found") || icontains(s, "no match") || icontains(s, "not found")
        || icontains(s, "ERROR:101") || icontains(s, "no data found");
}

// ---------------------------------------------------------------------------------------------------
// Building the NetworkInfo

std::uint32_t asnOf(std::string_view v, bool& ok)
{
    v = trim(v);
    v = v.substr(0, v.find_first_of(", "));
    if (v.size() > 2 && iequals(v.substr(0, 2), "AS")) v.remove_prefix(2);
    const auto n = ipmath::parseDecimal(v, 0xFFFFFFFFull);
    ok = n.has_value();
    return n.value_or(0);
}

// "Google Inc. (GOGL)" -> {"Google Inc.", "GOGL"}
std::pair<std::string, std::string> nameAndHandle(std::string_view v)
{
    v = trim(v);
    if (!v.empty() && v.back() == ')') {
        const auto open = v.rfind('(');
        if (open != std::string_view::npos && open > 0) {
            return {
                std::string(trim(v.substr(0, open))), std::string(v.substr(open + 1, v.size() - open - 2))};
        }
    }
    return {std::string(v), {}};
}

std::string_view registryOfSource(std::string_view source) noexcept
{
    source = trim(source.substr(0, source.find('#')));
    for (const auto& [name, id] : {std::pair<std::string_view, std::string_view> {"RIPE", "ripe"},
             {"APNIC", "apnic"}, {"AFRINIC", "afrinic"}, {"ARIN", "arin"}, {"LACNIC", "lacnic"},
             {"JPNIC", "jpnic"}, {"KRNIC", "krnic"}, {"TWNIC", "twnic"}}) {
        if (iequals(source, name)) return id;
    }
    return {};
}

struct Builder {
    const Document& doc;
    const WhoisParseOptions& options;

    const Object* byKey(std::string_view key, std::string_view value) const
    {
        value = trim(value);
        if (value.empty()) return nullptr;
        for (const Object& o : doc.objects) {
            if (o.iana) continue;
            for (const Attr& a : o.attrs) {
                if (a.key == key && iequals(trim(a.value), value)) return &o;
            }
        }
        return nullptr;
    }

    const Object* contact(std::string_view handle) const
    {
        if (const Object* o = byKey("nic-hdl", handle)) return o;
        return byKey("nic-hdl-br", handle);
    }

    // The official contacts of one network object: abuse-c roles, its organisation's abuse-c, IRT.
    void official(const Object& net, ContactCollector& out) const
    {
        for (const AbuseLine& l : doc.abuseLines) {
            if (l.range && net.range.within(*l.range)) out.add(l.email, confidence::kAbuseRole);
        }
        for (const auto m : net.all("abuse-mailbox"))
            out.add(m, confidence::kAbuseMailbox);
        const auto abuseC = [&](const Object& o) {
            for (const auto h : o.all("abuse-c")) {
                const Object* role = contact(h);
                if (!role) continue;
                bool any = false;
                for (const auto m : role->all("abuse-mailbox"))
                    any = out.add(m, confidence::kAbuseMailbox) || any;
                if (!any) {
                    for (const auto m : role->all("e-mail"))
                        out.add(m, confidence::kAbuseCPerson);
                }
            }
        };
        abuseC(net);
        if (const Object* org = byKey("organisation", net.get("org"))) abuseC(*org);
        for (const auto irtName : net.all("mnt-irt")) {
            if (const Object* irt = byKey("irt", irtName)) {
                for (const auto m : irt->all("abuse-mailbox"))
                    out.add(m, confidence::kAbuseMailbox);
            }
        }
        // ARIN: the resource's own abuse POC first, then the organisation's.
        for (const char* key : {"rabuseemail", "orgabuseemail"}) {
            for (const Object& o : doc.objects) {
                if (o.section != net.section || o.iana) continue;
                for (const auto m : o.all(key))
                    out.add(m, confidence::kAbuseMailbox);
            }
        }
    }

    void fallback(const Object& net, ContactCollector& out) const
    {
        for (const Object& o : doc.objects) {
            if (o.iana || o.isNetwork) continue;
            for (const auto m : o.all("abuse-mailbox"))
                out.add(m, confidence::kSharedAbuseRole);
        }
        if (!out.empty()) return;
        const auto abuseLocal = [&](const Object& o) {
            for (const Attr& a : o.attrs) {
                for (const auto& e : findEmails(a.value)) {
                    if (lowered(e.substr(0, 5)) == "abuse") out.add(e, confidence::kAbuseLocalPart);
                }
            }
        };
        // The network's own section first, then the rest.
        for (const Object& o : doc.objects) {
            if (!o.iana && o.section == net.section) abuseLocal(o);
        }
        for (const Object& o : doc.objects) {
            if (!o.iana && o.section != net.section) abuseLocal(o);
        }
        for (const Object& o : doc.objects) {
            if (o.iana || o.section != net.section) continue;
            std::string remarks;
            for (const Attr& a : o.attrs) {
                if (a.key == "remarks" || a.key == "descr" || a.key == "comment") remarks += a.value + "\n";
            }
            out.addFromRemark(remarks, confidence::kRemark);
        }
    }

    NetworkInfo build(
        const Object& net, const std::vector<const Object*>& networks, std::string_view host) const
    {
        NetworkInfo info;
        info.range = net.range;
        info.server = hostName(host);
        info.whoisServer = info.server;
        const bool arin = net.attrs[net.networkKey].key == "netrange";
        const auto f = [](std::string_view v, std::size_t max = 256) { return sanitizeField(v, max); };
        if (arin) {
            info.handle = f(net.get("nethandle"));
            info.name = f(net.get("netname"));
            info.type = f(net.get("nettype"), 64);
            info.parentHandle = f(nameAndHandle(net.get("parent")).second);
            if (info.parentHandle.empty()) info.parentHandle = f(net.get("parent"));
            for (const Object& o : doc.objects) {
                if (o.section != net.section || o.iana) continue;
                if (info.orgName.empty()) info.orgName = f(o.get("custname"));
                if (info.orgName.empty()) info.orgName = f(o.get("orgname"));
                if (info.orgHandle.empty()) info.orgHandle = f(o.get("orgid"));
                if (info.country.empty()) info.country = countryCode(o.get("country"));
            }
            if (info.orgName.empty() || info.orgHandle.empty()) {
                auto [name, handle] = nameAndHandle(net.get("organization"));
                if (info.orgName.empty()) info.orgName = f(name);
                if (info.orgHandle.empty()) info.orgHandle = f(handle);
            }
            std::string_view cidrs = net.get("cidr");
            while (!cidrs.empty()) {
                const auto comma = cidrs.find(',');
                if (const auto r = IpRange::parseCidr(trim(cidrs.substr(0, comma)));
                    r && info.cidrs.size() < 64) {
                    info.cidrs.push_back(r->toString());
                }
                cidrs = comma == std::string_view::npos ? std::string_view {} : cidrs.substr(comma + 1);
            }
            bool ok = false;
            const std::uint32_t asn = asnOf(net.get("originas"), ok);
            if (ok) info.asn = asn;
        } else {
            info.handle = f(net.attrs[net.networkKey].value);
            info.name = f(net.get("netname"));
            info.type = f(net.get("status"), 64);
            info.country = countryCode(net.get("country"));
            info.parentHandle = f(net.get("parent"));
            if (const Object* org = byKey("organisation", net.get("org")))
                info.orgName = f(org->get("org-name"));
            info.orgHandle = f(net.get("org"));
            // LACNIC and NIC.br: owner / ownerid, the AS in aut-num.
            if (info.orgName.empty()) info.orgName = f(net.get("owner"));
            if (info.orgHandle.empty()) info.orgHandle = f(net.get("ownerid"));
            if (info.name.empty()) info.name = f(net.get("owner"));
            if (info.orgName.empty()) info.orgName = f(net.get("descr"));
            bool ok = false;
            const std::uint32_t asn = asnOf(net.get("aut-num"), ok);
            if (ok) info.asn = asn;
            if (info.range.prefixLength()) info.cidrs.push_back(info.range.toString());
        }
        if (!info.asn) {
            // The most specific route object covering the network gives its origin AS.
            std::optional<IpRange> best;
            for (const Object& o : doc.objects) {
                if (o.iana || (o.type() != "route" && o.type() != "route6")) continue;
                const auto r = parseNetworkValue(o.attrs.front().value);
                bool ok = false;
                const std::uint32_t asn = asnOf(o.get("origin"), ok);
                if (!r || !ok || !(info.range.within(*r) || r->within(info.range))) continue;
                if (!best || ipmath::span(r->first, r->last) < ipmath::span(best->first, best->last)) {
                    best = r;
                    info.asn = asn;
                }
            }
        }
        info.registry = std::string(registryOfSource(net.get("source")));
        if (info.registry.empty()) info.registry = std::string(registryOfWhoisHost(host));

        ContactCollector abuse(options.placeholders, ContactSource::Whois);
        official(net, abuse);
        // More specific objects inherit the abuse contact of the less specific ones (ripe-705).
        for (const Object* other : networks) {
            if (!abuse.empty()) break;
            if (other != &net && net.range.within(other->range)) official(*other, abuse);
        }
        if (abuse.empty()) fallback(net, abuse);
        info.abuse = abuse.take();
        if (!info.abuse.empty()) {
            info.domain = std::string(emailDomain(info.abuse.front().email));
        } else {
            for (const Object& o : doc.objects) {
                if (!info.domain.empty()) break;
                if (o.iana || o.section != net.section) continue;
                for (const Attr& a : o.attrs) {
                    if (a.key != "e-mail" && !a.key.ends_with("email")) continue;
                    const auto e = cleanEmail(a.value);
                    if (e && !(options.placeholders && options.placeholders->isPlaceholder(*e))) {
                        info.domain = std::string(emailDomain(*e));
                        break;
                    }
                }
            }
        }
        return info;
    }
};

const Object* mostSpecific(const std::vector<const Object*>& networks, const IpAddress& query)
{
    const Object* best = nullptr;
    const auto better = [](const Object* a, const Object* b) {
        // Smaller wins; on a tie the later one (ARIN lists from less to more specific).
        return !b
            || !(ipmath::span(b->range.first, b->range.last) < ipmath::span(a->range.first, a->range.last));
    };
    for (const Object* o : networks) {
        if (query.isValid() && !o->range.contains(query)) continue;
        if (better(o, best)) best = o;
    }
    if (best || !query.isValid()) return best;
    for (const Object* o : networks) {
        if (better(o, best)) best = o;
    }
    return best;
}

// ---------------------------------------------------------------------------------------------------
// JPNIC and KRNIC: "[Key]  value" and "Key : value" layouts

std::string stripHtml(std::string_view text)
{
    if (!icontains(text.substr(0, std::min<std::size_t>(text.size(), 4096)), "<")
        || !(icontains(text, "<pre") || icontains(text, "<html") || icontains(text, "<a "))) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    bool inTag = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inTag) {
            if (c == '>') inTag = false;
            continue;
        }
        if (c == '<') {
            inTag = true;
            continue;
        }
        if (c == '&') {
            static constexpr std::pair<std::string_view, char> kEntities[]
                = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&nbsp;", ' '}};
            bool done = false;
            for (const auto& [name, ch] : kEntities) {
                if (iequals(text.substr(i, name.size()), name)) {
                    out.push_back(ch);
                    i += name.size() - 1;
                    done = true;
                    break;
                }
            }
            if (done) continue;
        }
        out.push_back(c);
    }
    return out;
}

struct NirNetwork {
    IpRange range;
    std::string name, orgName, type;
    std::vector<std::pair<std::string, int>> emails;
};

NetworkInfo nirInfo(const NirNetwork& n, std::string_view registry, std::string_view host,
    std::string_view country, const WhoisParseOptions& options)
{
    NetworkInfo info;
    info.range = n.range;
    if (n.range.prefixLength()) info.cidrs.push_back(n.range.toString());
    info.handle = sanitizeField(n.range.toString());
    info.name = sanitizeField(n.name);
    info.orgName = sanitizeField(n.orgName);
    info.type = sanitizeField(n.type, 64);
    info.country = std::string(country);
    info.registry = std::string(registry);
    info.server = hostName(host);
    info.whoisServer = info.server;
    ContactCollector abuse(options.placeholders, ContactSource::Whois);
    for (const auto& [mail, conf] : n.emails)
        abuse.add(mail, conf);
    info.abuse = abuse.take();
    if (!info.abuse.empty()) info.domain = std::string(emailDomain(info.abuse.front().email));
    return info;
}

const NirNetwork* pickNir(const std::vector<NirNetwork>& nets, const IpAddress& query)
{
    const NirNetwork* best = nullptr;
    for (int pass = 0; pass < 2 && !best; ++pass) {
        for (const NirNetwork& n : nets) {
            if (!n.range.valid() || (pass == 0 && query.isValid() && !n.range.contains(query))) continue;
            if (!best
                || !(ipmath::span(best->range.first, best->range.last)
                    < ipmath::span(n.range.first, n.range.last))) {
                best = &n;
            }
        }
        if (!query.isValid()) break;
    }
    return best;
}

// JPNIC: "a. [Network Number]  133.1.0.0/16" (English, /e) or "a. [ネットワーク番号] ..." (Japanese).
std::optional<NetworkInfo> parseJpnic(
    std::string_view text, std::string_view host, const IpAddress& query, const WhoisParseOptions& options)
{
    const std::string plain = stripHtml(text);
    NirNetwork net;
    std::string jpOrg, jpName;
    bool stop = false;
    forEachLine(plain, [&](std::string_view line) {
        if (stop) return;
        const std::string_view t = trim(line);
        if (icontains(t, "Less Specific Info") || icontains(t, "More Specific Info")) {
            stop = true;
            return;
        }
        const auto open = t.find('[');
        const auto close = t.find(']', open == std::string_view::npos ? 0 : open);
        if (open == std::string_view::npos || close == std::string_view::npos || open > 4) return;
        const std::string_view key = trim(t.substr(open + 1, close - open - 1));
        const std::string_view value = trim(t.substr(close + 1));
        if (value.empty()) return;
        if (key == "Network Number" || key == "ネットワーク番号" || key == "IP Network Address") {
            if (const auto r = parseNetworkValue(value.substr(0, value.find(' ')))) net.range = *r;
        } else if (key == "Network Name" || key == "ネットワーク名") {
            net.name = std::string(value);
        } else if (key == "Organization") {
            net.orgName = std::string(value);
        } else if (key == "組織名") {
            jpOrg = std::string(value);
        } else if (key == "Network Type" || key == "ネットワーク種別" || key == "Status") {
            net.type = std::string(value);
        } else if (icontains(key, "abuse")) {
            for (const auto& e : findEmails(value))
                net.emails.push_back({e, confidence::kAbuseMailbox});
        } else if (icontains(key, "mail") || key == "電子メール" || key == "電子メイル") {
            for (const auto& e : findEmails(value)) {
                if (lowered(e.substr(0, 5)) == "abuse")
                    net.emails.push_back({e, confidence::kAbuseLocalPart});
            }
        }
    });
    if (net.orgName.empty()) net.orgName = jpOrg;
    if (!net.range.valid()) return std::nullopt;
    std::vector<NirNetwork> nets {net};
    const NirNetwork* best = pickNir(nets, query);
    if (!best) return std::nullopt;
    return nirInfo(*best, "jpnic", host, "JP", options);
}

// KRNIC: the English part after "# ENGLISH": "IPv4 Address : a - b (/26)", "Organization Name : X",
// contact blocks with "E-Mail : y"; later blocks are more specific assignments.
std::optional<NetworkInfo> parseKrnic(
    std::string_view text, std::string_view host, const IpAddress& query, const WhoisParseOptions& options)
{
    const std::string plain = stripHtml(text);
    std::string_view body = plain;
    if (const auto en = body.find("# ENGLISH"); en != std::string_view::npos) body.remove_prefix(en);
    std::vector<NirNetwork> nets;
    bool abuseSection = false;
    forEachLine(body, [&](std::string_view line) {
        const std::string_view t = trim(line);
        if (t.starts_with("[") && t.ends_with("]")) {
            abuseSection = icontains(t, "abuse");
            return;
        }
        const auto colon = t.find(':');
        if (colon == std::string_view::npos) return;
        const std::string_view key = trim(t.substr(0, colon));
        const std::string_view value = trim(t.substr(colon + 1));
        if (key == "IPv4 Address" || key == "IPv6 Address") {
            NirNetwork n;
            if (const auto r = parseNetworkValue(value.substr(0, value.find(" (")))) n.range = *r;
            nets.push_back(std::move(n));
            abuseSection = false;
        } else if (nets.empty()) {
            return;
        } else if (key == "Organization Name") {
            nets.back().orgName = std::string(value);
        } else if (key == "Service Name" || key == "Network Name") {
            nets.back().name = std::string(value);
        } else if (key == "Network Type") {
            nets.back().type = std::string(value);
        } else if (key == "E-Mail" || key == "E-mail" || key == "Email") {
            for (const auto& e : findEmails(value)) {
                nets.back().emails.push_back(
                    {e, abuseSection ? confidence::kAbuseMailbox : confidence::kNetworkContact});
            }
        }
    });
    const NirNetwork* best = pickNir(nets, query);
    if (!best) return std::nullopt;
    return nirInfo(*best, "krnic", host, "KR", options);
}

} // namespace

// ---------------------------------------------------------------------------------------------------

std::string_view whoisCharset(std::string_view host) noexcept
{
    struct Known {
        std::string_view host, charset;
    };
    static constexpr Known kKnown[] = {
        {"whois.ripe.net", "utf-8"},
        {"whois.arin.net", "utf-8"},
        {"whois.lacnic.net", "utf-8"},
        {"whois.afrinic.net", "utf-8"},
        {"whois.nic.or.kr", "utf-8"},
        {"whois.cnnic.cn", "utf-8"},
        {"whois.cnnic.net.cn", "utf-8"},
        {"whois.iana.org", "utf-8"},
        {"whois.cymru.com", "utf-8"},
        {"whois.apnic.net", "iso-8859-1"},
        {"whois.registro.br", "iso-8859-1"},
        {"whois.nic.hu", "iso-8859-1"},
        {"whois.fi", "iso-8859-1"},
        {"whois.isnic.is", "iso-8859-1"},
        {"whois.norid.no", "iso-8859-1"},
        {"whois.dns.lu", "iso-8859-1"},
        {"whois.nic.ad.jp", "iso-2022-jp"},
        {"whois.kg", "cp1251"},
        {"whois.twnic.net", "utf-8/big5"},
        {"whois.twnic.net.tw", "utf-8"},
    };
    host = trim(host);
    while (!host.empty() && host.back() == '.')
        host.remove_suffix(1);
    for (const Known& k : kKnown) {
        if (iequals(host, k.host)) return k.charset;
    }
    return "utf-8/iso-8859-1";
}

std::string decodeToUtf8(std::string_view bytes, std::string_view charset)
{
    try {
        const std::string cs = lowered(charset);
        // ISO-2022-JP is 7-bit: its escape sequences switch to JIS X 0208.
        const bool iso2022 = cs.starts_with("iso-2022") && bytes.find('\x1b') != std::string_view::npos;
        if (!iso2022 && isAscii(bytes)) return std::string(bytes);
        if (cs == "utf-8" || cs == "utf8") return toValidUtf8(bytes);
        if (hasMultibyteUtf8(bytes)) return std::string(bytes);
        std::string from = cs;
        if (cs == "utf-8/big5")
            from = "BIG5";
        else if (cs == "utf-8/iso-8859-1")
            from = "ISO-8859-1";
        if (from == "big5") from = "BIG5";
        if (auto out = iconvToUtf8(bytes, from)) return std::move(*out);
        // A charset iconv does not know: keep what is valid.
        return toValidUtf8(bytes);
    } catch (const std::exception&) {
        return toValidUtf8(bytes);
    }
}

std::string queryFor(std::string_view host, const IpAddress& a)
{
    const std::string address = a.toString();
    const std::string_view registry = registryOfWhoisHost(host);
    if (registry == "arin") return "n + " + address;
    if (registry == "ripe" || registry == "apnic" || registry == "afrinic") return "-r " + address;
    if (registry == "jpnic") return address + "/e";
    return address;
}

std::string asnQueryFor(std::string_view host, std::uint32_t asn)
{
    const std::string n = std::to_string(asn);
    const std::string_view registry = registryOfWhoisHost(host);
    if (registry == "arin") return "a " + n;
    if (registry == "ripe" || registry == "apnic" || registry == "afrinic") return "-r AS" + n;
    if (registry == "jpnic") return "AS" + n + "/e";
    return "AS" + n;
}

Result<WhoisAnswer> parseWhois(
    std::string_view bytes, std::string_view host, const IpAddress& query, const WhoisParseOptions& options)
{
    if (bytes.size() > options.maxBytes) {
        return fail(ErrorKind::BadResponse,
            "The WHOIS answer from " + sanitizeField(host) + " is " + std::to_string(bytes.size())
                + " bytes, more than the limit of " + std::to_string(options.maxBytes) + ".");
    }
    try {
        WhoisAnswer answer;
        answer.text = decodeToUtf8(bytes, whoisCharset(host));
        const std::string_view text = answer.text;
        const std::string_view registry = registryOfWhoisHost(host);
        const std::string who = "The WHOIS answer from " + sanitizeField(host);

        const bool jp = registry == "jpnic" || icontains(text.substr(0, 2000), "[ JPNIC database")
            || text.find("[Network Number]") != std::string_view::npos
            || text.find("[ネットワーク番号]") != std::string_view::npos;
        const bool kr = !jp
            && (registry == "krnic" || text.find("KRNIC is not an ISP") != std::string_view::npos
                || text.find("[ Network Information ]") != std::string_view::npos);
        if (jp || kr) {
            answer.network
                = jp ? parseJpnic(text, host, query, options) : parseKrnic(text, host, query, options);
            if (answer.network) return answer;
        }

        const Document doc = parseObjects(text, registry == "iana");
        std::vector<const Object*> networks;
        for (const Object& o : doc.objects) {
            if (o.isNetwork) networks.push_back(&o);
        }
        bool limited = false;
        for (const std::string& c : doc.comments)
            limited = limited || mentionsRateLimit(c);
        if (networks.empty()) {
            forEachLine(text.substr(0, std::min<std::size_t>(text.size(), 4096)),
                [&](std::string_view line) { limited = limited || mentionsRateLimit(line); });
        }
        if (limited)
            return fail(ErrorKind::RateLimited, who + " says the query limit is reached (access denied).");

        const Builder builder {doc, options};
        if (const Object* best = mostSpecific(networks, query)) {
            answer.network = builder.build(*best, networks, host);
            if (auto stub = transferredTo(*best)) answer.referral = std::move(stub);
        }

        // Referrals: ARIN's last ReferralServer wins; else a WHOIS host in ResourceLink; IANA's refer.
        std::optional<WhoisReferral> referral, resourceLink;
        for (const Object& o : doc.objects) {
            if (o.iana) continue;
            for (const auto v : o.all("referralserver")) {
                if (auto r = parseReferral(v)) referral = std::move(r);
            }
            for (const auto v : o.all("resourcelink")) {
                if (auto r = parseReferral(v); r && !resourceLink) resourceLink = std::move(r);
            }
        }
        if (!referral) referral = resourceLink;
        if (!referral && !doc.referServer.empty()) referral = parseReferral(doc.referServer);
        if (referral && !(referral->host == hostName(host) && !referral->rwhois))
            answer.referral = std::move(referral);

        if (!answer.network && !answer.referral) {
            bool notFound = false;
            forEachLine(text.substr(0, std::min<std::size_t>(text.size(), 65536)),
                [&](std::string_view line) { notFound = notFound || mentionsNotFound(line); });
            if (notFound)
                return fail(ErrorKind::NotFound, who + " has no network for " + query.toString() + ".");
            return fail(ErrorKind::BadResponse, who + " names no network and no referral.");
        }
        return answer;
    } catch (const std::exception& e) {
        return fail(ErrorKind::BadResponse, "The WHOIS answer could not be read: " + sanitizeField(e.what()));
    }
}

Result<AutnumInfo> parseWhoisAutnum(
    std::string_view bytes, std::string_view host, std::uint32_t asn, const WhoisParseOptions& options)
{
    if (bytes.size() > options.maxBytes) {
        return fail(ErrorKind::BadResponse,
            "The WHOIS answer from " + sanitizeField(host) + " is more than the limit of "
                + std::to_string(options.maxBytes) + " bytes.");
    }
    try {
        const std::string text = decodeToUtf8(bytes, whoisCharset(host));
        const std::string_view registry = registryOfWhoisHost(host);
        const Document doc = parseObjects(text, registry == "iana");
        const std::string who = "The WHOIS answer from " + sanitizeField(host);
        for (const std::string& c : doc.comments) {
            if (mentionsRateLimit(c))
                return fail(ErrorKind::RateLimited, who + " says the query limit is reached.");
        }
        // ARIN "ASNumber: 220" (or "64496 - 64511"); RPSL "aut-num: AS9700". Several: the one for asn.
        const Object* found = nullptr;
        AutnumInfo info;
        for (const Object& o : doc.objects) {
            if (o.iana) continue;
            const bool arin = o.type() == "asnumber";
            if (!arin && o.type() != "aut-num") continue;
            std::string_view v = trim(o.attrs.front().value);
            const auto dash = v.find('-');
            bool ok1 = false, ok2 = false;
            const std::uint32_t first = asnOf(v.substr(0, dash), ok1);
            const std::uint32_t last
                = dash == std::string_view::npos ? first : asnOf(v.substr(dash + 1), ok2);
            if (!ok1 || (dash != std::string_view::npos && !ok2) || last < first) continue;
            if (asn != 0 && (asn < first || asn > last)) continue;
            found = &o;
            info.first = first;
            info.last = last;
            break; // the first (authoritative) object; mirrors (source: KRNIC ...) follow it
        }
        if (!found) {
            bool notFound = false;
            forEachLine(text, [&](std::string_view line) { notFound = notFound || mentionsNotFound(line); });
            return fail(notFound ? ErrorKind::NotFound : ErrorKind::BadResponse,
                who + " has no AS" + std::to_string(asn) + ".");
        }
        const Object& o = *found;
        const bool arin = o.type() == "asnumber";
        const auto f = [](std::string_view v, std::size_t max = 256) { return sanitizeField(v, max); };
        info.name = f(arin ? o.get("asname") : o.get("as-name"));
        info.handle = f(arin ? o.get("ashandle") : o.attrs.front().value);
        info.country = countryCode(o.get("country"));
        info.whoisServer = hostName(host);
        ContactCollector abuse(options.placeholders, ContactSource::Whois);
        for (const AbuseLine& l : doc.abuseLines) {
            bool ok = false;
            const std::uint32_t n = asnOf(l.label, ok);
            if (ok && n >= info.first && n <= info.last) abuse.add(l.email, confidence::kAbuseRole);
        }
        const Builder builder {doc, options};
        for (const auto h : o.all("abuse-c")) {
            if (const Object* role = builder.contact(h)) {
                for (const auto m : role->all("abuse-mailbox"))
                    abuse.add(m, confidence::kAbuseMailbox);
            }
        }
        for (const auto irtName : o.all("mnt-irt")) {
            if (const Object* irt = builder.byKey("irt", irtName)) {
                for (const auto m : irt->all("abuse-mailbox"))
                    abuse.add(m, confidence::kAbuseMailbox);
            }
        }
        if (const Object* org = builder.byKey("organisation", o.get("org")))
            info.orgName = f(org->get("org-name"));
        info.orgHandle = f(o.get("org"));
        for (const Object& other : doc.objects) {
            if (other.iana || other.section != o.section) continue;
            if (arin) {
                if (info.orgName.empty()) info.orgName = f(other.get("orgname"));
                if (info.orgHandle.empty()) info.orgHandle = f(other.get("orgid"));
                if (info.country.empty()) info.country = countryCode(other.get("country"));
                for (const char* key : {"rabuseemail", "orgabuseemail"}) {
                    for (const auto m : other.all(key))
                        abuse.add(m, confidence::kAbuseMailbox);
                }
            }
        }
        if (info.orgName.empty()) info.orgName = f(o.get("descr"));
        info.abuse = abuse.take();
        if (!info.abuse.empty()) info.domain = std::string(emailDomain(info.abuse.front().email));
        return info;
    } catch (const std::exception& e) {
        return fail(ErrorKind::BadResponse, "The WHOIS answer could not be read: " + sanitizeField(e.what()));
    }
}

std::vector<RouteRecord> parseRoutes(std::string_view text, std::size_t maxBytes)
{
    std::vector<RouteRecord> out;
    if (text.size() > maxBytes) return out;
    try {
        const Document doc = parseObjects(toValidUtf8(text), false);
        for (const Object& o : doc.objects) {
            if (o.type() != "route" && o.type() != "route6") continue;
            const auto prefix = IpRange::parseCidr(o.attrs.front().value);
            bool ok = false;
            const std::uint32_t origin = asnOf(o.get("origin"), ok);
            if (!prefix || !ok) continue;
            out.push_back(
                {*prefix, origin, sanitizeField(o.get("descr")), sanitizeField(o.get("source"), 32)});
        }
    } catch (const std::exception&) {
        // keep what was parsed
    }
    return out;
}

std::string cymruBulkQuery(const std::vector<IpAddress>& addresses)
{
    std::string q = "begin\nverbose\n";
    for (const IpAddress& a : addresses) {
        if (!a.isValid()) continue;
        a.appendTo(q);
        q += '\n';
    }
    q += "end\n";
    return q;
}

std::vector<CymruRecord> parseCymru(std::string_view text)
{
    std::vector<CymruRecord> out;
    try {
        forEachLine(text, [&](std::string_view line) {
            std::string_view f[7];
            std::size_t n = 0;
            while (n < 7) {
                const auto bar = n < 6 ? line.find('|') : std::string_view::npos;
                f[n++] = trim(line.substr(0, bar));
                if (bar == std::string_view::npos) break;
                line.remove_prefix(bar + 1);
            }
            if (n != 7) return;
            CymruRecord r;
            const auto addr = IpAddress::parse(f[1]);
            if (!addr) return;
            r.address = *addr;
            if (const auto asn = ipmath::parseDecimal(f[0], 0xFFFFFFFFull))
                r.asn = *asn;
            else if (f[0] != "NA")
                return;
            r.prefix = IpRange::parseCidr(f[2]);
            r.country = countryCode(f[3]);
            const std::string reg = lowered(f[4]);
            if (reg == "ripencc" || reg == "ripe")
                r.registry = "ripe";
            else if (reg == "arin" || reg == "apnic" || reg == "lacnic" || reg == "afrinic")
                r.registry = reg;
            else if (reg != "other" && !reg.empty())
                return; // an unknown registry: a malformed line
            if (f[5].size() == 10 && f[5][4] == '-' && f[5][7] == '-') r.allocated = std::string(f[5]);
            r.asName = sanitizeField(f[6]);
            out.push_back(std::move(r));
        });
    } catch (const std::exception&) {
        // keep what was parsed
    }
    return out;
}

} // namespace tattle::core::resolver
