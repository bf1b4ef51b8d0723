// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/parser_registry.h"

#include "parsers/format_loader.h"

#include <algorithm>

namespace tattle::parsers {

void ParserRegistry::add(std::unique_ptr<core::Parser> parser)
{
    for (auto& p : m_parsers) {
        if (p->id() == parser->id()) {
            p = std::move(parser);
            return;
        }
    }
    m_parsers.push_back(std::move(parser));
}

const core::Parser* ParserRegistry::find(std::string_view id) const noexcept
{
    for (const auto& p : m_parsers) {
        if (p->id() == id) return p.get();
    }
    return nullptr;
}

Detection ParserRegistry::detect(std::span<const std::string_view> head) const
{
    Detection d;
    int best = -1;
    for (const auto& p : m_parsers) {
        core::Sniff s = p->sniff(head);
        d.candidates.push_back({std::string(p->id()), s.score, std::move(s.reason)});
        // Strictly greater: on a tie the parser registered first keeps the lead.
        if (s.score >= kMinScore && s.score > best) {
            best = s.score;
            d.parser = p.get();
        }
    }
    std::stable_sort(d.candidates.begin(), d.candidates.end(),
        [](const DetectCandidate& a, const DetectCandidate& b) { return a.score > b.score; });
    return d;
}

ParserRegistry makeDefaultRegistry()
{
    // The data formats (resources/formats and the user's folder) and the mixed-file reader come with
    // the compiled-in parsers; loadDefaultRegistry() also returns the warnings of files that did not load.
    return loadDefaultRegistry().registry;
}

} // namespace tattle::parsers
