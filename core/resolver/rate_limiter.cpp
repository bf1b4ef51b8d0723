// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/rate_limiter.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace tattle::core::resolver {

namespace {

char lowerAscii(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

bool containsIgnoringCase(std::string_view haystack, std::string_view needle) noexcept
{
    auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
        [](char a, char b) { return lowerAscii(a) == lowerAscii(b); });
    return it != haystack.end();
}

std::string lowerCopy(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lowerAscii);
    return out;
}

} // namespace

bool looksRateLimited(std::string_view answer) noexcept
{
    // RIPE: "%ERROR:201: access denied for 192.0.2.1" followed by "% Sorry, access from your host has been
    // temporarily denied" (or "permanently\n% denied"); see REFERENCE A11. ipwhois retries on the last one.
    static constexpr std::array<std::string_view, 3> kMarkers {
        "%ERROR:201",
        "access from your host has been",
        "Query rate limit exceeded",
    };
    return std::any_of(kMarkers.begin(), kMarkers.end(),
        [&](std::string_view marker) { return containsIgnoringCase(answer, marker); });
}

RateLimiter::Permit::Permit(Permit&& other) noexcept
    : m_limiter(std::exchange(other.m_limiter, nullptr))
    , m_server(std::move(other.m_server))
{
}

RateLimiter::Permit& RateLimiter::Permit::operator=(Permit&& other) noexcept
{
    if (this != &other) {
        release();
        m_limiter = std::exchange(other.m_limiter, nullptr);
        m_server = std::move(other.m_server);
    }
    return *this;
}

RateLimiter::Permit::~Permit()
{
    release();
}

void RateLimiter::Permit::release() noexcept
{
    if (m_limiter) std::exchange(m_limiter, nullptr)->release(m_server);
}

RateLimiter::RateLimiter(Now now)
    : m_now(now ? std::move(now) : Now([] { return Clock::now(); }))
{
}

RateLimiter::~RateLimiter() = default;

std::string RateLimiter::serverKey(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    if (auto scheme = s.find("://"); scheme != std::string_view::npos) s.remove_prefix(scheme + 3);
    s = s.substr(0, s.find_first_of("/?#"));
    if (auto at = s.rfind('@'); at != std::string_view::npos) s.remove_prefix(at + 1);
    if (s.starts_with('[')) {
        s = s.substr(0, s.find(']') == std::string_view::npos ? s.size() : s.find(']') + 1);
    } else if (std::count(s.begin(), s.end(), ':') == 1) {
        s = s.substr(0, s.find(':'));
    }
    while (s.ends_with('.'))
        s.remove_suffix(1);
    return lowerCopy(s);
}

Result<RateLimiter::Duration> RateLimiter::parseRate(std::string_view text)
{
    using namespace std::chrono;
    auto bad = [&] {
        return fail(ErrorKind::Usage,
            "'" + std::string(text)
                + "' is not a rate (like 6/min or 1/s) or an interval (like 10s or 500ms).");
    };
    auto unitLength = [](std::string_view unit) -> std::optional<Duration> {
        if (unit == "ms") return milliseconds(1);
        if (unit == "s" || unit == "sec" || unit == "second") return seconds(1);
        if (unit == "m" || unit == "min" || unit == "minute") return minutes(1);
        if (unit == "h" || unit == "hour") return hours(1);
        return std::nullopt;
    };
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || n == 0 || n > 1'000'000) return bad();
    std::string_view rest = text.substr(std::size_t(end - text.data()));
    if (rest.starts_with('/')) {
        auto unit = unitLength(rest.substr(1));
        if (!unit || *unit < seconds(1)) return bad();
        return Duration(*unit / n);
    }
    auto unit = unitLength(rest);
    if (!unit) return bad();
    return Duration(*unit * n);
}

RateLimiter::Duration RateLimiter::builtinInterval(std::string_view server)
{
    // LACNIC bans clients after fewer than 10 queries a minute (REFERENCE A11): at most 6 a minute.
    const std::string key = serverKey(server);
    if (key == "lacnic.net" || key.ends_with(".lacnic.net")) return std::chrono::seconds(10);
    return std::chrono::seconds(1);
}

void RateLimiter::setDefaultInterval(Duration interval)
{
    std::lock_guard lock(m_mutex);
    m_defaultInterval = std::max(interval, Duration::zero());
}

void RateLimiter::setInterval(std::string_view server, Duration interval)
{
    std::lock_guard lock(m_mutex);
    state(serverKey(server)).interval = std::max(interval, Duration::zero());
}

RateLimiter::Duration RateLimiter::interval(std::string_view server) const
{
    std::lock_guard lock(m_mutex);
    return intervalLocked(serverKey(server));
}

void RateLimiter::setBackoff(Duration initial, Duration max)
{
    std::lock_guard lock(m_mutex);
    m_initialBackoff = std::max(initial, Duration::zero());
    m_maxBackoff = std::max(max, m_initialBackoff);
}

RateLimiter::ServerState& RateLimiter::state(const std::string& key)
{
    return m_servers[key];
}

const RateLimiter::ServerState* RateLimiter::findState(const std::string& key) const
{
    auto it = m_servers.find(key);
    return it == m_servers.end() ? nullptr : &it->second;
}

RateLimiter::Duration RateLimiter::intervalLocked(const std::string& key) const
{
    if (const ServerState* s = findState(key); s && s->interval) return *s->interval;
    // A LACNIC host keeps its stricter built-in interval even when the default is lowered.
    const Duration builtin = builtinInterval(key);
    return builtin > std::chrono::seconds(1) ? std::max(builtin, m_defaultInterval) : m_defaultInterval;
}

RateLimiter::Attempt RateLimiter::tryAcquireLocked(const std::string& key)
{
    const TimePoint now = m_now();
    const Duration interval = intervalLocked(key);
    ServerState& s = state(key);
    if (s.stoppedUntil) {
        if (now < *s.stoppedUntil) return Attempt {Verdict::Stopped, *s.stoppedUntil - now, {}};
        s.stoppedUntil.reset();
    }
    if (s.busy) return Attempt {Verdict::Busy, Duration::zero(), {}};
    if (s.lastStart && now < *s.lastStart + interval)
        return Attempt {Verdict::Wait, *s.lastStart + interval - now, {}};
    s.busy = true;
    s.lastStart = now;
    return Attempt {Verdict::Go, Duration::zero(), Permit(this, key)};
}

RateLimiter::Attempt RateLimiter::tryAcquire(std::string_view server)
{
    std::lock_guard lock(m_mutex);
    return tryAcquireLocked(serverKey(server));
}

Result<RateLimiter::Permit> RateLimiter::acquire(std::string_view server, Duration maxWait)
{
    const std::string key = serverKey(server);
    const auto deadline = Clock::now() + maxWait;
    std::unique_lock lock(m_mutex);
    for (;;) {
        Attempt attempt = tryAcquireLocked(key);
        switch (attempt.verdict) {
        case Verdict::Go:
            return std::move(attempt.permit);
        case Verdict::Stopped:
            return fail(ErrorKind::RateLimited,
                "Server " + key + " rate-limited tattle; no query is sent to it for another "
                    + std::to_string(std::chrono::ceil<std::chrono::seconds>(attempt.wait).count()) + " s.");
        case Verdict::Wait:
        case Verdict::Busy:
            break;
        }
        const auto now = Clock::now();
        if (now >= deadline)
            return fail(ErrorKind::Timeout, "Waited too long for a turn to query server " + key + ".");
        // Busy: woken by release(); Wait: sleep out the interval (a release may also end it early).
        auto wakeAt = deadline;
        if (attempt.verdict == Verdict::Wait) wakeAt = std::min(deadline, now + attempt.wait);
        m_released.wait_until(lock, wakeAt);
    }
}

void RateLimiter::release(const std::string& key) noexcept
{
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_servers.find(key); it != m_servers.end()) it->second.busy = false;
    }
    m_released.notify_all();
}

void RateLimiter::reportRateLimited(std::string_view server, std::optional<Duration> retryAfter)
{
    std::lock_guard lock(m_mutex);
    ServerState& s = state(serverKey(server));
    Duration backoff = m_initialBackoff;
    for (int i = 0; i < s.stops && backoff < m_maxBackoff; ++i)
        backoff *= 2;
    if (retryAfter) backoff = std::max(backoff, *retryAfter);
    backoff = std::min(backoff, m_maxBackoff);
    ++s.stops;
    const TimePoint until = m_now() + backoff;
    s.stoppedUntil = s.stoppedUntil ? std::max(*s.stoppedUntil, until) : until;
}

void RateLimiter::reportSuccess(std::string_view server)
{
    std::lock_guard lock(m_mutex);
    state(serverKey(server)).stops = 0;
}

std::optional<RateLimiter::TimePoint> RateLimiter::stoppedUntil(std::string_view server) const
{
    std::lock_guard lock(m_mutex);
    const ServerState* s = findState(serverKey(server));
    if (!s || !s->stoppedUntil || m_now() >= *s->stoppedUntil) return std::nullopt;
    return s->stoppedUntil;
}

int RateLimiter::consecutiveStops(std::string_view server) const
{
    std::lock_guard lock(m_mutex);
    const ServerState* s = findState(serverKey(server));
    return s ? s->stops : 0;
}

} // namespace tattle::core::resolver
