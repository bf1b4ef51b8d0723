// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/address_space.h"

#include <algorithm>
#include <vector>

namespace tattle::core::resolver {

namespace {

struct Entry {
    IpRange block;
    int length = 0;
    AddressKind kind = AddressKind::Reserved;
    std::string_view name;
};

struct Spec {
    std::string_view cidr;
    AddressKind kind;
    std::string_view name;
};

// IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and later updates), plus multicast
// and the IPv6 site-local block from the address-space registries. More specific entries win.
constexpr Spec kSpecs[] = {
    {"0.0.0.0/8", AddressKind::ThisNetwork, "this network (RFC 791)"},
    {"0.0.0.0/32", AddressKind::Unspecified, "this host on this network (RFC 1122)"},
    {"10.0.0.0/8", AddressKind::Private, "private use (RFC 1918)"},
    {"100.64.0.0/10", AddressKind::SharedAddressSpace, "shared address space, carrier-grade NAT (RFC 6598)"},
    {"127.0.0.0/8", AddressKind::Loopback, "loopback (RFC 1122)"},
    {"169.254.0.0/16", AddressKind::LinkLocal, "link-local (RFC 3927)"},
    {"172.16.0.0/12", AddressKind::Private, "private use (RFC 1918)"},
    {"192.0.0.0/24", AddressKind::IetfProtocol, "IETF protocol assignments (RFC 6890)"},
    {"192.0.0.0/29", AddressKind::IetfProtocol, "IPv4 service continuity prefix (RFC 7335)"},
    {"192.0.0.8/32", AddressKind::IetfProtocol, "IPv4 dummy address (RFC 7600)"},
    {"192.0.0.9/32", AddressKind::AnycastService, "Port Control Protocol anycast (RFC 7723)"},
    {"192.0.0.10/32", AddressKind::AnycastService, "TURN anycast (RFC 8155)"},
    {"192.0.0.170/31", AddressKind::IetfProtocol, "NAT64/DNS64 discovery (RFC 8880)"},
    {"192.0.2.0/24", AddressKind::Documentation, "documentation (RFC 5737)"},
    {"192.31.196.0/24", AddressKind::AnycastService, "AS112 (RFC 7535)"},
    {"192.52.193.0/24", AddressKind::AnycastService, "AMT relay anycast (RFC 7450)"},
    {"192.88.99.0/24", AddressKind::Deprecated, "deprecated 6to4 relay anycast (RFC 7526)"},
    {"192.168.0.0/16", AddressKind::Private, "private use (RFC 1918)"},
    {"192.175.48.0/24", AddressKind::AnycastService, "AS112 direct delegation (RFC 7534)"},
    {"198.18.0.0/15", AddressKind::Benchmarking, "benchmarking (RFC 2544)"},
    {"198.51.100.0/24", AddressKind::Documentation, "documentation (RFC 5737)"},
    {"203.0.113.0/24", AddressKind::Documentation, "documentation (RFC 5737)"},
    {"224.0.0.0/4", AddressKind::Multicast, "multicast (RFC 5771)"},
    {"233.252.0.0/24", AddressKind::Documentation, "multicast documentation (RFC 5771)"},
    {"240.0.0.0/4", AddressKind::Reserved, "reserved for future use (RFC 1112)"},
    {"255.255.255.255/32", AddressKind::Broadcast, "limited broadcast (RFC 919)"},

    {"::/0", AddressKind::Reserved, "reserved by the IETF (RFC 4291)"},
    {"2000::/3", AddressKind::Public, "public"},
    {"::/128", AddressKind::Unspecified, "unspecified (RFC 4291)"},
    {"::1/128", AddressKind::Loopback, "loopback (RFC 4291)"},
    {"64:ff9b:1::/48", AddressKind::Translation, "local-use IPv4/IPv6 translation (RFC 8215)"},
    {"100::/64", AddressKind::Discard, "discard-only (RFC 6666)"},
    {"2001::/23", AddressKind::IetfProtocol, "IETF protocol assignments (RFC 2928)"},
    {"2001::/32", AddressKind::Teredo, "Teredo (RFC 4380)"},
    {"2001:1::1/128", AddressKind::AnycastService, "Port Control Protocol anycast (RFC 7723)"},
    {"2001:1::2/128", AddressKind::AnycastService, "TURN anycast (RFC 8155)"},
    {"2001:2::/48", AddressKind::Benchmarking, "benchmarking (RFC 5180)"},
    {"2001:3::/32", AddressKind::AnycastService, "AMT (RFC 7450)"},
    {"2001:4:112::/48", AddressKind::AnycastService, "AS112 (RFC 7535)"},
    {"2001:10::/28", AddressKind::Deprecated, "deprecated ORCHID (RFC 4843)"},
    {"2001:20::/28", AddressKind::IetfProtocol, "ORCHIDv2 (RFC 7343)"},
    {"2001:30::/28", AddressKind::IetfProtocol, "drone remote ID entity tags (RFC 9374)"},
    {"2001:db8::/32", AddressKind::Documentation, "documentation (RFC 3849)"},
    {"2002::/16", AddressKind::SixToFour, "6to4 (RFC 3056)"},
    {"2620:4f:8000::/48", AddressKind::AnycastService, "AS112 direct delegation (RFC 7534)"},
    {"3fff::/20", AddressKind::Documentation, "documentation (RFC 9637)"},
    {"5f00::/16", AddressKind::Reserved, "segment routing SIDs (RFC 9602)"},
    {"fc00::/7", AddressKind::UniqueLocal, "unique local (RFC 4193)"},
    {"fe80::/10", AddressKind::LinkLocal, "link-local (RFC 4291)"},
    {"fec0::/10", AddressKind::Deprecated, "deprecated site-local (RFC 3879)"},
    {"ff00::/8", AddressKind::Multicast, "multicast (RFC 4291)"},
};

// Longest prefix first, so that the first match is the most specific one.
const std::vector<Entry>& table()
{
    static const std::vector<Entry> entries = [] {
        std::vector<Entry> out;
        for (const Spec& s : kSpecs) {
            const auto r = IpRange::parseCidr(s.cidr);
            if (!r) continue;
            out.push_back({*r, r->prefixLength().value_or(0), s.kind, s.name});
        }
        std::stable_sort(
            out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.length > b.length; });
        return out;
    }();
    return entries;
}

bool hasPrefix(const IpAddress& a, std::initializer_list<std::uint8_t> prefix) noexcept
{
    std::size_t i = 0;
    for (std::uint8_t b : prefix) {
        if (a.data()[i++] != b) return false;
    }
    return true;
}

IpAddress v4At(const IpAddress& a, std::size_t offset, bool inverted = false) noexcept
{
    std::uint8_t b[4];
    for (std::size_t i = 0; i < 4; ++i)
        b[i] = std::uint8_t(a.data()[offset + i] ^ (inverted ? 0xFF : 0x00));
    return IpAddress::fromBytes(b, 4);
}

// Mapped and NAT64 (well-known prefix) addresses stand for the IPv4 address inside them.
std::optional<IpAddress> translatedIpv4(const IpAddress& a) noexcept
{
    if (!a.isV6()) return std::nullopt;
    if (hasPrefix(a, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF})) return v4At(a, 12);
    if (hasPrefix(a, {0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0})) return v4At(a, 12);
    return std::nullopt;
}

} // namespace

AddressClass classify(const IpAddress& a) noexcept
{
    if (!a.isValid()) return {AddressKind::Invalid, "invalid", {}};
    if (const auto inner = translatedIpv4(a)) return classify(*inner);
    for (const Entry& e : table()) {
        if (!e.block.contains(a)) continue;
        if (e.kind == AddressKind::Public) break;
        return {e.kind, e.name, e.block};
    }
    return {AddressKind::Public, "public", {}};
}

std::optional<IpAddress> embeddedIpv4(const IpAddress& a) noexcept
{
    if (!a.isV6()) return std::nullopt;
    if (const auto inner = translatedIpv4(a)) return inner;
    if (hasPrefix(a, {0x20, 0x02})) return v4At(a, 2);
    if (hasPrefix(a, {0x20, 0x01, 0x00, 0x00})) return v4At(a, 12, true);
    return std::nullopt;
}

std::optional<IpAddress> lookupAddress(const IpAddress& a) noexcept
{
    switch (classify(a).kind) {
    case AddressKind::Public:
        break;
    case AddressKind::SixToFour:
    case AddressKind::Teredo: {
        const auto inner = embeddedIpv4(a);
        if (inner && classify(*inner).kind == AddressKind::Public) return inner;
        return std::nullopt;
    }
    default:
        return std::nullopt;
    }
    if (const auto inner = translatedIpv4(a)) return inner;
    return a;
}

bool isPublic(const IpAddress& a) noexcept
{
    return lookupAddress(a).has_value();
}

} // namespace tattle::core::resolver
