// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/time_needs.h"

#include <vector>

namespace tattle::parsers {

namespace {

std::vector<core::Micros> times(
    const core::Parser& parser, std::span<const std::string_view> lines, const core::ParseContext& ctx)
{
    std::vector<core::Micros> out;
    auto reader = parser.open(ctx);
    if (!reader) return out;
    core::Event e;
    std::string reason;
    for (auto line : lines) {
        e.reset();
        if (reader->parse(line, e, reason) == core::ParseStatus::Event) out.push_back(e.time);
    }
    return out;
}

} // namespace

TimeNeeds timeNeeds(const core::Parser& parser, std::span<const std::string_view> lines)
{
    TimeNeeds needs;
    auto utc = core::TimeZone::fromName("UTC");
    auto east = core::TimeZone::fromName("+05:00");
    if (!utc || !east) return needs;
    core::ParseContext base;
    base.zone = *utc;
    base.year = 2001;
    base.referenceTime = 1'000'000'000; // 2001-09-09: a fixed reference, so year inference is repeatable
    const auto reference = times(parser, lines, base);
    needs.eventsSeen = int(reference.size());
    auto otherYear = base;
    otherYear.year = 2004;
    needs.year = times(parser, lines, otherYear) != reference;
    auto otherZone = base;
    otherZone.zone = *east;
    needs.timeZone = times(parser, lines, otherZone) != reference;
    return needs;
}

} // namespace tattle::parsers
