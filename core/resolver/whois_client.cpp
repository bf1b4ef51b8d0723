// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/whois_client.h"

#include "core/resolver/rate_limiter.h"
#include "core/text_util.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tattle::core::resolver {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

char lowerAscii(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

std::string normalizedHost(std::string_view host)
{
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    while (host.ends_with('.'))
        host.remove_suffix(1);
    std::string out(host);
    std::transform(out.begin(), out.end(), out.begin(), lowerAscii);
    return out;
}

/// A DNS name (letters, digits, '-', '_', '.') or an IPv4/IPv6 address: nothing a referral could use to
/// smuggle options or control characters into getaddrinfo or a log line.
bool isValidHost(std::string_view host)
{
    if (host.empty() || host.size() > 253) return false;
    if (IpAddress::parse(host)) return true;
    return std::all_of(host.begin(), host.end(),
               [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                       || c == '-' || c == '_' || c == '.';
               })
        && host.front() != '-' && host.front() != '.';
}

std::optional<std::uint16_t> parsePort(std::string_view text)
{
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535)
        return std::nullopt;
    return std::uint16_t(value);
}

class Socket {
public:
    explicit Socket(int fd = -1) noexcept
        : m_fd(fd)
    {
    }
    Socket(Socket&& other) noexcept
        : m_fd(std::exchange(other.m_fd, -1))
    {
    }
    Socket& operator=(Socket&& other) noexcept
    {
        std::swap(m_fd, other.m_fd);
        return *this;
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket()
    {
        if (m_fd >= 0) ::close(m_fd);
    }
    int fd() const noexcept { return m_fd; }

private:
    int m_fd;
};

struct AddrInfoDeleter {
    void operator()(addrinfo* p) const noexcept { freeaddrinfo(p); }
};

/// Milliseconds until `until`, rounded up so that a poll never returns just before it.
int msUntil(Clock::time_point until)
{
    const auto left = std::chrono::ceil<milliseconds>(until - Clock::now()).count();
    return int(std::clamp<std::int64_t>(left, 0, 24 * 3600 * 1000));
}

/// Waits for events on fd until `until`: >0 ready, 0 timed out, <0 error (errno set).
int waitFor(int fd, short events, Clock::time_point until)
{
    for (;;) {
        pollfd p {fd, events, 0};
        const int rc = ::poll(&p, 1, msUntil(until));
        if (rc < 0 && errno == EINTR) continue;
        return rc;
    }
}

std::string errnoText(int err)
{
    return std::strerror(err);
}

std::string numericAddress(const sockaddr* sa, socklen_t len)
{
    char host[NI_MAXHOST] = {};
    char serv[NI_MAXSERV] = {};
    if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return "?";
    return sa->sa_family == AF_INET6 ? "[" + std::string(host) + "]:" + serv : std::string(host) + ":" + serv;
}

/// The line that says the server refuses us, for the error message.
std::string refusalLine(std::string_view text)
{
    while (!text.empty()) {
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (looksRateLimited(line)) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
                line.remove_suffix(1);
            return sanitizeForDisplay(line.substr(0, 200));
        }
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return "(a rate-limit notice)";
}

} // namespace

std::optional<WhoisEndpoint> WhoisEndpoint::parse(std::string_view text)
{
    WhoisEndpoint out;
    std::string_view host = text;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = text.substr(1, close - 1);
        std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (!rest.starts_with(':')) return std::nullopt;
            auto port = parsePort(rest.substr(1));
            if (!port) return std::nullopt;
            out.port = *port;
        }
        if (!IpAddress::parse(host) || !IpAddress::parse(host)->isV6()) return std::nullopt;
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        const auto colon = text.find(':');
        host = text.substr(0, colon);
        auto port = parsePort(text.substr(colon + 1));
        if (!port) return std::nullopt;
        out.port = *port;
    }
    if (!isValidHost(host)) return std::nullopt;
    out.host = normalizedHost(host);
    return out;
}

std::string WhoisEndpoint::toString() const
{
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<void> EndpointOverrides::add(std::string_view assignment)
{
    const auto eq = assignment.find('=');
    auto bad = [&](std::string why) {
        return fail(ErrorKind::Usage,
            "'" + sanitizeForDisplay(assignment) + "' is not an endpoint override HOST=ADDR:PORT: " + why
                + ".");
    };
    if (eq == std::string_view::npos) return bad("there is no '='");
    std::string_view from = assignment.substr(0, eq);
    auto target = WhoisEndpoint::parse(assignment.substr(eq + 1));
    if (!target) return bad("the part after '=' is not an address or host with an optional port");
    // The key may carry a port so that one rwhois server on an odd port can be redirected alone.
    auto key = WhoisEndpoint::parse(from);
    if (!key) return bad("the part before '=' is not a host name");
    const bool keyHasPort = from.find("]:") != std::string_view::npos
        || (!from.starts_with('[') && std::count(from.begin(), from.end(), ':') == 1);
    m_targets[keyHasPort ? key->toString() : key->host] = *target;
    return {};
}

void EndpointOverrides::set(std::string_view host, WhoisEndpoint target)
{
    m_targets[normalizedHost(host)] = std::move(target);
}

std::optional<WhoisEndpoint> EndpointOverrides::find(std::string_view host, std::uint16_t port) const
{
    if (m_targets.empty()) return std::nullopt;
    const WhoisEndpoint self {normalizedHost(host), port};
    if (auto it = m_targets.find(self.toString()); it != m_targets.end()) return it->second;
    if (auto it = m_targets.find(self.host); it != m_targets.end()) return it->second;
    return std::nullopt;
}

WhoisClient::WhoisClient(WhoisOptions options, EndpointOverrides overrides)
    : m_options(options)
    , m_overrides(std::move(overrides))
{
}

Result<std::string> WhoisClient::query(
    std::string_view host, std::string_view query, std::uint16_t port) const
{
    if (query.size() > 1000 || query.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
        return fail(ErrorKind::Usage,
            "The WHOIS query '" + sanitizeForDisplay(query.substr(0, 100))
                + "' is not one line of at most 1000 bytes, so it is not sent.");
    std::string payload(query);
    payload += "\r\n";
    return exchange(host, port, payload, m_options);
}

std::string WhoisClient::cymruBulkQuery(std::span<const IpAddress> addresses)
{
    std::string text = "begin\nverbose\n";
    for (const IpAddress& a : addresses) {
        if (!a.isValid()) continue;
        a.appendTo(text);
        text += '\n';
    }
    text += "end\n";
    return text;
}

Result<std::string> WhoisClient::cymruBulk(std::span<const IpAddress> addresses) const
{
    if (addresses.empty()) return std::string();
    WhoisOptions limits = m_options;
    limits.totalTimeout += milliseconds(20) * addresses.size();
    limits.maxAnswerBytes += 512 * addresses.size();
    return exchange(kCymruHost, 43, cymruBulkQuery(addresses), limits);
}

Result<std::string> WhoisClient::exchange(
    std::string_view host, std::uint16_t port, std::string_view payload, const WhoisOptions& limits) const
{
    const auto deadline = Clock::now() + limits.totalTimeout;
    if (!isValidHost(normalizedHost(host)))
        return fail(ErrorKind::Usage,
            "'" + sanitizeForDisplay(host.substr(0, 100)) + "' is not a WHOIS server name or address.");
    const WhoisEndpoint target
        = m_overrides.find(host, port).value_or(WhoisEndpoint {normalizedHost(host), port});
    std::string label = "WHOIS server " + normalizedHost(host);
    if (port != 43) label += ":" + std::to_string(port);
    if (target.host != normalizedHost(host) || target.port != port)
        label += " (at " + target.toString() + ")";

    // getaddrinfo has no timeout of its own; an IP address (the usual override) never reaches DNS.
    addrinfo hints {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (IpAddress::parse(target.host)) hints.ai_flags |= AI_NUMERICHOST;
    hints.ai_flags |= AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(target.port);
    if (const int rc = getaddrinfo(target.host.c_str(), service.c_str(), &hints, &found); rc != 0)
        return fail(ErrorKind::Io, label + ": cannot resolve " + target.host + ": " + gai_strerror(rc) + ".");
    std::unique_ptr<addrinfo, AddrInfoDeleter> addresses(found);

    Socket sock;
    std::optional<Error> lastError;
    for (const addrinfo* ai = addresses.get(); ai && sock.fd() < 0; ai = ai->ai_next) {
        if (Clock::now() >= deadline) break;
        const std::string where = numericAddress(ai->ai_addr, ai->ai_addrlen);
        Socket s(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
        if (s.fd() < 0) {
            lastError = Error {ErrorKind::Io, label + ": cannot create a socket: " + errnoText(errno) + "."};
            continue;
        }
        if (::connect(s.fd(), ai->ai_addr, ai->ai_addrlen) != 0) {
            if (errno != EINPROGRESS) {
                lastError = Error {
                    ErrorKind::Io, label + ": cannot connect to " + where + ": " + errnoText(errno) + "."};
                continue;
            }
            const auto until = std::min(deadline, Clock::now() + limits.connectTimeout);
            const int ready = waitFor(s.fd(), POLLOUT, until);
            if (ready == 0) {
                lastError = Error {ErrorKind::Timeout,
                    label + ": " + where + " did not accept the connection within "
                        + std::to_string(limits.connectTimeout.count()) + " ms."};
                continue;
            }
            int err = 0;
            socklen_t len = sizeof err;
            if (ready < 0)
                err = errno;
            else if (getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &err, &len) != 0)
                err = errno;
            if (err != 0) {
                lastError = Error {
                    ErrorKind::Io, label + ": cannot connect to " + where + ": " + errnoText(err) + "."};
                continue;
            }
        }
        sock = std::move(s);
    }
    if (sock.fd() < 0) {
        if (lastError) return std::unexpected(*lastError);
        return fail(ErrorKind::Timeout,
            label + ": no connection within the deadline of " + std::to_string(limits.totalTimeout.count())
                + " ms.");
    }

    auto overallTimeout = [&](std::size_t received) {
        return fail(ErrorKind::Timeout,
            label + " did not finish its answer within " + std::to_string(limits.totalTimeout.count())
                + " ms (" + std::to_string(received) + " bytes received).");
    };

    for (std::size_t sent = 0; sent < payload.size();) {
        const ssize_t n = ::send(sock.fd(), payload.data() + sent, payload.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += std::size_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return fail(ErrorKind::Io, label + ": sending the query failed: " + errnoText(errno) + ".");
        const auto until = std::min(deadline, Clock::now() + limits.readTimeout);
        const int ready = waitFor(sock.fd(), POLLOUT, until);
        if (ready == 0) {
            if (Clock::now() >= deadline) return overallTimeout(0);
            return fail(ErrorKind::Timeout,
                label + " did not take the query within " + std::to_string(limits.readTimeout.count())
                    + " ms.");
        }
        if (ready < 0)
            return fail(ErrorKind::Io, label + ": waiting to send failed: " + errnoText(errno) + ".");
    }

    std::string answer;
    char buffer[16384];
    for (;;) {
        const auto until = std::min(deadline, Clock::now() + limits.readTimeout);
        const int ready = waitFor(sock.fd(), POLLIN, until);
        if (ready == 0) {
            if (Clock::now() >= deadline) return overallTimeout(answer.size());
            return fail(ErrorKind::Timeout,
                label + " sent nothing for " + std::to_string(limits.readTimeout.count()) + " ms ("
                    + std::to_string(answer.size()) + " bytes received).");
        }
        if (ready < 0)
            return fail(ErrorKind::Io, label + ": waiting for the answer failed: " + errnoText(errno) + ".");
        // Read at most one byte past the cap: enough to know the answer is too large, never more.
        const std::size_t room = limits.maxAnswerBytes + 1 - answer.size();
        const ssize_t n = ::recv(sock.fd(), buffer, std::min(sizeof buffer, room), 0);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
            return fail(ErrorKind::Io,
                label + ": reading the answer failed after " + std::to_string(answer.size())
                    + " bytes: " + errnoText(errno) + ".");
        }
        answer.append(buffer, std::size_t(n));
        if (answer.size() > limits.maxAnswerBytes)
            return fail(ErrorKind::BadResponse,
                label + ": answer too large (more than " + std::to_string(limits.maxAnswerBytes)
                    + " bytes); it was cut off.");
        if (Clock::now() >= deadline) return overallTimeout(answer.size());
    }
    if (answer.empty())
        return fail(ErrorKind::BadResponse, label + " closed the connection without answering.");
    if (limits.detectRateLimit && looksRateLimited(answer))
        return fail(ErrorKind::RateLimited,
            label + " refuses queries from this host for now: " + refusalLine(answer));
    return answer;
}

} // namespace tattle::core::resolver
