// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/builtin_parsers.h"

namespace tattle::parsers {

namespace {

class WindowsFirewallParser final : public core::Parser {
public:
    std::string_view id() const override { return "windows-firewall"; }
    std::string_view description() const override
    {
        return "Windows Firewall pfirewall.log (not yet implemented)";
    }
    core::Sniff sniff(std::span<const std::string_view>) const override { return {0, "not implemented"}; }
    std::unique_ptr<core::LineParser> open(const core::ParseContext&) const override { return nullptr; }
};

} // namespace

std::unique_ptr<core::Parser> makeWindowsFirewallParser()
{
    return std::make_unique<WindowsFirewallParser>();
}

} // namespace tattle::parsers
