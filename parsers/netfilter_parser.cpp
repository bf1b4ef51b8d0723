// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/builtin_parsers.h"

namespace tattle::parsers {

namespace {

class NetfilterParser final : public core::Parser {
public:
    std::string_view id() const override { return "netfilter"; }
    std::string_view description() const override { return "Linux netfilter (not yet implemented)"; }
    core::Sniff sniff(std::span<const std::string_view>) const override { return {0, "not implemented"}; }
    std::unique_ptr<core::LineParser> open(const core::ParseContext&) const override { return nullptr; }
};

} // namespace

std::unique_ptr<core::Parser> makeNetfilterParser()
{
    return std::make_unique<NetfilterParser>();
}

} // namespace tattle::parsers
