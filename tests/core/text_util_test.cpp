// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace tattle::core;

TEST(TextUtil, JsonStringEscapesControlsAndRepairsUtf8)
{
    const std::string hostile
        = std::string("a\"b\\c\r\nd\te\x01") + "\xff\xfe" + "caf\xc3\xa9" + "\xc3" + std::string(1, '\0');
    std::string out;
    appendJsonString(out, hostile);
    const auto parsed = nlohmann::json::parse(out);
    const std::string back = parsed.get<std::string>();
    EXPECT_EQ(back,
        std::string("a\"b\\c\r\nd\te\x01") + "\xEF\xBF\xBD\xEF\xBF\xBD" + "caf\xc3\xa9" + "\xEF\xBF\xBD"
            + std::string(1, '\0'));
    EXPECT_TRUE(isValidUtf8(back));
}

TEST(TextUtil, RejectsOverlongAndSurrogateSequences)
{
    EXPECT_FALSE(isValidUtf8("\xc0\xaf")); // overlong '/'
    EXPECT_FALSE(isValidUtf8("\xed\xa0\x80")); // UTF-16 surrogate
    EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80")); // above U+10FFFF
    EXPECT_TRUE(isValidUtf8("\xf0\x9f\x94\xa5")); // U+1F525
    EXPECT_EQ(toValidUtf8("ok\x80"), "ok\xEF\xBF\xBD");
}

TEST(TextUtil, SanitizeForDisplayRemovesLineBreaksAndControls)
{
    EXPECT_EQ(sanitizeForDisplay("evil\r\nBcc: x@example.org"), "evil  Bcc: x@example.org");
    EXPECT_EQ(sanitizeForDisplay("bell\x07\x1b[31m"), "bell  [31m");
    EXPECT_EQ(sanitizeForDisplay("c1\xc2\x85"
                                 "end"),
        "c1 end");
    EXPECT_EQ(sanitizeForDisplay("plain"), "plain");
}
