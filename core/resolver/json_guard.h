// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

namespace tattle::core::resolver {

/// The deepest nesting of arrays and objects tattle accepts in JSON from a peer. nlohmann::json parses
/// recursively without a limit, so deeper documents are refused before parsing (stack exhaustion).
inline constexpr int kMaxJsonDepth = 64;

/// The nesting depth of the arrays and objects in text, counted outside strings; stops counting (and
/// returns a value above maxDepth) as soon as maxDepth is exceeded.
int jsonNestingDepth(std::string_view text, int maxDepth = kMaxJsonDepth) noexcept;

/// Parses untrusted JSON: refuses text longer than maxBytes or nested deeper than kMaxJsonDepth, and
/// never throws. The error (kind `kind`) names `what` (a file name or "RDAP answer from ...").
Result<nlohmann::json> parseUntrustedJson(std::string_view text, std::size_t maxBytes, std::string_view what,
    ErrorKind kind = ErrorKind::BadResponse);

} // namespace tattle::core::resolver
