// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/line_reader.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <zlib.h>

using namespace tattle;
using core::LineReader;

namespace {

std::vector<std::string> readAll(const std::filesystem::path& p, std::vector<bool>* truncated = nullptr)
{
    auto r = LineReader::open(p);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    std::vector<std::string> lines;
    std::string_view line;
    while (r && r->next(line)) {
        lines.emplace_back(line);
        if (truncated) truncated->push_back(r->truncated());
    }
    return lines;
}

void writeGz(const std::filesystem::path& p, const std::string& content)
{
    gzFile f = gzopen(p.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(gzwrite(f, content.data(), unsigned(content.size())), int(content.size()));
    gzclose(f);
}

} // namespace

TEST(LineReader, SplitsLfAndCrlfAndKeepsAnUnterminatedLastLine)
{
    auto dir = test::scratchDir();
    test::writeFile(dir / "a.log", "one\r\ntwo\n\nthree");
    auto r = LineReader::open(dir / "a.log");
    ASSERT_TRUE(r);
    std::string_view line;
    ASSERT_TRUE(r->next(line));
    EXPECT_EQ(line, "one");
    EXPECT_EQ(r->offset(), 5u);
    ASSERT_TRUE(r->next(line));
    EXPECT_EQ(line, "two");
    ASSERT_TRUE(r->next(line));
    EXPECT_EQ(line, "");
    ASSERT_TRUE(r->next(line));
    EXPECT_EQ(line, "three");
    EXPECT_TRUE(r->unterminated());
    EXPECT_EQ(r->lineNumber(), 4u);
    EXPECT_EQ(r->offset(), 15u);
    EXPECT_FALSE(r->next(line));
}

TEST(LineReader, CutsHugeLinesWithoutLosingTheNextOnes)
{
    auto dir = test::scratchDir();
    const std::string huge(10 * 1024 * 1024, 'x');
    test::writeFile(dir / "big.log", "before\n" + huge + "\nafter\n" + huge);
    std::vector<bool> truncated;
    auto lines = readAll(dir / "big.log", &truncated);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], "before");
    EXPECT_EQ(lines[1].size(), LineReader::kMaxLine);
    EXPECT_EQ(lines[2], "after");
    EXPECT_EQ(lines[3].size(), LineReader::kMaxLine);
    EXPECT_EQ(truncated, (std::vector<bool> {false, true, false, true}));
}

TEST(LineReader, ReadsLinesAcrossBufferBoundaries)
{
    auto dir = test::scratchDir();
    std::string content;
    for (int i = 0; i < 100000; ++i)
        content += "line number " + std::to_string(i) + " with some padding text\n";
    test::writeFile(dir / "many.log", content);
    auto lines = readAll(dir / "many.log");
    ASSERT_EQ(lines.size(), 100000u);
    EXPECT_EQ(lines[54321], "line number 54321 with some padding text");
}

TEST(LineReader, ReadsGzipByContentAndReportsDamage)
{
    auto dir = test::scratchDir();
    std::string content;
    for (int i = 0; i < 20000; ++i)
        content += "gz line " + std::to_string(i) + "\n";
    writeGz(dir / "log.gz", content);
    writeGz(dir / "no-suffix", "a\nb\n");
    auto lines = readAll(dir / "log.gz");
    ASSERT_EQ(lines.size(), 20000u);
    EXPECT_EQ(lines.back(), "gz line 19999");
    EXPECT_EQ(readAll(dir / "no-suffix"), (std::vector<std::string> {"a", "b"}));
    {
        auto r = LineReader::open(dir / "log.gz");
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->compressed());
    }

    // Cut the gzip file in half: the lines before the damage come out, then an error.
    std::string gz = test::readFile(dir / "log.gz");
    test::writeFile(dir / "cut.gz", gz.substr(0, gz.size() / 2));
    auto r = LineReader::open(dir / "cut.gz");
    ASSERT_TRUE(r);
    std::string_view line;
    std::size_t n = 0;
    while (r->next(line))
        ++n;
    EXPECT_GT(n, 100u);
    EXPECT_LT(n, 20000u);
    EXPECT_FALSE(r->error().empty());
}

TEST(LineReader, ErrorsNameTheFile)
{
    auto dir = test::scratchDir();
    auto missing = LineReader::open(dir / "missing.log");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("missing.log"), std::string::npos);
    auto directory = LineReader::open(dir);
    ASSERT_FALSE(directory);
    EXPECT_NE(directory.error().message.find("directory"), std::string::npos);
}

TEST(LineReader, HeadLinesSkipBlankLines)
{
    auto dir = test::scratchDir();
    test::writeFile(dir / "h.log", "\n\n  \na\n\nb\nc\n");
    auto head = core::readHeadLines(dir / "h.log", 2);
    ASSERT_TRUE(head);
    EXPECT_EQ(*head, (std::vector<std::string> {"a", "b"}));
    test::writeFile(dir / "empty.log", "");
    auto empty = core::readHeadLines(dir / "empty.log", 64);
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
}
