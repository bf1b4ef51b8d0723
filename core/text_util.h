// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace tattle::core {

/// Appends s as a JSON string literal (quotes included). Control characters are escaped and bytes that
/// are not valid UTF-8 become U+FFFD, so hostile log text always yields valid JSON.
void appendJsonString(std::string& out, std::string_view s);

/// s with invalid UTF-8 sequences replaced by U+FFFD (the text unchanged when already valid).
std::string toValidUtf8(std::string_view s);

/// True when s is valid UTF-8.
bool isValidUtf8(std::string_view s) noexcept;

/// s with C0/C1 control characters (CR and LF included) replaced by spaces and invalid UTF-8 repaired:
/// safe to put in a terminal line, a mail header or a CSV cell.
std::string sanitizeForDisplay(std::string_view s);

} // namespace tattle::core
