// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ip_address.h"

#include <arpa/inet.h>
#include <cstring>

namespace tattle::core {

namespace {

// Dotted quad only: no octal, hex or shortened forms, which firewalls never write and which would
// turn "010.1.1.1" into a different host.
bool parseV4(std::string_view s, std::uint8_t out[4]) noexcept
{
    std::size_t i = 0;
    for (int part = 0; part < 4; ++part) {
        if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
        unsigned value = 0;
        std::size_t digits = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            value = value * 10 + unsigned(s[i] - '0');
            if (++digits > 3 || value > 255) return false;
            ++i;
        }
        if (digits > 1 && s[i - digits] == '0') return false;
        out[part] = std::uint8_t(value);
        if (part < 3) {
            if (i >= s.size() || s[i] != '.') return false;
            ++i;
        }
    }
    return i == s.size();
}

} // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) noexcept
{
    IpAddress a;
    if (text.empty() || text.size() > 45) return std::nullopt;
    if (text.find(':') == std::string_view::npos) {
        if (!parseV4(text, a.m_bytes.data())) return std::nullopt;
        a.m_family = Family::V4;
        return a;
    }
    char buf[46];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    if (inet_pton(AF_INET6, buf, a.m_bytes.data()) != 1) return std::nullopt;
    a.m_family = Family::V6;
    return a;
}

IpAddress IpAddress::fromBytes(const void* data, std::size_t size) noexcept
{
    IpAddress a;
    if (size == 4 || size == 16) {
        std::memcpy(a.m_bytes.data(), data, size);
        a.m_family = size == 4 ? Family::V4 : Family::V6;
    }
    return a;
}

IpAddress IpAddress::v4(std::uint32_t hostOrder) noexcept
{
    IpAddress a;
    a.m_family = Family::V4;
    a.m_bytes[0] = std::uint8_t(hostOrder >> 24);
    a.m_bytes[1] = std::uint8_t(hostOrder >> 16);
    a.m_bytes[2] = std::uint8_t(hostOrder >> 8);
    a.m_bytes[3] = std::uint8_t(hostOrder);
    return a;
}

std::uint32_t IpAddress::v4Value() const noexcept
{
    return (std::uint32_t(m_bytes[0]) << 24) | (std::uint32_t(m_bytes[1]) << 16)
        | (std::uint32_t(m_bytes[2]) << 8) | std::uint32_t(m_bytes[3]);
}

void IpAddress::appendTo(std::string& out) const
{
    if (isV4()) {
        char buf[16];
        char* p = buf;
        for (int i = 0; i < 4; ++i) {
            unsigned v = m_bytes[i];
            if (v >= 100) *p++ = char('0' + v / 100);
            if (v >= 10) *p++ = char('0' + v / 10 % 10);
            *p++ = char('0' + v % 10);
            if (i < 3) *p++ = '.';
        }
        out.append(buf, std::size_t(p - buf));
    } else if (isV6()) {
        // glibc's inet_ntop follows RFC 5952: lower case, the longest run of two or more zero groups
        // compressed (the first on a tie), and IPv4-mapped addresses in mixed notation.
        char buf[INET6_ADDRSTRLEN];
        if (inet_ntop(AF_INET6, m_bytes.data(), buf, sizeof buf)) out.append(buf);
    }
}

std::string IpAddress::toString() const
{
    std::string s;
    appendTo(s);
    return s;
}

} // namespace tattle::core
