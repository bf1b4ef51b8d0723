// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resolver/address_space.h"
#include "core/resolver/network_info.h"

#include <gtest/gtest.h>

using namespace tattle::core;
using namespace tattle::core::resolver;

namespace {

IpAddress ip(const char* text)
{
    auto a = IpAddress::parse(text);
    EXPECT_TRUE(a) << text;
    return a.value_or(IpAddress {});
}

} // namespace

TEST(ResolverIpRange, ParsesCidrAndMasksHostBits)
{
    struct Case {
        const char* in;
        const char* first;
        const char* last;
        const char* printed;
    };
    for (auto c : {Case {"192.0.2.0/24", "192.0.2.0", "192.0.2.255", "192.0.2.0/24"},
             Case {" 192.0.2.77/24 ", "192.0.2.0", "192.0.2.255", "192.0.2.0/24"},
             Case {"0.0.0.0/0", "0.0.0.0", "255.255.255.255", "0.0.0.0/0"},
             Case {"203.0.113.9/32", "203.0.113.9", "203.0.113.9", "203.0.113.9/32"},
             Case {"2001:db8::/32", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::/32"},
             Case {"2001:0DB8:0001::/48", "2001:db8:1::", "2001:db8:1:ffff:ffff:ffff:ffff:ffff",
                 "2001:db8:1::/48"},
             Case {"::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/0"}}) {
        auto r = IpRange::parseCidr(c.in);
        ASSERT_TRUE(r) << c.in;
        EXPECT_EQ(r->first.toString(), c.first) << c.in;
        EXPECT_EQ(r->last.toString(), c.last) << c.in;
        EXPECT_EQ(r->toString(), c.printed) << c.in;
        EXPECT_TRUE(r->valid());
    }
}

TEST(ResolverIpRange, RejectsBadCidr)
{
    for (const char* bad :
        {"", "/", "192.0.2.0", "192.0.2.0/", "192.0.2.0/33", "2001:db8::/129", "192.0.2/24", "192.0.2.0/-1",
            "192.0.2.0/2x", "x/24", "192.0.2.0/24/1", "192.0.2.0/99999999999"}) {
        EXPECT_FALSE(IpRange::parseCidr(bad)) << bad;
    }
}

TEST(ResolverIpRange, ParsesRanges)
{
    auto r = IpRange::parseRange("192.0.2.0 - 192.0.2.200");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->toString(), "192.0.2.0 - 192.0.2.200");
    EXPECT_FALSE(r->prefixLength());
    r = IpRange::parseRange("192.0.2.0-192.0.2.255");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->toString(), "192.0.2.0/24");
    EXPECT_EQ(r->prefixLength(), 24);
    r = IpRange::parseRange("2001:db8:: - 2001:db8::ff");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->toString(), "2001:db8::/120");
    for (const char* bad : {"192.0.2.9 - 192.0.2.1", "192.0.2.0 - 2001:db8::", "192.0.2.0 -", "- 192.0.2.0",
             "192.0.2.0 192.0.2.255", "a - b"}) {
        EXPECT_FALSE(IpRange::parseRange(bad)) << bad;
    }
}

TEST(ResolverIpRange, ContainsWithinAndParseAny)
{
    auto r = IpRange::parse("198.51.100.0/24").value();
    EXPECT_TRUE(r.contains(ip("198.51.100.0")));
    EXPECT_TRUE(r.contains(ip("198.51.100.255")));
    EXPECT_FALSE(r.contains(ip("198.51.101.0")));
    EXPECT_FALSE(r.contains(ip("::ffff:198.51.100.1")));
    EXPECT_TRUE(IpRange::parse("198.51.100.16 - 198.51.100.31")->within(r));
    EXPECT_FALSE(IpRange::parse("198.51.100.16 - 198.51.101.31")->within(r));
    auto single = IpRange::parse("203.0.113.5");
    ASSERT_TRUE(single);
    EXPECT_EQ(single->toString(), "203.0.113.5/32");
    EXPECT_FALSE(IpRange {}.valid());
    EXPECT_FALSE(IpRange {}.contains(ip("203.0.113.5")));
    EXPECT_EQ(IpRange {}.toString(), "");
    EXPECT_FALSE(IpRange::fromPrefix(ip("192.0.2.1"), 33));
    EXPECT_FALSE(IpRange::fromPrefix(IpAddress {}, 8));
}

TEST(ResolverIpRange, ContactSourceNames)
{
    EXPECT_EQ(contactSourceName(ContactSource::Rdap), "rdap");
    EXPECT_EQ(contactSourceName(ContactSource::Whois), "whois");
    EXPECT_EQ(contactSourceName(ContactSource::AbusixDns), "abusix");
    EXPECT_EQ(contactSourceName(ContactSource::DomainGuess), "guess");
    EXPECT_EQ(contactSourceName(ContactSource::UserOverride), "user");
    EXPECT_EQ(contactSourceName(ContactSource::None), "none");
}

TEST(ResolverAddressSpace, ClassifiesSpecialPurposeAddresses)
{
    struct Case {
        const char* address;
        AddressKind kind;
        const char* nameContains;
    };
    for (auto c : {
             Case {"10.1.2.3", AddressKind::Private, "RFC 1918"},
             Case {"172.16.0.1", AddressKind::Private, "RFC 1918"},
             Case {"172.31.255.255", AddressKind::Private, "RFC 1918"},
             Case {"192.168.1.1", AddressKind::Private, "RFC 1918"},
             Case {"127.0.0.1", AddressKind::Loopback, "loopback"},
             Case {"169.254.10.10", AddressKind::LinkLocal, "link-local"},
             Case {"192.0.2.1", AddressKind::Documentation, "documentation (RFC 5737)"},
             Case {"198.51.100.7", AddressKind::Documentation, "RFC 5737"},
             Case {"203.0.113.255", AddressKind::Documentation, "RFC 5737"},
             Case {"100.64.0.1", AddressKind::SharedAddressSpace, "RFC 6598"},
             Case {"100.127.255.255", AddressKind::SharedAddressSpace, "RFC 6598"},
             Case {"224.0.0.1", AddressKind::Multicast, "multicast"},
             Case {"239.255.255.250", AddressKind::Multicast, "multicast"},
             Case {"255.255.255.255", AddressKind::Broadcast, "broadcast"},
             Case {"0.1.2.3", AddressKind::ThisNetwork, "this network"},
             Case {"0.0.0.0", AddressKind::Unspecified, "this host"},
             Case {"240.0.0.1", AddressKind::Reserved, "reserved"},
             Case {"255.255.255.254", AddressKind::Reserved, "reserved"},
             Case {"198.18.0.1", AddressKind::Benchmarking, "RFC 2544"},
             Case {"198.19.255.255", AddressKind::Benchmarking, "RFC 2544"},
             Case {"192.0.0.1", AddressKind::IetfProtocol, "RFC 7335"},
             Case {"192.0.0.200", AddressKind::IetfProtocol, "RFC 6890"},
             Case {"192.88.99.1", AddressKind::Deprecated, "6to4 relay"},
             Case {"192.31.196.1", AddressKind::AnycastService, "AS112"},
             Case {"::1", AddressKind::Loopback, "loopback"},
             Case {"::", AddressKind::Unspecified, "unspecified"},
             Case {"fe80::1", AddressKind::LinkLocal, "link-local"},
             Case {"fc00::1", AddressKind::UniqueLocal, "RFC 4193"},
             Case {"fd12:3456::1", AddressKind::UniqueLocal, "RFC 4193"},
             Case {"ff02::1", AddressKind::Multicast, "multicast"},
             Case {"2001:db8::1", AddressKind::Documentation, "RFC 3849"},
             Case {"3fff:0fff::1", AddressKind::Documentation, "RFC 9637"},
             Case {"2001:2::1", AddressKind::Benchmarking, "RFC 5180"},
             Case {"100::1", AddressKind::Discard, "discard"},
             Case {"64:ff9b:1::1", AddressKind::Translation, "RFC 8215"},
             Case {"2002:cb00:7101::1", AddressKind::SixToFour, "6to4"},
             Case {"2001:0:4136:e378:8000:63bf:3fff:fdd2", AddressKind::Teredo, "Teredo"},
             Case {"4000::1", AddressKind::Reserved, "RFC 4291"},
             Case {"::102:304", AddressKind::Reserved, "RFC 4291"},
             Case {"fec0::1", AddressKind::Deprecated, "site-local"},
             // Mapped and NAT64 addresses are judged by the IPv4 address inside.
             Case {"::ffff:10.0.0.1", AddressKind::Private, "RFC 1918"},
             Case {"::ffff:192.0.2.1", AddressKind::Documentation, "RFC 5737"},
             Case {"64:ff9b::c000:201", AddressKind::Documentation, "RFC 5737"},
             Case {"64:ff9b::7f00:1", AddressKind::Loopback, "loopback"},
         }) {
        const AddressClass cls = classify(ip(c.address));
        EXPECT_EQ(cls.kind, c.kind) << c.address << " -> " << cls.name;
        EXPECT_NE(cls.name.find(c.nameContains), std::string_view::npos) << c.address << " -> " << cls.name;
        EXPECT_FALSE(isPublic(ip(c.address))) << c.address;
        EXPECT_FALSE(lookupAddress(ip(c.address))) << c.address;
    }
}

TEST(ResolverAddressSpace, PublicAddresses)
{
    for (const char* a : {"8.8.8.8", "1.1.1.1", "11.0.0.1", "100.63.255.255", "100.128.0.0", "172.15.255.255",
             "172.32.0.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0",
             "223.255.255.255", "169.253.255.255", "2a00:2381:ffff::1", "2001:4860:4860::8888", "2001:200::1",
             "2600::1", "3ffe::1", "2001:db7:ffff::1", "2001:db9::"}) {
        const AddressClass cls = classify(ip(a));
        EXPECT_EQ(cls.kind, AddressKind::Public) << a << " -> " << cls.name;
        EXPECT_EQ(cls.name, "public");
        EXPECT_FALSE(cls.block.valid());
        EXPECT_TRUE(isPublic(ip(a))) << a;
        EXPECT_EQ(lookupAddress(ip(a)), ip(a)) << a;
    }
    EXPECT_EQ(classify(IpAddress {}).kind, AddressKind::Invalid);
    EXPECT_FALSE(isPublic(IpAddress {}));
}

TEST(ResolverAddressSpace, BlockIsTheMostSpecificOne)
{
    EXPECT_EQ(classify(ip("192.0.0.9")).block.toString(), "192.0.0.9/32");
    EXPECT_EQ(classify(ip("192.0.0.100")).block.toString(), "192.0.0.0/24");
    EXPECT_EQ(classify(ip("2001:db8::5")).block.toString(), "2001:db8::/32");
    EXPECT_EQ(classify(ip("2001:0:1::")).block.toString(), "2001::/32");
    EXPECT_EQ(classify(ip("2001:100::1")).block.toString(), "2001::/23");
}

TEST(ResolverAddressSpace, EmbeddedIpv4AndLookupAddress)
{
    // 6to4: 2002:AABB:CCDD::/48 carries AABBCCDD.
    EXPECT_EQ(embeddedIpv4(ip("2002:0808:0808::1")), ip("8.8.8.8"));
    EXPECT_EQ(lookupAddress(ip("2002:0808:0808::1")), ip("8.8.8.8"));
    EXPECT_TRUE(isPublic(ip("2002:0808:0808::1")));
    // 6to4 around a private or documentation address: nothing to look up.
    EXPECT_EQ(embeddedIpv4(ip("2002:c0a8:0101::1")), ip("192.168.1.1"));
    EXPECT_FALSE(lookupAddress(ip("2002:c0a8:0101::1")));
    EXPECT_FALSE(lookupAddress(ip("2002:cb00:7101::1")));
    // Teredo (RFC 4380 section 4): the client address is the last 32 bits inverted.
    // 2001:0:4136:e378:8000:63bf:3fff:fdd2 -> client 192.0.2.45 (documentation).
    EXPECT_EQ(embeddedIpv4(ip("2001:0:4136:e378:8000:63bf:3fff:fdd2")), ip("192.0.2.45"));
    EXPECT_FALSE(lookupAddress(ip("2001:0:4136:e378:8000:63bf:3fff:fdd2")));
    // 0xF7F7F7F7 ^ 0xFFFFFFFF = 8.8.8.8
    EXPECT_EQ(lookupAddress(ip("2001:0:4136:e378:8000:63bf:f7f7:f7f7")), ip("8.8.8.8"));
    // Mapped and NAT64.
    EXPECT_EQ(lookupAddress(ip("::ffff:8.8.4.4")), ip("8.8.4.4"));
    EXPECT_EQ(lookupAddress(ip("64:ff9b::808:808")), ip("8.8.8.8"));
    EXPECT_EQ(embeddedIpv4(ip("::ffff:1.2.3.4")), ip("1.2.3.4"));
    EXPECT_FALSE(embeddedIpv4(ip("2a00::1")));
    EXPECT_FALSE(embeddedIpv4(ip("8.8.8.8")));
    // Not NAT64: 64:ff9b:1::/48 is local use.
    EXPECT_FALSE(lookupAddress(ip("64:ff9b:1::808:808")));
}
