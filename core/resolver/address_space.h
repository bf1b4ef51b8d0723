// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/resolver/network_info.h"

#include <cstdint>
#include <optional>
#include <string_view>

/// Special-purpose addresses (IANA IPv4/IPv6 Special-Purpose Address Registries, RFC 6890 and its
/// successors): addresses that no registry holds for an ISP and that are never looked up.
namespace tattle::core::resolver {

/// What kind of address this is; Public means "ask the registries".
enum class AddressKind : std::uint8_t {
    Public,
    Unspecified, ///< 0.0.0.0, ::
    ThisNetwork, ///< 0.0.0.0/8
    Private, ///< RFC 1918
    SharedAddressSpace, ///< 100.64.0.0/10, carrier-grade NAT (RFC 6598)
    Loopback,
    LinkLocal,
    IetfProtocol, ///< IETF protocol assignments (192.0.0.0/24, 2001::/23 ...)
    AnycastService, ///< globally reachable protocol anycast (AS112, AMT, PCP, TURN)
    Documentation,
    Benchmarking,
    Multicast,
    Broadcast,
    Reserved, ///< reserved for future use, or outside IPv6 global unicast 2000::/3
    Deprecated, ///< deprecated blocks (6to4 relay anycast, site-local, ORCHID)
    UniqueLocal, ///< fc00::/7
    Discard, ///< 100::/64
    Translation, ///< local-use IPv4/IPv6 translation 64:ff9b:1::/48
    SixToFour, ///< 2002::/16: the IPv4 inside is what to look up
    Teredo, ///< 2001::/32: the client IPv4 inside is what to look up
    Invalid,
};

/// The class of one address.
struct AddressClass {
    AddressKind kind = AddressKind::Invalid;
    /// For users, e.g. "documentation (RFC 5737)"; "public" for Public.
    std::string_view name;
    /// The special-purpose block the address is in; empty (invalid) for Public.
    IpRange block;
};

/// Classifies a. IPv4-mapped (::ffff:0:0/96) and NAT64 well-known-prefix (64:ff9b::/96) addresses are
/// judged by the IPv4 address inside them.
AddressClass classify(const IpAddress& a) noexcept;

/// The IPv4 address carried inside a: IPv4-mapped, NAT64 (64:ff9b::/96), 6to4 (2002:AABB:CCDD::/48)
/// or Teredo (the client address: the last 32 bits inverted). nullopt for anything else.
std::optional<IpAddress> embeddedIpv4(const IpAddress& a) noexcept;

/// The address to look up in the registries for a: a itself when public, the IPv4 inside a mapped,
/// NAT64, 6to4 or Teredo address when that one is public; nullopt when there is nothing to look up.
std::optional<IpAddress> lookupAddress(const IpAddress& a) noexcept;

/// True when lookupAddress(a) has a value: a registry holds the address (or the IPv4 inside it).
bool isPublic(const IpAddress& a) noexcept;

} // namespace tattle::core::resolver
