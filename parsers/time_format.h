// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/time.h"

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace tattle::parsers {

/// A timestamp layout in strptime style, compiled once, for the formats users define as data.
///
/// Directives: %Y (4-digit year), %y (2 digits: 69-99 are 19xx, 00-68 20xx), %m, %d, %e (day, 1-2
/// digits, %e also space-padded), %H, %I with %p (AM/PM), %M, %S (seconds, with an optional ".ffffff" or
/// ",ffffff" fraction), %f (fraction digits), %b/%h/%B (month name, abbreviated or full), %a/%A (week
/// day name, skipped), %z ("Z", "+hh", "+hhmm", "+hh:mm"), %Z ("UTC", "GMT", "UT", "Z"), %s (seconds
/// since the epoch, optional fraction), %T (%H:%M:%S), %F (%Y-%m-%d), %% and %n/%t. A blank in the
/// layout matches any run of blanks, including none; any other character matches itself. The whole
/// text must be consumed (trailing blanks aside).
class TimeFormat {
public:
    /// What a timestamp said.
    struct Parsed {
        core::CivilTime civil; ///< without a year when hasYear is false
        bool hasYear = false;
        bool hasOffset = false; ///< %z or %Z: the civil time is at offsetSeconds east of UTC
        int offsetSeconds = 0;
        bool epoch = false; ///< %s: epochMicros holds the instant
        core::Micros epochMicros = 0;
    };

    /// Compiles a layout; the error says which directive is wrong.
    static std::expected<TimeFormat, std::string> compile(std::string_view layout);

    /// Reads text with this layout. Never throws.
    bool parse(std::string_view text, Parsed& out) const noexcept;

    /// True when the layout names the year (%Y, %y) or is an epoch count (%s).
    bool hasYear() const noexcept { return m_hasYear; }
    const std::string& layout() const noexcept { return m_layout; }

    /// Reads a UTC offset as logs write it: "Z", "UTC", "GMT", "+08", "+0800", "+08:00", "-5".
    static bool parseOffset(std::string_view text, int& seconds) noexcept;

private:
    enum class Op : std::uint8_t {
        Literal,
        Blank,
        Year4,
        Year2,
        Month,
        Day,
        DaySpace,
        Hour,
        Hour12,
        AmPm,
        Minute,
        Second,
        Fraction,
        MonthName,
        WeekdayName,
        Offset,
        ZoneName,
        Epoch,
    };
    struct Step {
        Op op;
        char literal = 0; ///< the character of a Literal; 1 for a Second followed by ".%f"
    };

    std::string m_layout;
    std::vector<Step> m_steps;
    bool m_hasYear = false;
};

} // namespace tattle::parsers
