// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/time.h"

#include <gtest/gtest.h>

using namespace tattle::core;

namespace {
Micros utc(int y, unsigned mo, unsigned d, unsigned h = 0, unsigned mi = 0, unsigned s = 0)
{
    return CivilTime {y, mo, d, h, mi, s, 0}.asUtcSeconds() * kMicrosPerSecond;
}
} // namespace

TEST(Time, FormatsRfc3339InUtc)
{
    EXPECT_EQ(formatRfc3339(utc(2003, 12, 5, 22, 34, 50)), "2003-12-05T22:34:50Z");
    EXPECT_EQ(formatRfc3339(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(formatRfc3339(utc(2024, 2, 29, 23, 59, 59) + 120000), "2024-02-29T23:59:59.12Z");
}

TEST(Time, ParsesRfc3339WithOffsets)
{
    EXPECT_EQ(parseRfc3339("2003-12-05T22:34:50Z"), utc(2003, 12, 5, 22, 34, 50));
    EXPECT_EQ(parseRfc3339("2024-03-05T12:34:56.123456+01:00"), utc(2024, 3, 5, 11, 34, 56) + 123456);
    EXPECT_EQ(parseRfc3339("2024-03-05T12:34:56-05:30"), utc(2024, 3, 5, 18, 4, 56));
    EXPECT_EQ(parseRfc3339("2024-03-05"), utc(2024, 3, 5));
    for (const char* bad : {"2024-03-05T12:34:56", "2024-02-30T00:00:00Z", "2024-3-5", "",
             "2024-03-05T25:00:00Z", "2024-03-05T12:34:56+99:00", "yesterday"}) {
        EXPECT_FALSE(parseRfc3339(bad)) << bad;
    }
}

TEST(Time, ParsesUserTimeArguments)
{
    const Micros now = utc(2024, 3, 10, 12);
    EXPECT_EQ(parseTimeArgument("7d", now), utc(2024, 3, 3, 12));
    EXPECT_EQ(parseTimeArgument("12h", now), utc(2024, 3, 10));
    EXPECT_EQ(parseTimeArgument("2w", now), utc(2024, 2, 25, 12));
    EXPECT_EQ(parseTimeArgument("2024-01-01", now), utc(2024, 1, 1));
    EXPECT_FALSE(parseTimeArgument("7y", now));
    EXPECT_FALSE(parseTimeArgument("d", now));
}

TEST(Time, MonthAbbreviations)
{
    EXPECT_EQ(monthFromAbbrev("Jan"), 1u);
    EXPECT_EQ(monthFromAbbrev("dec"), 12u);
    EXPECT_EQ(monthFromAbbrev("SEP"), 9u);
    EXPECT_EQ(monthFromAbbrev("Foo"), 0u);
    EXPECT_EQ(monthFromAbbrev("Janu"), 0u);
}

TEST(TimeZone, FixedOffsetsAndUtc)
{
    auto plus = TimeZone::fromName("+05:30");
    ASSERT_TRUE(plus);
    EXPECT_EQ(plus->toUtc(utc(2024, 1, 1, 5, 30) / kMicrosPerSecond), utc(2024, 1, 1) / kMicrosPerSecond);
    auto minus = TimeZone::fromName("-0500");
    ASSERT_TRUE(minus);
    EXPECT_EQ(minus->toUtc(0), 5 * 3600);
    auto u = TimeZone::fromName("UTC");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->toUtc(12345), 12345);
    EXPECT_FALSE(TimeZone::fromName("Mars/Olympus_Mons"));
    EXPECT_FALSE(TimeZone::fromName("+25:00"));
}

TEST(TimeZone, NamedZoneFollowsDaylightSaving)
{
    auto tz = TimeZone::fromName("Europe/Stockholm");
    ASSERT_TRUE(tz);
    const auto local = [](int y, unsigned mo, unsigned d, unsigned h, unsigned mi) {
        return CivilTime {y, mo, d, h, mi, 0, 0}.asUtcSeconds();
    };
    bool unusual = false;
    // Winter: UTC+1; summer: UTC+2.
    EXPECT_EQ(tz->toUtc(local(2024, 1, 15, 12, 0), &unusual), local(2024, 1, 15, 11, 0));
    EXPECT_EQ(tz->toUtc(local(2024, 7, 15, 12, 0), &unusual), local(2024, 7, 15, 10, 0));
    EXPECT_FALSE(unusual);
    // 2024-10-27 02:30 happens twice: the earlier instant (still CEST) is chosen and flagged.
    EXPECT_EQ(tz->toUtc(local(2024, 10, 27, 2, 30), &unusual), local(2024, 10, 27, 0, 30));
    EXPECT_TRUE(unusual);
    // 2024-03-31 02:30 does not exist: read with the offset before the change, and flagged.
    unusual = false;
    EXPECT_EQ(tz->toUtc(local(2024, 3, 31, 2, 30), &unusual), local(2024, 3, 31, 1, 30));
    EXPECT_TRUE(unusual);
    // Back and forth across the change with the cache warm.
    EXPECT_EQ(tz->toUtc(local(2024, 3, 31, 1, 59)), local(2024, 3, 31, 0, 59));
    EXPECT_EQ(tz->toUtc(local(2024, 3, 31, 3, 0)), local(2024, 3, 31, 1, 0));
    EXPECT_EQ(tz->toUtc(local(2024, 3, 31, 1, 0)), local(2024, 3, 31, 0, 0));
}

TEST(YearInference, InfersFromTheFileTimeWithoutFutureDates)
{
    // The file was written on 2024-01-05: December lines belong to 2023, January lines to 2024.
    YearInference y(utc(2024, 1, 5, 10) / kMicrosPerSecond, 0);
    EXPECT_EQ(y.yearFor(12, 30), 2023);
    EXPECT_EQ(y.yearFor(12, 31), 2023);
    EXPECT_EQ(y.yearFor(1, 2), 2024);
    EXPECT_EQ(y.yearFor(1, 6), 2024); // within two days of slack
    EXPECT_EQ(y.yearFor(1, 8), 2023); // would be in the future
    EXPECT_FALSE(y.fixed());
}

TEST(YearInference, GivenYearRollsOverAtNewYear)
{
    YearInference y(0, 2003);
    EXPECT_TRUE(y.fixed());
    EXPECT_EQ(y.yearFor(11, 30), 2003);
    EXPECT_EQ(y.yearFor(12, 31), 2003);
    EXPECT_EQ(y.yearFor(1, 1), 2004);
    EXPECT_EQ(y.yearFor(1, 2), 2004);
    EXPECT_EQ(y.yearFor(2, 1), 2004);
}

TEST(CivilTime, Validates)
{
    EXPECT_TRUE((CivilTime {2024, 2, 29, 0, 0, 0, 0}.valid()));
    EXPECT_FALSE((CivilTime {2023, 2, 29, 0, 0, 0, 0}.valid()));
    EXPECT_FALSE((CivilTime {2024, 13, 1, 0, 0, 0, 0}.valid()));
    EXPECT_FALSE((CivilTime {2024, 4, 31, 0, 0, 0, 0}.valid()));
    EXPECT_EQ(daysFromCivil(1970, 1, 1), 0);
    EXPECT_EQ(daysFromCivil(2000, 3, 1), 11017);
}
