// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/evidence.h"
#include "core/ip_address.h"
#include "core/resolver/network_info.h"
#include "core/result.h"
#include "core/settings.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// What is never complained about, and why: special-purpose addresses, the user's own networks, the
/// allow-list, known research scanners, weak evidence (unless asked). Every skipped source gets a reason.
namespace tattle::core {

/// One known research scanner (resources/scanners.json): a complaint about it is pointless, it scans on
/// purpose and offers an opt-out instead.
struct ResearchScanner {
    std::string name; ///< e.g. "Censys"
    std::string optOut; ///< the page that says how to opt out or block it
    std::string source; ///< where the entry's data comes from
    std::vector<resolver::IpRange> networks; ///< its scanning networks, when published
    std::vector<std::string> rdnsSuffixes; ///< lower case, e.g. ".censys-scanner.com"
    std::vector<std::string> orgNames; ///< lower-case substrings of the registry's organisation name
};

/// The list of known research scanners.
class ScannerList {
public:
    /// Loads resources/scanners.json; errors name the file, the JSON pointer and the reason.
    static Result<ScannerList> load(const std::filesystem::path& file);
    static Result<ScannerList> parse(std::string_view json, std::string_view origin);

    /// The scanner a source belongs to: by network, else by reverse DNS name (a suffix, compared without
    /// case), else by the organisation holding its network. nullptr when none.
    const ResearchScanner* match(const IpAddress& a, std::string_view rdns, std::string_view org) const;
    const std::vector<ResearchScanner>& scanners() const noexcept { return m_scanners; }
    /// Adds the entries of another list (the user's own, after the shipped one).
    void append(const ScannerList& other);

private:
    std::vector<ResearchScanner> m_scanners;
};

/// Why a source is not complained about.
enum class SkipReason : std::uint8_t {
    SpecialAddress, ///< private, loopback, link-local, multicast, documentation, CGNAT, reserved ...
    OwnNetwork, ///< in settings.ownNetworks
    AllowListed, ///< in settings.allowList
    ResearchScanner, ///< a known research scanner
    WeakEvidence, ///< weak evidence and the user did not ask for all grades
    NoContact, ///< no abuse contact known (not looked up, or the lookup failed)
    TooFewEvents, ///< fewer events than the query's minimum
    NotThisContact, ///< the query asked for another contact
    Deferred, ///< its contact's complaint is full (most active sources first); it waits for the next one
};

/// "special-address", "own-network", "allow-listed", "research-scanner", "weak-evidence", "no-contact",
/// "too-few-events", "other-contact", "deferred".
std::string_view skipReasonName(SkipReason r) noexcept;

/// A source left out, with the reason in plain words.
struct SkipVerdict {
    SkipReason reason;
    std::string text; ///< e.g. "research scanner (Censys): a complaint is pointless; opt out at https://..."
};

/// The never-report rules built from the settings and the scanner list.
class ReportPolicy {
public:
    /// Errors when a network in the settings does not parse (settings are validated, so only for code
    /// that built settings by hand).
    static Result<ReportPolicy> create(const Settings& settings, ScannerList scanners);

    /// Why the source must not be complained about, by address, network organisation and reverse DNS
    /// (evidence is judged separately, see evidenceVerdict()). nullopt: it may be reported.
    std::optional<SkipVerdict> check(const IpAddress& a, std::string_view rdns, std::string_view org) const;

    /// Weak evidence is skipped unless allGrades.
    static std::optional<SkipVerdict> evidenceVerdict(const EvidenceAssessment& e, bool allGrades);

    /// True when a is one of the user's own addresses (settings.ownNetworks).
    bool isOwn(const IpAddress& a) const;

    const ScannerList& scanners() const noexcept { return m_scanners; }

private:
    std::vector<resolver::IpRange> m_own, m_allow;
    ScannerList m_scanners;
};

} // namespace tattle::core
