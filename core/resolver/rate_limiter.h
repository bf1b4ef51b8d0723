// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tattle::core::resolver {

/// True when a WHOIS answer says the server refuses us for querying too much: RIPE's "%ERROR:201: access
/// denied" and "Access from your host has been temporarily (or permanently) denied", and "Query rate
/// limit exceeded" (the text ipwhois watches for).
bool looksRateLimited(std::string_view answer) noexcept;

/// Politeness towards registry servers: a minimum interval between the starts of two queries to one
/// server (1 s by default, 10 s for LACNIC: at most 6 a minute), at most one query in flight per server,
/// and a "stopped" state after a rate-limit answer that lasts for a backoff growing with every new stop.
/// Servers are keyed by host name (see serverKey()). Thread-safe. The clock is injectable for tests.
class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;
    using TimePoint = Clock::time_point;
    using Duration = Clock::duration;
    using Now = std::function<TimePoint()>;

    /// Why a query may not start now.
    enum class Verdict {
        Go, ///< start now: the permit is held
        Wait, ///< the server's interval has not passed; retry after `wait`
        Busy, ///< another query to this server is in flight
        Stopped, ///< the server rate-limited us; no query until `wait` has passed
    };

    /// The right to send one query to a server; releases the server's concurrency slot when destroyed.
    class Permit {
    public:
        Permit() = default;
        Permit(Permit&& other) noexcept;
        Permit& operator=(Permit&& other) noexcept;
        Permit(const Permit&) = delete;
        Permit& operator=(const Permit&) = delete;
        ~Permit();

        explicit operator bool() const noexcept { return m_limiter != nullptr; }
        const std::string& server() const noexcept { return m_server; }
        /// Gives the slot back now (the interval still counts from the query's start).
        void release() noexcept;

    private:
        friend class RateLimiter;
        Permit(RateLimiter* limiter, std::string server)
            : m_limiter(limiter)
            , m_server(std::move(server))
        {
        }
        RateLimiter* m_limiter = nullptr;
        std::string m_server;
    };

    /// The answer of tryAcquire(): a permit when verdict is Go, else how long to wait (zero when Busy).
    struct Attempt {
        Verdict verdict = Verdict::Go;
        Duration wait {};
        Permit permit;
    };

    /// now defaults to steady_clock::now.
    explicit RateLimiter(Now now = {});
    ~RateLimiter();
    RateLimiter(const RateLimiter&) = delete;
    RateLimiter& operator=(const RateLimiter&) = delete;

    /// The lower-case host of a URL ("https://rdap.lacnic.net/rdap/ip/..." -> "rdap.lacnic.net") or of a host
    /// name (trailing dot and port removed): the key every other function takes.
    static std::string serverKey(std::string_view hostOrUrl);
    /// Parses a rate as "6/min", "1/s", "100/h" or an interval as "10s", "500ms", "2m" into the minimum
    /// interval between two queries.
    static Result<Duration> parseRate(std::string_view text);
    /// The built-in interval for a server: 10 s for LACNIC's servers, else the default (1 s).
    static Duration builtinInterval(std::string_view server);

    /// The interval for servers without their own setting (1 s unless changed).
    void setDefaultInterval(Duration interval);
    /// The interval for one server, replacing the built-in one.
    void setInterval(std::string_view server, Duration interval);
    Duration interval(std::string_view server) const;
    /// The first stop lasts `initial`, each further one without a success in between twice as long, at
    /// most `max` (defaults: 5 min and 24 h). A Retry-After longer than the backoff wins, up to `max`.
    void setBackoff(Duration initial, Duration max);

    /// Asks to start a query to server now, without blocking.
    Attempt tryAcquire(std::string_view server);
    /// Waits (in real time, at most maxWait) for a permit. Fails with RateLimited when the server is
    /// stopped and with Timeout when maxWait passes first.
    Result<Permit> acquire(std::string_view server, Duration maxWait);

    /// The server answered with a rate-limit error (HTTP 429, RIPE "access denied" ...): stop querying it.
    void reportRateLimited(std::string_view server, std::optional<Duration> retryAfter = std::nullopt);
    /// A query to the server succeeded: the next stop starts again from the initial backoff.
    void reportSuccess(std::string_view server);
    /// When the server's stop ends, or nothing when it is not stopped.
    std::optional<TimePoint> stoppedUntil(std::string_view server) const;
    bool isStopped(std::string_view server) const { return stoppedUntil(server).has_value(); }
    /// How many stops the server caused since its last success.
    int consecutiveStops(std::string_view server) const;

private:
    struct ServerState {
        std::optional<Duration> interval;
        std::optional<TimePoint> lastStart;
        std::optional<TimePoint> stoppedUntil;
        int stops = 0;
        bool busy = false;
    };

    ServerState& state(const std::string& key);
    const ServerState* findState(const std::string& key) const;
    Duration intervalLocked(const std::string& key) const;
    Attempt tryAcquireLocked(const std::string& key);
    void release(const std::string& key) noexcept;

    Now m_now;
    Duration m_defaultInterval = std::chrono::seconds(1);
    Duration m_initialBackoff = std::chrono::minutes(5);
    Duration m_maxBackoff = std::chrono::hours(24);
    mutable std::mutex m_mutex;
    std::condition_variable m_released;
    std::map<std::string, ServerState, std::less<>> m_servers;
};

} // namespace tattle::core::resolver
