// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/rate_limiter.h"
#include "core/resolver/whois_client.h"
#include "fake_servers.h"
#include "test_support.h"

#include <arpa/inet.h>
#include <chrono>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tattle;
using namespace std::chrono_literals;
using core::IpAddress;
using core::resolver::EndpointOverrides;
using core::resolver::WhoisClient;
using core::resolver::WhoisEndpoint;
using core::resolver::WhoisOptions;
using test::FakeWhoisServer;
using test::HostileMode;

namespace {

using Clock = std::chrono::steady_clock;

/// Short limits, so that every hostile case ends quickly.
WhoisOptions shortLimits()
{
    WhoisOptions o;
    o.connectTimeout = 300ms;
    o.readTimeout = 300ms;
    o.totalTimeout = 2000ms;
    return o;
}

/// A client whose whois.example.net goes to the fake server.
WhoisClient clientFor(const test::FakeServer& server, WhoisOptions options = shortLimits())
{
    EndpointOverrides overrides;
    EXPECT_TRUE(overrides.add("whois.example.net=" + server.endpoint()));
    return WhoisClient(options, overrides);
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

TEST(WhoisEndpoint, ParsesAddressesHostsAndPorts)
{
    struct Case {
        const char* text;
        const char* host;
        int port;
    };
    const Case cases[] = {
        {"127.0.0.1:4343", "127.0.0.1", 4343},
        {"[::1]:43", "::1", 43},
        {"[2001:db8::1]", "2001:db8::1", 43},
        {"::1", "::1", 43},
        {"whois.ripe.net", "whois.ripe.net", 43},
        {"WHOIS.Example.NET.:4321", "whois.example.net", 4321},
        {"localhost:65535", "localhost", 65535},
    };
    for (const Case& c : cases) {
        auto e = WhoisEndpoint::parse(c.text);
        ASSERT_TRUE(e) << c.text;
        EXPECT_EQ(e->host, c.host) << c.text;
        EXPECT_EQ(e->port, c.port) << c.text;
    }
    for (const char* bad : {"", ":43", "host:0", "host:65536", "host:43x", "host:", "[::1", "[::1]x",
             "[192.0.2.1]:43", "bad host:43", "-oProxyCommand:43", "a\nb:43", "a/b", "[::1]:99999", ".:43"})
        EXPECT_FALSE(WhoisEndpoint::parse(bad)) << bad;
}

TEST(EndpointOverrides, MapsHostsCaseInsensitivelyAndPerPort)
{
    EndpointOverrides o;
    ASSERT_TRUE(o.add("whois.ripe.net=127.0.0.1:4343"));
    ASSERT_TRUE(o.add("rwhois.example.net:4321=[::1]:9999"));
    EXPECT_EQ(o.find("WHOIS.RIPE.NET."), (WhoisEndpoint {"127.0.0.1", 4343}));
    EXPECT_EQ(o.find("whois.ripe.net", 4321), (WhoisEndpoint {"127.0.0.1", 4343}));
    EXPECT_EQ(o.find("rwhois.example.net", 4321), (WhoisEndpoint {"::1", 9999}));
    EXPECT_FALSE(o.find("rwhois.example.net", 43));
    EXPECT_FALSE(o.find("whois.arin.net"));
    for (const char* bad : {"whois.ripe.net", "=127.0.0.1:43", "whois.ripe.net=", "whois.ripe.net=a b",
             "bad host=127.0.0.1:43", "whois.ripe.net=127.0.0.1:0"}) {
        auto r = o.add(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    }
}

TEST(WhoisClient, ReplaysRecordedAnswersThroughAnOverride)
{
    FakeWhoisServer server;
    ASSERT_GT(server.loadSamples(test::samplesDir() / "whois" / "ripe"), 0u);
    ASSERT_GT(server.loadSamples(test::samplesDir() / "whois" / "arin"), 0u);
    WhoisClient client = clientFor(server);

    auto ripe = client.query("whois.example.net", "62.239.237.1");
    ASSERT_TRUE(ripe) << ripe.error().message;
    EXPECT_EQ(*ripe, test::readFile(test::samplesDir() / "whois/ripe/ipwhois-62.239.237.1.txt"));

    auto arin = client.query("whois.example.net", "n + 74.125.225.229");
    ASSERT_TRUE(arin) << arin.error().message;
    EXPECT_EQ(*arin, test::readFile(test::samplesDir() / "whois/arin/ipwhois-74.125.225.229.txt"));

    // RFC 3912: the query and CRLF, nothing else, one connection each.
    EXPECT_EQ(
        server.rawRequests(), (std::vector<std::string> {"62.239.237.1\r\n", "n + 74.125.225.229\r\n"}));
    EXPECT_EQ(server.connectionCount(), 2u);
}

TEST(WhoisClient, ConnectsOverIpv6AndByHostName)
{
    FakeWhoisServer v6(true);
    v6.addAnswer("192.0.2.1", "inetnum: 192.0.2.0 - 192.0.2.255\n");
    WhoisClient plain(shortLimits());
    auto r = plain.query("::1", "192.0.2.1", v6.port());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, "inetnum: 192.0.2.0 - 192.0.2.255\n");
    auto bracketed = plain.query("[::1]", "192.0.2.1", v6.port());
    ASSERT_TRUE(bracketed) << bracketed.error().message;

    // "localhost" may resolve to ::1 first, where nothing listens on this port: the next address is tried.
    FakeWhoisServer v4;
    v4.addAnswer("192.0.2.1", "v4 answer\n");
    auto byName = plain.query("localhost", "192.0.2.1", v4.port());
    ASSERT_TRUE(byName) << byName.error().message;
    EXPECT_EQ(*byName, "v4 answer\n");
}

TEST(WhoisClient, RefusesQueriesAndHostsThatCouldInjectAnything)
{
    FakeWhoisServer server;
    WhoisClient client = clientFor(server);
    const std::string tooLong(1001, 'a');
    for (std::string_view query : {std::string_view("192.0.2.1\r\nsecond query"), std::string_view("a\nb"),
             std::string_view("a\0b", 3), std::string_view(tooLong)}) {
        auto r = client.query("whois.example.net", query);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    }
    for (const char* host : {"", "bad host", "-oProxyCommand=x", "whois.example.net\r\n", "a/b"}) {
        auto r = client.query(host, "192.0.2.1");
        ASSERT_FALSE(r) << host;
        EXPECT_EQ(r.error().kind, ErrorKind::Usage) << host;
    }
    EXPECT_EQ(server.connectionCount(), 0u);
}

TEST(WhoisClient, ConnectionRefusedIsAnIoError)
{
    std::uint16_t port = 0;
    {
        FakeWhoisServer gone;
        port = gone.port();
    }
    WhoisClient client(shortLimits());
    const auto start = Clock::now();
    auto r = client.query("127.0.0.1", "192.0.2.1", port);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Io);
    EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
    EXPECT_LT(since(start), 1000ms);
}

TEST(WhoisClient, ConnectTimeoutWhenTheServerNeverAccepts)
{
    FakeWhoisServer server;
    server.setMode(HostileMode::NeverAccept);
    // The first connection fills the backlog of 0; the client's SYN is then dropped.
    const int holder = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(holder, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server.port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(holder, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);

    WhoisClient client = clientFor(server);
    const auto start = Clock::now();
    auto r = client.query("whois.example.net", "192.0.2.1");
    const auto elapsed = since(start);
    ::close(holder);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Timeout);
    EXPECT_NE(r.error().message.find("did not accept the connection"), std::string::npos)
        << r.error().message;
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, 300ms + 2s);
}

TEST(WhoisClient, SilentServerTimesOutAfterTheReadTimeout)
{
    FakeWhoisServer server;
    server.setMode(HostileMode::NeverAnswer);
    WhoisClient client = clientFor(server);
    const auto start = Clock::now();
    auto r = client.query("whois.example.net", "192.0.2.1");
    const auto elapsed = since(start);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Timeout);
    EXPECT_NE(r.error().message.find("sent nothing for 300 ms"), std::string::npos) << r.error().message;
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, 300ms + 2s);
    EXPECT_EQ(server.queries(), (std::vector<std::string> {"192.0.2.1"}));
}

TEST(WhoisClient, TricklingServerIsCutAtTheOverallDeadline)
{
    // One byte every 20 ms never trips the 300 ms read timeout; the 600 ms deadline must end it.
    FakeWhoisServer server;
    server.setMode(HostileMode::Trickle);
    server.setTrickleInterval(20ms);
    server.addAnswer("192.0.2.1", "inetnum: 192.0.2.0 - 192.0.2.255\n");
    WhoisOptions options = shortLimits();
    options.totalTimeout = 600ms;
    WhoisClient client = clientFor(server, options);
    const auto start = Clock::now();
    auto r = client.query("whois.example.net", "192.0.2.1");
    const auto elapsed = since(start);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Timeout);
    EXPECT_NE(r.error().message.find("did not finish its answer within 600 ms"), std::string::npos)
        << r.error().message;
    EXPECT_GE(elapsed, 550ms);
    EXPECT_LT(elapsed, 600ms + 2s);
}

TEST(WhoisClient, HugeAnswerIsCutAtTheSizeCap)
{
    FakeWhoisServer server;
    server.setMode(HostileMode::Huge); // 100 MB
    WhoisOptions options = shortLimits();
    options.totalTimeout = 10s;
    WhoisClient client = clientFor(server, options);
    ASSERT_EQ(client.options().maxAnswerBytes, 1u << 20);
    const long rssBefore = peakRssKiB();
    const auto start = Clock::now();
    auto r = client.query("whois.example.net", "192.0.2.1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(r.error().message.find("answer too large"), std::string::npos) << r.error().message;
    EXPECT_LT(since(start), 2s);
    // The peak resident size grew by far less than the 100 MB sent at us.
    EXPECT_LT(peakRssKiB() - rssBefore, 32 * 1024);
}

TEST(WhoisClient, SizeCapIsExact)
{
    FakeWhoisServer server;
    server.addAnswer("fits", std::string(1000, 'a'));
    server.addAnswer("too-big", std::string(1001, 'a'));
    WhoisOptions options = shortLimits();
    options.maxAnswerBytes = 1000;
    WhoisClient client = clientFor(server, options);
    auto fits = client.query("whois.example.net", "fits");
    ASSERT_TRUE(fits) << fits.error().message;
    EXPECT_EQ(fits->size(), 1000u);
    auto tooBig = client.query("whois.example.net", "too-big");
    ASSERT_FALSE(tooBig);
    EXPECT_EQ(tooBig.error().kind, ErrorKind::BadResponse);
}

TEST(WhoisClient, ServerClosingWithoutAnAnswerIsABadResponse)
{
    FakeWhoisServer server;
    server.setMode(HostileMode::CloseEarly);
    WhoisClient client = clientFor(server);
    const auto start = Clock::now();
    auto r = client.query("whois.example.net", "192.0.2.1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(r.error().message.find("without answering"), std::string::npos) << r.error().message;
    EXPECT_LT(since(start), 1s);
}

TEST(WhoisClient, RipeAccessDeniedIsRateLimited)
{
    FakeWhoisServer server;
    const std::string denied = "% This is the RIPE Database query service.\n%\n"
                               "%ERROR:201: access denied for 192.0.2.7\n%\n"
                               "% Sorry, access from your host has been temporarily denied\n"
                               "% because of excessive querying.\n";
    server.addAnswer("192.0.2.1", denied);
    WhoisClient client = clientFor(server);
    auto r = client.query("whois.example.net", "192.0.2.1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::RateLimited);
    EXPECT_NE(r.error().message.find("%ERROR:201: access denied"), std::string::npos) << r.error().message;

    WhoisOptions raw = shortLimits();
    raw.detectRateLimit = false;
    auto unfiltered = clientFor(server, raw).query("whois.example.net", "192.0.2.1");
    ASSERT_TRUE(unfiltered);
    EXPECT_EQ(*unfiltered, denied);
}

TEST(WhoisClient, CymruBulkSendsOneQueryOnOneConnection)
{
    FakeWhoisServer server;
    const auto sample = test::samplesDir() / "whois/cymru/ipwhois-bulk-verbose-2024-10-15.txt";
    ASSERT_TRUE(server.addAnswerFile("begin", sample));
    EndpointOverrides overrides;
    overrides.set("whois.cymru.com", *WhoisEndpoint::parse(server.endpoint()));
    WhoisClient client(shortLimits(), overrides);
    const std::vector<IpAddress> addresses = {
        *IpAddress::parse("192.0.2.1"), *IpAddress::parse("2001:db8::1"), *IpAddress::parse("198.51.100.7")};
    auto r = client.cymruBulk(addresses);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, test::readFile(sample));
    EXPECT_EQ(server.rawRequests(),
        (std::vector<std::string> {"begin\nverbose\n192.0.2.1\n2001:db8::1\n198.51.100.7\nend\n"}));
    EXPECT_EQ(server.connectionCount(), 1u);

    auto none = client.cymruBulk({});
    ASSERT_TRUE(none);
    EXPECT_EQ(*none, "");
    EXPECT_EQ(server.connectionCount(), 1u);
}

TEST(LooksRateLimited, RecognisesRefusalsAndNoRealAnswer)
{
    for (const char* refusal : {"%ERROR:201: access denied for 192.0.2.7\n",
             "% Sorry, access from your host has been temporarily denied.\n",
             "%  access from your host has been permanently\n%  denied because of excessive querying\n",
             "Query rate limit exceeded\n", "%error:201: ACCESS DENIED\n"})
        EXPECT_TRUE(core::resolver::looksRateLimited(refusal)) << refusal;
    for (const char* fine : {"", "% Abuse contact for '192.0.2.0 - 192.0.2.255' is 'abuse@example.net'\n",
             "remarks: access is denied to nobody\n", "%ERROR:101: no entries found\n"})
        EXPECT_FALSE(core::resolver::looksRateLimited(fine)) << fine;
    // None of the recorded registry answers is a refusal.
    std::size_t checked = 0;
    for (const auto& registry : std::filesystem::directory_iterator(test::samplesDir() / "whois")) {
        for (const auto& file : std::filesystem::directory_iterator(registry.path())) {
            if (file.path().extension() != ".txt") continue;
            EXPECT_FALSE(core::resolver::looksRateLimited(test::readFile(file.path()))) << file.path();
            ++checked;
        }
    }
    EXPECT_GT(checked, 20u);
}
