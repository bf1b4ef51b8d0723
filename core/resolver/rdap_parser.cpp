// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/rdap_parser.h"

#include "core/resolver/ip_math.h"
#include "core/resolver/json_guard.h"

#include <algorithm>

namespace tattle::core::resolver {

namespace {

using nlohmann::json;

constexpr int kMaxEntities = 512; // entities visited per answer

std::string str(const json& obj, const char* key, std::size_t maxBytes = 256)
{
    if (!obj.is_object()) return {};
    const auto it = obj.find(key);
    if (it == obj.end()) return {};
    if (it->is_string()) return sanitizeField(it->get_ref<const std::string&>(), maxBytes);
    if (it->is_number_unsigned() || it->is_number_integer()) return std::to_string(it->get<long long>());
    return {};
}

std::string lowerAscii(std::string s)
{
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    }
    return s;
}

// ARIN writes "074.125.000.000"; old RIPE answers "62.239.237.0/32". Both mean one plain address.
std::optional<IpAddress> parseRdapAddress(std::string_view s)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    if (const auto slash = s.find('/'); slash != std::string_view::npos) s = s.substr(0, slash);
    if (s.find(':') != std::string_view::npos) return IpAddress::parse(s);
    std::uint8_t b[4];
    for (int part = 0; part < 4; ++part) {
        const auto dot = s.find('.');
        if ((part < 3) == (dot == std::string_view::npos)) return std::nullopt;
        const auto v = ipmath::parseDecimal(s.substr(0, dot), 255);
        if (!v || s.substr(0, dot).size() > 3) return std::nullopt;
        b[part] = std::uint8_t(*v);
        s = dot == std::string_view::npos ? std::string_view {} : s.substr(dot + 1);
    }
    return IpAddress::fromBytes(b, 4);
}

struct Email {
    int pref = 101;
    std::string address;
};

struct Entity {
    std::string handle, fn, kind, country;
    std::vector<std::string> roles;
    std::vector<Email> emails; // by pref, then document order
    const json* remarks = nullptr;
    bool hasRole(std::string_view r) const { return std::find(roles.begin(), roles.end(), r) != roles.end(); }
};

int prefOf(const json& params)
{
    if (!params.is_object()) return 101;
    const auto it = params.find("pref");
    if (it == params.end()) return 101;
    if (it->is_number_integer() || it->is_number_unsigned())
        return int(std::clamp<long long>(it->get<long long>(), 1, 100));
    if (it->is_string()) {
        if (const auto v = ipmath::parseDecimal(it->get_ref<const std::string&>(), 100))
            return int(std::max(1u, *v));
    }
    return 101;
}

void readVcard(const json& vcardArray, Entity& e)
{
    // ["vcard", [[name, params, type, value], ...]]
    if (!vcardArray.is_array() || vcardArray.size() < 2 || !vcardArray[1].is_array()) return;
    for (const json& prop : vcardArray[1]) {
        if (!prop.is_array() || prop.size() < 4 || !prop[0].is_string()) continue;
        const std::string name = lowerAscii(prop[0].get<std::string>());
        const json& value = prop[3];
        if (name == "email" && value.is_string()) {
            e.emails.push_back({prefOf(prop[1]), value.get<std::string>()});
        } else if (name == "fn" && value.is_string() && e.fn.empty()) {
            e.fn = sanitizeField(value.get_ref<const std::string&>());
        } else if (name == "kind" && value.is_string()) {
            e.kind = lowerAscii(sanitizeField(value.get_ref<const std::string&>(), 32));
        } else if (name == "adr" && value.is_array() && value.size() == 7 && value[6].is_string()) {
            e.country = countryCode(value[6].get<std::string>());
        }
    }
    std::stable_sort(
        e.emails.begin(), e.emails.end(), [](const Email& a, const Email& b) { return a.pref < b.pref; });
}

// Depth first, in document order: ARIN nests the abuse entity under the registrant.
void collectEntities(const json& obj, std::vector<Entity>& out, int depth)
{
    if (depth > kMaxJsonDepth || !obj.is_object()) return;
    const auto it = obj.find("entities");
    if (it == obj.end() || !it->is_array()) return;
    for (const json& ent : *it) {
        if (out.size() >= std::size_t(kMaxEntities)) return;
        if (!ent.is_object()) continue;
        Entity e;
        e.handle = str(ent, "handle");
        if (const auto r = ent.find("roles"); r != ent.end() && r->is_array()) {
            for (const json& role : *r) {
                if (role.is_string())
                    e.roles.push_back(lowerAscii(sanitizeField(role.get_ref<const std::string&>(), 32)));
            }
        }
        if (const auto v = ent.find("vcardArray"); v != ent.end()) readVcard(*v, e);
        if (const auto r = ent.find("remarks"); r != ent.end() && r->is_array()) e.remarks = &*r;
        out.push_back(std::move(e));
        collectEntities(ent, out, depth + 1);
    }
}

// Each remark: {"title": ..., "description": [lines]}; yields title + lines as one text.
template<typename F> void forEachRemark(const json* remarks, F&& f)
{
    if (!remarks || !remarks->is_array()) return;
    for (const json& r : *remarks) {
        if (!r.is_object()) continue;
        std::string text = str(r, "title");
        if (const auto d = r.find("description"); d != r.end() && d->is_array()) {
            for (const json& line : *d) {
                if (line.is_string()) {
                    text += '\n';
                    text += line.get_ref<const std::string&>().substr(0, 4096);
                }
            }
        }
        f(str(r, "title"), text);
    }
}

struct Common {
    std::string orgName, orgHandle, domain, country;
    std::vector<AbuseContact> abuse;
};

Common analyseEntities(const json& doc, const RdapOptions& options)
{
    std::vector<Entity> entities;
    collectEntities(doc, entities, 0);
    Common c;

    ContactCollector abuse(options.placeholders, ContactSource::Rdap);
    for (const Entity& e : entities) {
        if (!e.hasRole("abuse")) continue;
        const int conf = e.roles.size() == 1 ? confidence::kAbuseRole : confidence::kSharedAbuseRole;
        for (const Email& m : e.emails)
            abuse.add(m.address, conf);
    }
    if (abuse.empty()) {
        for (const Entity& e : entities) {
            for (const Email& m : e.emails) {
                const auto email = cleanEmail(m.address);
                if (email && lowerAscii(email->substr(0, 5)) == "abuse")
                    abuse.add(*email, confidence::kAbuseLocalPart);
            }
        }
        const auto fromRemark = [&](const std::string&, const std::string& text) {
            abuse.addFromRemark(text, confidence::kRemark);
        };
        if (const auto r = doc.find("remarks"); r != doc.end()) forEachRemark(&*r, fromRemark);
        for (const Entity& e : entities)
            forEachRemark(e.remarks, fromRemark);
    }
    c.abuse = abuse.take();

    // The holder: a registrant with a real name (organisations first), else any organisation entity.
    const Entity* org = nullptr;
    const auto named = [](const Entity& e) { return !e.fn.empty() && e.fn != e.handle; };
    for (const Entity& e : entities) {
        if (e.hasRole("registrant") && named(e) && (!org || (e.kind == "org" && org->kind != "org")))
            org = &e;
    }
    if (!org) {
        for (const Entity& e : entities) {
            if (e.kind == "org" && named(e)) {
                org = &e;
                break;
            }
        }
    }
    if (org) {
        c.orgName = org->fn;
        c.orgHandle = org->handle;
        c.country = org->country;
    } else {
        for (const Entity& e : entities) {
            if (e.hasRole("registrant") && !e.handle.empty()) {
                c.orgHandle = e.handle;
                break;
            }
        }
    }
    if (c.orgName.empty()) {
        if (const auto r = doc.find("remarks"); r != doc.end()) {
            forEachRemark(&*r, [&](const std::string& title, const std::string& text) {
                if (c.orgName.empty() && lowerAscii(title) == "description") {
                    const auto nl = text.find('\n');
                    if (nl != std::string::npos)
                        c.orgName = sanitizeField(text.substr(nl + 1, text.find('\n', nl + 1) - nl - 1));
                }
            });
        }
    }

    // The network's own domain, for the RFC 2142 guess: from its abuse contact, else its holder's e-mail.
    const auto usable = [&](const std::string& raw) -> std::string {
        const auto e = cleanEmail(raw);
        if (!e || (options.placeholders && options.placeholders->isPlaceholder(*e))) return {};
        return std::string(emailDomain(*e));
    };
    if (!c.abuse.empty()) c.domain = std::string(emailDomain(c.abuse.front().email));
    for (const Entity& e : entities) {
        if (!c.domain.empty()) break;
        if (!e.hasRole("registrant") && e.kind != "org") continue;
        for (const Email& m : e.emails) {
            if (c.domain.empty()) c.domain = usable(m.address);
        }
    }
    return c;
}

std::string hintsOf(const json& doc)
{
    std::string text;
    const auto add = [&](const json& v) {
        if (v.is_string()) text += " " + v.get<std::string>().substr(0, 512);
    };
    add(doc.value("title", json()));
    if (const auto d = doc.find("description"); d != doc.end() && d->is_array()) {
        for (const json& line : *d)
            add(line);
    }
    if (const auto n = doc.find("notices"); n != doc.end() && n->is_array()) {
        for (const json& notice : *n) {
            if (!notice.is_object()) continue;
            add(notice.value("title", json()));
            if (const auto d = notice.find("description"); d != notice.end() && d->is_array()) {
                for (const json& line : *d)
                    add(line);
            }
        }
    }
    return sanitizeField(text, 300);
}

bool mentionsRateLimit(std::string_view text)
{
    const std::string t = lowerAscii(std::string(text));
    return t.find("rate limit") != std::string::npos || t.find("too many requests") != std::string::npos
        || t.find("query limit") != std::string::npos;
}

// An RDAP error object, or a document that is only a rate-limit notice.
std::optional<Error> errorOfDocument(const json& doc, int httpStatus)
{
    if (!doc.is_object()) return std::nullopt;
    int code = 0;
    if (const auto it = doc.find("errorCode"); it != doc.end()) {
        if (it->is_number_integer() || it->is_number_unsigned())
            code = int(std::clamp<long long>(it->get<long long>(), 0, 999));
        else if (it->is_string())
            code = int(ipmath::parseDecimal(it->get_ref<const std::string&>(), 999).value_or(0));
        if (code == 0) code = httpStatus >= 400 ? httpStatus : 500;
    }
    const bool isObject = doc.contains("objectClassName") || doc.contains("startAddress");
    const std::string hints = hintsOf(doc);
    if (code == 0 && !isObject && mentionsRateLimit(hints)) code = 429;
    if (code == 0 && httpStatus >= 400 && !isObject) code = httpStatus;
    if (code == 0) return std::nullopt;
    const std::string detail = hints.empty() ? std::string(".") : ": " + hints + ".";
    if (code == 429 || mentionsRateLimit(hints)) {
        return Error {ErrorKind::RateLimited,
            "The RDAP server asks to slow down (" + std::to_string(code) + ")" + detail};
    }
    if (code == 404) return Error {ErrorKind::NotFound, "The RDAP server has no such object (404)" + detail};
    return Error {
        ErrorKind::BadResponse, "The RDAP server answered with error " + std::to_string(code) + detail};
}

Result<json> parseBody(std::string_view body, const RdapOptions& options)
{
    return parseUntrustedJson(body, options.maxBytes, "The RDAP answer");
}

} // namespace

std::optional<Error> rdapError(std::string_view body, int httpStatus)
{
    if (httpStatus == 429)
        return Error {ErrorKind::RateLimited, "The RDAP server asks to slow down (HTTP 429)."};
    try {
        auto doc = parseUntrustedJson(body, kDefaultMaxAnswerBytes, "The RDAP answer");
        if (doc) {
            if (auto e = errorOfDocument(*doc, httpStatus)) return e;
        }
    } catch (const std::exception&) {
        // fall through to the status
    }
    if (httpStatus == 404)
        return Error {ErrorKind::NotFound, "The RDAP server has no such object (HTTP 404)."};
    if (httpStatus >= 400) {
        return Error {
            ErrorKind::BadResponse, "The RDAP server answered HTTP " + std::to_string(httpStatus) + "."};
    }
    return std::nullopt;
}

Result<NetworkInfo> parseRdapNetwork(std::string_view body, const RdapOptions& options)
{
    try {
        auto parsed = parseBody(body, options);
        if (!parsed) return std::unexpected(parsed.error());
        const json& doc = *parsed;
        if (!doc.is_object()) return fail(ErrorKind::BadResponse, "The RDAP answer is not a JSON object.");
        if (auto e = errorOfDocument(doc, 200)) return std::unexpected(*e);
        const std::string cls = str(doc, "objectClassName", 64);
        if (!(cls == "ip network" || (cls.empty() && doc.contains("startAddress")))) {
            return fail(ErrorKind::BadResponse,
                "The RDAP answer is "
                    + (cls.empty() ? std::string("no RDAP object") : "an \"" + cls + "\" object")
                    + ", not an ip network.");
        }

        NetworkInfo info;
        // cidr0 (draft-ietf-regext-rdap-cidr): [{"v4prefix": "1.1.1.0", "length": 24}, ...]
        std::vector<IpRange> blocks;
        if (const auto it = doc.find("cidr0_cidrs"); it != doc.end() && it->is_array()) {
            for (const json& c : *it) {
                if (!c.is_object() || blocks.size() >= 64) continue;
                std::string prefix = str(c, "v4prefix", 64);
                if (prefix.empty()) prefix = str(c, "v6prefix", 64);
                const auto len = c.find("length");
                const auto base = parseRdapAddress(prefix);
                if (!base || len == c.end() || !len->is_number_unsigned()) continue;
                const auto r = IpRange::fromPrefix(
                    *base, int(std::min<std::uint64_t>(len->get<std::uint64_t>(), 999)));
                if (r) blocks.push_back(*r);
            }
        }
        const auto start = parseRdapAddress(str(doc, "startAddress", 64));
        const auto end = parseRdapAddress(str(doc, "endAddress", 64));
        if (start && end && IpRange {*start, *end}.valid()) {
            info.range = {*start, *end};
        } else if (!blocks.empty()) {
            info.range = blocks.front();
            for (const IpRange& b : blocks) {
                if (b.first.family() != info.range.first.family()) continue;
                info.range.first = std::min(info.range.first, b.first);
                info.range.last = std::max(info.range.last, b.last);
            }
        } else {
            return fail(ErrorKind::BadResponse,
                "The RDAP ip network has no valid startAddress/endAddress or cidr0_cidrs.");
        }
        for (const IpRange& b : blocks) {
            if (b.within(info.range)) info.cidrs.push_back(b.toString());
        }
        if (info.cidrs.empty() && info.range.prefixLength()) info.cidrs.push_back(info.range.toString());

        info.handle = str(doc, "handle");
        info.name = str(doc, "name");
        info.type = str(doc, "type", 64);
        info.country = countryCode(str(doc, "country", 8));
        info.parentHandle = str(doc, "parentHandle");
        info.whoisServer = hostName(str(doc, "port43", 128));
        info.registry = std::string(registryOfWhoisHost(info.whoisServer));
        if (const auto it = doc.find("arin_originas0_originautnums"); it != doc.end() && it->is_array()) {
            for (const json& a : *it) {
                if (a.is_number_unsigned() && a.get<std::uint64_t>() <= 0xFFFFFFFFull) {
                    info.asn = std::uint32_t(a.get<std::uint64_t>());
                    break;
                }
            }
        }
        Common c = analyseEntities(doc, options);
        info.orgName = std::move(c.orgName);
        info.orgHandle = std::move(c.orgHandle);
        info.abuse = std::move(c.abuse);
        info.domain = std::move(c.domain);
        if (info.country.empty()) info.country = c.country;
        return info;
    } catch (const std::exception& e) {
        return fail(ErrorKind::BadResponse, "The RDAP answer could not be read: " + sanitizeField(e.what()));
    }
}

Result<AutnumInfo> parseRdapAutnum(std::string_view body, const RdapOptions& options)
{
    try {
        auto parsed = parseBody(body, options);
        if (!parsed) return std::unexpected(parsed.error());
        const json& doc = *parsed;
        if (!doc.is_object()) return fail(ErrorKind::BadResponse, "The RDAP answer is not a JSON object.");
        if (auto e = errorOfDocument(doc, 200)) return std::unexpected(*e);
        const std::string cls = str(doc, "objectClassName", 64);
        if (cls != "autnum") {
            return fail(ErrorKind::BadResponse,
                "The RDAP answer is "
                    + (cls.empty() ? std::string("no RDAP object") : "an \"" + cls + "\" object")
                    + ", not an autnum.");
        }
        AutnumInfo info;
        const auto number = [&](const char* key) -> std::optional<std::uint32_t> {
            const auto it = doc.find(key);
            if (it == doc.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() > 0xFFFFFFFFull)
                return std::nullopt;
            return std::uint32_t(it->get<std::uint64_t>());
        };
        info.handle = str(doc, "handle");
        const auto first = number("startAutnum");
        const auto last = number("endAutnum");
        std::optional<std::uint32_t> fromHandle;
        if (info.handle.size() > 2 && lowerAscii(info.handle.substr(0, 2)) == "as") {
            fromHandle = ipmath::parseDecimal(info.handle.substr(2), 0xFFFFFFFFull);
        }
        if (first) {
            info.first = *first;
            info.last = last && *last >= *first ? *last : *first;
        } else if (fromHandle) {
            info.first = info.last = *fromHandle;
        } else {
            return fail(ErrorKind::BadResponse, "The RDAP autnum has no startAutnum.");
        }
        info.name = str(doc, "name");
        info.type = str(doc, "type", 64);
        info.country = countryCode(str(doc, "country", 8));
        info.whoisServer = hostName(str(doc, "port43", 128));
        Common c = analyseEntities(doc, options);
        info.orgName = std::move(c.orgName);
        info.orgHandle = std::move(c.orgHandle);
        info.abuse = std::move(c.abuse);
        info.domain = std::move(c.domain);
        if (info.country.empty()) info.country = c.country;
        return info;
    } catch (const std::exception& e) {
        return fail(ErrorKind::BadResponse, "The RDAP answer could not be read: " + sanitizeField(e.what()));
    }
}

} // namespace tattle::core::resolver
