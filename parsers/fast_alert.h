// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/parser.h"
#include "parsers/vendor_text.h"

#include <string>
#include <string_view>

/// The one-line alert format Snort (alert_fast) and Suricata (fast.log) share, read by both parsers.
namespace tattle::parsers::fastalert {

/// How a line dates itself.
enum class Dating : std::uint8_t {
    None, ///< not an alert line
    NoYear, ///< "12/28-12:55:38.765402": Snort without -y
    ShortYear, ///< "21/12/28-..." or "12/28/21-...": Snort 3 or Snort 2 with -y
    LongYear, ///< "07/11/2022-...": Suricata
};

/// Reads alert lines of one file. Keeps the date order ("MM/DD/YY" of Snort 2 or "YY/MM/DD" of Snort 3) that
/// unambiguous lines showed, for the ambiguous ones after them.
class Reader {
public:
    explicit Reader(const core::ParseContext& ctx);
    core::ParseStatus parse(std::string_view line, core::Event& out, std::string& reason);
    /// How the last line that was an alert dated itself.
    Dating lastDating() const noexcept { return m_lastDating; }

private:
    bool resolveDate(unsigned a, unsigned b, unsigned c, core::CivilTime& civil, bool& guessed) noexcept;

    vendor::StampResolver m_times;
    enum class Order : std::uint8_t { Unknown, MonthDayYear, YearMonthDay } m_order = Order::Unknown;
    Dating m_lastDating = Dating::None;
};

} // namespace tattle::parsers::fastalert
