// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

/// Bit arithmetic on IpAddress used by the resolver's range tables (internal to core/resolver).
namespace tattle::core::resolver::ipmath {

using Bytes = std::array<std::uint8_t, 16>;

inline Bytes bytesOf(const IpAddress& a) noexcept
{
    Bytes b {};
    for (std::size_t i = 0; i < a.size(); ++i)
        b[i] = a.data()[i];
    return b;
}

inline IpAddress fromBytes(const Bytes& b, IpAddress::Family family) noexcept
{
    return IpAddress::fromBytes(b.data(), family == IpAddress::Family::V4 ? 4 : 16);
}

/// The number of address bits of a's family: 32, 128, or 0 when invalid.
inline int bitsOf(const IpAddress& a) noexcept
{
    return int(a.size()) * 8;
}

/// a with the bits after the first prefixLength set to 0 (ones == false) or 1 (ones == true).
inline IpAddress withHostBits(const IpAddress& a, int prefixLength, bool ones) noexcept
{
    Bytes b = bytesOf(a);
    const int bits = bitsOf(a);
    for (int bit = prefixLength; bit < bits; ++bit) {
        const auto mask = std::uint8_t(0x80u >> (bit % 8));
        if (ones)
            b[std::size_t(bit / 8)] |= mask;
        else
            b[std::size_t(bit / 8)] &= std::uint8_t(~mask);
    }
    return fromBytes(b, a.family());
}

/// a + 1, or nullopt on overflow past the family's last address.
inline std::optional<IpAddress> next(const IpAddress& a) noexcept
{
    Bytes b = bytesOf(a);
    for (std::size_t i = a.size(); i-- > 0;) {
        if (++b[i] != 0) return fromBytes(b, a.family());
    }
    return std::nullopt;
}

/// a - 1, or nullopt below the family's first address.
inline std::optional<IpAddress> previous(const IpAddress& a) noexcept
{
    Bytes b = bytesOf(a);
    for (std::size_t i = a.size(); i-- > 0;) {
        if (b[i]-- != 0) return fromBytes(b, a.family());
    }
    return std::nullopt;
}

/// last - first as a 16-byte big-endian number; compare two spans lexicographically (same family).
inline Bytes span(const IpAddress& first, const IpAddress& last) noexcept
{
    Bytes a = bytesOf(first), b = bytesOf(last), out {};
    int borrow = 0;
    for (std::size_t i = first.size(); i-- > 0;) {
        int d = int(b[i]) - int(a[i]) - borrow;
        borrow = d < 0 ? 1 : 0;
        out[i] = std::uint8_t(d + (borrow ? 256 : 0));
    }
    // Right-align so that IPv4 spans compare correctly with each other.
    if (first.size() == 4) {
        Bytes r {};
        for (std::size_t i = 0; i < 4; ++i)
            r[12 + i] = out[i];
        return r;
    }
    return out;
}

/// The prefix length when [first, last] is exactly one CIDR block, else nullopt.
inline std::optional<int> prefixLengthOf(const IpAddress& first, const IpAddress& last) noexcept
{
    if (!first.isValid() || first.family() != last.family()) return std::nullopt;
    const int bits = bitsOf(first);
    for (int len = 0; len <= bits; ++len) {
        if (withHostBits(first, len, false) == first && withHostBits(first, len, true) == last) return len;
    }
    return std::nullopt;
}

/// Parses a decimal number made of digits only, at most maxValue; nullopt otherwise.
inline std::optional<std::uint32_t> parseDecimal(std::string_view s, std::uint64_t maxValue) noexcept
{
    if (s.empty() || s.size() > 10) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + std::uint64_t(c - '0');
    }
    if (v > maxValue) return std::nullopt;
    return std::uint32_t(v);
}

} // namespace tattle::core::resolver::ipmath
