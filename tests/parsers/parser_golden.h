// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/parser.h"
#include "test_support.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <string_view>
#include <vector>

/// Golden-file checks for line parsers: tests/data/logs/<id>/<case>.log against <case>.expected.csv.
namespace tattle::test {

/// The lines of a file's content split on LF only, so a CR before it reaches the parser as a CRLF file
/// would give it; a final empty piece after the last LF is dropped.
inline std::vector<std::string_view> splitLines(std::string_view content)
{
    std::vector<std::string_view> lines;
    while (!content.empty()) {
        const std::size_t nl = content.find('\n');
        lines.push_back(content.substr(0, nl));
        if (nl == std::string_view::npos) break;
        content.remove_prefix(nl + 1);
    }
    return lines;
}

/// One row of an .expected.csv file for a parse result:
///   line,ignored | line,notmine | line,malformed,<reason> |
///   line,event,time,action,direction,proto,src,src_port,dst,dst_port,tcp_flags,icmp_type,icmp_code,
///   time_guessed
/// with "-" for an absent port, ICMP value or flag set and the flag names joined by "+".
inline std::string goldenRow(
    std::size_t lineNo, core::ParseStatus status, const core::Event& ev, const std::string& reason)
{
    std::string row = std::to_string(lineNo) + ',';
    auto num = [](int v) { return v < 0 ? std::string("-") : std::to_string(v); };
    switch (status) {
    case core::ParseStatus::Ignored:
        return row + "ignored";
    case core::ParseStatus::NotMine:
        return row + "notmine";
    case core::ParseStatus::Malformed:
        return row + "malformed," + reason;
    case core::ParseStatus::Event:
        break;
    }
    std::string flags = "-";
    if (ev.hasTcpFlags) {
        flags = core::tcpFlagsText(ev.tcpFlags);
        for (char& c : flags) {
            if (c == ',') c = '+';
        }
        if (flags.empty()) flags = "none";
    }
    row += "event," + core::formatRfc3339(ev.time) + ',' + std::string(core::actionName(ev.action)) + ','
        + std::string(core::directionName(ev.direction)) + ',' + core::protoName(ev.proto) + ','
        + ev.src.toString() + ',' + num(ev.srcPort) + ',' + ev.dst.toString() + ',' + num(ev.dstPort) + ','
        + flags + ',' + num(ev.icmpType) + ',' + num(ev.icmpCode) + ',' + (ev.timeGuessed ? "1" : "0");
    return row;
}

/// Parses every line of logs/<dir>/<name>.log and compares the rows with <name>.expected.csv.
inline void expectGolden(const core::Parser& parser, const core::ParseContext& ctx, const std::string& dir,
    const std::string& name)
{
    const std::filesystem::path base = dataDir() / "logs" / dir;
    const std::string log = readFile(base / (name + ".log"));
    const std::string expected = readFile(base / (name + ".expected.csv"));
    std::vector<std::string_view> want = splitLines(expected);
    ASSERT_FALSE(want.empty()) << name << ".expected.csv is empty";
    want.erase(want.begin()); // the column header

    auto lp = parser.open(ctx);
    ASSERT_TRUE(lp);
    core::Event ev;
    std::string reason;
    const std::vector<std::string_view> lines = splitLines(log);
    ASSERT_EQ(lines.size(), want.size()) << name << ": a row per log line is expected";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        reason.clear();
        const core::ParseStatus st = lp->parse(lines[i], ev, reason);
        EXPECT_EQ(goldenRow(i + 1, st, ev, reason), want[i])
            << name << ".log line " << i + 1 << ": " << lines[i];
    }
}

} // namespace tattle::test
