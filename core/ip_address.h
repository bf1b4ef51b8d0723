// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tattle::core {

/// An IPv4 or IPv6 address held as 16 bytes in network order (IPv4 in the first four).
/// Printed canonically: dotted quad for IPv4, RFC 5952 for IPv6.
class IpAddress {
public:
    enum class Family : std::uint8_t { None, V4, V6 };

    IpAddress() = default;

    /// Parses dotted-quad IPv4 or any RFC 4291 text form of IPv6 (zone ids are refused).
    static std::optional<IpAddress> parse(std::string_view text) noexcept;
    /// Builds an address from 4 or 16 raw bytes in network order; other sizes give an invalid address.
    static IpAddress fromBytes(const void* data, std::size_t size) noexcept;
    static IpAddress v4(std::uint32_t hostOrder) noexcept;

    Family family() const noexcept { return m_family; }
    bool isValid() const noexcept { return m_family != Family::None; }
    bool isV4() const noexcept { return m_family == Family::V4; }
    bool isV6() const noexcept { return m_family == Family::V6; }
    /// 4 for IPv4, 16 for IPv6, 0 when invalid.
    std::size_t size() const noexcept { return isV4() ? 4 : isV6() ? 16 : 0; }
    const std::uint8_t* data() const noexcept { return m_bytes.data(); }
    /// The IPv4 value in host order (only meaningful for IPv4).
    std::uint32_t v4Value() const noexcept;

    /// Canonical text form (RFC 5952 for IPv6).
    std::string toString() const;
    /// Appends the canonical text to out (no allocation beyond out's growth).
    void appendTo(std::string& out) const;

    friend bool operator==(const IpAddress&, const IpAddress&) = default;
    friend std::strong_ordering operator<=>(const IpAddress&, const IpAddress&) = default;

private:
    Family m_family = Family::None;
    std::array<std::uint8_t, 16> m_bytes {};
};

} // namespace tattle::core
