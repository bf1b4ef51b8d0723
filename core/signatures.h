// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tattle::core {

/// What one category of probe means, in plain words (reports quote it).
struct Signature {
    std::string id; ///< category id, e.g. "smb"
    std::string group; ///< broader group, e.g. "windows"
    std::string name; ///< short title, e.g. "SMB / Microsoft-DS (TCP 445)"
    std::string meaning; ///< one or two sentences for a reader who is no expert
};

/// One protocol/port a source aimed at, for pattern matching.
struct Target {
    int proto = -1;
    int port = -1; ///< destination port, or the ICMP type for ICMP
    friend auto operator<=>(const Target&, const Target&) = default;
};

/// A pattern over everything one source did (e.g. the Blaster worm: TCP 135 and TCP 4444).
struct Pattern {
    std::string id, name, meaning;
    std::vector<std::string> all; ///< "proto/port" items that must all be present
    std::vector<std::string> any; ///< at least one of these must be present (when non-empty)
    int minPorts = 0; ///< at least this many distinct destination ports (when > 0)
    std::vector<Target> allTargets, anyTargets; ///< `all` and `any` parsed
};

/// The port signature table (resources/signatures.json): classifies events by protocol and destination
/// port or ICMP type in constant time.
class SignatureTable {
public:
    /// Loads the table; errors name the file and what is wrong.
    static Result<SignatureTable> load(const std::filesystem::path& file);
    /// Parses the table from JSON text; `origin` names it in errors.
    static Result<SignatureTable> parse(std::string_view json, std::string_view origin);

    /// Index of the category of a probe (into signatures()).
    std::uint16_t classify(int proto, int dstPort, int icmpType) const noexcept;
    const std::vector<Signature>& signatures() const noexcept { return m_signatures; }
    const Signature& signature(std::uint16_t index) const { return m_signatures.at(index); }
    /// Index of a category id, or -1.
    int find(std::string_view id) const noexcept;
    /// The category index used when no signature matches.
    std::uint16_t otherIndex() const noexcept { return m_other; }

    const std::vector<Pattern>& patterns() const noexcept { return m_patterns; }
    /// Ids of the patterns that the targets of one source match.
    std::vector<std::string> matchPatterns(const std::vector<Target>& targets) const;

private:
    std::vector<Signature> m_signatures;
    std::vector<Pattern> m_patterns;
    // Category per destination port for TCP, UDP (and SCTP/UDP-Lite via TCP/UDP), per ICMP type.
    std::vector<std::uint16_t> m_tcp, m_udp;
    std::array<std::uint16_t, 256> m_icmp {};
    std::uint16_t m_other = 0, m_icmpOther = 0;
};

} // namespace tattle::core
