// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/rate_limiter.h"

#include <chrono>
#include <gtest/gtest.h>
#include <thread>

using namespace tattle;
using namespace std::chrono_literals;
using core::resolver::RateLimiter;
using Verdict = RateLimiter::Verdict;

namespace {

/// A clock that only moves when the test says so.
struct FakeClock {
    RateLimiter::TimePoint now = RateLimiter::TimePoint(1000h);
    RateLimiter::Now function()
    {
        return [this] { return now; };
    }
};

} // namespace

TEST(RateLimiter, KeepsTheIntervalBetweenQueryStarts)
{
    FakeClock clock;
    RateLimiter limiter(clock.function());
    auto first = limiter.tryAcquire("whois.ripe.net");
    ASSERT_EQ(first.verdict, Verdict::Go);
    EXPECT_TRUE(first.permit);
    EXPECT_EQ(first.permit.server(), "whois.ripe.net");

    // Concurrency 1: a second query waits for the first to finish, whatever the clock says.
    clock.now += 5s;
    auto second = limiter.tryAcquire("WHOIS.RIPE.NET");
    EXPECT_EQ(second.verdict, Verdict::Busy);
    EXPECT_FALSE(second.permit);
    first.permit.release();

    auto third = limiter.tryAcquire("whois.ripe.net");
    ASSERT_EQ(third.verdict, Verdict::Go);
    third.permit.release();
    clock.now += 999ms;
    auto early = limiter.tryAcquire("whois.ripe.net");
    EXPECT_EQ(early.verdict, Verdict::Wait);
    EXPECT_EQ(early.wait, 1ms);
    clock.now += 1ms;
    EXPECT_EQ(limiter.tryAcquire("whois.ripe.net").verdict, Verdict::Go);
}

TEST(RateLimiter, ServersAreIndependent)
{
    FakeClock clock;
    RateLimiter limiter(clock.function());
    auto a = limiter.tryAcquire("whois.ripe.net");
    auto b = limiter.tryAcquire("https://rdap.arin.net/registry/ip/192.0.2.1");
    auto c = limiter.tryAcquire("whois.arin.net");
    EXPECT_EQ(a.verdict, Verdict::Go);
    EXPECT_EQ(b.verdict, Verdict::Go);
    EXPECT_EQ(c.verdict, Verdict::Go);
    EXPECT_EQ(b.permit.server(), "rdap.arin.net");
}

TEST(RateLimiter, LacnicIsSlowerAndIntervalsAreSettable)
{
    FakeClock clock;
    RateLimiter limiter(clock.function());
    EXPECT_EQ(limiter.interval("whois.ripe.net"), 1s);
    EXPECT_EQ(limiter.interval("whois.lacnic.net"), 10s);
    EXPECT_EQ(limiter.interval("https://rdap.lacnic.net/rdap/ip/200.57.141.161"), 10s);
    EXPECT_EQ(limiter.interval("notlacnic.net"), 1s);

    limiter.setDefaultInterval(200ms); // a lower default does not lower LACNIC's
    EXPECT_EQ(limiter.interval("whois.ripe.net"), 200ms);
    EXPECT_EQ(limiter.interval("whois.lacnic.net"), 10s);
    limiter.setDefaultInterval(20s); // a higher one raises it
    EXPECT_EQ(limiter.interval("whois.lacnic.net"), 20s);
    limiter.setInterval("whois.lacnic.net", 0ms); // an explicit setting wins
    EXPECT_EQ(limiter.interval("whois.lacnic.net"), 0ms);

    RateLimiter lacnic(clock.function());
    lacnic.tryAcquire("whois.lacnic.net").permit.release();
    clock.now += 9s;
    auto wait = lacnic.tryAcquire("whois.lacnic.net");
    EXPECT_EQ(wait.verdict, Verdict::Wait);
    EXPECT_EQ(wait.wait, 1s);
    clock.now += 1s;
    EXPECT_EQ(lacnic.tryAcquire("whois.lacnic.net").verdict, Verdict::Go);

    // Asking every second for a minute gets 6 queries through, one every 10 s.
    RateLimiter fresh(clock.function());
    int starts = 0;
    for (int second = 0; second < 60; ++second, clock.now += 1s)
        if (fresh.tryAcquire("rdap.lacnic.net").verdict == Verdict::Go) ++starts;
    EXPECT_EQ(starts, 6);
}

TEST(RateLimiter, RateLimitAnswerStopsTheServerWithGrowingBackoff)
{
    FakeClock clock;
    RateLimiter limiter(clock.function());
    limiter.reportRateLimited("whois.ripe.net");
    EXPECT_TRUE(limiter.isStopped("whois.ripe.net"));
    EXPECT_FALSE(limiter.isStopped("whois.arin.net"));
    auto stopped = limiter.tryAcquire("whois.ripe.net");
    EXPECT_EQ(stopped.verdict, Verdict::Stopped);
    EXPECT_EQ(stopped.wait, 5min);
    EXPECT_FALSE(stopped.permit);

    clock.now += 5min;
    EXPECT_FALSE(limiter.isStopped("whois.ripe.net"));
    auto again = limiter.tryAcquire("whois.ripe.net");
    ASSERT_EQ(again.verdict, Verdict::Go);
    again.permit.release();

    limiter.reportRateLimited("whois.ripe.net"); // the second stop in a row lasts twice as long
    EXPECT_EQ(limiter.consecutiveStops("whois.ripe.net"), 2);
    EXPECT_EQ(*limiter.stoppedUntil("whois.ripe.net"), clock.now + 10min);
    clock.now += 10min;
    limiter.reportRateLimited("whois.ripe.net");
    EXPECT_EQ(*limiter.stoppedUntil("whois.ripe.net"), clock.now + 20min);

    limiter.reportSuccess("whois.ripe.net"); // a success resets the backoff, not the current stop
    EXPECT_EQ(limiter.consecutiveStops("whois.ripe.net"), 0);
    EXPECT_TRUE(limiter.isStopped("whois.ripe.net"));
    clock.now += 20min;
    limiter.reportRateLimited("whois.ripe.net");
    EXPECT_EQ(*limiter.stoppedUntil("whois.ripe.net"), clock.now + 5min);
}

TEST(RateLimiter, RetryAfterLongerThanTheBackoffWinsUpToTheMaximum)
{
    FakeClock clock;
    RateLimiter limiter(clock.function());
    limiter.setBackoff(1min, 2h);
    limiter.reportRateLimited("rdap.lacnic.net", 30s); // shorter than the backoff: the backoff stays
    EXPECT_EQ(*limiter.stoppedUntil("rdap.lacnic.net"), clock.now + 1min);
    limiter.reportRateLimited("rdap.arin.net", 45min);
    EXPECT_EQ(*limiter.stoppedUntil("rdap.arin.net"), clock.now + 45min);
    limiter.reportRateLimited("rdap.apnic.net", 100h);
    EXPECT_EQ(*limiter.stoppedUntil("rdap.apnic.net"), clock.now + 2h);
    for (int i = 0; i < 20; ++i)
        limiter.reportRateLimited("whois.ripe.net");
    EXPECT_EQ(*limiter.stoppedUntil("whois.ripe.net"), clock.now + 2h);
}

TEST(RateLimiter, PermitsReleaseOnceWhenMoved)
{
    FakeClock clock;
    RateLimiter limiter(clock.function());
    limiter.setDefaultInterval(0ms);
    RateLimiter::Permit outer;
    {
        auto a = limiter.tryAcquire("whois.ripe.net");
        ASSERT_TRUE(a.permit);
        outer = std::move(a.permit);
        EXPECT_FALSE(a.permit); // NOLINT(bugprone-use-after-move): checking the moved-from state
    }
    EXPECT_EQ(limiter.tryAcquire("whois.ripe.net").verdict, Verdict::Busy);
    outer = RateLimiter::Permit();
    EXPECT_EQ(limiter.tryAcquire("whois.ripe.net").verdict, Verdict::Go);
}

TEST(RateLimiter, ParsesRatesAndIntervals)
{
    struct Case {
        const char* text;
        RateLimiter::Duration interval;
    };
    for (const Case& c : {Case {"6/min", 10s}, Case {"1/s", 1s}, Case {"2/sec", 500ms}, Case {"100/h", 36s},
             Case {"10s", 10s}, Case {"500ms", 500ms}, Case {"2m", 2min}, Case {"1h", 1h}}) {
        auto r = RateLimiter::parseRate(c.text);
        ASSERT_TRUE(r) << c.text;
        EXPECT_EQ(*r, c.interval) << c.text;
    }
    for (const char* bad : {"", "0/min", "6/ms", "6/", "/min", "-1/s", "6/fortnight", "abc", "10", "1.5s",
             " 6/min", "6/min ", "99999999/s"}) {
        auto r = RateLimiter::parseRate(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    }
}

TEST(RateLimiter, ServerKeys)
{
    struct Case {
        const char* in;
        const char* key;
    };
    for (const Case& c : {Case {"whois.ripe.net", "whois.ripe.net"},
             Case {"WHOIS.RIPE.NET.", "whois.ripe.net"}, Case {"whois.ripe.net:43", "whois.ripe.net"},
             Case {"https://rdap.arin.net/registry/ip/192.0.2.1", "rdap.arin.net"},
             Case {"https://user@RDAP.db.ripe.net:443/ip/1?x#y", "rdap.db.ripe.net"},
             Case {"http://[::1]:8080/arin/", "[::1]"}, Case {"2001:db8::1", "2001:db8::1"}, Case {"", ""}})
        EXPECT_EQ(RateLimiter::serverKey(c.in), c.key) << c.in;
}

TEST(RateLimiter, AcquireWaitsForTheIntervalAndForTheOtherQuery)
{
    RateLimiter limiter; // the real clock: waits of a few milliseconds
    limiter.setDefaultInterval(30ms);
    auto first = limiter.acquire("whois.ripe.net", 1s);
    ASSERT_TRUE(first) << first.error().message;
    const auto start = RateLimiter::Clock::now();
    std::thread finisher([&] {
        std::this_thread::sleep_for(20ms);
        first->release();
    });
    auto second = limiter.acquire("whois.ripe.net", 1s);
    finisher.join();
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_GE(RateLimiter::Clock::now() - start, 25ms);

    auto timedOut = limiter.acquire("whois.ripe.net", 5ms); // `second` still holds the server
    ASSERT_FALSE(timedOut);
    EXPECT_EQ(timedOut.error().kind, ErrorKind::Timeout);

    limiter.reportRateLimited("whois.arin.net", 1h);
    auto refused = limiter.acquire("whois.arin.net", 1s);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::RateLimited);
    EXPECT_NE(refused.error().message.find("whois.arin.net"), std::string::npos);
}
