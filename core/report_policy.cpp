// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report_policy.h"

#include "core/resolver/address_space.h"
#include "core/resolver/json_guard.h"
#include "core/text_util.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace tattle::core {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
        [](unsigned char c) { return char(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    return out;
}

constexpr std::size_t kMaxScannerFileBytes = 4 << 20;

} // namespace

std::string_view skipReasonName(SkipReason r) noexcept
{
    switch (r) {
    case SkipReason::SpecialAddress:
        return "special-address";
    case SkipReason::OwnNetwork:
        return "own-network";
    case SkipReason::AllowListed:
        return "allow-listed";
    case SkipReason::ResearchScanner:
        return "research-scanner";
    case SkipReason::WeakEvidence:
        return "weak-evidence";
    case SkipReason::NoContact:
        return "no-contact";
    case SkipReason::TooFewEvents:
        return "too-few-events";
    case SkipReason::NotThisContact:
        return "other-contact";
    case SkipReason::Deferred:
        break;
    }
    return "deferred";
}

Result<ScannerList> ScannerList::load(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(ErrorKind::Config, "Cannot read the scanner list '" + file.string() + "'.");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), file.string());
}

Result<ScannerList> ScannerList::parse(std::string_view text, std::string_view origin)
{
    const std::string what = "Scanner list '" + std::string(origin) + "'";
    auto j = resolver::parseUntrustedJson(text, kMaxScannerFileBytes, what, ErrorKind::Config);
    if (!j) return std::unexpected(j.error());
    auto bad = [&](const std::string& ptr, const std::string& why) {
        return fail(ErrorKind::Config, what + ": " + ptr + ": " + why);
    };
    if (!j->is_object() || !j->contains("scanners") || !(*j)["scanners"].is_array())
        return bad("/scanners", "must be a list of scanners.");
    ScannerList list;
    const auto& arr = (*j)["scanners"];
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string ptr = "/scanners/" + std::to_string(i);
        const auto& e = arr[i];
        if (!e.is_object()) return bad(ptr, "must be an object.");
        ResearchScanner s;
        for (const auto& [key, field] :
            {std::pair {"name", &s.name}, std::pair {"optOut", &s.optOut}, std::pair {"source", &s.source}}) {
            if (!e.contains(key) || !e[key].is_string() || e[key].get<std::string>().empty())
                return bad(ptr + "/" + key, "must be a non-empty text.");
            *field = sanitizeForDisplay(e[key].get<std::string>());
        }
        auto strings = [&](const char* key, std::vector<std::string>& out) -> std::optional<std::string> {
            if (!e.contains(key)) return std::nullopt;
            if (!e[key].is_array()) return ptr + "/" + key;
            for (std::size_t k = 0; k < e[key].size(); ++k) {
                if (!e[key][k].is_string() || e[key][k].get<std::string>().empty())
                    return ptr + "/" + key + "/" + std::to_string(k);
                out.push_back(e[key][k].get<std::string>());
            }
            return std::nullopt;
        };
        std::vector<std::string> nets;
        for (const auto& [key, out] : {std::pair {"networks", &nets},
                 std::pair {"rdnsSuffixes", &s.rdnsSuffixes}, std::pair {"orgNames", &s.orgNames}}) {
            if (auto p = strings(key, *out)) return bad(*p, "must be a list of non-empty texts.");
        }
        for (std::size_t k = 0; k < nets.size(); ++k) {
            auto r = resolver::IpRange::parse(nets[k]);
            if (!r)
                return bad(ptr + "/networks/" + std::to_string(k),
                    "'" + sanitizeForDisplay(nets[k]) + "' is not a network.");
            s.networks.push_back(*r);
        }
        for (auto& suffix : s.rdnsSuffixes) {
            suffix = lower(suffix);
            if (suffix.front() != '.') suffix.insert(suffix.begin(), '.');
        }
        for (auto& org : s.orgNames)
            org = lower(org);
        if (s.networks.empty() && s.rdnsSuffixes.empty() && s.orgNames.empty())
            return bad(ptr, "names no network, reverse DNS suffix or organisation.");
        list.m_scanners.push_back(std::move(s));
    }
    return list;
}

void ScannerList::append(const ScannerList& other)
{
    m_scanners.insert(m_scanners.end(), other.m_scanners.begin(), other.m_scanners.end());
}

const ResearchScanner* ScannerList::match(
    const IpAddress& a, std::string_view rdns, std::string_view org) const
{
    for (const auto& s : m_scanners) {
        for (const auto& n : s.networks) {
            if (n.contains(a)) return &s;
        }
    }
    if (!rdns.empty()) {
        std::string name = "." + lower(rdns);
        if (name.ends_with('.')) name.pop_back();
        for (const auto& s : m_scanners) {
            for (const auto& suffix : s.rdnsSuffixes) {
                if (name.ends_with(suffix)) return &s;
            }
        }
    }
    if (!org.empty()) {
        const std::string o = lower(org);
        for (const auto& s : m_scanners) {
            for (const auto& n : s.orgNames) {
                if (o.find(n) != std::string::npos) return &s;
            }
        }
    }
    return nullptr;
}

Result<ReportPolicy> ReportPolicy::create(const Settings& settings, ScannerList scanners)
{
    ReportPolicy p;
    for (const auto& [list, out] :
        {std::pair {&settings.ownNetworks, &p.m_own}, std::pair {&settings.allowList, &p.m_allow}}) {
        for (const auto& text : *list) {
            auto r = resolver::IpRange::parse(text);
            if (!r)
                return fail(
                    ErrorKind::Config, "'" + sanitizeForDisplay(text) + "' is not an address or network.");
            out->push_back(*r);
        }
    }
    p.m_scanners = std::move(scanners);
    return p;
}

bool ReportPolicy::isOwn(const IpAddress& a) const
{
    return std::any_of(m_own.begin(), m_own.end(), [&](const auto& r) { return r.contains(a); });
}

std::optional<SkipVerdict> ReportPolicy::check(
    const IpAddress& a, std::string_view rdns, std::string_view org) const
{
    // Own networks first: a user's own address is often private too, and "your own" is the clearer reason.
    if (isOwn(a))
        return SkipVerdict {SkipReason::OwnNetwork, "one of your own addresses (settings: ownNetworks)"};
    if (!resolver::isPublic(a)) {
        const auto c = resolver::classify(a);
        return SkipVerdict {SkipReason::SpecialAddress,
            "special-purpose address (" + std::string(c.name) + "): no ISP is responsible for it"};
    }
    for (const auto& r : m_allow) {
        if (r.contains(a))
            return SkipVerdict {
                SkipReason::AllowListed, "in your allow-list (" + r.toString() + "; settings: allowList)"};
    }
    if (const auto* s = m_scanners.match(a, rdns, org))
        return SkipVerdict {SkipReason::ResearchScanner,
            "research scanner (" + s->name + "): a complaint is pointless; to be left out of its scans see "
                + s->optOut};
    return std::nullopt;
}

std::optional<SkipVerdict> ReportPolicy::evidenceVerdict(const EvidenceAssessment& e, bool allGrades)
{
    if (e.grade != EvidenceGrade::Weak || allGrades) return std::nullopt;
    return SkipVerdict {
        SkipReason::WeakEvidence, "the address may be forged. " + e.text + " (--all-grades includes it.)"};
}

} // namespace tattle::core
