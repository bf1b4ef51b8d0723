// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/syslog_header.h"

#include "core/text_util.h"
#include "parsers/text.h"

namespace tattle::parsers::syslog {

namespace {

inline char at(std::string_view s, std::size_t i) noexcept
{
    return i < s.size() ? s[i] : '\0';
}

bool twoDigits(std::string_view s, std::size_t pos, unsigned& out) noexcept
{
    const char a = at(s, pos), b = at(s, pos + 1);
    if (!text::isDigit(a) || !text::isDigit(b)) return false;
    out = unsigned(a - '0') * 10 + unsigned(b - '0');
    return true;
}

inline bool endsStamp(std::string_view s, std::size_t pos) noexcept
{
    return pos != npos && (pos >= s.size() || text::isSpace(s[pos]) || s[pos] == ':');
}

// "Mmm d[d] [yyyy] hh:mm:ss[.f]".
std::size_t parseBsd(std::string_view s, std::size_t pos, Stamp& st) noexcept
{
    if (pos + 14 > s.size()) return npos;
    st.civil.month = core::monthFromAbbrev(s.substr(pos, 3));
    if (st.civil.month == 0 || s[pos + 3] != ' ') return npos;
    pos += 4;
    if (at(s, pos) == ' ') ++pos;
    if (!text::isDigit(at(s, pos))) return npos;
    st.civil.day = unsigned(s[pos++] - '0');
    if (text::isDigit(at(s, pos))) st.civil.day = st.civil.day * 10 + unsigned(s[pos++] - '0');
    if (at(s, pos) != ' ') return npos;
    ++pos;
    st.kind = Stamp::Kind::NoYear;
    unsigned yh = 0, yl = 0;
    if (at(s, pos + 4) == ' ' && twoDigits(s, pos, yh) && twoDigits(s, pos + 2, yl)) {
        st.civil.year = int(yh * 100 + yl);
        st.kind = Stamp::Kind::Local;
        pos += 5;
    }
    pos = parseClock(s, pos, st.civil);
    if (!endsStamp(s, pos)) {
        st.kind = Stamp::Kind::None;
        return npos;
    }
    return pos;
}

// "yyyy-mm-dd[T ]hh:mm:ss[.f][zone]".
std::size_t parseIso(std::string_view s, std::size_t pos, Stamp& st) noexcept
{
    unsigned yh = 0, yl = 0;
    if (!twoDigits(s, pos, yh) || !twoDigits(s, pos + 2, yl) || at(s, pos + 4) != '-' || at(s, pos + 7) != '-'
        || !twoDigits(s, pos + 5, st.civil.month) || !twoDigits(s, pos + 8, st.civil.day))
        return npos;
    st.civil.year = int(yh * 100 + yl);
    const char t = at(s, pos + 10);
    if (t != 'T' && t != 't' && t != ' ') return npos;
    pos = parseClock(s, pos + 11, st.civil);
    if (pos == npos) return npos;
    if (endsStamp(s, pos)) {
        st.kind = Stamp::Kind::Local;
        return pos;
    }
    pos = parseOffset(s, pos, st.offsetSeconds);
    if (!endsStamp(s, pos)) return npos;
    st.kind = Stamp::Kind::Absolute;
    return pos;
}

std::size_t skipBlanks(std::string_view s, std::size_t pos) noexcept
{
    while (pos < s.size() && text::isSpace(s[pos]))
        ++pos;
    return pos;
}

// "name:" or "name[pid]:" (the ':' already known to end w).
bool splitTag(std::string_view w, std::string_view& name, std::string_view& pid) noexcept
{
    w.remove_suffix(1);
    pid = {};
    if (!w.empty() && w.back() == ']') {
        const std::size_t open = w.rfind('[');
        if (open == npos || open == 0) return false;
        pid = w.substr(open + 1, w.size() - open - 2);
        for (char c : pid) {
            if (!text::isDigit(c)) return false;
        }
        w = w.substr(0, open);
    }
    if (!isTagName(w)) return false;
    name = w;
    return true;
}

} // namespace

bool isTagName(std::string_view s) noexcept
{
    if (s.empty() || s.size() > 64) return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || text::isDigit(c) || c == '-'
            || c == '_' || c == '.' || c == '/';
        if (!ok) return false;
    }
    return true;
}

std::size_t skipPri(std::string_view s) noexcept
{
    if (at(s, 0) != '<') return 0;
    std::size_t p = 1;
    while (p < 5 && text::isDigit(at(s, p)))
        ++p;
    return p > 1 && at(s, p) == '>' ? p + 1 : 0;
}

std::size_t parseClock(std::string_view s, std::size_t pos, core::CivilTime& c) noexcept
{
    if (!text::isDigit(at(s, pos))) return npos;
    unsigned h = unsigned(s[pos++] - '0');
    if (text::isDigit(at(s, pos))) h = h * 10 + unsigned(s[pos++] - '0');
    if (at(s, pos) != ':' || at(s, pos + 3) != ':' || !twoDigits(s, pos + 1, c.minute)
        || !twoDigits(s, pos + 4, c.second))
        return npos;
    c.hour = h;
    pos += 6;
    c.micros = 0;
    if (at(s, pos) == '.' || at(s, pos) == ',') {
        const std::size_t start = ++pos;
        std::uint32_t scale = 100000;
        while (text::isDigit(at(s, pos))) {
            c.micros += std::uint32_t(s[pos] - '0') * scale; // digits past microseconds add 0
            scale /= 10;
            ++pos;
        }
        if (pos == start) return npos;
    }
    return pos;
}

std::size_t parseOffset(std::string_view s, std::size_t pos, int& offset) noexcept
{
    const char sign = at(s, pos);
    if (sign == 'Z' || sign == 'z') {
        offset = 0;
        return pos + 1;
    }
    if (sign != '+' && sign != '-') return npos;
    unsigned h = 0, m = 0;
    if (!twoDigits(s, pos + 1, h) || h > 23) return npos;
    std::size_t p = pos + 3;
    if (at(s, p) == ':') ++p;
    if (twoDigits(s, p, m)) {
        if (m > 59) return npos;
        p += 2;
    } else if (at(s, pos + 3) == ':') {
        return npos;
    } else {
        p = pos + 3;
    }
    offset = (sign == '-' ? -1 : 1) * int(h * 3600 + m * 60);
    return p;
}

std::size_t parseStamp(std::string_view s, std::size_t pos, Stamp& st) noexcept
{
    st = Stamp();
    const char c = at(s, pos);
    std::size_t end = npos;
    if (text::isDigit(c))
        end = parseIso(s, pos, st);
    else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
        end = parseBsd(s, pos, st);
    if (end == npos) st = Stamp();
    return end;
}

bool splitHeader(std::string_view line, Header& h) noexcept
{
    h = Header();
    std::size_t pos = skipPri(line);
    if (pos > 0 && at(line, pos) == '1' && at(line, pos + 1) == ' ') {
        h.rfc5424 = true;
        pos += 2;
        if (at(line, pos) == '-') {
            ++pos;
        } else {
            pos = parseStamp(line, pos, h.stamp);
            if (pos == npos) return false;
        }
        std::string_view rest = line.substr(pos);
        h.host = text::nextWord(rest);
        h.tag = text::nextWord(rest);
        h.pid = text::nextWord(rest);
        const std::string_view msgId = text::nextWord(rest);
        if (msgId.empty()) return false;
        if (h.host == "-") h.host = {};
        if (h.tag == "-") h.tag = {};
        if (h.pid == "-") h.pid = {};
        std::size_t p = skipBlanks(rest, 0);
        if (at(rest, p) == '-') {
            h.structuredData = rest.substr(p, 1);
            ++p;
        } else if (at(rest, p) == '[') {
            // One or more "[id key="value" ...]" elements; inside quotes, '\' escapes '"', ']' and '\'.
            const std::size_t start = p;
            while (at(rest, p) == '[') {
                bool quoted = false;
                ++p;
                for (; p < rest.size(); ++p) {
                    const char ch = rest[p];
                    if (quoted && ch == '\\') {
                        ++p;
                    } else if (ch == '"') {
                        quoted = !quoted;
                    } else if (ch == ']' && !quoted) {
                        break;
                    }
                }
                if (p >= rest.size()) return false;
                ++p;
            }
            h.structuredData = rest.substr(start, p - start);
        } else {
            return false;
        }
        rest = rest.substr(p);
        if (rest.starts_with(" ")) rest.remove_prefix(1);
        if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3); // the BOM RFC 5424 allows
        h.message = rest;
        return true;
    }

    const std::size_t afterStamp = parseStamp(line, pos, h.stamp);
    if (afterStamp != npos) pos = afterStamp;
    std::string_view rest = line.substr(pos);
    const std::string_view body = rest.substr(std::min(skipBlanks(rest, 0), rest.size()));
    std::string_view prev;
    for (int k = 0; k < 3; ++k) {
        const std::string_view w = text::nextWord(rest);
        if (w.empty()) break;
        if (w.size() > 1 && w.back() == ':' && splitTag(w, h.tag, h.pid)) {
            h.host = prev;
            h.message = rest.substr(std::min(skipBlanks(rest, 0), rest.size()));
            return true;
        }
        prev = w;
    }
    h.message = body;
    return true;
}

Clock::Clock(const core::ParseContext& ctx)
    : m_zone(ctx.zone)
    , m_years(ctx.referenceTime, ctx.year)
{
}

bool Clock::resolve(const Stamp& st, core::Event& out)
{
    core::CivilTime c = st.civil;
    bool unusual = false;
    std::int64_t utc = 0;
    switch (st.kind) {
    case Stamp::Kind::NoYear:
        if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31) return false;
        c.year = m_years.yearFor(c.month, c.day);
        if (!c.valid()) return false;
        utc = m_zone.toUtc(c.asUtcSeconds(), &unusual);
        out.timeGuessed = unusual || !m_years.fixed();
        break;
    case Stamp::Kind::NoYearOffset:
        if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31) return false;
        c.year = m_years.yearFor(c.month, c.day);
        if (!c.valid()) return false;
        utc = c.asUtcSeconds() - st.offsetSeconds;
        out.timeGuessed = !m_years.fixed();
        break;
    case Stamp::Kind::Local:
        if (!c.valid()) return false;
        utc = m_zone.toUtc(c.asUtcSeconds(), &unusual);
        out.timeGuessed = unusual;
        break;
    case Stamp::Kind::Absolute:
        if (!c.valid()) return false;
        utc = c.asUtcSeconds() - st.offsetSeconds;
        out.timeGuessed = false;
        break;
    case Stamp::Kind::None:
        return false;
    }
    out.time = utc * core::kMicrosPerSecond + c.micros;
    return true;
}

void jsonKey(std::string& out, std::string_view key)
{
    out.push_back(out.empty() ? '{' : ',');
    core::appendJsonString(out, key);
    out.push_back(':');
}

void jsonString(std::string& out, std::string_view key, std::string_view value)
{
    if (value.empty()) return;
    jsonKey(out, key);
    core::appendJsonString(out, value);
}

void jsonNumber(std::string& out, std::string_view key, std::string_view value)
{
    if (value.empty()) return;
    bool number = value.size() <= 15 && (value.size() == 1 || value[0] != '0');
    for (char c : value) {
        if (!text::isDigit(c)) number = false;
    }
    jsonKey(out, key);
    if (number)
        out.append(value);
    else
        core::appendJsonString(out, value);
}

void jsonClose(std::string& out)
{
    if (!out.empty()) out.push_back('}');
}

void assignText(std::string& out, std::string_view s)
{
    for (char c : s) {
        if (c < 0x20 || c > 0x7e) {
            out = core::sanitizeForDisplay(s);
            return;
        }
    }
    out.assign(s);
}

} // namespace tattle::parsers::syslog
