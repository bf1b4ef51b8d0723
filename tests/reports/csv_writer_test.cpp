// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/csv_writer.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace tattle::reports {
namespace {

/// What one text cell becomes, as written (the record not ended).
std::string written(std::string_view value, bool safe = true)
{
    std::ostringstream out;
    CsvWriter csv(out, safe);
    csv.text(value);
    return out.str();
}

/// The value a CSV reader gets back from one written cell; fails the test on a malformed cell.
std::string readBack(const std::string& cell)
{
    if (cell.empty() || cell.front() != '"') {
        EXPECT_EQ(cell.find_first_of(",\"\r\n"), std::string::npos)
            << "unquoted cell with a special character";
        return cell;
    }
    EXPECT_GE(cell.size(), 2u);
    EXPECT_EQ(cell.back(), '"') << cell;
    std::string value;
    for (std::size_t i = 1; i + 1 < cell.size(); ++i) {
        if (cell[i] == '"') {
            EXPECT_EQ(cell[i + 1], '"') << "lone quote inside a quoted cell: " << cell;
            ++i;
        }
        value.push_back(cell[i]);
    }
    return value;
}

struct Case {
    std::string value;
    std::string expected; ///< exactly as written
};

TEST(CsvWriter, QuotesOnlyWhatNeedsQuoting)
{
    for (const auto& c : std::vector<Case> {
             {"plain", "plain"},
             {"", ""},
             {"two words", "two words"},
             {"a,b", "\"a,b\""},
             {"say \"hi\"", "\"say \"\"hi\"\"\""},
             {"\"", "\"\"\"\""},
             {"two\nlines", "\"two\nlines\""},
             {"carriage\rreturn", "\"carriage\rreturn\""},
             {"crlf\r\n", "\"crlf\r\n\""},
             {"a=b", "a=b"}, // only the first character makes a formula
             {"1+1", "1+1"},
             {"x-1", "x-1"},
             {"2003-12-05T22:34:50Z", "2003-12-05T22:34:50Z"},
             {"2001:db8::abc", "2001:db8::abc"},
             {"22 23 445", "22 23 445"},
             {"G\xC3\xB6teborg \xE2\x9C\x93", "G\xC3\xB6teborg \xE2\x9C\x93"},
         }) {
        SCOPED_TRACE(c.value);
        EXPECT_EQ(written(c.value), c.expected);
        EXPECT_EQ(readBack(written(c.value)), c.value);
        EXPECT_EQ(written(c.value, false), c.expected) << "the same without spreadsheet safety";
    }
}

TEST(CsvWriter, PrefixesCellsASpreadsheetWouldReadAsFormulas)
{
    for (const std::string& value :
        std::vector<std::string> {"=1+2", "+1", "-1", "@SUM(A1:A9)", "\tx", "\rx", std::string("\0x", 2),
            "=HYPERLINK(\"http://198.51.100.1/\",\"click\")", "-,=", "=cmd|' /C calc'!A0", "-", "="}) {
        SCOPED_TRACE(value);
        const std::string cell = written(value);
        EXPECT_EQ(readBack(cell), "'" + value);
        EXPECT_EQ(readBack(written(value, false)), value) << "unchanged when safety is off";
    }
    EXPECT_EQ(written("=1+2"), "\"'=1+2\"");
    EXPECT_EQ(written("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    EXPECT_EQ(written("=1+2", false), "=1+2");
}

TEST(CsvWriter, LeavesNumbersAlone)
{
    std::ostringstream out;
    CsvWriter csv(out);
    csv.number(-5).number(0).number(445).number(std::numeric_limits<std::int64_t>::min());
    csv.endRow();
    EXPECT_EQ(out.str(), "-5,0,445,-9223372036854775808\r\n");
}

TEST(CsvWriter, RepairsInvalidUtf8)
{
    EXPECT_EQ(written("a\xFF"
                      "b"),
        "a\xEF\xBF\xBD"
        "b");
    EXPECT_EQ(written("\xC3"), "\xEF\xBF\xBD");
    EXPECT_EQ(written("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "overlong '/'";
    EXPECT_EQ(written("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "a surrogate";
    // Repaired before the formula check: the replacement character is no formula.
    EXPECT_EQ(written("\xFF=1"), "\xEF\xBF\xBD=1");
}

TEST(CsvWriter, EndsEveryRecordWithCrLf)
{
    std::ostringstream out;
    CsvWriter csv(out);
    csv.row({"src", "events", "ports"});
    csv.text("203.0.113.45").number(5).text("445").endRow();
    csv.text("a").empty().text("b").endRow();
    csv.empty().empty().endRow();
    csv.row({"x,y", "", "=z"});
    EXPECT_EQ(out.str(),
        "src,events,ports\r\n"
        "203.0.113.45,5,445\r\n"
        "a,,b\r\n"
        ",\r\n"
        "\"x,y\",,\"'=z\"\r\n");
}

} // namespace
} // namespace tattle::reports
