// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/http_client.h"
#include "core/resolver/whois_client.h"
#include "fake_servers.h"
#include "test_support.h"

#include <chrono>
#include <gtest/gtest.h>
#include <thread>

using namespace tattle;
using namespace std::chrono_literals;
using test::FakeHttpServer;
using test::FakeWhoisServer;
using test::HostileMode;

namespace {

using Clock = std::chrono::steady_clock;

} // namespace

TEST(FakeServers, SampleFileNamesGiveTheirQueries)
{
    struct Case {
        const char* stem;
        const char* key;
    };
    for (const Case& c : {Case {"ipwhois-74.125.225.229", "74.125.225.229"},
             Case {"ipwhois-2001-4860-4860--8888", "2001:4860:4860::8888"},
             Case {"ipwhois-2001-43f8-7b0--", "2001:43f8:7b0::"}, Case {"phpwhois-AS220", "AS220"},
             Case {"ipwhois-asn-origin-62.239.237.1", "62.239.237.1"},
             Case {"whoisit-cidr-1.1.1.0_24", "1.1.1.0/24"},
             Case {"whoisit-cidr-2001-4860--_32", "2001:4860::/32"},
             Case {"whris-iana-then-ripe-example.com", "iana-then-ripe-example.com"},
             Case {"ipwhois-bulk-verbose-2024-10-15", "bulk-verbose-2024-10-15"}, Case {"nodash", ""}})
        EXPECT_EQ(FakeWhoisServer::sampleKey(c.stem), c.key) << c.stem;
}

TEST(FakeServers, LoadTheSharedSamples)
{
    FakeWhoisServer whois;
    std::size_t loaded = 0;
    for (const char* registry : {"arin", "ripe", "apnic", "lacnic", "afrinic", "twnic", "nicbr"})
        loaded += whois.loadSamples(test::samplesDir() / "whois" / registry);
    EXPECT_GE(loaded, 15u);

    FakeHttpServer rdap;
    EXPECT_GE(rdap.loadSamples(test::samplesDir() / "rdap" / "arin", "/arin/"), 8u);
    EXPECT_GE(rdap.loadSamples(test::samplesDir() / "rdap" / "apnic", "/apnic/"), 3u);
    core::resolver::RdapBaseRewrites rewrites;
    ASSERT_TRUE(rewrites.add("https://rdap.arin.net/registry/=" + rdap.baseUrl() + "/arin/"));
    ASSERT_TRUE(rewrites.add("https://rdap.apnic.net/=" + rdap.baseUrl() + "/apnic/"));
    core::resolver::HttpClient client({}, rewrites);
    for (const char* url :
        {"https://rdap.arin.net/registry/ip/74.125.225.229",
            "https://rdap.arin.net/registry/ip/2001:4860::/32", "https://rdap.arin.net/registry/autnum/13335",
            "https://rdap.arin.net/registry/entity/GOVI", "https://rdap.apnic.net/ip/1.1.1.0/24"}) {
        auto r = client.get(url);
        ASSERT_TRUE(r) << url << ": " << r.error().message;
        EXPECT_EQ(r->status, 200) << url;
        EXPECT_TRUE(r->body.starts_with("{")) << url;
    }
}

TEST(FakeServers, StopPromptlyWhateverTheClientDoes)
{
    // A client stuck on a silent server, and a trickle nobody reads: the destructor still returns at once.
    for (HostileMode mode : {HostileMode::NeverAnswer, HostileMode::Trickle, HostileMode::Huge}) {
        auto server = std::make_unique<FakeWhoisServer>();
        server->setMode(mode);
        core::resolver::WhoisOptions options;
        options.readTimeout = 5s;
        options.totalTimeout = 5s;
        options.maxAnswerBytes = std::size_t(200) << 20;
        core::resolver::EndpointOverrides overrides;
        ASSERT_TRUE(overrides.add("whois.example.net=" + server->endpoint()));
        core::resolver::WhoisClient client(options, overrides);
        std::thread user([&] { (void)client.query("whois.example.net", "192.0.2.1"); });
        std::this_thread::sleep_for(50ms);
        const auto start = Clock::now();
        server.reset();
        EXPECT_LT(Clock::now() - start, 1s);
        user.join();
    }
}
