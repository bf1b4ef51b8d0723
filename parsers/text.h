// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string_view>

/// Small, allocation-free text helpers shared by the hand-written parsers (their hot paths use no regex).
namespace tattle::parsers::text {

inline bool isSpace(char c) noexcept
{
    return c == ' ' || c == '\t';
}
inline bool isDigit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

inline std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (isSpace(s.front()) || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (isSpace(s.back()) || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

/// Parses a decimal number of at most 10 digits that is <= max; false for anything else.
inline bool parseUint(std::string_view s, unsigned& out, unsigned max = 0xFFFFFFFFu) noexcept
{
    if (s.empty() || s.size() > 10) return false;
    unsigned long long v = 0;
    for (char c : s) {
        if (!isDigit(c)) return false;
        v = v * 10 + unsigned(c - '0');
    }
    if (v > max) return false;
    out = unsigned(v);
    return true;
}

/// A port number 0..65535 in decimal.
inline bool parsePort(std::string_view s, int& out) noexcept
{
    unsigned v = 0;
    if (!parseUint(s, v, 65535)) return false;
    out = int(v);
    return true;
}

/// Takes the next token up to sep (the separator is consumed); the whole rest when sep is absent.
inline std::string_view nextToken(std::string_view& s, char sep) noexcept
{
    const std::size_t p = s.find(sep);
    std::string_view tok = s.substr(0, p);
    s = p == std::string_view::npos ? std::string_view() : s.substr(p + 1);
    return tok;
}

/// Takes the next whitespace-delimited word, skipping leading blanks.
inline std::string_view nextWord(std::string_view& s) noexcept
{
    std::size_t i = 0;
    while (i < s.size() && isSpace(s[i]))
        ++i;
    std::size_t j = i;
    while (j < s.size() && !isSpace(s[j]))
        ++j;
    std::string_view w = s.substr(i, j - i);
    s.remove_prefix(j);
    return w;
}

inline bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = char(x + 32);
        if (y >= 'A' && y <= 'Z') y = char(y + 32);
        if (x != y) return false;
    }
    return true;
}

} // namespace tattle::parsers::text
