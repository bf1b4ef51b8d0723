// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/vendor_text.h"

#include "core/text_util.h"
#include "parsers/text.h"

namespace tattle::parsers::vendor {

namespace {

inline char at(std::string_view s, std::size_t i) noexcept
{
    return i < s.size() ? s[i] : '\0';
}

inline bool isBlank(char c) noexcept
{
    return c == ' ' || c == '\t';
}

inline bool isAlpha(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool twoDigits(std::string_view s, std::size_t pos, unsigned& out) noexcept
{
    const char a = at(s, pos), b = at(s, pos + 1);
    if (!text::isDigit(a) || !text::isDigit(b)) return false;
    out = unsigned(a - '0') * 10 + unsigned(b - '0');
    return true;
}

// One or two digits at pos: the position after them, or npos.
std::size_t oneOrTwoDigits(std::string_view s, std::size_t pos, unsigned& out) noexcept
{
    if (!text::isDigit(at(s, pos))) return npos;
    out = unsigned(s[pos] - '0');
    ++pos;
    if (text::isDigit(at(s, pos))) {
        out = out * 10 + unsigned(s[pos] - '0');
        ++pos;
    }
    return pos;
}

inline bool endsStamp(std::string_view s, std::size_t pos) noexcept
{
    return pos != npos && (pos == s.size() || isBlank(s[pos]));
}

bool isKeyChar(char c) noexcept
{
    return isAlpha(c) || text::isDigit(c) || c == '_' || c == '-' || c == '.';
}

} // namespace

bool isPrintableAscii(std::string_view s) noexcept
{
    for (char c : s) {
        if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
}

void assignText(std::string& out, std::string_view s)
{
    if (isPrintableAscii(s))
        out.assign(s);
    else
        out = core::sanitizeForDisplay(s);
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) noexcept
{
    return s.size() >= prefix.size() && text::iequals(s.substr(0, prefix.size()), prefix);
}

bool parseU64(std::string_view s, std::uint64_t& out) noexcept
{
    if (s.empty() || s.size() > 19) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (!text::isDigit(c)) return false;
        v = v * 10 + std::uint64_t(c - '0');
    }
    out = v;
    return true;
}

bool parseHexOrDecimal(std::string_view s, unsigned& out, unsigned max) noexcept
{
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        if (s.size() > 8) return false;
        unsigned v = 0;
        for (char c : s) {
            unsigned d = 0;
            if (text::isDigit(c))
                d = unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                d = unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                d = unsigned(c - 'A' + 10);
            else
                return false;
            v = v * 16 + d;
        }
        if (v > max) return false;
        out = v;
        return true;
    }
    return text::parseUint(s, out, max);
}

bool parseEpoch(std::string_view s, core::Micros& out) noexcept
{
    std::uint64_t v = 0;
    if (!parseU64(s, v)) return false;
    if (s.size() <= 10)
        out = core::Micros(v) * core::kMicrosPerSecond;
    else if (s.size() <= 13)
        out = core::Micros(v) * 1000;
    else if (s.size() <= 16)
        out = core::Micros(v);
    else
        out = core::Micros(v / 1000);
    return true;
}

std::size_t parseClock(std::string_view s, std::size_t pos, core::CivilTime& c) noexcept
{
    pos = oneOrTwoDigits(s, pos, c.hour);
    if (pos == npos || at(s, pos) != ':' || at(s, pos + 3) != ':' || !twoDigits(s, pos + 1, c.minute)
        || !twoDigits(s, pos + 4, c.second))
        return npos;
    pos += 6;
    c.micros = 0;
    if (at(s, pos) == '.' || at(s, pos) == ',') {
        const std::size_t start = ++pos;
        unsigned scale = 100000;
        while (text::isDigit(at(s, pos))) {
            c.micros += unsigned(s[pos] - '0') * scale; // digits past microseconds add 0
            scale /= 10;
            ++pos;
        }
        if (pos == start) return npos;
    }
    return pos;
}

std::size_t parseZone(std::string_view s, std::size_t pos, int& offsetSeconds) noexcept
{
    const char sign = at(s, pos);
    if (sign == 'Z' || sign == 'z') {
        offsetSeconds = 0;
        return pos + 1;
    }
    if (sign != '+' && sign != '-') return npos;
    unsigned h = 0, m = 0;
    if (!twoDigits(s, pos + 1, h)) return npos;
    std::size_t p = pos + 3;
    if (at(s, p) == ':') ++p;
    if (!twoDigits(s, p, m) || h > 14 || m > 59) return npos;
    offsetSeconds = (sign == '-' ? -1 : 1) * int(h * 3600 + m * 60);
    return p + 2;
}

std::size_t parseYmd(std::string_view s, std::size_t pos, core::CivilTime& c) noexcept
{
    unsigned yh = 0, yl = 0;
    if (!twoDigits(s, pos, yh) || !twoDigits(s, pos + 2, yl)) return npos;
    const char sep = at(s, pos + 4);
    if (sep != '-' && sep != '/') return npos;
    c.year = int(yh * 100 + yl);
    pos = oneOrTwoDigits(s, pos + 5, c.month);
    if (pos == npos || at(s, pos) != sep) return npos;
    return oneOrTwoDigits(s, pos + 1, c.day);
}

std::size_t parseStamp(std::string_view s, Stamp& st) noexcept
{
    st = Stamp();
    core::CivilTime& c = st.civil;
    const char c0 = at(s, 0);
    if (text::isDigit(c0)) {
        std::size_t pos = parseYmd(s, 0, c);
        if (pos != npos) {
            const char t = at(s, pos);
            if (t != 'T' && t != 't' && t != ' ') return 0;
            pos = parseClock(s, pos + 1, c);
            if (pos == npos) return 0;
            if (endsStamp(s, pos)) {
                st.kind = Stamp::Kind::Local;
                return pos;
            }
            pos = parseZone(s, pos, st.offsetSeconds);
            if (!endsStamp(s, pos)) return 0;
            st.kind = Stamp::Kind::Absolute;
            return pos;
        }
        // "2018 Apr 09 16:03:37"
        unsigned yh = 0, yl = 0;
        if (!twoDigits(s, 0, yh) || !twoDigits(s, 2, yl) || at(s, 4) != ' ') return 0;
        c.month = core::monthFromAbbrev(s.substr(5, 3));
        if (c.month == 0 || at(s, 8) != ' ') return 0;
        c.year = int(yh * 100 + yl);
        pos = 9;
        if (at(s, pos) == ' ') ++pos;
        pos = oneOrTwoDigits(s, pos, c.day);
        if (pos == npos || at(s, pos) != ' ') return 0;
        pos = parseClock(s, pos + 1, c);
        if (!endsStamp(s, pos)) return 0;
        st.kind = Stamp::Kind::Local;
        return pos;
    }
    if (!isAlpha(c0)) return 0;
    c.month = core::monthFromAbbrev(s.substr(0, 3));
    if (c.month == 0 || at(s, 3) != ' ') return 0;
    std::size_t pos = 4;
    if (at(s, pos) == ' ') ++pos;
    pos = oneOrTwoDigits(s, pos, c.day);
    if (pos == npos || at(s, pos) != ' ') return 0;
    ++pos;
    // "Oct  5 2018 10:52:19", with an offset on Huawei's "Mar 26 2022 17:06:48+03:00"
    unsigned yh = 0, yl = 0;
    if (twoDigits(s, pos, yh) && twoDigits(s, pos + 2, yl) && at(s, pos + 4) == ' ') {
        c.year = int(yh * 100 + yl);
        pos = parseClock(s, pos + 5, c);
        if (pos == npos) return 0;
        st.kind = Stamp::Kind::Local;
        if (at(s, pos) == '+' || at(s, pos) == '-') {
            pos = parseZone(s, pos, st.offsetSeconds);
            st.kind = Stamp::Kind::Absolute;
        }
        if (!endsStamp(s, pos)) {
            st.kind = Stamp::Kind::None;
            return 0;
        }
        return pos;
    }
    pos = parseClock(s, pos, c);
    if (!endsStamp(s, pos)) return 0;
    st.kind = Stamp::Kind::NoYear;
    return pos;
}

std::string_view skipPri(std::string_view s) noexcept
{
    if (at(s, 0) == '<') {
        std::size_t p = 1;
        while (p < 5 && text::isDigit(at(s, p)))
            ++p;
        if (p > 1 && at(s, p) == '>') {
            s.remove_prefix(p + 1);
            if (at(s, 0) == '1' && at(s, 1) == ' ') s.remove_prefix(2);
        }
    }
    return s;
}

StampResolver::StampResolver(const core::ParseContext& ctx)
    : m_zone(ctx.zone)
    , m_years(ctx.referenceTime, ctx.year)
{
}

bool StampResolver::resolveLocal(const core::CivilTime& c, core::Event& out)
{
    if (!c.valid()) return false;
    bool unusual = false;
    out.time = m_zone.toUtc(c.asUtcSeconds(), &unusual) * core::kMicrosPerSecond + c.micros;
    out.timeGuessed = unusual;
    return true;
}

bool StampResolver::resolve(const Stamp& st, core::Event& out)
{
    core::CivilTime c = st.civil;
    switch (st.kind) {
    case Stamp::Kind::NoYear: {
        if (c.month < 1 || c.month > 12) return false;
        c.year = m_years.yearFor(c.month, c.day);
        if (!resolveLocal(c, out)) return false;
        out.timeGuessed = out.timeGuessed || !m_years.fixed();
        return true;
    }
    case Stamp::Kind::Local:
        return resolveLocal(c, out);
    case Stamp::Kind::Absolute:
        if (!c.valid()) return false;
        out.time = (c.asUtcSeconds() - st.offsetSeconds) * core::kMicrosPerSecond + c.micros;
        out.timeGuessed = false;
        return true;
    case Stamp::Kind::None:
        break;
    }
    return false;
}

bool nextKv(std::string_view& rest, KvToken& tok) noexcept
{
    const std::size_t n = rest.size();
    std::size_t i = 0;
    while (i < n && isBlank(rest[i]))
        ++i;
    if (i == n) {
        rest = {};
        return false;
    }
    const std::size_t begin = i;
    while (i < n && isKeyChar(rest[i]))
        ++i;
    tok.quoted = false;
    tok.unterminated = false;
    if (i > begin && i < n && rest[i] == '=') {
        tok.key = rest.substr(begin, i - begin);
        std::size_t v = i + 1;
        if (v < n && rest[v] == '"') {
            const std::size_t start = v + 1;
            std::size_t j = start;
            while (j < n) {
                if (rest[j] == '\\') {
                    j += 2;
                    continue;
                }
                if (rest[j] == '"' && (j + 1 >= n || isBlank(rest[j + 1]))) break;
                ++j;
            }
            if (j >= n) { // unterminated: the rest of the line
                tok.value = rest.substr(start);
                tok.quoted = true;
                tok.unterminated = true;
                rest = {};
                return true;
            }
            tok.value = rest.substr(start, j - start);
            tok.quoted = true;
            rest.remove_prefix(j + 1);
            return true;
        }
        while (v < n && !isBlank(rest[v]))
            ++v;
        tok.value = rest.substr(i + 1, v - i - 1);
        rest.remove_prefix(v);
        return true;
    }
    while (i < n && !isBlank(rest[i]))
        ++i;
    tok.key = {};
    tok.value = rest.substr(begin, i - begin);
    rest.remove_prefix(i);
    return true;
}

void JsonObject::key(std::string_view k)
{
    m_out.push_back(m_out.empty() ? '{' : ',');
    m_out.push_back('"');
    m_out.append(k);
    m_out.append("\":");
}

void JsonObject::add(std::string_view k, std::string_view value)
{
    if (value.empty()) return;
    key(k);
    bool plain = true;
    for (char c : value) {
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
            plain = false;
            break;
        }
    }
    if (plain) {
        m_out.push_back('"');
        m_out.append(value);
        m_out.push_back('"');
    } else {
        core::appendJsonString(m_out, value);
    }
}

void JsonObject::addNumber(std::string_view k, std::string_view value)
{
    std::uint64_t v = 0;
    // JSON numbers have no leading zeros; "0042" stays text, as do numbers beyond 2^53 (JSON readers
    // would round them).
    if (parseU64(value, v) && (value.size() == 1 || value[0] != '0') && v <= (std::uint64_t(1) << 53)) {
        key(k);
        m_out.append(value);
        return;
    }
    add(k, value);
}

void JsonObject::addInt(std::string_view k, std::int64_t value)
{
    key(k);
    m_out.append(std::to_string(value));
}

void JsonObject::close()
{
    if (!m_out.empty()) m_out.push_back('}');
}

} // namespace tattle::parsers::vendor
