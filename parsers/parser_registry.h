// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/parser.h"
#include "core/result.h"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tattle::parsers {

/// How one parser scored a file during detection.
struct DetectCandidate {
    std::string id;
    int score = 0;
    std::string reason;
};

/// The outcome of format detection: the chosen parser (null when none scored high enough) and every
/// parser's score and reason, best first, for `tattle detect -v` and error messages.
struct Detection {
    const core::Parser* parser = nullptr;
    std::vector<DetectCandidate> candidates;
};

/// The parsers tattle knows, by id. Order of registration is the tie-break order in detection.
class ParserRegistry {
public:
    /// The lowest score that counts as a detection.
    static constexpr int kMinScore = 50;
    /// How many non-empty lines detection reads from the head of a file.
    static constexpr std::size_t kHeadLines = 64;

    /// Adds a parser; a second parser with the same id replaces the first (user formats override).
    void add(std::unique_ptr<core::Parser> parser);
    const core::Parser* find(std::string_view id) const noexcept;
    const std::vector<std::unique_ptr<core::Parser>>& all() const noexcept { return m_parsers; }

    /// Scores the head of a file with every parser; the best score >= kMinScore wins, ties going to
    /// the parser registered first.
    Detection detect(std::span<const std::string_view> head) const;

private:
    std::vector<std::unique_ptr<core::Parser>> m_parsers;
};

/// Registers the parsers compiled into tattle, in detection tie-break order.
void registerBuiltinParsers(ParserRegistry& registry);

/// A registry holding the built-in parsers.
ParserRegistry makeDefaultRegistry();

} // namespace tattle::parsers
