// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/contacts.h"

#include "core/resolver/json_guard.h"
#include "core/text_util.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace tattle::core::resolver {

namespace {

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

bool isAlnum(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool isLocalChar(char c) noexcept
{
    return isAlnum(c) || std::string_view("!#$%&'*+/=?^_`{|}~.-").find(c) != std::string_view::npos;
}

bool isDomainChar(char c) noexcept
{
    return isAlnum(c) || c == '-' || c == '.';
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) noexcept
{
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (lower(s[i]) != prefix[i]) return false;
    }
    return true;
}

bool validDomain(std::string_view d) noexcept
{
    if (d.empty() || d.size() > 253) return false;
    int labels = 0;
    std::string_view last;
    while (true) {
        const auto dot = d.find('.');
        const std::string_view label = d.substr(0, dot);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label) {
            if (!isAlnum(c) && c != '-') return false;
        }
        ++labels;
        last = label;
        if (dot == std::string_view::npos) break;
        d.remove_prefix(dot + 1);
    }
    if (labels < 2 || last.size() < 2) return false;
    if (startsWithNoCase(last, "xn--")) return true;
    return std::all_of(
        last.begin(), last.end(), [](char c) { return isAlnum(c) && !(c >= '0' && c <= '9'); });
}

bool validLocal(std::string_view l) noexcept
{
    if (l.empty() || l.size() > 64 || l.front() == '.' || l.back() == '.') return false;
    if (l.find("..") != std::string_view::npos) return false;
    return std::all_of(l.begin(), l.end(), isLocalChar);
}

bool isSpace(char c) noexcept
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trimSpaces(std::string_view s) noexcept
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::optional<std::string> cleanEmail(std::string_view raw)
{
    if (raw.size() > 1024) return std::nullopt;
    std::string_view s = trimSpaces(raw);
    for (int round = 0; round < 4; ++round) {
        const std::string_view before = s;
        if (startsWithNoCase(s, "mailto:")) s.remove_prefix(7);
        while (!s.empty() && std::string_view("<\"'([").find(s.front()) != std::string_view::npos)
            s.remove_prefix(1);
        while (!s.empty() && std::string_view(">\"')].,;:").find(s.back()) != std::string_view::npos)
            s.remove_suffix(1);
        s = trimSpaces(s);
        if (s == before) break;
    }
    if (s.size() > 254) return std::nullopt;
    const auto at = s.find('@');
    if (at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return std::nullopt;
    const std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
    if (!validLocal(local) || !validDomain(domain)) return std::nullopt;
    std::string out(local);
    out += '@';
    out += lowered(domain);
    return out;
}

std::string_view emailDomain(std::string_view email) noexcept
{
    const auto at = email.rfind('@');
    return at == std::string_view::npos ? std::string_view {} : email.substr(at + 1);
}

std::vector<std::string> findEmails(std::string_view text)
{
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from < text.size()) {
        const auto at = text.find('@', from);
        if (at == std::string_view::npos) break;
        std::size_t b = at, e = at + 1;
        while (b > 0 && isLocalChar(text[b - 1]))
            --b;
        while (e < text.size() && isDomainChar(text[e]))
            ++e;
        if (const auto email = cleanEmail(text.substr(b, e - b))) {
            if (std::find(out.begin(), out.end(), *email) == out.end()) out.push_back(*email);
        }
        from = at + 1;
    }
    return out;
}

std::string sanitizeField(std::string_view raw, std::size_t maxBytes)
{
    // Cut the input early: a 100 MB "name" must not be copied around before it is shortened.
    const std::string safe = sanitizeForDisplay(raw.substr(0, std::min(raw.size(), maxBytes * 4 + 16)));
    std::string out;
    out.reserve(std::min(safe.size(), maxBytes));
    bool pendingSpace = false;
    for (std::size_t i = 0; i < safe.size(); ++i) {
        const auto c = static_cast<unsigned char>(safe[i]);
        bool blank = c == ' ';
        std::size_t skip = 0;
        if (c == 0xE2 && i + 2 < safe.size()) {
            const auto c1 = static_cast<unsigned char>(safe[i + 1]),
                       c2 = static_cast<unsigned char>(safe[i + 2]);
            // U+2028/U+2029 line and paragraph separators, U+200E/U+200F and U+202A..U+202E marks and
            // bidi embeddings/overrides, U+2066..U+2069 bidi isolates: they reorder or break display.
            if ((c1 == 0x80
                    && (c2 == 0xA8 || c2 == 0xA9 || c2 == 0x8E || c2 == 0x8F || (c2 >= 0xAA && c2 <= 0xAE)))
                || (c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9)) {
                blank = true;
                skip = 2;
            }
        }
        if (blank) {
            pendingSpace = !out.empty();
            i += skip;
            continue;
        }
        if (pendingSpace) {
            out.push_back(' ');
            pendingSpace = false;
        }
        out.push_back(char(c));
    }
    if (out.size() > maxBytes) {
        std::size_t cut = maxBytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
            --cut;
        out.resize(cut);
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
    }
    return out;
}

bool mentionsAbuse(std::string_view text) noexcept
{
    for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
        if (startsWithNoCase(text.substr(i), "abuse") || startsWithNoCase(text.substr(i), "spam"))
            return true;
    }
    return false;
}

std::string_view registryOfWhoisHost(std::string_view host) noexcept
{
    struct Known {
        std::string_view host, id;
    };
    static constexpr Known kKnown[]
        = {{"whois.arin.net", "arin"}, {"whois.ripe.net", "ripe"}, {"whois.apnic.net", "apnic"},
            {"whois.lacnic.net", "lacnic"}, {"whois.afrinic.net", "afrinic"}, {"whois.nic.ad.jp", "jpnic"},
            {"whois.nic.or.kr", "krnic"}, {"whois.krnic.net", "krnic"}, {"whois.kisa.or.kr", "krnic"},
            {"whois.twnic.net", "twnic"}, {"whois.twnic.net.tw", "twnic"}, {"whois.registro.br", "nicbr"},
            {"whois.cnnic.cn", "cnnic"}, {"whois.cnnic.net.cn", "cnnic"}, {"whois.iana.org", "iana"}};
    host = trimSpaces(host);
    while (!host.empty() && host.back() == '.')
        host.remove_suffix(1);
    for (const Known& k : kKnown) {
        if (host.size() == k.host.size() && startsWithNoCase(host, k.host)) return k.id;
    }
    return {};
}

std::string hostName(std::string_view host)
{
    host = trimSpaces(host);
    while (!host.empty() && host.back() == '.')
        host.remove_suffix(1);
    if (host.empty() || host.size() > 253) return {};
    for (char c : host) {
        if (!isDomainChar(c)) return {};
    }
    if (host.front() == '.' || host.front() == '-' || host.find("..") != std::string_view::npos) return {};
    return lowered(host);
}

std::string countryCode(std::string_view text)
{
    text = trimSpaces(text);
    if (text.size() != 2) return {};
    std::string out;
    for (char c : text) {
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') return {};
        out.push_back(c);
    }
    // "ZZ" is APNIC's prop-125 filler for an unknown country; "XX" others' (ISO 3166 user-assigned).
    if (out == "ZZ" || out == "XX") return {};
    return out;
}

Result<PlaceholderList> PlaceholderList::load(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(ErrorKind::Config, "Cannot open " + file.string() + ".");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), file.string());
}

Result<PlaceholderList> PlaceholderList::parse(std::string_view json, std::string_view sourceName)
{
    auto doc = parseUntrustedJson(json, 1 << 20, sourceName, ErrorKind::Config);
    if (!doc) return std::unexpected(doc.error());
    const std::string src(sourceName);
    if (!doc->is_object()) return fail(ErrorKind::Config, src + ": not a JSON object.");
    const auto format = doc->find("format");
    if (format == doc->end() || !format->is_string() || *format != "tattle-abuse-placeholders-1") {
        return fail(ErrorKind::Config, src + ": /format: expected \"tattle-abuse-placeholders-1\".");
    }
    PlaceholderList list;
    for (const char* section : {"emails", "texts"}) {
        const auto it = doc->find(section);
        if (it == doc->end() || !it->is_array()) {
            return fail(ErrorKind::Config, src + ": /" + section + ": missing or not an array.");
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            const auto& item = (*it)[i];
            const std::string ptr = src + ": /" + section + "/" + std::to_string(i);
            const nlohmann::json* value = &item;
            if (item.is_object()) {
                const auto v = item.find(std::string_view(section) == "emails" ? "email" : "text");
                if (v == item.end()) return fail(ErrorKind::Config, ptr + ": no value.");
                value = &*v;
            }
            if (!value->is_string()) return fail(ErrorKind::Config, ptr + ": not a string.");
            const auto text = value->get<std::string>();
            if (std::string_view(section) == "emails") {
                const auto email = cleanEmail(text);
                if (!email)
                    return fail(ErrorKind::Config, ptr + ": not an e-mail address: " + sanitizeField(text));
                list.m_emails.push_back(lowered(*email));
            } else {
                list.m_texts.push_back(lowered(trimSpaces(text)));
            }
        }
    }
    return list;
}

bool PlaceholderList::isPlaceholder(std::string_view text) const
{
    const std::string t = lowered(trimSpaces(text));
    if (std::find(m_texts.begin(), m_texts.end(), t) != m_texts.end()) return true;
    if (const auto email = cleanEmail(text)) {
        return std::find(m_emails.begin(), m_emails.end(), lowered(*email)) != m_emails.end();
    }
    return false;
}

bool ContactCollector::add(std::string_view raw, int confidence)
{
    if (m_placeholders && m_placeholders->isPlaceholder(raw)) return false;
    const auto email = cleanEmail(raw);
    if (!email) return false;
    if (m_placeholders && m_placeholders->isPlaceholder(*email)) return false;
    const std::string key = lowered(*email);
    for (auto& c : m_contacts) {
        if (lowered(c.email) == key) {
            c.confidence = std::max(c.confidence, confidence);
            return true;
        }
    }
    m_contacts.push_back({*email, m_source, confidence});
    return true;
}

void ContactCollector::addFromRemark(std::string_view text, int confidence)
{
    // Line by line: "send spam to abuse@x" yes, "whois corrections to ipadm@x" two lines further no. A line
    // that mentions abuse without an address lends the mention to the next line ("... can be done via" /
    // "resolver-abuse@example.com").
    bool carried = false;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view {} : text.substr(nl + 1);
        const bool mentions = mentionsAbuse(line);
        bool found = false;
        if (mentions || carried) {
            for (const auto& e : findEmails(line))
                found = add(e, confidence) || found;
        }
        carried = mentions && !found && findEmails(line).empty();
    }
}

std::vector<AbuseContact> ContactCollector::take()
{
    std::stable_sort(m_contacts.begin(), m_contacts.end(),
        [](const AbuseContact& a, const AbuseContact& b) { return a.confidence > b.confidence; });
    return std::move(m_contacts);
}

} // namespace tattle::core::resolver
