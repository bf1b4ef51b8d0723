// SPDX-License-Identifier: GPL-3.0-or-later
// Only this file of the resolver includes the WHOIS answer parser: the parser's option struct and the
// client's share a name, so the two headers cannot meet in one translation unit.
#include "core/resolver/whois_lookup.h"

#include "core/resolver/contacts.h"
#include "core/resolver/whois_parser.h"

#include <set>

namespace tattle::core::resolver {

namespace {

std::string endpointText(std::string_view host, std::uint16_t port)
{
    std::string s(host);
    if (port != 43) s += ":" + std::to_string(port);
    return s;
}

bool moreSpecific(const IpRange& candidate, const IpRange& current)
{
    return candidate.within(current) && candidate != current;
}

} // namespace

std::string whoisQueryLine(std::string_view host, const IpAddress& a)
{
    return queryFor(host, a);
}

Result<WhoisLookupResult> whoisLookup(const IpAddress& a, std::string_view firstHost,
    const WhoisTransport& transport, const WhoisLookupOptions& options)
{
    WhoisLookupResult out;
    std::set<std::string> asked;
    std::string host = hostName(firstHost);
    if (host.empty())
        return fail(ErrorKind::Usage, "'" + sanitizeField(firstHost) + "' is not a WHOIS host name.");
    std::uint16_t port = 43;
    for (int depth = 0;; ++depth) {
        const std::string where = endpointText(host, port);
        if (!asked.insert(where).second) {
            out.notes.push_back("Referral loop: " + where + " was asked already.");
            break;
        }
        const std::string query = queryFor(host, a);
        out.chain.push_back(where);
        auto raw = transport(host, query, port);
        if (!raw) {
            if (depth == 0) return std::unexpected(raw.error());
            out.notes.push_back("The referral to " + where + " failed: " + raw.error().message);
            break;
        }
        auto answer
            = parseWhois(*raw, host, a, {.maxBytes = 4 * 1024 * 1024, .placeholders = options.placeholders});
        if (!answer) {
            if (answer.error().kind == ErrorKind::RateLimited && options.rateLimited)
                options.rateLimited(host);
            if (depth == 0) return std::unexpected(answer.error());
            out.notes.push_back(
                "The referral to " + where + " gave nothing usable: " + answer.error().message);
            break;
        }
        out.raw += "% tattle: answer of " + where + " to " + query + "\n" + answer->text;
        if (!out.raw.ends_with('\n')) out.raw += '\n';
        if (answer->network && answer->network->range.contains(a)
            && (!out.network || moreSpecific(answer->network->range, out.network->range))) {
            out.network = std::move(answer->network);
        }
        if (!answer->referral) break;
        const WhoisReferral& ref = *answer->referral;
        const std::string next = hostName(ref.host);
        if (next.empty()) {
            out.notes.push_back("A referral to an invalid host name was not followed.");
            break;
        }
        if (depth >= options.maxReferrals) {
            out.notes.push_back("The referral to " + endpointText(next, std::uint16_t(ref.port))
                + " was not followed: more than " + std::to_string(options.maxReferrals) + " referrals.");
            break;
        }
        host = next;
        port = ref.port > 0 && ref.port <= 65535 ? std::uint16_t(ref.port) : std::uint16_t(43);
    }
    if (!out.network) {
        std::string chain;
        for (const auto& h : out.chain)
            chain += (chain.empty() ? "" : ", ") + h;
        std::string msg = "No WHOIS server asked (" + chain + ") knows a network for " + a.toString() + ".";
        for (const auto& n : out.notes)
            msg += " " + n;
        return fail(ErrorKind::NotFound, msg);
    }
    std::string server;
    for (const auto& h : out.chain)
        server += (server.empty() ? "" : " > ") + h;
    out.network->server = server;
    return out;
}

std::vector<AsnRecord> parseAsnAnswer(std::string_view text)
{
    std::vector<AsnRecord> out;
    for (auto& r : parseCymru(text))
        out.push_back(
            {r.address, r.asn, r.prefix, std::move(r.country), std::move(r.registry), std::move(r.asName)});
    return out;
}

} // namespace tattle::core::resolver
