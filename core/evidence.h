// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/time.h"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

/// How much the logs prove that a source address really sent what they show. UDP and ICMP sender
/// addresses are trivially forged (complaints about the Messenger-spam era's UDP floods went to innocent
/// networks), and a blocked TCP SYN proves less than a completed connection; a complaint about a forged
/// address hurts an innocent network, so weak evidence is reported only when the user says so.
namespace tattle::core {

/// Best first. Strong and Good are reported by default; Weak only with the user's explicit choice.
enum class EvidenceGrade : std::uint8_t {
    Strong, ///< allowed TCP traffic: a connection was made, which needs the sender's real address
    Good, ///< TCP connection attempts repeated over time or to several ports
    Weak, ///< one TCP attempt, TCP packets that are no attempts, UDP only, ICMP only, other protocols
};

/// "strong", "good", "weak".
std::string_view evidenceGradeName(EvidenceGrade g) noexcept;

/// The grade of one source with the reason in plain words (shown to the user and quoted in complaints).
struct EvidenceAssessment {
    EvidenceGrade grade = EvidenceGrade::Weak;
    std::string text; ///< e.g. "Repeated TCP connection attempts: 12 at 5 different times, to 3 ports. ..."
    /// The sender address may be forged: the complaint must say so (ReportedSource::weakEvidence).
    bool mayBeForged() const noexcept { return grade == EvidenceGrade::Weak; }
};

/// Collects what the events of one source show and grades it. Feed every event of the source (order
/// does not matter).
class EvidenceCollector {
public:
    /// One event. tcpFlags: the TCP flag bits when logged (hasTcpFlags), allowed: the firewall let it
    /// through.
    void add(int proto, bool allowed, bool hasTcpFlags, std::uint8_t tcpFlags, int dstPort, Micros time);

    EvidenceAssessment assess() const;

    /// Attempts seen at this many different minutes (or ports) make repeated TCP attempts "good".
    static constexpr std::size_t kRepeatMinutes = 2;
    static constexpr std::size_t kRepeatPorts = 3;

private:
    std::uint64_t m_events = 0, m_tcpAllowed = 0, m_tcpAttempts = 0, m_tcpOther = 0, m_udp = 0, m_icmp = 0,
                  m_other = 0;
    std::set<std::int64_t> m_attemptMinutes; // bounded: only the first few matter
    std::set<int> m_attemptPorts;
};

} // namespace tattle::core
