// SPDX-License-Identifier: GPL-3.0-or-later
#include "fake_servers.h"

#include "core/ip_address.h"
#include "test_support.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace tattle::test {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kRequestTimeout {5000};

std::string fillerChunk()
{
    std::string chunk;
    while (chunk.size() < 65536)
        chunk += "% filler line of a hostile test server, repeated to make the answer huge.......\n";
    return chunk;
}

std::string_view reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

bool whoisRequestDone(std::string_view buffer)
{
    const auto eol = buffer.find('\n');
    if (eol == std::string_view::npos) return false;
    std::string_view first = buffer.substr(0, eol);
    if (first.ends_with('\r')) first.remove_suffix(1);
    if (first != "begin") return true;
    return buffer.find("\nend\n") != std::string_view::npos
        || buffer.find("\nend\r\n") != std::string_view::npos;
}

bool httpHeadDone(std::string_view buffer)
{
    return buffer.find("\r\n\r\n") != std::string_view::npos;
}

std::string trimmedRequest(std::string_view s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return std::string(s);
}

/// "2001-4860--_32" -> "2001:4860::/32" when that is an address or prefix, else nothing.
std::optional<std::string> decodeAddress(std::string_view text)
{
    std::string s(text);
    std::replace(s.begin(), s.end(), '_', '/');
    if (s.find('.') == std::string::npos) std::replace(s.begin(), s.end(), '-', ':');
    const auto slash = s.find('/');
    if (!core::IpAddress::parse(std::string_view(s).substr(0, slash))) return std::nullopt;
    return s;
}

std::vector<std::string_view> splitDashes(std::string_view s)
{
    std::vector<std::string_view> parts;
    for (;;) {
        const auto dash = s.find('-');
        parts.push_back(s.substr(0, dash));
        if (dash == std::string_view::npos) return parts;
        s.remove_prefix(dash + 1);
    }
}

std::string joinFrom(std::string_view stem, const std::vector<std::string_view>& parts, std::size_t i)
{
    if (i >= parts.size()) return {};
    return std::string(stem.substr(std::size_t(parts[i].data() - stem.data())));
}

} // namespace

FakeServer::FakeServer(bool ipv6)
    : m_ipv6(ipv6)
{
    if (::pipe2(m_stopPipe, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe2 failed");
    m_listenFd = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m_listenFd < 0) throw std::runtime_error("socket failed");
    int one = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_storage addr {};
    socklen_t len = 0;
    if (ipv6) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    } else {
        auto* a = reinterpret_cast<sockaddr_in*>(&addr);
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    }
    if (::bind(m_listenFd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(m_listenFd, 16) != 0
        || ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error(std::string("cannot listen on loopback: ") + std::strerror(errno));
    m_port = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                        : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
}

FakeServer::~FakeServer()
{
    stop();
    for (int fd : {m_listenFd, m_stopPipe[0], m_stopPipe[1]})
        if (fd >= 0) ::close(fd);
}

std::string FakeServer::endpoint() const
{
    return (m_ipv6 ? "[::1]:" : "127.0.0.1:") + std::to_string(m_port);
}

void FakeServer::start()
{
    m_thread = std::thread([this] { run(); });
}

void FakeServer::stop()
{
    if (!m_stopping.exchange(true)) {
        const char byte = 'x';
        [[maybe_unused]] auto n = ::write(m_stopPipe[1], &byte, 1);
    }
    if (m_thread.joinable()) m_thread.join();
}

void FakeServer::setMode(HostileMode mode)
{
    std::lock_guard lock(m_mutex);
    m_settings.mode = mode;
    // Linux lets a listening socket change its backlog: 0 leaves room for one unaccepted connection.
    ::listen(m_listenFd, mode == HostileMode::NeverAccept ? 0 : 16);
}

void FakeServer::setTrickleInterval(milliseconds interval)
{
    std::lock_guard lock(m_mutex);
    m_settings.trickleInterval = interval;
}

void FakeServer::setHugeBytes(std::size_t bytes)
{
    std::lock_guard lock(m_mutex);
    m_settings.hugeBytes = bytes;
}

std::size_t FakeServer::connectionCount() const
{
    std::lock_guard lock(m_mutex);
    return m_connections;
}

FakeServer::Settings FakeServer::settings() const
{
    std::lock_guard lock(m_mutex);
    return m_settings;
}

void FakeServer::run()
{
    while (!m_stopping) {
        const bool accepting = settings().mode != HostileMode::NeverAccept;
        pollfd fds[2] = {{m_stopPipe[0], POLLIN, 0}, {m_listenFd, POLLIN, 0}};
        const int rc = ::poll(fds, accepting ? 2 : 1, 100);
        if (rc < 0 && errno != EINTR) return;
        if (m_stopping || fds[0].revents) return;
        if (!accepting || !(fds[1].revents & POLLIN)) continue;
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) continue;
        {
            std::lock_guard lock(m_mutex);
            ++m_connections;
        }
        m_connectionDeadline = Clock::now() + kMaxConnectionTime;
        serve(fd);
        // A graceful close: FIN first, then let the client read to the end before the socket goes away
        // (closing with unread input would send a reset that can destroy the answer in flight).
        ::shutdown(fd, SHUT_WR);
        std::string drain;
        m_connectionDeadline = std::min(m_connectionDeadline, Clock::now() + milliseconds(500));
        readUntil(fd, drain, 1 << 20, milliseconds(500), [](std::string_view) { return false; });
        ::close(fd);
    }
}

bool FakeServer::waitFor(int fd, short events, milliseconds timeout)
{
    const auto until = std::min(m_connectionDeadline, Clock::now() + timeout);
    for (;;) {
        if (m_stopping) return false;
        const auto left = std::chrono::ceil<milliseconds>(until - Clock::now()).count();
        if (left <= 0) return false;
        pollfd fds[2] = {{m_stopPipe[0], POLLIN, 0}, {fd, events, 0}};
        const int rc = ::poll(fds, 2, int(left));
        if (rc < 0 && errno == EINTR) continue;
        if (rc < 0 || fds[0].revents) return false;
        if (rc > 0) return true;
    }
}

bool FakeServer::readUntil(
    int fd, std::string& buffer, std::size_t cap, milliseconds timeout, bool (*done)(std::string_view))
{
    char chunk[16384];
    while (!done(buffer) && buffer.size() < cap) {
        if (!waitFor(fd, POLLIN, timeout)) return false;
        const ssize_t n = ::recv(fd, chunk, std::min(sizeof chunk, cap - buffer.size()), 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) return false;
        buffer.append(chunk, std::size_t(n));
    }
    return true;
}

bool FakeServer::sendAll(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n > 0) {
            data.remove_prefix(std::size_t(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN) return false;
        if (!waitFor(fd, POLLOUT, kRequestTimeout)) return false;
    }
    return true;
}

void FakeServer::trickle(int fd, std::string_view data)
{
    const milliseconds interval = settings().trickleInterval;
    if (data.empty()) data = "%";
    for (std::size_t i = 0; !m_stopping && Clock::now() < m_connectionDeadline; ++i) {
        if (!sendAll(fd, data.substr(i % data.size(), 1))) return;
        // Sleeping on the socket notices at once when the client hangs up (it becomes readable at EOF).
        if (waitFor(fd, POLLIN, interval)) {
            char sink[4096];
            const ssize_t n = ::recv(fd, sink, sizeof sink, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
        }
    }
}

void FakeServer::sendFiller(int fd, std::size_t bytes)
{
    static const std::string chunk = fillerChunk();
    while (bytes > 0) {
        const std::size_t n = std::min(bytes, chunk.size());
        if (!sendAll(fd, std::string_view(chunk).substr(0, n))) return;
        bytes -= n;
    }
}

void FakeServer::holdUntilClosed(int fd)
{
    char sink[4096];
    while (!m_stopping && Clock::now() < m_connectionDeadline) {
        if (!waitFor(fd, POLLIN, milliseconds(1000))) continue;
        const ssize_t n = ::recv(fd, sink, sizeof sink, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
    }
}

// ---- WHOIS ----

FakeWhoisServer::FakeWhoisServer(bool ipv6)
    : FakeServer(ipv6)
{
    start();
}

FakeWhoisServer::~FakeWhoisServer()
{
    stop();
}

void FakeWhoisServer::addAnswer(std::string query, std::string answer)
{
    std::lock_guard lock(m_mutex);
    m_answers[std::move(query)] = std::move(answer);
}

bool FakeWhoisServer::addAnswerFile(std::string query, const std::filesystem::path& file)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return false;
    addAnswer(std::move(query), readFile(file));
    return true;
}

std::size_t FakeWhoisServer::loadSamples(const std::filesystem::path& dir)
{
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".txt") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::size_t added = 0;
    for (const auto& file : files) {
        const std::string key = sampleKey(file.stem().string());
        std::lock_guard lock(m_mutex);
        if (m_answers.contains(key)) continue;
        m_answers[key] = readFile(file);
        ++added;
    }
    return added;
}

void FakeWhoisServer::setDefaultAnswer(std::string answer)
{
    std::lock_guard lock(m_mutex);
    m_defaultAnswer = std::move(answer);
}

std::vector<std::string> FakeWhoisServer::queries() const
{
    std::lock_guard lock(m_mutex);
    return m_queries;
}

std::vector<std::string> FakeWhoisServer::rawRequests() const
{
    std::lock_guard lock(m_mutex);
    return m_rawRequests;
}

std::size_t FakeWhoisServer::queryCount() const
{
    std::lock_guard lock(m_mutex);
    return m_queries.size();
}

std::string FakeWhoisServer::sampleKey(std::string_view stem)
{
    const auto parts = splitDashes(stem);
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::string rest = joinFrom(stem, parts, i);
        if (auto address = decodeAddress(rest)) return *address;
        if (rest.size() > 2 && (rest.starts_with("AS") || rest.starts_with("as"))
            && std::all_of(rest.begin() + 2, rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return rest;
    }
    return joinFrom(stem, parts, 1);
}

void FakeWhoisServer::serve(int fd)
{
    std::string request;
    readUntil(fd, request, 1 << 20, kRequestTimeout, &whoisRequestDone);
    const std::string query = trimmedRequest(request);
    std::string answer;
    {
        std::lock_guard lock(m_mutex);
        if (!request.empty()) {
            m_queries.push_back(query);
            m_rawRequests.push_back(request);
        }
        std::string_view first = std::string_view(query).substr(0, query.find('\n'));
        if (first.ends_with('\r')) first.remove_suffix(1);
        std::string_view lastWord = first.substr(
            first.find_last_of(' ') == std::string_view::npos ? 0 : first.find_last_of(' ') + 1);
        auto it = m_answers.find(query);
        if (it == m_answers.end()) it = m_answers.find(first);
        if (it == m_answers.end()) it = m_answers.find(lastWord);
        answer = it != m_answers.end() ? it->second : m_defaultAnswer;
    }
    const Settings s = settings();
    switch (s.mode) {
    case HostileMode::None:
    case HostileMode::NeverAccept:
        sendAll(fd, answer);
        return;
    case HostileMode::NeverAnswer:
        holdUntilClosed(fd);
        return;
    case HostileMode::Trickle:
        trickle(fd, answer);
        return;
    case HostileMode::Huge:
        sendFiller(fd, s.hugeBytes);
        return;
    case HostileMode::CloseEarly:
        return;
    }
}

// ---- HTTP ----

FakeHttpServer::FakeHttpServer(bool ipv6)
    : FakeServer(ipv6)
{
    start();
}

FakeHttpServer::~FakeHttpServer()
{
    stop();
}

std::string FakeHttpServer::baseUrl() const
{
    return "http://" + endpoint();
}

void FakeHttpServer::addRoute(std::string path, HttpRoute route)
{
    std::lock_guard lock(m_mutex);
    m_routes[std::move(path)] = std::move(route);
}

void FakeHttpServer::addJson(std::string path, std::string body, int status)
{
    addRoute(std::move(path), HttpRoute {status, std::move(body), {}});
}

bool FakeHttpServer::addFile(std::string path, const std::filesystem::path& file, int status)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return false;
    addJson(std::move(path), readFile(file), status);
    return true;
}

void FakeHttpServer::addRedirect(std::string path, std::string location, int status)
{
    addRoute(std::move(path), HttpRoute {status, "", {{"Location", std::move(location)}}});
}

void FakeHttpServer::addRateLimited(std::string path, std::string retryAfter)
{
    HttpRoute route {429, R"({"errorCode":429,"title":"Too Many Requests"})", {}};
    if (!retryAfter.empty()) route.headers.emplace_back("Retry-After", std::move(retryAfter));
    addRoute(std::move(path), std::move(route));
}

std::size_t FakeHttpServer::loadSamples(const std::filesystem::path& dir, std::string_view prefix)
{
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.ends_with(".json") && !name.ends_with(".expected.json")) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::size_t added = 0;
    for (const auto& file : files) {
        const std::string stem = file.stem().string();
        const auto parts = splitDashes(stem);
        std::size_t i = 1;
        if (i < parts.size() && parts[i] == "recorded") ++i;
        if (i + 1 >= parts.size()) continue;
        std::string kind(parts[i]);
        std::string query = joinFrom(stem, parts, i + 1);
        if (kind == "ip" || kind == "cidr") {
            auto address = decodeAddress(query);
            if (!address) continue;
            kind = "ip";
            query = *address;
        }
        std::string path = std::string(prefix) + kind + "/" + query;
        std::lock_guard lock(m_mutex);
        if (m_routes.contains(path)) continue;
        m_routes[path] = HttpRoute {200, readFile(file), {}};
        ++added;
    }
    return added;
}

void FakeHttpServer::setHugeAnnounced(bool announced)
{
    std::lock_guard lock(m_mutex);
    m_hugeAnnounced = announced;
}

std::vector<HttpRequestRecord> FakeHttpServer::requests() const
{
    std::lock_guard lock(m_mutex);
    return m_requests;
}

std::vector<std::string> FakeHttpServer::paths() const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    for (const auto& r : m_requests)
        out.push_back(r.target);
    return out;
}

std::size_t FakeHttpServer::requestCount() const
{
    std::lock_guard lock(m_mutex);
    return m_requests.size();
}

void FakeHttpServer::serve(int fd)
{
    std::string head;
    if (!readUntil(fd, head, 64 * 1024, kRequestTimeout, &httpHeadDone)) return;
    head = head.substr(0, head.find("\r\n\r\n") + 4);
    HttpRequestRecord record;
    record.head = head;
    {
        std::string_view line = std::string_view(head).substr(0, head.find("\r\n"));
        const auto sp1 = line.find(' ');
        const auto sp2 = line.find(' ', sp1 + 1);
        if (sp1 != std::string_view::npos) {
            record.method = std::string(line.substr(0, sp1));
            record.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
        }
    }
    HttpRoute route {404, R"({"errorCode":404,"title":"Not Found","description":["No such object."]})", {}};
    bool announced = false;
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(record);
        auto it = m_routes.find(record.target);
        if (it == m_routes.end()) it = m_routes.find(record.target.substr(0, record.target.find('?')));
        if (it != m_routes.end()) route = it->second;
        announced = m_hugeAnnounced;
    }
    const Settings s = settings();
    std::string response = "HTTP/1.1 " + std::to_string(route.status) + " "
        + std::string(reasonPhrase(route.status)) + "\r\nConnection: close\r\n";
    bool typeGiven = false;
    for (const auto& [name, value] : route.headers) {
        response += name + ": " + value + "\r\n";
        typeGiven = typeGiven || name == "Content-Type";
    }
    if (!typeGiven) response += "Content-Type: application/rdap+json\r\n";
    switch (s.mode) {
    case HostileMode::None:
    case HostileMode::NeverAccept:
        response += "Content-Length: " + std::to_string(route.body.size()) + "\r\n\r\n" + route.body;
        sendAll(fd, response);
        return;
    case HostileMode::NeverAnswer:
        holdUntilClosed(fd);
        return;
    case HostileMode::Trickle:
        response += "\r\n"; // no length: the body runs until the close, which never comes
        if (sendAll(fd, response)) trickle(fd, route.body);
        return;
    case HostileMode::Huge:
        if (announced) response += "Content-Length: " + std::to_string(s.hugeBytes) + "\r\n";
        response += "\r\n";
        if (sendAll(fd, response)) sendFiller(fd, s.hugeBytes);
        return;
    case HostileMode::CloseEarly:
        response += "Content-Length: " + std::to_string(route.body.size() + 1000) + "\r\n\r\n";
        response += route.body.substr(0, route.body.size() / 2);
        sendAll(fd, response);
        return;
    }
}

} // namespace tattle::test
