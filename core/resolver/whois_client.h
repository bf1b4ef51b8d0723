// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/ip_address.h"
#include "core/result.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tattle::core::resolver {

/// Where to connect: a host name or an IPv4/IPv6 address, and a TCP port.
struct WhoisEndpoint {
    std::string host;
    std::uint16_t port = 43;

    /// Parses "ADDR:PORT", "[IPV6]:PORT", "HOST:PORT", or a bare host/address (port 43).
    static std::optional<WhoisEndpoint> parse(std::string_view text);
    /// "host:port", with brackets around IPv6 addresses.
    std::string toString() const;
    friend bool operator==(const WhoisEndpoint&, const WhoisEndpoint&) = default;
};

/// Redirects WHOIS hosts to other endpoints (`--endpoint whois.ripe.net=127.0.0.1:4343`): for tests and
/// for users behind proxies. Host names match without regard to case or a trailing dot; a key may also
/// name a port ("rwhois.example.net:4321") and then wins over the bare host for that port.
class EndpointOverrides {
public:
    /// Parses and adds "HOST=ADDR:PORT" as given on the command line.
    Result<void> add(std::string_view assignment);
    void set(std::string_view host, WhoisEndpoint target);
    /// Where a query for host:port goes instead, if anywhere.
    std::optional<WhoisEndpoint> find(std::string_view host, std::uint16_t port = 43) const;
    bool empty() const noexcept { return m_targets.empty(); }

private:
    std::map<std::string, WhoisEndpoint, std::less<>> m_targets;
};

/// Limits of one WHOIS exchange; every one bounds time or memory against a hostile or broken server.
struct WhoisOptions {
    /// For each address tried (a host may have several), within the overall deadline.
    std::chrono::milliseconds connectTimeout {10'000};
    /// The longest silence between two reads (and the longest a send may block).
    std::chrono::milliseconds readTimeout {15'000};
    /// The overall deadline from the start of the query to the end of the answer, however the peer
    /// trickles its bytes.
    std::chrono::milliseconds totalTimeout {30'000};
    /// Answers longer than this are cut off and fail with BadResponse.
    std::size_t maxAnswerBytes = std::size_t(1) << 20;
    /// Fail with RateLimited when the answer is a rate-limit refusal (see looksRateLimited()).
    bool detectRateLimit = true;
};

/// A WHOIS (RFC 3912) client over plain non-blocking POSIX sockets: connect, send the query and CRLF,
/// read until the server closes. Errors: Usage (a host or query that cannot be sent), Io (no address,
/// refused, reset), Timeout (connect, silence or overall deadline), BadResponse (answer too large or
/// empty), RateLimited (the answer is a rate-limit refusal). Stateless apart from its settings, so one
/// client may be used from several threads at once.
class WhoisClient {
public:
    static constexpr std::string_view kCymruHost = "whois.cymru.com";

    explicit WhoisClient(WhoisOptions options = {}, EndpointOverrides overrides = {});

    /// Sends query (no CR, LF or NUL; at most 1000 bytes) to host:port and returns the raw answer.
    Result<std::string> query(std::string_view host, std::string_view query, std::uint16_t port = 43) const;

    /// Asks Team Cymru's IP-to-ASN service about many addresses on one connection (its bulk mode; single
    /// queries get clients null-routed) and returns the raw answer, one "AS | IP | prefix | CC | registry |
    /// allocated | AS name" line per address. The deadline grows by 20 ms and the size cap by 512 bytes
    /// per address. An empty list sends nothing and returns "".
    Result<std::string> cymruBulk(std::span<const IpAddress> addresses) const;
    /// The text cymruBulk() sends: "begin\nverbose\n<ip>\n...\nend\n".
    static std::string cymruBulkQuery(std::span<const IpAddress> addresses);

    const WhoisOptions& options() const noexcept { return m_options; }
    const EndpointOverrides& overrides() const noexcept { return m_overrides; }

private:
    Result<std::string> exchange(std::string_view host, std::uint16_t port, std::string_view payload,
        const WhoisOptions& limits) const;

    WhoisOptions m_options;
    EndpointOverrides m_overrides;
};

} // namespace tattle::core::resolver
