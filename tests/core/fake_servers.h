// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

/// WHOIS and RDAP (HTTP/1.1) servers for tests: they listen on loopback (127.0.0.1 or ::1) on an ephemeral
/// port, serve one connection at a time in their own thread, replay recorded answers, record every request,
/// and can misbehave on purpose. Bounded: every wait also watches a stop pipe, a connection is dropped
/// after kMaxConnectionTime whatever the mode, and the destructor stops and joins the thread.
namespace tattle::test {

/// How a fake server misbehaves.
enum class HostileMode {
    None, ///< replay the recorded answers
    NeverAnswer, ///< read the request, then stay silent until the client hangs up
    Trickle, ///< send one byte every trickleInterval, endlessly (the answer repeated, then filler)
    Huge, ///< send hugeBytes of filler (100 MB by default), then close
    CloseEarly, ///< WHOIS: close without a byte; HTTP: announce a body, send part of it, close
    NeverAccept, ///< listen with backlog 0 and never accept: connects beyond the first one hang
};

/// The common part: socket, thread, stop pipe, mode, and send/receive helpers that honour the stop.
class FakeServer {
public:
    static constexpr std::chrono::seconds kMaxConnectionTime {20};

    virtual ~FakeServer();
    FakeServer(const FakeServer&) = delete;
    FakeServer& operator=(const FakeServer&) = delete;

    std::uint16_t port() const noexcept { return m_port; }
    /// "127.0.0.1" or "::1".
    std::string host() const { return m_ipv6 ? "::1" : "127.0.0.1"; }
    /// "127.0.0.1:PORT" or "[::1]:PORT", as an endpoint override takes it.
    std::string endpoint() const;

    void setMode(HostileMode mode);
    void setTrickleInterval(std::chrono::milliseconds interval);
    void setHugeBytes(std::size_t bytes);
    /// Connections accepted so far.
    std::size_t connectionCount() const;
    /// Stops the thread and closes the socket; idempotent.
    void stop();

protected:
    FakeServer(bool ipv6);
    /// Derived constructors call start() last, derived destructors call stop() first.
    void start();
    /// Serves one accepted connection; the socket is closed afterwards.
    virtual void serve(int fd) = 0;

    struct Settings {
        HostileMode mode = HostileMode::None;
        std::chrono::milliseconds trickleInterval {50};
        std::size_t hugeBytes = std::size_t(100) << 20;
    };
    Settings settings() const;

    /// Waits for events on fd (or the stop, or the connection's end of life): true when ready.
    bool waitFor(int fd, short events, std::chrono::milliseconds timeout);
    /// Reads until done(buffer) or cap bytes or silence of `timeout`; false when the peer or the stop
    /// ended it first.
    bool readUntil(int fd, std::string& buffer, std::size_t cap, std::chrono::milliseconds timeout,
        bool (*done)(std::string_view));
    /// Sends everything; false when the peer went away (or the stop).
    bool sendAll(int fd, std::string_view data);
    /// Sends one byte of data (cycling) every trickle interval until the peer goes away.
    void trickle(int fd, std::string_view data);
    /// Sends `bytes` of filler in large writes until done or the peer goes away.
    void sendFiller(int fd, std::size_t bytes);
    /// Reads and discards until the peer closes.
    void holdUntilClosed(int fd);

    mutable std::mutex m_mutex; ///< guards the derived classes' maps and records too

private:
    void run();

    bool m_ipv6 = false;
    int m_listenFd = -1;
    int m_stopPipe[2] = {-1, -1};
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stopping {false};
    std::chrono::steady_clock::time_point m_connectionDeadline;
    Settings m_settings;
    std::size_t m_connections = 0;
    std::thread m_thread;
};

/// A WHOIS server (RFC 3912). Answers are found by the exact query, else by the last word of its first
/// line ("n + 192.0.2.1" and "-B 192.0.2.1" find "192.0.2.1"); a Team Cymru bulk query ("begin" ...
/// "end") is read whole and found under "begin". Unknown queries get the default answer.
class FakeWhoisServer : public FakeServer {
public:
    explicit FakeWhoisServer(bool ipv6 = false);
    ~FakeWhoisServer() override;

    void addAnswer(std::string query, std::string answer);
    /// False when the file cannot be read.
    bool addAnswerFile(std::string query, const std::filesystem::path& file);
    /// Adds every <source>-<query>.txt in dir under sampleKey(stem); returns how many.
    std::size_t loadSamples(const std::filesystem::path& dir);
    /// "" closes without answering.
    void setDefaultAnswer(std::string answer);
    /// Every query received, CR/LF stripped from its end.
    std::vector<std::string> queries() const;
    /// Every request exactly as received (line ends included).
    std::vector<std::string> rawRequests() const;
    std::size_t queryCount() const;

    /// The query a sample's file name stands for: "ipwhois-74.125.225.229" -> "74.125.225.229",
    /// "ipwhois-2001-4860-4860--8888" -> "2001:4860:4860::8888", "phpwhois-AS220" -> "AS220",
    /// "whoisit-cidr-1.1.1.0_24" -> "1.1.1.0/24"; otherwise the part after the source.
    static std::string sampleKey(std::string_view stem);

protected:
    void serve(int fd) override;

private:
    std::map<std::string, std::string, std::less<>> m_answers;
    std::string m_defaultAnswer = "% No entries found for the selected source(s).\n";
    std::vector<std::string> m_queries;
    std::vector<std::string> m_rawRequests;
};

/// One canned HTTP answer.
struct HttpRoute {
    int status = 200;
    std::string body;
    /// Extra headers; a Content-Type here replaces the default application/rdap+json.
    std::vector<std::pair<std::string, std::string>> headers;
};

/// One request as the HTTP server received it.
struct HttpRequestRecord {
    std::string method;
    std::string target;
    std::string head; ///< the request line and headers, raw
};

/// An HTTP/1.1 server for RDAP: routes by request target (the query string is ignored when no route
/// has it), 404 with an RDAP error body for anything else, "Connection: close" on every answer.
class FakeHttpServer : public FakeServer {
public:
    explicit FakeHttpServer(bool ipv6 = false);
    ~FakeHttpServer() override;

    /// "http://127.0.0.1:PORT" (no trailing slash).
    std::string baseUrl() const;

    void addRoute(std::string path, HttpRoute route);
    void addJson(std::string path, std::string body, int status = 200);
    /// False when the file cannot be read.
    bool addFile(std::string path, const std::filesystem::path& file, int status = 200);
    void addRedirect(std::string path, std::string location, int status = 302);
    void addRateLimited(std::string path, std::string retryAfter);
    /// Adds every <source>-[recorded-]<kind>-<query>.json in dir (expectations skipped) under
    /// prefix + "ip/<query>", "autnum/<n>", "entity/<handle>" ...; the first file for a path wins.
    std::size_t loadSamples(const std::filesystem::path& dir, std::string_view prefix = "/");
    /// In Huge mode, announce the length in Content-Length (else the body runs until the close).
    void setHugeAnnounced(bool announced);

    std::vector<HttpRequestRecord> requests() const;
    /// The request targets in order.
    std::vector<std::string> paths() const;
    std::size_t requestCount() const;

protected:
    void serve(int fd) override;

private:
    std::map<std::string, HttpRoute, std::less<>> m_routes;
    std::vector<HttpRequestRecord> m_requests;
    bool m_hugeAnnounced = false;
};

} // namespace tattle::test
