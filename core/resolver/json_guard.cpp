// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/json_guard.h"

#include "core/text_util.h"

#include <string>

namespace tattle::core::resolver {

int jsonNestingDepth(std::string_view text, int maxDepth) noexcept
{
    int depth = 0, deepest = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > deepest) {
                deepest = depth;
                if (deepest > maxDepth) return deepest;
            }
            break;
        case ']':
        case '}':
            if (depth > 0) --depth;
            break;
        default:
            break;
        }
    }
    return deepest;
}

Result<nlohmann::json> parseUntrustedJson(
    std::string_view text, std::size_t maxBytes, std::string_view what, ErrorKind kind)
{
    if (text.size() > maxBytes) {
        return fail(kind,
            std::string(what) + " is " + std::to_string(text.size()) + " bytes, more than the limit of "
                + std::to_string(maxBytes) + ".");
    }
    if (jsonNestingDepth(text) > kMaxJsonDepth) {
        return fail(kind,
            std::string(what) + " nests JSON deeper than " + std::to_string(kMaxJsonDepth) + " levels.");
    }
    try {
        // A stray invalid byte in one vCard field must not cost the whole answer: repair, then parse.
        if (!isValidUtf8(text)) {
            const std::string repaired = toValidUtf8(text);
            return nlohmann::json::parse(repaired.begin(), repaired.end());
        }
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception& e) {
        return fail(kind, std::string(what) + " is not valid JSON: " + sanitizeForDisplay(e.what()));
    } catch (const std::exception& e) {
        return fail(kind, std::string(what) + " could not be parsed: " + sanitizeForDisplay(e.what()));
    }
}

} // namespace tattle::core::resolver
