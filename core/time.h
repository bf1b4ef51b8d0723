// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tattle::core {

/// Microseconds since 1970-01-01T00:00:00Z: every time tattle stores is in UTC.
using Micros = std::int64_t;
inline constexpr Micros kMicrosPerSecond = 1'000'000;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
constexpr std::int64_t daysFromCivil(int y, unsigned m, unsigned d) noexcept
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + std::int64_t(doe) - 719468;
}

/// A civil date and time with no zone; validate() checks ranges (leap years included).
struct CivilTime {
    int year = 1970;
    unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
    std::uint32_t micros = 0;

    bool valid() const noexcept;
    /// Seconds since the epoch as if this civil time were UTC.
    std::int64_t asUtcSeconds() const noexcept
    {
        return daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    }
};

/// The civil time (in UTC) of a point in time.
CivilTime civilFromMicros(Micros t) noexcept;

/// Appends RFC 3339 UTC text, e.g. "2003-12-05T22:34:50Z" (fraction only when non-zero).
void appendRfc3339(std::string& out, Micros t);
std::string formatRfc3339(Micros t);

/// Parses an RFC 3339 / ISO 8601 time with a zone ("Z" or "+01:00"); a date alone means midnight UTC.
std::optional<Micros> parseRfc3339(std::string_view text) noexcept;

/// A time given by a user: RFC 3339 ("2024-03-01T12:00:00Z", "2024-03-01T13:00:00+01:00"), a date
/// ("2024-03-01", midnight UTC), or an age before `now` ("90m", "12h", "7d", "2w").
std::optional<Micros> parseTimeArgument(std::string_view text, Micros now) noexcept;

/// 1..12 from "Jan".."Dec" (case-insensitive), 0 otherwise.
unsigned monthFromAbbrev(std::string_view name) noexcept;

/// Parses fixed-width decimal digits; false when any is not a digit.
bool parseDigits(std::string_view s, unsigned& out) noexcept;

/// A time zone to read local log times in: the system zone, UTC, a fixed offset or an IANA name.
/// Conversions are cached per UTC-offset period, so converting every line of a log is cheap.
class TimeZone {
public:
    /// UTC.
    TimeZone();
    ~TimeZone();
    TimeZone(const TimeZone&);
    TimeZone& operator=(const TimeZone&);

    /// "UTC", "Z", "+05:30", "-0500", "GMT-5" style offsets, "local" or an IANA name ("Europe/Stockholm").
    static Result<TimeZone> fromName(std::string_view name);
    /// The zone of this machine ($TZ first, then /etc/localtime), UTC when none can be found.
    static TimeZone system();
    static TimeZone fixedOffset(int seconds);

    /// The zone's name as the user would write it.
    const std::string& name() const noexcept { return m_name; }

    /// Converts local seconds to UTC seconds. A time that is ambiguous (the hour repeated when clocks go
    /// back) resolves to the earlier instant; one that does not exist (skipped when clocks go forward)
    /// is read with the offset before the change. Either sets *unusual when given.
    std::int64_t toUtc(std::int64_t localSeconds, bool* unusual = nullptr) const;
    /// The offset from UTC, in seconds, at a UTC instant.
    int offsetAt(std::int64_t utcSeconds) const;

private:
    struct Impl;
    std::string m_name;
    std::shared_ptr<const Impl> m_impl; // null for fixed offsets
    int m_fixedOffset = 0;
    // One cached period of constant offset, in local seconds [begin, end).
    mutable std::int64_t m_cacheBegin = 0, m_cacheEnd = 0;
    mutable int m_cacheOffset = 0;
};

/// Years for timestamps that have none (RFC 3164 syslog). Inferred: each date gets the latest year that
/// does not put it more than two days after the reference time (the file's modification time), so a
/// file spanning New Year reads right and no date lies in the future. Given by the user (--year): the
/// first line gets that year and a month going backwards while reading in order (Dec -> Jan) starts the next.
class YearInference {
public:
    /// referenceUtcSeconds: the file's mtime (or now, for stdin). fixedYear: the user's --year, or 0.
    YearInference(std::int64_t referenceUtcSeconds, int fixedYear);
    /// The year for the next timestamp in file order.
    int yearFor(unsigned month, unsigned day) noexcept;
    /// True when the year came from the user rather than being inferred.
    bool fixed() const noexcept { return m_fixed; }

private:
    std::int64_t m_reference;
    int m_year = 0;
    unsigned m_lastMonth = 0;
    bool m_fixed = false;
};

} // namespace tattle::core
