// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/http_client.h"
#include "fake_servers.h"
#include "test_support.h"

#include <chrono>
#include <gtest/gtest.h>
#include <sys/resource.h>

using namespace tattle;
using namespace std::chrono_literals;
using core::resolver::HttpClient;
using core::resolver::HttpOptions;
using core::resolver::HttpResponse;
using core::resolver::RdapBaseRewrites;
using test::FakeHttpServer;
using test::HostileMode;

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kArin = "https://rdap.arin.net/registry/";
constexpr const char* kRipe = "https://rdap.db.ripe.net/";

HttpOptions shortLimits()
{
    HttpOptions o;
    o.connectTimeout = 300ms;
    o.totalTimeout = 2000ms;
    o.lowSpeedTime = 60s; // out of the way unless a test wants it
    return o;
}

/// A client whose ARIN (and optionally RIPE) base URLs go to the fake servers.
HttpClient clientFor(
    const FakeHttpServer& arin, HttpOptions options = shortLimits(), const FakeHttpServer* ripe = nullptr)
{
    RdapBaseRewrites rewrites;
    EXPECT_TRUE(rewrites.add(std::string(kArin) + "=" + arin.baseUrl() + "/arin/"));
    if (ripe) {
        EXPECT_TRUE(rewrites.add(std::string(kRipe) + "=" + ripe->baseUrl() + "/ripe/"));
    }
    return HttpClient(options, rewrites);
}

std::chrono::milliseconds since(Clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

long peakRssKiB()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

TEST(RdapBaseRewrites, LongestPrefixWinsAndOnlyHttpUrlsAreTaken)
{
    RdapBaseRewrites r;
    ASSERT_TRUE(r.add("https://rdap.arin.net/registry/=http://127.0.0.1:8080/arin/"));
    ASSERT_TRUE(r.add("https://rdap.arin.net/registry/ip/=http://127.0.0.1:9090/ip-only/"));
    ASSERT_TRUE(r.add("https://rdap.example.net/x?a=b/=https://mirror.example.net/")); // "=" inside FROM
    EXPECT_EQ(
        r.rewrite("https://rdap.arin.net/registry/autnum/13335"), "http://127.0.0.1:8080/arin/autnum/13335");
    EXPECT_EQ(
        r.rewrite("https://rdap.arin.net/registry/ip/192.0.2.1"), "http://127.0.0.1:9090/ip-only/192.0.2.1");
    EXPECT_EQ(r.rewrite("HTTPS://RDAP.ARIN.NET/registry/entity/X"), "http://127.0.0.1:8080/arin/entity/X");
    EXPECT_EQ(r.rewrite("https://rdap.example.net/x?a=b/ip/1"), "https://mirror.example.net/ip/1");
    EXPECT_FALSE(r.rewrite("https://rdap.apnic.net/ip/192.0.2.1"));
    for (const char* bad :
        {"", "https://a/", "https://a/=", "=http://127.0.0.1/", "ftp://a/=http://127.0.0.1/",
            "https://a/=file:///etc/passwd", "rdap.arin.net=http://127.0.0.1/"}) {
        auto added = r.add(bad);
        ASSERT_FALSE(added) << bad;
        EXPECT_EQ(added.error().kind, ErrorKind::Usage) << bad;
    }
}

TEST(HttpClient, LoopbackHosts)
{
    for (const char* yes : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"})
        EXPECT_TRUE(HttpClient::isLoopbackHost(yes)) << yes;
    for (const char* no : {"", "128.0.0.1", "192.0.2.1", "::2", "[::ffff:127.0.0.1]", "localhost.example.net",
             "localhos", "0.0.0.0", "2001:db8::1"})
        EXPECT_FALSE(HttpClient::isLoopbackHost(no)) << no;
}

TEST(HttpClient, FetchesARecordedAnswerThroughARewrittenBase)
{
    FakeHttpServer arin;
    ASSERT_GT(arin.loadSamples(test::samplesDir() / "rdap" / "arin", "/arin/"), 0u);
    HttpClient client = clientFor(arin);
    auto r = client.get(std::string(kArin) + "ip/74.125.225.229");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(r->ok());
    EXPECT_FALSE(r->statusError());
    EXPECT_EQ(r->body, test::readFile(test::samplesDir() / "rdap/arin/ipwhois-ip-74.125.225.229.json"));
    EXPECT_EQ(r->contentType, "application/rdap+json");
    EXPECT_EQ(r->url, arin.baseUrl() + "/arin/ip/74.125.225.229");
    EXPECT_EQ(r->redirects, 0);
    ASSERT_EQ(arin.requestCount(), 1u);
    const auto request = arin.requests().front();
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.target, "/arin/ip/74.125.225.229");
    EXPECT_NE(request.head.find("\r\nAccept: application/rdap+json\r\n"), std::string::npos) << request.head;
    EXPECT_NE(request.head.find("\r\nUser-Agent: tattle/"), std::string::npos) << request.head;

    // A second request on the same client (and handle) works the same.
    auto again = client.get(std::string(kArin) + "autnum/13335");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->status, 200);
    EXPECT_EQ(arin.paths().back(), "/arin/autnum/13335");
}

TEST(HttpClient, ReachesAnIpv6LoopbackServer)
{
    FakeHttpServer server(true);
    server.addJson("/v6/ip/2001:db8::1", R"({"objectClassName":"ip network"})");
    RdapBaseRewrites rewrites;
    ASSERT_TRUE(rewrites.add(std::string(kRipe) + "=" + server.baseUrl() + "/v6/"));
    HttpClient client(shortLimits(), rewrites);
    auto r = client.get(std::string(kRipe) + "ip/2001:db8::1");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"objectClassName":"ip network"})");
}

TEST(HttpClient, RefusesPlainHttpThatNoRewriteAskedFor)
{
    FakeHttpServer server;
    server.addJson("/ip/192.0.2.1", "{}");
    RdapBaseRewrites rewrites;
    ASSERT_TRUE(rewrites.add("https://rdap.example.net/=http://192.0.2.10/")); // not loopback
    HttpClient client(shortLimits(), rewrites);
    for (const std::string& url :
        {server.baseUrl() + "/ip/192.0.2.1", std::string("http://rdap.arin.net/registry/ip/1"),
            std::string("https://rdap.example.net/ip/192.0.2.1"), std::string("ftp://127.0.0.1/x"),
            std::string("file:///etc/passwd"), std::string("rdap.arin.net/ip/1"), std::string("")}) {
        auto r = client.get(url);
        ASSERT_FALSE(r) << url;
        EXPECT_EQ(r.error().kind, ErrorKind::Usage) << url << ": " << r.error().message;
    }
    EXPECT_EQ(server.connectionCount(), 0u);
}

TEST(HttpClient, FollowsARelativeRedirectOnTheSameServer)
{
    FakeHttpServer arin;
    arin.addRedirect("/arin/ip/192.0.2.1", "/arin/ip/192.0.2.0/24", 301);
    arin.addJson("/arin/ip/192.0.2.0/24", R"({"handle":"NET-192-0-2-0-1"})");
    HttpClient client = clientFor(arin);
    auto r = client.get(std::string(kArin) + "ip/192.0.2.1");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->redirects, 1);
    EXPECT_EQ(r->body, R"({"handle":"NET-192-0-2-0-1"})");
    EXPECT_EQ(arin.paths(), (std::vector<std::string> {"/arin/ip/192.0.2.1", "/arin/ip/192.0.2.0/24"}));
}

TEST(HttpClient, RewritesARedirectToAnotherRegistry)
{
    // ARIN refers a RIPE address to rdap.db.ripe.net over https; the rewrite sends that hop to the RIPE fake.
    FakeHttpServer arin;
    FakeHttpServer ripe;
    ASSERT_GT(ripe.loadSamples(test::samplesDir() / "rdap" / "ripe", "/ripe/"), 0u);
    arin.addRedirect("/arin/ip/62.239.237.1", std::string(kRipe) + "ip/62.239.237.1");
    HttpClient client = clientFor(arin, shortLimits(), &ripe);
    auto r = client.get(std::string(kArin) + "ip/62.239.237.1");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->redirects, 1);
    EXPECT_EQ(r->url, ripe.baseUrl() + "/ripe/ip/62.239.237.1");
    EXPECT_EQ(r->body, test::readFile(test::samplesDir() / "rdap/ripe/ipwhois-ip-62.239.237.1.json"));
    EXPECT_EQ(arin.requestCount(), 1u);
    EXPECT_EQ(ripe.paths(), (std::vector<std::string> {"/ripe/ip/62.239.237.1"}));
}

TEST(HttpClient, RefusesARedirectToPlainHttpOnAnotherPort)
{
    FakeHttpServer arin;
    FakeHttpServer other;
    other.addJson("/x", "{}");
    arin.addRedirect("/arin/ip/192.0.2.1", other.baseUrl() + "/x");
    HttpClient client = clientFor(arin);
    auto r = client.get(std::string(kArin) + "ip/192.0.2.1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(r.error().message.find("Refusing to follow the redirect"), std::string::npos)
        << r.error().message;
    EXPECT_EQ(other.connectionCount(), 0u);
}

TEST(HttpClient, StopsARedirectLoopOnOneServer)
{
    FakeHttpServer arin;
    arin.addRedirect("/arin/a", "/arin/b");
    arin.addRedirect("/arin/b", std::string(kArin) + "a"); // back to the start, through the rewrite
    HttpClient client = clientFor(arin);
    const auto start = Clock::now();
    auto r = client.get(std::string(kArin) + "a");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(r.error().message.find("redirect loop"), std::string::npos) << r.error().message;
    EXPECT_EQ(arin.requestCount(), 2u);
    EXPECT_LT(since(start), 2s);
}

TEST(HttpClient, StopsAReferralLoopBetweenTwoPorts)
{
    FakeHttpServer arin;
    FakeHttpServer ripe;
    arin.addRedirect("/arin/ip/192.0.2.1", std::string(kRipe) + "ip/192.0.2.1");
    ripe.addRedirect("/ripe/ip/192.0.2.1", std::string(kArin) + "ip/192.0.2.1");
    HttpClient client = clientFor(arin, shortLimits(), &ripe);
    auto r = client.get(std::string(kArin) + "ip/192.0.2.1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(r.error().message.find("redirect loop"), std::string::npos) << r.error().message;
    EXPECT_EQ(arin.requestCount(), 1u);
    EXPECT_EQ(ripe.requestCount(), 1u);
}

TEST(HttpClient, GivesUpAfterTheRedirectLimit)
{
    FakeHttpServer arin;
    for (int i = 0; i < 10; ++i)
        arin.addRedirect("/arin/r" + std::to_string(i), "/arin/r" + std::to_string(i + 1), 307);
    HttpClient client = clientFor(arin);
    ASSERT_EQ(client.options().maxRedirects, 5);
    auto r = client.get(std::string(kArin) + "r0");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(r.error().message.find("more than 5 redirects"), std::string::npos) << r.error().message;
    EXPECT_EQ(arin.requestCount(), 6u); // the request and five redirects followed
}

TEST(HttpClient, RedirectWithoutLocationIsABadResponse)
{
    FakeHttpServer arin;
    arin.addRoute("/arin/x", test::HttpRoute {302, "", {}});
    auto r = clientFor(arin).get(std::string(kArin) + "x");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
}

TEST(HttpClient, TooManyRequestsIsRateLimitedWithRetryAfter)
{
    FakeHttpServer arin;
    arin.addRateLimited("/arin/ip/192.0.2.1", "30");
    arin.addRateLimited("/arin/ip/192.0.2.2", "Wed, 21 Oct 2099 07:28:00 GMT"); // an HTTP date, far off
    arin.addRateLimited("/arin/ip/192.0.2.3", "");
    HttpClient client = clientFor(arin);

    auto r = client.get(std::string(kArin) + "ip/192.0.2.1");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(r->retryAfter, std::chrono::seconds(30));
    auto error = r->statusError();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->kind, ErrorKind::RateLimited);
    EXPECT_NE(error->message.find("wait 30 s"), std::string::npos) << error->message;

    auto dated = client.get(std::string(kArin) + "ip/192.0.2.2");
    ASSERT_TRUE(dated) << dated.error().message;
    EXPECT_EQ(dated->retryAfter, std::chrono::seconds(7 * 24 * 3600)); // clamped

    auto bare = client.get(std::string(kArin) + "ip/192.0.2.3");
    ASSERT_TRUE(bare) << bare.error().message;
    EXPECT_FALSE(bare->retryAfter);
    ASSERT_TRUE(bare->statusError());
    EXPECT_EQ(bare->statusError()->kind, ErrorKind::RateLimited);
}

TEST(HttpClient, StatusCodesMapToErrorKinds)
{
    FakeHttpServer arin;
    arin.addJson("/arin/gone", "{}", 410);
    arin.addJson("/arin/broken", "<html>oops</html>", 500);
    HttpClient client = clientFor(arin);
    struct Case {
        const char* path;
        long status;
        ErrorKind kind;
    };
    for (const Case& c : {Case {"ip/192.0.2.1", 404, ErrorKind::NotFound},
             Case {"gone", 410, ErrorKind::NotFound}, Case {"broken", 500, ErrorKind::BadResponse}}) {
        auto r = client.get(std::string(kArin) + c.path);
        ASSERT_TRUE(r) << c.path << ": " << r.error().message;
        EXPECT_EQ(r->status, c.status) << c.path;
        ASSERT_TRUE(r->statusError()) << c.path;
        EXPECT_EQ(r->statusError()->kind, c.kind) << c.path;
    }
}

TEST(HttpClient, SilentServerTimesOut)
{
    FakeHttpServer arin;
    arin.setMode(HostileMode::NeverAnswer);
    HttpOptions options = shortLimits();
    options.totalTimeout = 300ms;
    const auto start = Clock::now();
    auto r = clientFor(arin, options).get(std::string(kArin) + "ip/192.0.2.1");
    const auto elapsed = since(start);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Timeout) << r.error().message;
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, 300ms + 2s);
    EXPECT_EQ(arin.requestCount(), 1u);
}

TEST(HttpClient, TricklingServerIsCutByTheLowSpeedLimit)
{
    FakeHttpServer arin;
    arin.setMode(HostileMode::Trickle);
    arin.setTrickleInterval(20ms); // 50 bytes/s
    HttpOptions options = shortLimits();
    options.totalTimeout = 10s;
    options.lowSpeedLimit = 1000;
    options.lowSpeedTime = 1s;
    const auto start = Clock::now();
    auto r = clientFor(arin, options).get(std::string(kArin) + "ip/192.0.2.1");
    const auto elapsed = since(start);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Timeout) << r.error().message;
    EXPECT_NE(r.error().message.find("too slow"), std::string::npos) << r.error().message;
    EXPECT_GE(elapsed, 900ms);
    EXPECT_LT(elapsed, 1s + 2s);
}

TEST(HttpClient, TricklingServerIsCutByTheOverallDeadline)
{
    FakeHttpServer arin;
    arin.setMode(HostileMode::Trickle);
    arin.setTrickleInterval(20ms);
    HttpOptions options = shortLimits();
    options.totalTimeout = 500ms;
    const auto start = Clock::now();
    auto r = clientFor(arin, options).get(std::string(kArin) + "ip/192.0.2.1");
    const auto elapsed = since(start);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Timeout) << r.error().message;
    EXPECT_GE(elapsed, 450ms);
    EXPECT_LT(elapsed, 500ms + 2s);
}

TEST(HttpClient, HugeBodyIsCutAtTheCap)
{
    for (bool announced : {false, true}) {
        FakeHttpServer arin;
        arin.setMode(HostileMode::Huge); // 100 MB
        arin.setHugeAnnounced(announced);
        HttpOptions options = shortLimits();
        options.totalTimeout = 10s;
        options.maxBodyBytes = 1 << 20;
        const long rssBefore = peakRssKiB();
        const auto start = Clock::now();
        auto r = clientFor(arin, options).get(std::string(kArin) + "ip/192.0.2.1");
        ASSERT_FALSE(r) << announced;
        EXPECT_EQ(r.error().kind, ErrorKind::BadResponse) << announced;
        EXPECT_NE(r.error().message.find("answer too large"), std::string::npos) << r.error().message;
        EXPECT_LT(since(start), 2s) << announced;
        EXPECT_LT(peakRssKiB() - rssBefore, 32 * 1024) << announced;
    }
}

TEST(HttpClient, BodyCutShortIsABadResponse)
{
    FakeHttpServer arin;
    arin.addJson("/arin/ip/192.0.2.1", R"({"objectClassName":"ip network","handle":"NET-192-0-2-0-1"})");
    arin.setMode(HostileMode::CloseEarly);
    const auto start = Clock::now();
    auto r = clientFor(arin).get(std::string(kArin) + "ip/192.0.2.1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse) << r.error().message;
    EXPECT_LT(since(start), 1s);
}

TEST(HttpClient, InvalidJsonArrivesUntouchedForTheParserToReject)
{
    // The HTTP layer does not judge the body; the RDAP parser gets exactly these bytes (and rejects them).
    FakeHttpServer arin;
    const std::string junk
        = std::string(R"({"objectClassName": "ip network", "entities": [)") + '\0' + "\xff\xfe";
    arin.addJson("/arin/ip/192.0.2.1", junk);
    auto r = clientFor(arin).get(std::string(kArin) + "ip/192.0.2.1");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->body, junk);
}

TEST(HttpClient, ConnectionRefusedIsAnIoError)
{
    std::string base;
    {
        FakeHttpServer gone;
        base = gone.baseUrl();
    }
    RdapBaseRewrites rewrites;
    ASSERT_TRUE(rewrites.add(std::string(kArin) + "=" + base + "/"));
    HttpClient client(shortLimits(), rewrites);
    const auto start = Clock::now();
    auto r = client.get(std::string(kArin) + "ip/192.0.2.1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Io) << r.error().message;
    EXPECT_LT(since(start), 1s);
}
