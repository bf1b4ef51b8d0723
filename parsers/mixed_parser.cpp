// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/mixed_parser.h"

#include "core/text_util.h"

#include <algorithm>
#include <vector>

namespace tattle::parsers {

namespace {

using core::ParseStatus;

/// Each member's claims on head lines need to reach this for the file to count as mixed.
constexpr std::size_t kMinLinesPerMember = 2;

/// Puts "format": "<id>" first in the event's extra object.
void recordFormat(core::Event& e, std::string_view id)
{
    std::string field = "\"format\":";
    core::appendJsonString(field, id);
    if (e.extra.size() < 2 || e.extra.front() != '{') {
        e.extra = "{" + field + "}";
        return;
    }
    const bool empty = e.extra.find_first_not_of(" \t\r\n", 1) == e.extra.size() - 1;
    e.extra.insert(1, empty ? field : field + ",");
}

class MixedLineParser final : public core::LineParser {
public:
    MixedLineParser(const ParserRegistry& members, const core::ParseContext& ctx)
    {
        for (const auto& p : members.all()) {
            m_members.push_back({p->id(), p->open(ctx), false});
            if (!m_members.back().reader) m_members.pop_back();
        }
    }

    ParseStatus parse(std::string_view line, core::Event& out, std::string& reason) override
    {
        const Member* fallback = nullptr;
        ParseStatus fallbackStatus = ParseStatus::NotMine;
        for (Member& m : m_members) {
            m_reason.clear();
            const ParseStatus st = m.reader->parse(line, out, m_reason);
            if (st == ParseStatus::Event) {
                m.active = true;
                recordFormat(out, m.id);
                return st;
            }
            if (!fallback && m.active && st != ParseStatus::NotMine) {
                fallback = &m;
                fallbackStatus = st;
                m_fallbackReason = m_reason;
            }
        }
        if (fallbackStatus == ParseStatus::Malformed) {
            reason.assign(fallback->id);
            reason.append(": ");
            reason.append(m_fallbackReason);
        }
        return fallbackStatus;
    }

private:
    struct Member {
        std::string_view id;
        std::unique_ptr<core::LineParser> reader;
        bool active; ///< has read an event of this file
    };
    std::vector<Member> m_members;
    std::string m_reason, m_fallbackReason;
};

class MixedParser final : public core::Parser {
public:
    explicit MixedParser(ParserRegistry members)
        : m_members(std::move(members))
    {
    }

    std::string_view id() const override { return kMixedParserId; }
    std::string_view description() const override
    {
        return "A file holding several formats' records (a central syslog server's): each line read by the "
               "format that claims it";
    }

    core::Sniff sniff(std::span<const std::string_view> head) const override
    {
        const auto& all = m_members.all();
        if (head.empty() || all.size() < 2) return {0, "no lines"};
        core::ParseContext ctx;
        ctx.year = 2000;
        std::vector<std::unique_ptr<core::LineParser>> readers;
        for (const auto& p : all)
            readers.push_back(p->open(ctx));
        // Which member reads each head line first, in registry order (as parse() does).
        std::vector<std::size_t> claims(all.size(), 0);
        core::Event ev;
        std::string reason;
        std::size_t covered = 0;
        for (std::string_view line : head) {
            for (std::size_t i = 0; i < readers.size(); ++i) {
                if (readers[i] && readers[i]->parse(line, ev, reason) == ParseStatus::Event) {
                    ++claims[i];
                    ++covered;
                    break;
                }
            }
        }
        std::vector<std::size_t> order;
        for (std::size_t i = 0; i < claims.size(); ++i) {
            if (claims[i] > 0) order.push_back(i);
        }
        std::stable_sort(
            order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return claims[a] > claims[b]; });
        std::string parts;
        std::size_t members = 0;
        for (std::size_t i : order) {
            parts
                += (parts.empty() ? "" : ", ") + std::to_string(claims[i]) + " " + std::string(all[i]->id());
            if (claims[i] >= kMinLinesPerMember) ++members;
        }
        const std::string n = std::to_string(head.size());
        if (members < 2) {
            return {0,
                parts.empty() ? "no format reads any of the " + n + " lines"
                              : "not a mixture of formats: events in " + n + " lines come from " + parts};
        }
        // Mixed files are read as mixed even when one member alone scores well: that member would pass
        // over the others' records. A member certain of the file (a header line) still wins: ties go to
        // the parser registered first.
        int best = 0;
        for (const auto& p : all)
            best = std::max(best, p->sniff(head).score);
        const int score = std::min(100, std::max(best + 1, int(60 + 35 * covered / head.size())));
        return {score, "a mixture of formats: of " + n + " lines, " + parts};
    }

    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const override
    {
        return std::make_unique<MixedLineParser>(m_members, ctx);
    }

private:
    ParserRegistry m_members;
};

} // namespace

std::unique_ptr<core::Parser> makeMixedParser(ParserRegistry members)
{
    return std::make_unique<MixedParser>(std::move(members));
}

} // namespace tattle::parsers
