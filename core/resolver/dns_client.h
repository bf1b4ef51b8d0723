// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/resolver/whois_client.h"
#include "core/result.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/// A small DNS client over UDP (RFC 1035) for the two questions the resolver asks: TXT records of the
/// Abusix abuse-contact zone and PTR records (reverse DNS). It talks to one server, the system's first
/// nameserver or one given (a loopback fake in tests), and bounds every wait.
namespace tattle::core::resolver {

/// The Abusix abuse-contact zone (REFERENCE A10).
inline constexpr std::string_view kAbusixZone = "abuse-contacts.abusix.zone";

struct DnsOptions {
    /// The server to ask; nullopt: the first nameserver in /etc/resolv.conf (127.0.0.1:53 when none).
    std::optional<WhoisEndpoint> server;
    /// How long to wait for each answer.
    std::chrono::milliseconds timeout {2'000};
    /// Sends of one question before giving up (UDP may lose it).
    int attempts = 2;
};

/// The record types the client asks for.
enum class DnsType : std::uint16_t { Ptr = 12, Txt = 16 };

/// The answer to one question: the TXT strings (each record's character-strings joined) or PTR names.
/// Empty when the name exists without such records, or does not exist (NXDOMAIN).
struct DnsAnswer {
    std::vector<std::string> records;
    bool nxdomain = false;
};

class DnsClient {
public:
    explicit DnsClient(DnsOptions options = {});

    /// Asks for the records of type `type` at `name`. Errors: Usage (a name that is not a DNS name),
    /// Io (no server address, send failed), Timeout (no answer after every attempt), BadResponse (a
    /// malformed answer, or a server failure code).
    Result<DnsAnswer> query(std::string_view name, DnsType type) const;
    /// The TXT strings at name.
    Result<std::vector<std::string>> txt(std::string_view name) const;
    /// The PTR name of a ("" when there is none), validated as a host name.
    Result<std::string> ptr(const IpAddress& a) const;

    /// "4.3.2.1.<zone>" for IPv4, reversed nibbles for IPv6; "in-addr.arpa"/"ip6.arpa" for an empty zone.
    static std::string reverseName(const IpAddress& a, std::string_view zone = {});
    /// The first nameserver of a resolv.conf text, or nullopt.
    static std::optional<WhoisEndpoint> nameserverFrom(std::string_view resolvConf);
    /// The question `id` asks for (with recursion desired), or an empty string when name is invalid.
    static std::string buildQuery(std::uint16_t id, std::string_view name, DnsType type);
    /// Parses the answer to query `id` for `type`. Every length and pointer is checked; compression
    /// loops are refused.
    static Result<DnsAnswer> parseAnswer(
        std::span<const std::uint8_t> message, std::uint16_t id, DnsType type);

    const DnsOptions& options() const noexcept { return m_options; }

private:
    DnsOptions m_options;
    WhoisEndpoint m_server;
};

} // namespace tattle::core::resolver
