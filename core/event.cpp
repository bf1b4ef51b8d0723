// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/event.h"

#include <cctype>

namespace tattle::core {

namespace {
struct ProtoName {
    int number;
    std::string_view name;
};
constexpr ProtoName kProtoNames[] = {
    {proto::kTcp, "tcp"},
    {proto::kUdp, "udp"},
    {proto::kIcmp, "icmp"},
    {proto::kIcmpV6, "ipv6-icmp"},
    {proto::kIgmp, "igmp"},
    {proto::kGre, "gre"},
    {proto::kEsp, "esp"},
    {proto::kAh, "ah"},
    {proto::kSctp, "sctp"},
    {proto::kUdpLite, "udplite"},
};
// Other spellings seen in logs.
constexpr ProtoName kAliases[] = {
    {proto::kIcmpV6, "icmpv6"},
    {proto::kIcmpV6, "icmp6"},
    {proto::kIcmpV6, "ipv6icmp"},
    {proto::kIcmpV6, "ipv6-icmp"},
    {proto::kEsp, "ipsec-esp"},
    {proto::kAh, "ipsec-ah"},
};

bool equalsLower(std::string_view text, std::string_view lower) noexcept
{
    if (text.size() != lower.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != lower[i]) return false;
    }
    return true;
}
} // namespace

std::string protoName(int p)
{
    for (const auto& e : kProtoNames) {
        if (e.number == p) return std::string(e.name);
    }
    return p < 0 ? std::string("unknown") : std::to_string(p);
}

int protoFromName(std::string_view name) noexcept
{
    if (name.empty()) return proto::kUnknown;
    if (name[0] >= '0' && name[0] <= '9') {
        unsigned v = 0;
        if (!parseDigits(name, v) || v > 255) return proto::kUnknown;
        return int(v);
    }
    for (const auto& e : kProtoNames) {
        if (equalsLower(name, e.name)) return e.number;
    }
    for (const auto& e : kAliases) {
        if (equalsLower(name, e.name)) return e.number;
    }
    return proto::kUnknown;
}

std::string_view actionName(Action a) noexcept
{
    return a == Action::Allow ? "allow" : "block";
}

std::string_view directionName(Direction d) noexcept
{
    switch (d) {
    case Direction::In:
        return "in";
    case Direction::Out:
        return "out";
    case Direction::Unknown:
        break;
    }
    return "unknown";
}

std::string tcpFlagsText(std::uint8_t flags)
{
    static constexpr std::string_view kNames[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    std::string s;
    for (int i = 0; i < 8; ++i) {
        if (flags & (1u << i)) {
            if (!s.empty()) s.push_back(',');
            s.append(kNames[i]);
        }
    }
    return s;
}

} // namespace tattle::core
