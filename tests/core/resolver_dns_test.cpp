// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/dns_client.h"
#include "core/resolver/reverse_dns.h"
#include "fake_dns_server.h"

#include <chrono>
#include <gtest/gtest.h>

using namespace tattle;
using namespace tattle::core;
using namespace tattle::core::resolver;

namespace {

IpAddress ip(const char* text)
{
    auto a = IpAddress::parse(text);
    EXPECT_TRUE(a) << text;
    return a.value_or(IpAddress {});
}

DnsClient clientFor(
    const test::FakeDnsServer& server, std::chrono::milliseconds timeout = std::chrono::milliseconds(2000))
{
    DnsOptions o;
    o.server = WhoisEndpoint {"127.0.0.1", server.port()};
    o.timeout = timeout;
    o.attempts = 1;
    return DnsClient(o);
}

std::vector<std::uint8_t> bytes(const std::string& s)
{
    return {s.begin(), s.end()};
}

/// A header: id 0x1234, an answer, NOERROR, with the given counts.
std::string header(int qd, int an)
{
    return std::string("\x12\x34\x81\x80", 4) + char(0) + char(qd) + char(0) + char(an)
        + std::string(4, '\0');
}

} // namespace

TEST(ResolverDns, ReverseNames)
{
    EXPECT_EQ(DnsClient::reverseName(ip("127.0.0.2"), kAbusixZone), "2.0.0.127.abuse-contacts.abusix.zone");
    EXPECT_EQ(DnsClient::reverseName(ip("192.0.2.1")), "1.2.0.192.in-addr.arpa");
    EXPECT_EQ(DnsClient::reverseName(ip("2001:db8::1")),
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
}

TEST(ResolverDns, NameserverFromResolvConf)
{
    EXPECT_EQ(DnsClient::nameserverFrom(
                  "# comment\nsearch example.net\nnameserver 192.0.2.53\nnameserver 1.1.1.1\n"),
        (WhoisEndpoint {"192.0.2.53", 53}));
    EXPECT_EQ(DnsClient::nameserverFrom("nameserver fe80::1%eth0\nnameserver ::1 # local\n"),
        (WhoisEndpoint {"::1", 53}));
    EXPECT_FALSE(DnsClient::nameserverFrom("nameservers 192.0.2.1\n"));
    EXPECT_FALSE(DnsClient::nameserverFrom(""));
}

TEST(ResolverDns, QueriesRefuseNamesThatAreNotDnsNames)
{
    EXPECT_TRUE(DnsClient::buildQuery(1, "", DnsType::Txt).empty());
    EXPECT_TRUE(DnsClient::buildQuery(1, "a..b", DnsType::Txt).empty());
    EXPECT_TRUE(DnsClient::buildQuery(1, "bad name.example", DnsType::Txt).empty());
    EXPECT_TRUE(DnsClient::buildQuery(1, std::string(64, 'a') + ".example", DnsType::Txt).empty());
    EXPECT_EQ(DnsClient::buildQuery(0x1234, "a.bc", DnsType::Txt),
        std::string("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01"
                    "a\x02"
                    "bc\x00\x00\x10\x00\x01",
            22));
}

TEST(ResolverDns, HostileAnswersAreRefused)
{
    const std::string question = std::string("\x01"
                                             "a\x00",
                                     3)
        + std::string("\x00\x10\x00\x01", 4);
    struct Case {
        const char* what;
        std::string message;
    };
    for (const auto& c : {
             Case {"short", std::string("\x12\x34\x81", 3)},
             Case {"other id", std::string("\x99\x99\x81\x80", 4) + std::string(8, '\0')},
             Case {"a question, not an answer", std::string("\x12\x34\x01\x00", 4) + std::string(8, '\0')},
             Case {"server failure", std::string("\x12\x34\x81\x82", 4) + std::string(8, '\0')},
             Case {"question cut",
                 header(1, 0)
                     + "\x05"
                       "ab"},
             // The answer's name points at itself: a compression loop.
             Case {"pointer loop", header(1, 1) + question + std::string("\xc0\x13", 2)},
             Case {"rdata past the end",
                 header(1, 1) + question + std::string("\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x00\x00\x50", 12)
                     + "\x03"
                       "abc"},
             Case {"TXT string past its record",
                 header(1, 1) + question + std::string("\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x00\x00\x02", 12)
                     + "\x09"
                       "a"},
         }) {
        const auto m = bytes(c.message);
        EXPECT_FALSE(DnsClient::parseAnswer(m, 0x1234, DnsType::Txt)) << c.what;
    }
    // NXDOMAIN is an answer: no records.
    const auto nx = DnsClient::parseAnswer(
        bytes(std::string("\x12\x34\x81\x83", 4) + std::string(8, '\0')), 0x1234, DnsType::Txt);
    ASSERT_TRUE(nx);
    EXPECT_TRUE(nx->nxdomain);
    EXPECT_TRUE(nx->records.empty());
}

TEST(ResolverDns, TxtAndPtrFromAServer)
{
    test::FakeDnsServer server;
    server.addTxt("2.0.0.127.abuse-contacts.abusix.zone", {"root@localhost, abuse@localhost"});
    server.addTxt("long.example", {std::string(300, 'x')});
    server.addPtr("1.2.0.192.in-addr.arpa", "host.example.net");
    const DnsClient client = clientFor(server);

    auto txt = client.txt("2.0.0.127.abuse-contacts.abusix.zone");
    ASSERT_TRUE(txt) << txt.error().message;
    EXPECT_EQ(*txt, std::vector<std::string> {"root@localhost, abuse@localhost"});
    auto longTxt = client.txt("long.example");
    ASSERT_TRUE(longTxt) << longTxt.error().message;
    EXPECT_EQ(*longTxt, std::vector<std::string> {std::string(300, 'x')}) << "character-strings are joined";
    auto none = client.txt("nothing.example");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());

    auto name = client.ptr(ip("192.0.2.1"));
    ASSERT_TRUE(name) << name.error().message;
    EXPECT_EQ(*name, "host.example.net");
    auto noName = client.ptr(ip("192.0.2.2"));
    ASSERT_TRUE(noName);
    EXPECT_EQ(*noName, "");
    EXPECT_EQ(server.questions().size(), 5u);
}

TEST(ResolverDns, ASilentServerTimesOutInBoundedTime)
{
    test::FakeDnsServer server;
    server.setSilent(true);
    const DnsClient client = clientFor(server, std::chrono::milliseconds(200));
    const auto start = std::chrono::steady_clock::now();
    auto r = client.txt("anything.example");
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Timeout);
    EXPECT_LT(took, std::chrono::seconds(2));
}

TEST(ResolverDns, GarbageFromTheServerIsAnErrorNotACrash)
{
    test::FakeDnsServer server;
    server.setRawAnswer(std::string(40, '\xff'));
    const DnsClient client = clientFor(server, std::chrono::milliseconds(300));
    auto r = client.txt("anything.example");
    EXPECT_FALSE(r) << "an answer with another id is skipped, then the wait times out";
}

TEST(ResolverDns, ReverseDnsPoolCollectsNamesWithinItsDeadline)
{
    ReverseDnsPool pool(
        [](const IpAddress& a) -> std::optional<std::string> {
            if (a == IpAddress::v4(0xC0000201)) return std::string("one.example");
            if (a == IpAddress::v4(0xC0000202)) return std::string();
            if (a == IpAddress::v4(0xC0000203)) return std::nullopt;
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            return std::string("late.example");
        },
        2, std::chrono::milliseconds(150));
    pool.start({IpAddress::v4(0xC0000201), IpAddress::v4(0xC0000202), IpAddress::v4(0xC0000203),
        IpAddress::v4(0xC0000204), IpAddress::v4(0xC0000205), IpAddress::v4(0xC0000206)});
    const auto start = std::chrono::steady_clock::now();
    const auto names = pool.finish();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_EQ(names.at(IpAddress::v4(0xC0000201)), "one.example");
    EXPECT_EQ(names.at(IpAddress::v4(0xC0000202)), "");
    EXPECT_FALSE(names.contains(IpAddress::v4(0xC0000203)));
    EXPECT_LT(names.size(), 6u) << "addresses after the deadline are not looked up";
}
