// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/network_info.h"

#include "core/resolver/ip_math.h"

namespace tattle::core::resolver {

namespace {

std::string_view trimmed(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

bool IpRange::valid() const noexcept
{
    return first.isValid() && first.family() == last.family() && first <= last;
}

bool IpRange::contains(const IpAddress& a) const noexcept
{
    return valid() && a.family() == first.family() && first <= a && a <= last;
}

bool IpRange::within(const IpRange& other) const noexcept
{
    return valid() && other.contains(first) && other.contains(last);
}

std::optional<IpRange> IpRange::fromPrefix(const IpAddress& base, int length) noexcept
{
    if (!base.isValid() || length < 0 || length > ipmath::bitsOf(base)) return std::nullopt;
    return IpRange {ipmath::withHostBits(base, length, false), ipmath::withHostBits(base, length, true)};
}

std::optional<IpRange> IpRange::parseCidr(std::string_view text)
{
    text = trimmed(text);
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const auto base = IpAddress::parse(text.substr(0, slash));
    if (!base) return std::nullopt;
    const auto length = ipmath::parseDecimal(text.substr(slash + 1), 128);
    if (!length) return std::nullopt;
    return fromPrefix(*base, int(*length));
}

std::optional<IpRange> IpRange::parseRange(std::string_view text)
{
    text = trimmed(text);
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto first = IpAddress::parse(trimmed(text.substr(0, dash)));
    const auto last = IpAddress::parse(trimmed(text.substr(dash + 1)));
    if (!first || !last) return std::nullopt;
    IpRange r {*first, *last};
    if (!r.valid()) return std::nullopt;
    return r;
}

std::optional<IpRange> IpRange::parse(std::string_view text)
{
    text = trimmed(text);
    if (text.find('/') != std::string_view::npos) return parseCidr(text);
    if (text.find('-') != std::string_view::npos) return parseRange(text);
    const auto a = IpAddress::parse(text);
    if (!a) return std::nullopt;
    return IpRange {*a, *a};
}

std::optional<int> IpRange::prefixLength() const noexcept
{
    if (!valid()) return std::nullopt;
    return ipmath::prefixLengthOf(first, last);
}

std::string IpRange::toString() const
{
    if (!valid()) return {};
    std::string out;
    first.appendTo(out);
    if (const auto len = prefixLength()) {
        out += '/';
        out += std::to_string(*len);
    } else {
        out += " - ";
        last.appendTo(out);
    }
    return out;
}

std::string_view contactSourceName(ContactSource s) noexcept
{
    switch (s) {
    case ContactSource::UserOverride:
        return "user";
    case ContactSource::Rdap:
        return "rdap";
    case ContactSource::Whois:
        return "whois";
    case ContactSource::AbusixDns:
        return "abusix";
    case ContactSource::DomainGuess:
        return "guess";
    case ContactSource::None:
        break;
    }
    return "none";
}

} // namespace tattle::core::resolver
