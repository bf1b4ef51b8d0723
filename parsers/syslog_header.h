// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/event.h"
#include "core/parser.h"
#include "core/time.h"

#include <cstdint>
#include <string>
#include <string_view>

/// Syslog framing shared by the parsers of firewalls that log through syslog (pfSense/OPNsense filterlog,
/// pf, ipmon, Cisco, Juniper): PRI, RFC 3164 and RFC 5424 headers, the timestamps they and the devices
/// themselves write, and turning those into UTC. Allocation-free.
namespace tattle::parsers::syslog {

inline constexpr std::size_t npos = std::string_view::npos;

/// A timestamp as a line writes it.
struct Stamp {
    enum class Kind : std::uint8_t {
        None,
        NoYear, ///< "Mmm dd hh:mm:ss": local time, the year to infer
        Local, ///< with a year but no zone: local time
        Absolute, ///< with a year and an offset from UTC
        NoYearOffset, ///< no year, but an offset from UTC (a device clock that names its zone)
    };
    Kind kind = Kind::None;
    core::CivilTime civil;
    int offsetSeconds = 0; ///< for Absolute and NoYearOffset
};

/// "<PRI>" at the start of s: the position after it, 0 when there is none.
std::size_t skipPri(std::string_view s) noexcept;

/// "hh:mm:ss[.ffffff]" at pos (the hour may have one digit): the position after it, or npos.
std::size_t parseClock(std::string_view s, std::size_t pos, core::CivilTime& c) noexcept;

/// "Z", "+01:00", "+0100" or "-05" at pos: the offset and the position after it, or npos.
std::size_t parseOffset(std::string_view s, std::size_t pos, int& offsetSeconds) noexcept;

/// A timestamp at pos, in one of the forms syslog daemons and network devices write:
///   "Mar  5 12:34:56[.123]"            RFC 3164 (NoYear; day space- or zero-padded or not padded)
///   "Mar  5 2024 12:34:56"             Cisco ASA "logging timestamp" (Local)
///   "2024-03-05T12:34:56.123+01:00"    RFC 3339 (Absolute; Local without an offset; a blank for the T)
/// It must be followed by a blank, a ':' or the end of s. Returns the position after it, or npos.
/// Ranges are checked when the stamp is resolved.
std::size_t parseStamp(std::string_view s, std::size_t pos, Stamp& st) noexcept;

/// The parts of a syslog line, as views into it.
struct Header {
    Stamp stamp; ///< kind None when the line has no timestamp
    bool rfc5424 = false;
    std::string_view host; ///< empty when the line names none
    std::string_view tag; ///< the program name, without "[pid]" and ':'; empty when none was found
    std::string_view pid;
    std::string_view structuredData; ///< RFC 5424 structured data ("[...]" or "-"), empty otherwise
    std::string_view message; ///< the text after the tag (leading blanks skipped)
};

/// Splits a syslog line. RFC 5424 ("<PRI>1 stamp host app procid msgid sd msg") is read by position. For
/// RFC 3164 and the relays that imitate it ("[<PRI>][stamp] [host] tag[pid]: msg") the tag is the first
/// of the next three words that ends in ':' and looks like a program name; with none, tag is empty and
/// message is the text after the stamp. Returns false only for an RFC 5424 line cut short.
bool splitHeader(std::string_view line, Header& h) noexcept;

/// True for a program name as syslog tags write them: letters, digits, '-', '_', '.', '/'.
bool isTagName(std::string_view s) noexcept;

/// Turns stamps into UTC for one file: local times in the file's zone, missing years inferred from the
/// file's modification time (or given with --year).
class Clock {
public:
    explicit Clock(const core::ParseContext& ctx);
    /// Sets out.time and out.timeGuessed; false when the date or time does not exist.
    bool resolve(const Stamp& st, core::Event& out);

private:
    core::TimeZone m_zone;
    core::YearInference m_years;
};

/// Appends ",\"key\":" (or "{\"key\":" for the first member) to a JSON object under construction.
void jsonKey(std::string& out, std::string_view key);
/// Appends a string member; nothing when value is empty.
void jsonString(std::string& out, std::string_view key, std::string_view value);
/// Appends a number member for a plain decimal value, a string member otherwise; nothing when empty.
void jsonNumber(std::string& out, std::string_view key, std::string_view value);
/// Closes the object (leaves out empty when no member was added).
void jsonClose(std::string& out);

/// Assigns s, repaired for display (control bytes, invalid UTF-8) unless it is printable ASCII.
void assignText(std::string& out, std::string_view s);

} // namespace tattle::parsers::syslog
