// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/parser.h"
#include "parsers/parser_registry.h"

#include <memory>
#include <string_view>

namespace tattle::parsers {

/// The id of the reader for mixed files.
inline constexpr std::string_view kMixedParserId = "mixed";

/// A reader for files that hold several formats' records (a central syslog server's file with the lines
/// of several hosts and firewalls). Each line goes to the members in registry order: the first that reads
/// an event wins, and the event's Event::extra gets "format": "<id>" first. A line no member reads as an
/// event is Ignored or Malformed as the first member that has read events in this file says, NotMine
/// otherwise (so a member that calls every foreign line Malformed does not swamp the file). sniff() scores
/// high only when at least two members each read events from at least two head lines that no member
/// before them reads.
std::unique_ptr<core::Parser> makeMixedParser(ParserRegistry members);

} // namespace tattle::parsers
