// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/builtin_parsers.h"

namespace tattle::parsers {

namespace {

class ZoneAlarmParser final : public core::Parser {
public:
    std::string_view id() const override { return "zonealarm"; }
    std::string_view description() const override { return "ZoneAlarm ZALog.txt (not yet implemented)"; }
    core::Sniff sniff(std::span<const std::string_view>) const override { return {0, "not implemented"}; }
    std::unique_ptr<core::LineParser> open(const core::ParseContext&) const override { return nullptr; }
};

} // namespace

std::unique_ptr<core::Parser> makeZoneAlarmParser()
{
    return std::make_unique<ZoneAlarmParser>();
}

} // namespace tattle::parsers
