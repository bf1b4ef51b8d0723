// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/parser.h"

#include <span>
#include <string_view>

namespace tattle::parsers {

/// What a format's timestamps leave open in some lines, so a front end asks the user.
struct TimeNeeds {
    bool year = false; ///< the stamps carry no year (it is inferred unless given)
    bool timeZone = false; ///< the stamps are local times (read in the zone given)
    int eventsSeen = 0; ///< events among the lines looked at
};

/// Reads the lines with the parser several times, changing only the year and then only the zone: when
/// the times change, the format needs them. Never throws.
TimeNeeds timeNeeds(const core::Parser& parser, std::span<const std::string_view> lines);

} // namespace tattle::parsers
