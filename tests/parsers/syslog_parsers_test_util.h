// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/event.h"
#include "core/parser.h"
#include "core/text_util.h"

#include <chrono>
#include <cstdint>
#include <gtest/gtest.h>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/// Helpers shared by the tests of the syslog-borne firewall parsers (pfsense, pf, ipfilter, cisco-asa,
/// cisco-ios, juniper-srx).
namespace tattle::test {

inline constexpr std::int64_t kJune2024 = 1717200000; // 2024-06-01T00:00:00Z

inline core::ParseContext syslogContext(
    int year = 2024, std::int64_t reference = kJune2024, core::TimeZone zone = {})
{
    core::ParseContext ctx;
    ctx.year = year;
    ctx.referenceTime = reference;
    ctx.zone = std::move(zone);
    ctx.fileName = "test.log";
    return ctx;
}

/// One line's outcome, copied out of the parser.
struct Parsed {
    core::ParseStatus status = core::ParseStatus::NotMine;
    core::Event event;
    std::string reason;
};

inline Parsed parseLine(core::LineParser& lp, std::string_view line)
{
    Parsed p;
    p.status = lp.parse(line, p.event, p.reason);
    return p;
}

inline Parsed parseLine(
    const core::Parser& parser, std::string_view line, const core::ParseContext& ctx = syslogContext())
{
    auto lp = parser.open(ctx);
    return parseLine(*lp, line);
}

inline const char* statusName(core::ParseStatus s)
{
    switch (s) {
    case core::ParseStatus::Event:
        return "Event";
    case core::ParseStatus::Ignored:
        return "Ignored";
    case core::ParseStatus::NotMine:
        return "NotMine";
    case core::ParseStatus::Malformed:
        return "Malformed";
    }
    return "?";
}

/// The non-empty lines of a text.
inline std::vector<std::string_view> nonEmptyLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        if (!line.empty()) lines.push_back(line);
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return lines;
}

/// Mutates the seeds at random (overwritten, cut and appended bytes, NULs included) and checks that every
/// outcome is sound: an event has a valid source (and destination, where it names one), ports in range and
/// valid UTF-8 text, a Malformed line a reason. Returns how many events the mutations left.
inline int fuzzParser(const core::Parser& parser, std::span<const std::string> seeds, int rounds = 4000)
{
    auto lp = parser.open(syslogContext());
    core::Event e;
    std::string reason;
    std::uint32_t state = 12345;
    int events = 0;
    for (int round = 0; round < rounds; ++round) {
        std::string line = seeds[std::size_t(round) % seeds.size()];
        const std::size_t edits = 1 + (state >> 3) % 8;
        for (std::size_t k = 0; k < edits; ++k) {
            state = state * 1664525u + 1013904223u;
            const char byte = char(state >> 24);
            if (line.empty() || (state & 3) == 0)
                line.push_back(byte);
            else if ((state & 3) == 1)
                line.resize((state >> 8) % line.size());
            else
                line[(state >> 8) % line.size()] = byte;
        }
        reason.clear();
        const core::ParseStatus s = lp->parse(line, e, reason);
        if (s == core::ParseStatus::Event) {
            ++events;
            EXPECT_TRUE(e.src.isValid()) << line;
            // A few records name no destination (Cisco ASA 313001, 733100): then it stays unset.
            if (e.dst.isValid()) {
                EXPECT_EQ(e.src.family(), e.dst.family()) << line;
            }
            EXPECT_LE(e.srcPort, 65535);
            EXPECT_LE(e.dstPort, 65535);
            EXPECT_LE(e.icmpType, 255);
            EXPECT_TRUE(core::isValidUtf8(e.rule)) << line;
            EXPECT_TRUE(core::isValidUtf8(e.iface)) << line;
            EXPECT_TRUE(core::isValidUtf8(e.extra)) << line;
        } else if (s == core::ParseStatus::Malformed) {
            EXPECT_FALSE(reason.empty()) << line;
        }
    }
    return events;
}

/// Parses lines round-robin n times and prints the rate (not asserted: benchmarks live in bench/).
inline double measureThroughput(
    const char* name, const core::Parser& parser, std::span<const std::string> lines, int n = 300000)
{
    auto lp = parser.open(syslogContext(0));
    core::Event e;
    std::string reason;
    int events = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i)
        events += lp->parse(lines[std::size_t(i) % lines.size()], e, reason) == core::ParseStatus::Event;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double rate = n / secs;
    std::cout << "[ " << name << " ] " << static_cast<long long>(rate) << " lines/s, " << events
              << " events (not asserted)\n";
    return rate;
}

} // namespace tattle::test
