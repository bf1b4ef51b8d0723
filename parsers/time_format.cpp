// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/time_format.h"

#include "parsers/text.h"

#include <array>

namespace tattle::parsers {

namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {"january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kDayNames
    = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

char lower(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? char(c + 32) : c;
}

bool isBlank(char c) noexcept
{
    return c == ' ' || c == '\t';
}

/// Reads between minDigits and maxDigits decimal digits from the front of s.
bool takeNumber(std::string_view& s, std::size_t minDigits, std::size_t maxDigits, unsigned& out) noexcept
{
    std::size_t n = 0;
    unsigned v = 0;
    while (n < maxDigits && n < s.size() && text::isDigit(s[n])) {
        v = v * 10 + unsigned(s[n] - '0');
        ++n;
    }
    if (n < minDigits) return false;
    s.remove_prefix(n);
    out = v;
    return true;
}

/// Reads a fraction's digits (at least one), keeping microseconds.
bool takeFraction(std::string_view& s, std::uint32_t& micros) noexcept
{
    std::size_t n = 0;
    std::uint32_t v = 0;
    while (n < s.size() && text::isDigit(s[n])) {
        if (n < 6) v = v * 10 + std::uint32_t(s[n] - '0');
        ++n;
    }
    if (n == 0 || n > 9) return false;
    for (std::size_t i = n; i < 6; ++i)
        v *= 10;
    micros = v;
    s.remove_prefix(n);
    return true;
}

/// A month or week-day name, full or abbreviated to its first three letters.
template<std::size_t N>
int takeName(std::string_view& s, const std::array<std::string_view, N>& names) noexcept
{
    std::size_t n = 0;
    while (n < s.size() && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
        ++n;
    if (n < 3) return -1;
    const std::string_view word = s.substr(0, n);
    for (std::size_t i = 0; i < N; ++i) {
        const std::string_view full = names[i];
        if (word.size() != 3 && word.size() != full.size()) continue;
        bool same = true;
        for (std::size_t k = 0; k < word.size() && same; ++k)
            same = lower(word[k]) == full[k];
        if (same) {
            s.remove_prefix(n);
            return int(i);
        }
    }
    return -1;
}

/// "+hh", "+hhmm", "+hh:mm", "-h", or "Z" at the front of s.
bool takeOffset(std::string_view& s, int& seconds) noexcept
{
    if (s.empty()) return false;
    if (s[0] == 'Z' || s[0] == 'z') {
        s.remove_prefix(1);
        seconds = 0;
        return true;
    }
    if (s[0] != '+' && s[0] != '-') return false;
    const int sign = s[0] == '-' ? -1 : 1;
    std::string_view rest = s.substr(1);
    unsigned h = 0, m = 0;
    std::size_t digits = 0;
    while (digits < rest.size() && text::isDigit(rest[digits]))
        ++digits;
    if (digits == 4) {
        h = unsigned(rest[0] - '0') * 10 + unsigned(rest[1] - '0');
        m = unsigned(rest[2] - '0') * 10 + unsigned(rest[3] - '0');
        rest.remove_prefix(4);
    } else if (digits == 1 || digits == 2) {
        takeNumber(rest, 1, 2, h);
        if (rest.size() >= 3 && rest[0] == ':' && text::isDigit(rest[1]) && text::isDigit(rest[2])) {
            m = unsigned(rest[1] - '0') * 10 + unsigned(rest[2] - '0');
            rest.remove_prefix(3);
        }
    } else {
        return false;
    }
    if (h > 14 || m > 59) return false;
    seconds = sign * int(h * 3600 + m * 60);
    s = rest;
    return true;
}

bool takeZoneName(std::string_view& s, int& seconds) noexcept
{
    for (std::string_view name : {"UTC", "GMT", "UT", "Z"}) {
        if (s.size() >= name.size() && text::iequals(s.substr(0, name.size()), name)) {
            const std::string_view rest = s.substr(name.size());
            if (!rest.empty() && ((rest[0] >= 'A' && rest[0] <= 'Z') || (rest[0] >= 'a' && rest[0] <= 'z')))
                continue;
            s = rest;
            seconds = 0;
            return true;
        }
    }
    return false;
}

} // namespace

std::expected<TimeFormat, std::string> TimeFormat::compile(std::string_view layout)
{
    TimeFormat f;
    f.m_layout.assign(layout);
    bool year = false, month = false, day = false, hour = false, hour12 = false, ampm = false, epoch = false;
    auto add = [&f](Op op) { f.m_steps.push_back({op, 0}); };
    for (std::size_t i = 0; i < layout.size(); ++i) {
        const char c = layout[i];
        if (isBlank(c)) {
            if (f.m_steps.empty() || f.m_steps.back().op != Op::Blank) add(Op::Blank);
            continue;
        }
        if (c != '%') {
            f.m_steps.push_back({Op::Literal, c});
            continue;
        }
        if (++i == layout.size()) return std::unexpected("the layout ends with a lone '%'");
        switch (layout[i]) {
        case 'Y':
            add(Op::Year4);
            year = true;
            break;
        case 'y':
            add(Op::Year2);
            year = true;
            break;
        case 'm':
            add(Op::Month);
            month = true;
            break;
        case 'b':
        case 'h':
        case 'B':
            add(Op::MonthName);
            month = true;
            break;
        case 'd':
            add(Op::Day);
            day = true;
            break;
        case 'e':
            add(Op::DaySpace);
            day = true;
            break;
        case 'H':
            add(Op::Hour);
            hour = true;
            break;
        case 'I':
            add(Op::Hour12);
            hour12 = true;
            break;
        case 'p':
            add(Op::AmPm);
            ampm = true;
            break;
        case 'M':
            add(Op::Minute);
            break;
        case 'S':
            add(Op::Second);
            break;
        case 'f': {
            // "%S.%f": the seconds leave the fraction to %f.
            const std::size_t n = f.m_steps.size();
            if (n >= 2 && f.m_steps[n - 1].op == Op::Literal
                && (f.m_steps[n - 1].literal == '.' || f.m_steps[n - 1].literal == ',')
                && f.m_steps[n - 2].op == Op::Second)
                f.m_steps[n - 2].literal = 1;
            add(Op::Fraction);
            break;
        }
        case 'a':
        case 'A':
            add(Op::WeekdayName);
            break;
        case 'z':
            add(Op::Offset);
            break;
        case 'Z':
            add(Op::ZoneName);
            break;
        case 's':
            add(Op::Epoch);
            epoch = true;
            break;
        case 'T':
            add(Op::Hour);
            f.m_steps.push_back({Op::Literal, ':'});
            add(Op::Minute);
            f.m_steps.push_back({Op::Literal, ':'});
            add(Op::Second);
            hour = true;
            break;
        case 'F':
            add(Op::Year4);
            f.m_steps.push_back({Op::Literal, '-'});
            add(Op::Month);
            f.m_steps.push_back({Op::Literal, '-'});
            add(Op::Day);
            year = month = day = true;
            break;
        case '%':
            f.m_steps.push_back({Op::Literal, '%'});
            break;
        case 'n':
        case 't':
            if (f.m_steps.empty() || f.m_steps.back().op != Op::Blank) add(Op::Blank);
            break;
        default:
            return std::unexpected("unknown directive '%" + std::string(1, layout[i]) + "'");
        }
    }
    if (epoch) {
        if (year || month || day || hour || hour12)
            return std::unexpected("%s cannot be combined with a date");
    } else {
        if (!month || !day)
            return std::unexpected("the layout needs a month (%m or %b) and a day (%d or %e)");
        if (!hour && !hour12) return std::unexpected("the layout needs an hour (%H or %I)");
        if (hour12 != ampm) return std::unexpected("%I and %p go together");
        if (hour && hour12) return std::unexpected("%H and %I cannot both be given");
    }
    f.m_hasYear = year || epoch;
    return f;
}

bool TimeFormat::parse(std::string_view s, Parsed& out) const noexcept
{
    out = Parsed {};
    out.hasYear = m_hasYear;
    core::CivilTime& c = out.civil;
    c.month = 0;
    c.day = 0;
    bool pm = false;
    for (const Step& step : m_steps) {
        unsigned v = 0;
        switch (step.op) {
        case Op::Literal:
            if (s.empty() || s[0] != step.literal) return false;
            s.remove_prefix(1);
            break;
        case Op::Blank:
            while (!s.empty() && isBlank(s[0]))
                s.remove_prefix(1);
            break;
        case Op::Year4:
            if (!takeNumber(s, 4, 4, v)) return false;
            c.year = int(v);
            break;
        case Op::Year2:
            if (!takeNumber(s, 2, 2, v)) return false;
            c.year = int(v) + (v >= 69 ? 1900 : 2000);
            break;
        case Op::Month:
            if (!takeNumber(s, 1, 2, c.month)) return false;
            break;
        case Op::MonthName: {
            const int m = takeName(s, kMonthNames);
            if (m < 0) return false;
            c.month = unsigned(m + 1);
            break;
        }
        case Op::DaySpace:
            if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
            [[fallthrough]];
        case Op::Day:
            if (!takeNumber(s, 1, 2, c.day)) return false;
            break;
        case Op::Hour:
        case Op::Hour12:
            if (!takeNumber(s, 1, 2, c.hour)) return false;
            if (step.op == Op::Hour12 && (c.hour < 1 || c.hour > 12)) return false;
            break;
        case Op::AmPm:
            if (s.size() < 2 || lower(s[1]) != 'm' || (lower(s[0]) != 'a' && lower(s[0]) != 'p'))
                return false;
            pm = lower(s[0]) == 'p';
            s.remove_prefix(2);
            break;
        case Op::Minute:
            if (!takeNumber(s, 2, 2, c.minute)) return false;
            break;
        case Op::Second:
            if (!takeNumber(s, 2, 2, c.second)) return false;
            if (step.literal == 0 && s.size() >= 2 && (s[0] == '.' || s[0] == ',') && text::isDigit(s[1])) {
                s.remove_prefix(1);
                if (!takeFraction(s, c.micros)) return false;
            }
            break;
        case Op::Fraction:
            if (!takeFraction(s, c.micros)) return false;
            break;
        case Op::WeekdayName:
            if (takeName(s, kDayNames) < 0) return false;
            break;
        case Op::Offset:
            if (!takeOffset(s, out.offsetSeconds)) return false;
            out.hasOffset = true;
            break;
        case Op::ZoneName:
            if (!takeZoneName(s, out.offsetSeconds)) return false;
            out.hasOffset = true;
            break;
        case Op::Epoch: {
            std::size_t n = 0;
            std::int64_t secs = 0;
            while (n < s.size() && text::isDigit(s[n])) {
                if (n == 12) return false; // beyond year 33658: not a log time
                secs = secs * 10 + (s[n] - '0');
                ++n;
            }
            if (n == 0) return false;
            s.remove_prefix(n);
            std::uint32_t micros = 0;
            if (s.size() >= 2 && s[0] == '.' && text::isDigit(s[1])) {
                s.remove_prefix(1);
                if (!takeFraction(s, micros)) return false;
            }
            out.epoch = true;
            out.epochMicros = secs * core::kMicrosPerSecond + micros;
            break;
        }
        }
    }
    while (!s.empty() && (isBlank(s[0]) || s[0] == '\r'))
        s.remove_prefix(1);
    if (!s.empty()) return false;
    if (out.epoch) return true;
    // 12 AM is midnight, 12 PM noon.
    for (const Step& step : m_steps) {
        if (step.op == Op::Hour12) {
            c.hour = c.hour % 12 + (pm ? 12 : 0);
            break;
        }
    }
    if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31 || c.hour > 23 || c.minute > 59
        || c.second > 60)
        return false;
    if (c.second == 60) c.second = 59; // a leap second: the instant before is close enough
    return true;
}

bool TimeFormat::parseOffset(std::string_view text, int& seconds) noexcept
{
    text = text::trim(text);
    std::string_view s = text;
    if (takeZoneName(s, seconds) && s.empty()) return true;
    s = text;
    return takeOffset(s, seconds) && s.empty();
}

} // namespace tattle::parsers
