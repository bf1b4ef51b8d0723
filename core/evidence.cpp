// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/evidence.h"

#include "core/event.h"

namespace tattle::core {

namespace {

constexpr std::size_t kKeep = 16; // distinct minutes/ports kept: enough to say "at least"

std::string plural(std::uint64_t n, const char* one, const char* many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string atLeast(std::size_t n)
{
    return (n >= kKeep ? "at least " : "") + std::to_string(n);
}

} // namespace

std::string_view evidenceGradeName(EvidenceGrade g) noexcept
{
    switch (g) {
    case EvidenceGrade::Strong:
        return "strong";
    case EvidenceGrade::Good:
        return "good";
    case EvidenceGrade::Weak:
        break;
    }
    return "weak";
}

void EvidenceCollector::add(
    int proto, bool allowed, bool hasTcpFlags, std::uint8_t tcpFlags, int dstPort, Micros time)
{
    ++m_events;
    if (proto == proto::kTcp) {
        if (allowed) {
            ++m_tcpAllowed;
            return;
        }
        // A SYN without ACK opens a connection; a log without flags logs (blocked) connection attempts.
        // RST/ACK/FIN packets alone are what a host sends back to a forged address (backscatter).
        const bool attempt = !hasTcpFlags || ((tcpFlags & tcpflag::kSyn) && !(tcpFlags & tcpflag::kAck));
        if (!attempt) {
            ++m_tcpOther;
            return;
        }
        ++m_tcpAttempts;
        if (m_attemptMinutes.size() < kKeep) m_attemptMinutes.insert(time / (60 * kMicrosPerSecond));
        if (m_attemptPorts.size() < kKeep && dstPort >= 0) m_attemptPorts.insert(dstPort);
    } else if (proto == proto::kUdp || proto == proto::kUdpLite) {
        ++m_udp;
    } else if (proto == proto::kIcmp || proto == proto::kIcmpV6) {
        ++m_icmp;
    } else {
        ++m_other;
    }
}

EvidenceAssessment EvidenceCollector::assess() const
{
    EvidenceAssessment a;
    if (m_tcpAllowed > 0) {
        a.grade = EvidenceGrade::Strong;
        a.text = "Strong: the firewall let " + plural(m_tcpAllowed, "TCP connection", "TCP connections")
            + " from this address through. A TCP connection needs a completed handshake, which a forged "
              "sender address cannot complete.";
        return a;
    }
    if (m_tcpAttempts > 0) {
        const std::size_t minutes = m_attemptMinutes.size(), ports = m_attemptPorts.size();
        if (minutes >= kRepeatMinutes || ports >= kRepeatPorts) {
            a.grade = EvidenceGrade::Good;
            a.text = "Good: repeated TCP connection attempts (" + plural(m_tcpAttempts, "attempt", "attempts")
                + " in " + atLeast(minutes) + (minutes == 1 ? " minute" : " different minutes") + ", to "
                + atLeast(ports) + (ports == 1 ? " port" : " ports")
                + "). A scanner that wants the answers has to use its real address.";
            return a;
        }
        a.grade = EvidenceGrade::Weak;
        a.text = "Weak: "
            + std::string(m_tcpAttempts == 1 ? "a single TCP connection attempt"
                                             : "TCP connection attempts within one minute to one port")
            + ", blocked by the firewall. So little can carry a forged sender address.";
        return a;
    }
    a.grade = EvidenceGrade::Weak;
    if (m_tcpOther > 0)
        a.text
            = "Weak: only TCP packets that open no connection (resets or acknowledgements). They are often "
              "replies to traffic someone sent with a forged address.";
    else if (m_udp > 0 && m_icmp == 0 && m_other == 0)
        a.text = "Weak: UDP packets only. The sender address of a UDP packet is trivially forged.";
    else if (m_icmp > 0 && m_udp == 0 && m_other == 0)
        a.text = "Weak: ICMP packets only. The sender address of an ICMP packet is easily forged.";
    else
        a.text = "Weak: no TCP connection attempt, only packets whose sender address is easily forged.";
    return a;
}

} // namespace tattle::core
