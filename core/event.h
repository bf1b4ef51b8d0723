// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/time.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tattle::core {

/// What the firewall did with the packet or connection.
enum class Action : std::uint8_t { Block = 0, Allow = 1 };
/// Which way the packet went, seen from the logging host.
enum class Direction : std::uint8_t { Unknown = 0, In = 1, Out = 2 };

/// IANA protocol numbers of the protocols logs name; any other number is kept as it is.
namespace proto {
inline constexpr int kUnknown = -1;
inline constexpr int kIcmp = 1;
inline constexpr int kIgmp = 2;
inline constexpr int kTcp = 6;
inline constexpr int kUdp = 17;
inline constexpr int kGre = 47;
inline constexpr int kEsp = 50;
inline constexpr int kAh = 51;
inline constexpr int kIcmpV6 = 58;
inline constexpr int kSctp = 132;
inline constexpr int kUdpLite = 136;
} // namespace proto

/// TCP flag bits as in the TCP header.
namespace tcpflag {
inline constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10, kUrg = 0x20,
                              kEce = 0x40, kCwr = 0x80;
}

/// Lower-case protocol name ("tcp", "udp", "icmp", "ipv6-icmp", ...) or the number as text.
std::string protoName(int proto);
/// Protocol number from a name or number as logs write it (case-insensitive); kUnknown when unknown.
int protoFromName(std::string_view name) noexcept;
std::string_view actionName(Action a) noexcept;
std::string_view directionName(Direction d) noexcept;
/// "SYN,ACK" style text for a flag set (empty for none).
std::string tcpFlagsText(std::uint8_t flags);

/// One normalised firewall log record: a packet or connection that the firewall logged.
/// Parsers fill it; string_view members point into the line being parsed and are only valid until the
/// next line. Reused between lines, so parsers assign every field through reset().
struct Event {
    Micros time = 0; ///< UTC
    Action action = Action::Block;
    Direction direction = Direction::Unknown;
    int proto = proto::kUnknown; ///< IANA protocol number
    IpAddress src, dst;
    int srcPort = -1, dstPort = -1; ///< -1 where the log gives none
    int icmpType = -1, icmpCode = -1; ///< -1 where not ICMP or not logged
    std::uint8_t tcpFlags = 0; ///< tcpflag bits, 0 when not logged
    bool hasTcpFlags = false;
    bool timeGuessed = false; ///< year inferred, or a local time that was ambiguous
    std::uint32_t count = 1; ///< packets this record stands for (Cisco "N packets")
    std::string iface; ///< interface where known (input interface for inbound)
    std::string rule; ///< the firewall's rule, prefix or chain name where known
    std::string extra; ///< vendor details as a JSON object text, empty when none

    /// Back to the defaults, keeping string capacity.
    void reset() noexcept
    {
        time = 0;
        action = Action::Block;
        direction = Direction::Unknown;
        proto = proto::kUnknown;
        src = dst = IpAddress();
        srcPort = dstPort = icmpType = icmpCode = -1;
        tcpFlags = 0;
        hasTcpFlags = false;
        timeGuessed = false;
        count = 1;
        iface.clear();
        rule.clear();
        extra.clear();
    }
};

} // namespace tattle::core
