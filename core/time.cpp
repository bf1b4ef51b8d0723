// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/time.h"

#include <chrono>
#include <cstdlib>
#include <date/tz.h>
#include <limits>

namespace tattle::core {

namespace {

constexpr bool isLeap(int y) noexcept
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned daysInMonth(int y, unsigned m) noexcept
{
    constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

void append2(std::string& out, unsigned v)
{
    out.push_back(char('0' + v / 10 % 10));
    out.push_back(char('0' + v % 10));
}

// "+05:30", "-0500", "+5", "GMT-5", "UTC+01:00": offset in seconds.
std::optional<int> parseOffset(std::string_view s)
{
    for (std::string_view prefix : {"UTC", "GMT"}) {
        if (s.starts_with(prefix)) s.remove_prefix(prefix.size());
    }
    if (s.empty()) return 0;
    if (s[0] != '+' && s[0] != '-') return std::nullopt;
    const int sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
    unsigned h = 0, m = 0;
    auto colon = s.find(':');
    if (colon != std::string_view::npos) {
        if (colon == 0 || colon > 2 || s.size() - colon - 1 != 2) return std::nullopt;
        if (!parseDigits(s.substr(0, colon), h) || !parseDigits(s.substr(colon + 1), m)) return std::nullopt;
    } else if (s.size() == 4) {
        if (!parseDigits(s.substr(0, 2), h) || !parseDigits(s.substr(2), m)) return std::nullopt;
    } else if (s.size() <= 2 && !s.empty()) {
        if (!parseDigits(s, h)) return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (h > 14 || m > 59) return std::nullopt;
    return sign * int(h * 3600 + m * 60);
}

} // namespace

bool CivilTime::valid() const noexcept
{
    return year >= 1970 && year <= 9999 && month >= 1 && month <= 12 && day >= 1
        && day <= daysInMonth(year, month) && hour < 24 && minute < 60 && second <= 60 && micros < 1'000'000;
}

CivilTime civilFromMicros(Micros t) noexcept
{
    std::int64_t secs = t / kMicrosPerSecond;
    std::int64_t us = t % kMicrosPerSecond;
    if (us < 0) {
        us += kMicrosPerSecond;
        --secs;
    }
    std::int64_t days = secs / 86400;
    std::int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    // civil_from_days (Howard Hinnant)
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    CivilTime c;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = int(std::int64_t(yoe) + era * 400 + (c.month <= 2));
    c.hour = unsigned(rem / 3600);
    c.minute = unsigned(rem / 60 % 60);
    c.second = unsigned(rem % 60);
    c.micros = std::uint32_t(us);
    return c;
}

void appendRfc3339(std::string& out, Micros t)
{
    const CivilTime c = civilFromMicros(t);
    append2(out, unsigned(c.year) / 100);
    append2(out, unsigned(c.year) % 100);
    out.push_back('-');
    append2(out, c.month);
    out.push_back('-');
    append2(out, c.day);
    out.push_back('T');
    append2(out, c.hour);
    out.push_back(':');
    append2(out, c.minute);
    out.push_back(':');
    append2(out, c.second);
    if (c.micros != 0) {
        char frac[7];
        unsigned v = c.micros;
        for (int i = 5; i >= 0; --i) {
            frac[i] = char('0' + v % 10);
            v /= 10;
        }
        int len = 6;
        while (len > 0 && frac[len - 1] == '0')
            --len;
        out.push_back('.');
        out.append(frac, std::size_t(len));
    }
    out.push_back('Z');
}

std::string formatRfc3339(Micros t)
{
    std::string s;
    appendRfc3339(s, t);
    return s;
}

bool parseDigits(std::string_view s, unsigned& out) noexcept
{
    if (s.empty()) return false;
    unsigned v = 0;
    for (char ch : s) {
        if (ch < '0' || ch > '9') return false;
        v = v * 10 + unsigned(ch - '0');
    }
    out = v;
    return true;
}

std::optional<Micros> parseRfc3339(std::string_view s) noexcept
{
    CivilTime c;
    unsigned y = 0;
    if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !parseDigits(s.substr(0, 4), y)
        || !parseDigits(s.substr(5, 2), c.month) || !parseDigits(s.substr(8, 2), c.day))
        return std::nullopt;
    c.year = int(y);
    std::size_t i = 10;
    int offset = 0;
    if (i < s.size()) {
        if ((s[i] != 'T' && s[i] != 't' && s[i] != ' ') || s.size() < i + 9 || s[i + 3] != ':'
            || s[i + 6] != ':' || !parseDigits(s.substr(i + 1, 2), c.hour)
            || !parseDigits(s.substr(i + 4, 2), c.minute) || !parseDigits(s.substr(i + 7, 2), c.second))
            return std::nullopt;
        i += 9;
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
            ++i;
            unsigned scale = 100000;
            std::size_t start = i;
            while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
                c.micros += unsigned(s[i] - '0') * scale;
                scale /= 10;
                ++i;
            }
            if (i == start) return std::nullopt;
        }
        std::string_view zone = s.substr(i);
        if (zone == "Z" || zone == "z") {
            offset = 0;
        } else if (!zone.empty()) {
            auto o = parseOffset(zone);
            if (!o) return std::nullopt;
            offset = *o;
        } else {
            return std::nullopt; // a time with no zone is ambiguous: refuse it
        }
    }
    if (!c.valid()) return std::nullopt;
    return (c.asUtcSeconds() - offset) * kMicrosPerSecond + c.micros;
}

std::optional<Micros> parseTimeArgument(std::string_view text, Micros now) noexcept
{
    if (text.size() >= 2) {
        const char unit = text.back();
        unsigned n = 0;
        if (parseDigits(text.substr(0, text.size() - 1), n)) {
            std::int64_t seconds = 0;
            switch (unit) {
            case 'm':
                seconds = 60;
                break;
            case 'h':
                seconds = 3600;
                break;
            case 'd':
                seconds = 86400;
                break;
            case 'w':
                seconds = 7 * 86400;
                break;
            default:
                return std::nullopt;
            }
            return now - std::int64_t(n) * seconds * kMicrosPerSecond;
        }
    }
    return parseRfc3339(text);
}

unsigned monthFromAbbrev(std::string_view n) noexcept
{
    if (n.size() != 3) return 0;
    static constexpr const char* kMonths = "janfebmaraprmayjunjulaugsepoctnovdec";
    const char a = char(n[0] | 0x20), b = char(n[1] | 0x20), c = char(n[2] | 0x20);
    for (unsigned m = 0; m < 12; ++m) {
        if (kMonths[m * 3] == a && kMonths[m * 3 + 1] == b && kMonths[m * 3 + 2] == c) return m + 1;
    }
    return 0;
}

struct TimeZone::Impl {
    const date::time_zone* zone = nullptr;
};

TimeZone::TimeZone()
    : m_name("UTC")
{
}
TimeZone::~TimeZone() = default;
TimeZone::TimeZone(const TimeZone&) = default;
TimeZone& TimeZone::operator=(const TimeZone&) = default;

TimeZone TimeZone::fixedOffset(int seconds)
{
    TimeZone tz;
    tz.m_fixedOffset = seconds;
    if (seconds == 0) return tz;
    const int a = seconds < 0 ? -seconds : seconds;
    std::string n = seconds < 0 ? "-" : "+";
    append2(n, unsigned(a / 3600));
    n.push_back(':');
    append2(n, unsigned(a / 60 % 60));
    tz.m_name = n;
    return tz;
}

Result<TimeZone> TimeZone::fromName(std::string_view name)
{
    if (name.empty() || name == "local") return system();
    if (name == "UTC" || name == "Z" || name == "utc" || name == "GMT") return TimeZone();
    if (auto off = parseOffset(name)) return fixedOffset(*off);
    try {
        TimeZone tz;
        auto impl = std::make_shared<Impl>();
        impl->zone = date::locate_zone(std::string(name));
        tz.m_impl = std::move(impl);
        tz.m_name = std::string(name);
        return tz;
    } catch (const std::exception&) {
        return fail(ErrorKind::Usage,
            "Unknown time zone '" + std::string(name)
                + "': give an IANA name such as Europe/Stockholm, UTC, or an offset such as +01:00.");
    }
}

TimeZone TimeZone::system()
{
    if (const char* env = std::getenv("TZ"); env && *env) {
        std::string_view v(env);
        if (v.front() == ':') v.remove_prefix(1);
        if (auto tz = fromName(v); tz && v != "local") return *tz;
    }
    try {
        TimeZone tz;
        auto impl = std::make_shared<Impl>();
        impl->zone = date::current_zone();
        tz.m_name = std::string(impl->zone->name());
        tz.m_impl = std::move(impl);
        return tz;
    } catch (const std::exception&) {
        return TimeZone();
    }
}

std::int64_t TimeZone::toUtc(std::int64_t localSeconds, bool* unusual) const
{
    if (!m_impl) return localSeconds - m_fixedOffset;
    if (localSeconds >= m_cacheBegin && localSeconds < m_cacheEnd) return localSeconds - m_cacheOffset;
    using namespace std::chrono;
    const date::local_seconds ls {seconds(localSeconds)};
    const date::local_info info = m_impl->zone->get_info(ls);
    const date::sys_info& first = info.first;
    int offset = int(first.offset.count());
    if (info.result == date::local_info::unique) {
        // Remember the local span this offset covers, so the next lines need no tz lookup.
        // The last two local hours of a period are left out: after a backward change they repeat and
        // must go through get_info to be flagged as ambiguous.
        constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 2;
        const std::int64_t begin = first.begin.time_since_epoch().count();
        const std::int64_t end = first.end.time_since_epoch().count();
        m_cacheBegin = begin < -kMax ? -kMax : begin + offset;
        m_cacheEnd = end > kMax ? kMax : end + offset - 7200;
        m_cacheOffset = offset;
    } else if (unusual) {
        *unusual = true;
    }
    return localSeconds - offset;
}

int TimeZone::offsetAt(std::int64_t utcSeconds) const
{
    if (!m_impl) return m_fixedOffset;
    const date::sys_seconds ss {std::chrono::seconds(utcSeconds)};
    return int(m_impl->zone->get_info(ss).offset.count());
}

YearInference::YearInference(std::int64_t referenceUtcSeconds, int fixedYear)
    : m_reference(referenceUtcSeconds)
    , m_year(fixedYear)
    , m_fixed(fixedYear != 0)
{
}

int YearInference::yearFor(unsigned month, unsigned day) noexcept
{
    if (m_fixed) {
        // The user named the year of the first line: later lines follow it, Dec -> Jan starting the next.
        if (m_lastMonth != 0 && month < m_lastMonth && m_lastMonth - month >= 6) ++m_year;
        m_lastMonth = month;
        return m_year;
    }
    // Inferred: the latest year that does not put the date in the future of the file's modification time
    // (two days of slack for clock and zone differences), as rsyslog does. Every line is judged on its
    // own, so a file that spans New Year gets December in one year and January in the next, and a date
    // can never land after the file was written.
    const CivilTime ref = civilFromMicros(m_reference * kMicrosPerSecond);
    int year = ref.year;
    if (daysFromCivil(year, month, day) * 86400 > m_reference + 2 * 86400) --year;
    m_lastMonth = month;
    return year;
}

} // namespace tattle::core
