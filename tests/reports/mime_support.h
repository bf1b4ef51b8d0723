// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Checks shared by the message tests: line rules of RFC 5322 and a parse by Python's email package.

#include "subprocess.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace tattle::test {

/// The header block (up to, not including, the empty line).
inline std::string headerBlock(std::string_view message)
{
    const std::size_t end = message.find("\r\n\r\n");
    return std::string(message.substr(0, end == std::string_view::npos ? message.size() : end + 2));
}

/// Lines of a CRLF text, without their CRLF.
inline std::vector<std::string> crlfLines(std::string_view text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find("\r\n", start);
        if (end == std::string_view::npos) end = text.size();
        lines.emplace_back(text.substr(start, end - start));
        start = end + 2;
    }
    return lines;
}

/// Every line ends with CRLF, no bare CR or LF, no NUL, nothing but ASCII, lines <= 998 octets; header
/// lines <= 78 unless `longHeaderOk`.
inline void expectWellFormedLines(std::string_view message, bool longHeaderOk = false)
{
    ASSERT_GE(message.size(), 2u);
    EXPECT_EQ(message.substr(message.size() - 2), "\r\n");
    for (std::size_t i = 0; i < message.size(); ++i) {
        const auto c = static_cast<unsigned char>(message[i]);
        ASSERT_NE(c, 0) << "NUL at " << i;
        ASSERT_LT(c, 0x80) << "8-bit octet at " << i;
        if (c == '\r') {
            ASSERT_TRUE(i + 1 < message.size() && message[i + 1] == '\n') << "bare CR at " << i;
        }
        if (c == '\n') {
            ASSERT_TRUE(i > 0 && message[i - 1] == '\r') << "bare LF at " << i;
        }
    }
    const std::string headers = headerBlock(message);
    for (const std::string& line : crlfLines(message))
        EXPECT_LE(line.size(), 998u) << line.substr(0, 80);
    if (!longHeaderOk) {
        for (const std::string& line : crlfLines(headers))
            EXPECT_LE(line.size(), 78u) << line;
    }
}

/// Names of the header fields of a header block, in order (continuation lines checked to start with
/// white space).
inline std::vector<std::string> headerNames(std::string_view headers)
{
    std::vector<std::string> names;
    for (const std::string& line : crlfLines(headers)) {
        if (line.empty()) continue;
        if (line[0] == ' ' || line[0] == '\t') continue;
        const std::size_t colon = line.find(':');
        EXPECT_NE(colon, std::string::npos) << "header line without a colon: " << line;
        names.push_back(line.substr(0, colon));
    }
    return names;
}

/// Parses the message with Python's email package (tests/reports/mime_check.py); null on failure.
inline nlohmann::json parseWithPython(const std::string& message)
{
    const auto file = scratchDir() / "message.eml";
    writeFile(file, message);
    const RunResult run
        = runProgram({kSystemPython, (reportsScriptsDir() / "mime_check.py").string(), file.string()},
            std::chrono::seconds(30));
    if (run.exitCode != 0) {
        ADD_FAILURE() << "mime_check.py failed (" << run.exitCode << "): " << run.err;
        return nullptr;
    }
    return nlohmann::json::parse(run.out, nullptr, false);
}

} // namespace tattle::test
