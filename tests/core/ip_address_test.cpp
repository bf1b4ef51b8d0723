// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ip_address.h"

#include <gtest/gtest.h>

using tattle::core::IpAddress;

TEST(IpAddress, ParsesAndPrintsIpv4)
{
    auto a = IpAddress::parse("203.0.113.9");
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->isV4());
    EXPECT_EQ(a->toString(), "203.0.113.9");
    EXPECT_EQ(a->v4Value(), 0xCB007109u);
}

TEST(IpAddress, RejectsMalformedIpv4)
{
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4 ",
             "a.b.c.d", "1.2.3.-4", "1234.1.1.1"}) {
        EXPECT_FALSE(IpAddress::parse(bad)) << bad;
    }
}

TEST(IpAddress, PrintsIpv6InRfc5952Form)
{
    struct Case {
        const char* in;
        const char* out;
    };
    for (auto c :
        {Case {"2001:0db8:0:0::0abc", "2001:db8::abc"}, Case {"2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
            Case {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, Case {"0:0:0:0:0:0:0:1", "::1"},
            Case {"fe80:0000:0000:0000:16da:e9ff:feec:a04d", "fe80::16da:e9ff:feec:a04d"},
            Case {"2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::"},
            Case {"::ffff:192.0.2.1", "::ffff:192.0.2.1"}}) {
        auto a = IpAddress::parse(c.in);
        ASSERT_TRUE(a) << c.in;
        EXPECT_TRUE(a->isV6());
        EXPECT_EQ(a->toString(), c.out) << c.in;
    }
}

TEST(IpAddress, RejectsMalformedIpv6)
{
    for (const char* bad : {":::", "2001:db8::1::2", "2001:db8:g::1", "fe80::1%eth0", "12345::1"}) {
        EXPECT_FALSE(IpAddress::parse(bad)) << bad;
    }
}

TEST(IpAddress, RoundTripsThroughBytes)
{
    auto a = *IpAddress::parse("2001:db8::abc");
    auto b = IpAddress::fromBytes(a.data(), a.size());
    EXPECT_EQ(a, b);
    EXPECT_FALSE(IpAddress::fromBytes(a.data(), 5).isValid());
}
