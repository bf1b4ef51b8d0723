// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/dns_client.h"

#include "core/resolver/contacts.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <netdb.h>
#include <poll.h>
#include <random>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

namespace tattle::core::resolver {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxMessage = 65535;
constexpr int kMaxRecords = 64;

bool validLabelChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/// The name in wire format, or "" when it is not a plausible DNS name.
std::string encodeName(std::string_view name)
{
    while (name.ends_with('.'))
        name.remove_suffix(1);
    if (name.empty() || name.size() > 253) return {};
    std::string out;
    while (!name.empty()) {
        const auto dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        if (label.empty() || label.size() > 63 || !std::all_of(label.begin(), label.end(), validLabelChar))
            return {};
        out.push_back(char(label.size()));
        out.append(label);
        name = dot == std::string_view::npos ? std::string_view {} : name.substr(dot + 1);
    }
    out.push_back('\0');
    return out;
}

std::uint16_t read16(std::span<const std::uint8_t> m, std::size_t at)
{
    return std::uint16_t((m[at] << 8) | m[at + 1]);
}

/// Reads the (possibly compressed) name at `at`: the position after it in the message, and the name.
std::optional<std::size_t> readName(std::span<const std::uint8_t> m, std::size_t at, std::string* name)
{
    std::optional<std::size_t> end;
    int jumps = 0;
    std::size_t total = 0;
    for (;;) {
        if (at >= m.size()) return std::nullopt;
        const std::uint8_t len = m[at];
        if ((len & 0xC0) == 0xC0) {
            if (at + 1 >= m.size() || ++jumps > 32) return std::nullopt;
            if (!end) end = at + 2;
            const std::size_t target = std::size_t((len & 0x3F) << 8) | m[at + 1];
            if (target >= at) return std::nullopt; // pointers go backwards: no loops
            at = target;
            continue;
        }
        if ((len & 0xC0) != 0) return std::nullopt;
        if (len == 0) return end ? *end : at + 1;
        if (at + 1 + len > m.size() || (total += len + 1) > 255) return std::nullopt;
        if (name) {
            if (!name->empty()) name->push_back('.');
            name->append(reinterpret_cast<const char*>(m.data() + at + 1), len);
        }
        at += 1 + len;
    }
}

int msUntil(Clock::time_point until)
{
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
    return int(std::clamp<std::int64_t>(left, 0, 3'600'000));
}

} // namespace

DnsClient::DnsClient(DnsOptions options)
    : m_options(std::move(options))
{
    if (m_options.server) {
        m_server = *m_options.server;
        if (m_server.port == 43) m_server.port = 53;
    } else {
        std::ifstream in("/etc/resolv.conf");
        std::stringstream text;
        text << in.rdbuf();
        m_server = nameserverFrom(text.str()).value_or(WhoisEndpoint {"127.0.0.1", 53});
    }
}

std::optional<WhoisEndpoint> DnsClient::nameserverFrom(std::string_view conf)
{
    while (!conf.empty()) {
        const auto nl = conf.find('\n');
        std::string_view line = conf.substr(0, nl);
        conf = nl == std::string_view::npos ? std::string_view {} : conf.substr(nl + 1);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        if (!line.starts_with("nameserver")) continue;
        line.remove_prefix(10);
        if (line.empty() || (line.front() != ' ' && line.front() != '\t')) continue;
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        const auto end = line.find_first_of(" \t\r#;");
        line = line.substr(0, end);
        // A link-local IPv6 nameserver carries a zone ("fe80::1%eth0"), which IpAddress refuses.
        if (const auto a = IpAddress::parse(line)) return WhoisEndpoint {a->toString(), 53};
    }
    return std::nullopt;
}

std::string DnsClient::reverseName(const IpAddress& a, std::string_view zone)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    if (a.isV4()) {
        for (int i = 3; i >= 0; --i)
            out += std::to_string(a.data()[i]) + ".";
        out += zone.empty() ? std::string_view("in-addr.arpa") : zone;
    } else if (a.isV6()) {
        for (int i = 15; i >= 0; --i) {
            out.push_back(kHex[a.data()[i] & 0xF]);
            out.push_back('.');
            out.push_back(kHex[a.data()[i] >> 4]);
            out.push_back('.');
        }
        out += zone.empty() ? std::string_view("ip6.arpa") : zone;
    }
    return out;
}

std::string DnsClient::buildQuery(std::uint16_t id, std::string_view name, DnsType type)
{
    const std::string qname = encodeName(name);
    if (qname.empty()) return {};
    std::string q;
    q.push_back(char(id >> 8));
    q.push_back(char(id & 0xFF));
    q.push_back(char(0x01)); // RD
    q.push_back(char(0x00));
    q.append({0, 1, 0, 0, 0, 0, 0, 0}); // one question
    q += qname;
    const auto t = std::uint16_t(type);
    q.push_back(char(t >> 8));
    q.push_back(char(t & 0xFF));
    q.append({0, 1}); // class IN
    return q;
}

Result<DnsAnswer> DnsClient::parseAnswer(std::span<const std::uint8_t> m, std::uint16_t id, DnsType type)
{
    if (m.size() < 12) return fail(ErrorKind::BadResponse, "The DNS answer is shorter than its header.");
    if (read16(m, 0) != id) return fail(ErrorKind::BadResponse, "The DNS answer is for another question.");
    const std::uint8_t flags = m[2], flags2 = m[3];
    if (!(flags & 0x80)) return fail(ErrorKind::BadResponse, "The DNS message is not an answer.");
    const int rcode = flags2 & 0x0F;
    DnsAnswer answer;
    if (rcode == 3) {
        answer.nxdomain = true;
        return answer;
    }
    if (rcode != 0)
        return fail(
            ErrorKind::BadResponse, "The DNS server answered with error code " + std::to_string(rcode) + ".");
    const std::uint16_t qdcount = read16(m, 4), ancount = read16(m, 6);
    std::size_t at = 12;
    for (int i = 0; i < qdcount; ++i) {
        const auto next = readName(m, at, nullptr);
        if (!next || *next + 4 > m.size())
            return fail(ErrorKind::BadResponse, "The DNS answer is truncated.");
        at = *next + 4;
    }
    for (int i = 0; i < ancount && i < kMaxRecords; ++i) {
        const auto next = readName(m, at, nullptr);
        if (!next || *next + 10 > m.size())
            return fail(ErrorKind::BadResponse, "The DNS answer is truncated.");
        at = *next;
        const std::uint16_t rtype = read16(m, at), rclass = read16(m, at + 2), rdlength = read16(m, at + 8);
        at += 10;
        if (at + rdlength > m.size()) return fail(ErrorKind::BadResponse, "The DNS answer is truncated.");
        const std::span<const std::uint8_t> rdata = m.subspan(at, rdlength);
        if (rclass == 1 && rtype == std::uint16_t(type)) {
            if (type == DnsType::Txt) {
                std::string text;
                for (std::size_t p = 0; p < rdata.size();) {
                    const std::size_t len = rdata[p];
                    if (p + 1 + len > rdata.size())
                        return fail(ErrorKind::BadResponse, "A TXT record of the DNS answer is truncated.");
                    text.append(reinterpret_cast<const char*>(rdata.data() + p + 1), len);
                    p += 1 + len;
                }
                answer.records.push_back(std::move(text));
            } else {
                std::string name;
                const auto end = readName(m.first(at + rdlength), at, &name);
                if (!end) return fail(ErrorKind::BadResponse, "A PTR record of the DNS answer is malformed.");
                answer.records.push_back(std::move(name));
            }
        }
        at += rdlength;
    }
    return answer;
}

Result<DnsAnswer> DnsClient::query(std::string_view name, DnsType type) const
{
    thread_local std::mt19937 random {std::random_device {}()};
    const auto id = std::uint16_t(random() & 0xFFFF);
    const std::string q = buildQuery(id, name, type);
    if (q.empty()) return fail(ErrorKind::Usage, "'" + std::string(name) + "' is not a DNS name.");

    addrinfo hints {};
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    std::string host = m_server.host;
    if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    if (getaddrinfo(host.c_str(), std::to_string(m_server.port).c_str(), &hints, &found) != 0 || !found)
        return fail(ErrorKind::Io, "The DNS server '" + m_server.toString() + "' is not an address.");
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> info(found, freeaddrinfo);

    const int fd = ::socket(found->ai_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return fail(ErrorKind::Io, std::string("Cannot open a UDP socket: ") + std::strerror(errno) + ".");
    std::unique_ptr<int, void (*)(int*)> closer(new int(fd), [](int* p) {
        ::close(*p);
        delete p;
    });
    // A connected socket only receives datagrams from the server asked.
    if (::connect(fd, found->ai_addr, found->ai_addrlen) != 0)
        return fail(ErrorKind::Io,
            "Cannot reach the DNS server " + m_server.toString() + ": " + std::strerror(errno) + ".");

    std::vector<std::uint8_t> buffer(kMaxMessage);
    for (int attempt = 0; attempt < std::max(1, m_options.attempts); ++attempt) {
        if (::send(fd, q.data(), q.size(), 0) < 0 && errno != EAGAIN)
            return fail(ErrorKind::Io,
                "Cannot send to the DNS server " + m_server.toString() + ": " + std::strerror(errno) + ".");
        const auto until = Clock::now() + m_options.timeout;
        for (;;) {
            pollfd p {fd, POLLIN, 0};
            const int rc = ::poll(&p, 1, msUntil(until));
            if (rc < 0 && errno == EINTR) continue;
            if (rc <= 0) break;
            const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
            if (n < 0) {
                if (errno == EAGAIN || errno == EINTR) continue;
                if (errno == ECONNREFUSED) break; // ICMP port unreachable: try again, then time out
                return fail(ErrorKind::Io,
                    "Reading from the DNS server failed: " + std::string(std::strerror(errno)));
            }
            auto parsed = parseAnswer(std::span(buffer.data(), std::size_t(n)), id, type);
            // A stray or forged datagram for another id is skipped; anything else is the answer.
            if (!parsed && n >= 2 && read16(std::span(buffer.data(), std::size_t(n)), 0) != id) continue;
            return parsed;
        }
    }
    return fail(ErrorKind::Timeout,
        "The DNS server " + m_server.toString() + " did not answer about '" + std::string(name)
            + "' in time.");
}

Result<std::vector<std::string>> DnsClient::txt(std::string_view name) const
{
    auto a = query(name, DnsType::Txt);
    if (!a) return std::unexpected(a.error());
    return std::move(a->records);
}

Result<std::string> DnsClient::ptr(const IpAddress& a) const
{
    auto r = query(reverseName(a), DnsType::Ptr);
    if (!r) return std::unexpected(r.error());
    for (const auto& name : r->records) {
        std::string host = hostName(name);
        if (!host.empty()) return host;
    }
    return std::string();
}

} // namespace tattle::core::resolver
