// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/event.h"
#include "core/parser.h"
#include "core/time.h"

#include <cstdint>
#include <string>
#include <string_view>

/// Helpers shared by the vendor parsers (FortiGate, Palo Alto, Check Point, UniFi, Snort, Suricata, ...):
/// timestamps as syslog relays and appliances write them, key=value scanning, vendor details as JSON.
/// Allocation-free except where they append to a caller's string.
namespace tattle::parsers::vendor {

inline constexpr std::size_t npos = std::string_view::npos;

/// True for bytes 0x20..0x7e only.
bool isPrintableAscii(std::string_view s) noexcept;
/// Assigns s, repaired for display (control bytes, invalid UTF-8) when it is not printable ASCII.
void assignText(std::string& out, std::string_view s);
/// Case-insensitive prefix test.
bool startsWithNoCase(std::string_view s, std::string_view prefix) noexcept;

/// Decimal digits only, at most 19 of them.
bool parseU64(std::string_view s, std::uint64_t& out) noexcept;
/// "8", "0x08" or "0X8" up to max.
bool parseHexOrDecimal(std::string_view s, unsigned& out, unsigned max) noexcept;
/// Seconds, milliseconds, microseconds or nanoseconds since the epoch (told apart by the number of
/// digits: up to 10, 13, 16, 19) as microseconds.
bool parseEpoch(std::string_view s, core::Micros& out) noexcept;

/// A timestamp as a log line writes it.
struct Stamp {
    enum class Kind : std::uint8_t {
        None,
        NoYear, ///< "Mmm dd hh:mm:ss": local time, the year to infer
        Local, ///< with a year, no zone: local time
        Absolute, ///< with a year and an offset from UTC
    };
    Kind kind = Kind::None;
    core::CivilTime civil;
    int offsetSeconds = 0; ///< for Absolute
};

/// "hh:mm:ss[.ffffff]" (hour with one or two digits) at pos: the position after it, or npos.
std::size_t parseClock(std::string_view s, std::size_t pos, core::CivilTime& c) noexcept;
/// "Z", "+01:00", "+0100", "-0000" at pos: the position after it, or npos.
std::size_t parseZone(std::string_view s, std::size_t pos, int& offsetSeconds) noexcept;
/// "2024-03-05" or "2024/3/5" at pos: the position after it, or npos.
std::size_t parseYmd(std::string_view s, std::size_t pos, core::CivilTime& c) noexcept;

/// A timestamp at the start of s, ending at a blank or the end of s:
///   "Mar  5 12:34:56"            RFC 3164 (NoYear)
///   "Mar  5 2024 12:34:56"       Cisco/Huawei style (Local; Absolute with Huawei's "+03:00" after it)
///   "2024 Mar 05 12:34:56"       relays such as Wazuh's (Local)
///   "2024-03-05T12:34:56.123+01:00", "2024-03-05 12:34:56", "2024/03/05 12:34:56" (Local or Absolute)
/// Returns the length consumed, 0 when s does not start with a timestamp. Ranges are checked later.
std::size_t parseStamp(std::string_view s, Stamp& st) noexcept;

/// Skips a syslog "<PRI>" and an RFC 5424 version "1 " at the start of s.
std::string_view skipPri(std::string_view s) noexcept;

/// Turns stamps into UTC times for one file: local times in the file's zone, missing years inferred.
class StampResolver {
public:
    explicit StampResolver(const core::ParseContext& ctx);
    /// Sets out.time (and out.timeGuessed); false when the date or time is impossible.
    bool resolve(const Stamp& st, core::Event& out);
    /// A local civil time with a year, in the file's zone.
    bool resolveLocal(const core::CivilTime& c, core::Event& out);

private:
    core::TimeZone m_zone;
    core::YearInference m_years;
};

/// One token of "key=value key="quoted value" word" text.
struct KvToken {
    std::string_view key; ///< empty for a word without '='
    std::string_view value; ///< the word itself when key is empty; without the quotes when quoted
    bool quoted = false;
    bool unterminated = false; ///< a quoted value cut short by the end of the text
};

/// Takes the next blank-separated token from rest. A quoted value ends at a quote followed by a blank or
/// the end of the text (quotes inside values, which some appliances write unescaped, do not end it);
/// backslash escapes are skipped over. False at the end of the text.
bool nextKv(std::string_view& rest, KvToken& tok) noexcept;

/// Builds Event::extra: a JSON object of the vendor details, empty when nothing was added.
class JsonObject {
public:
    explicit JsonObject(std::string& out) noexcept
        : m_out(out)
    {
        m_out.clear();
    }
    /// A string member (skipped when value is empty).
    void add(std::string_view key, std::string_view value);
    /// A number member when value is a plain decimal number, a string member otherwise.
    void addNumber(std::string_view key, std::string_view value);
    void addInt(std::string_view key, std::int64_t value);
    /// Closes the object (leaves the text empty when no member was added).
    void close();

private:
    void key(std::string_view k);
    std::string& m_out;
};

} // namespace tattle::parsers::vendor
