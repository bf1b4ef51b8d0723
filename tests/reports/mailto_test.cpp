// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/mailto.h"
#include "subprocess.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>

namespace tattle::reports {
namespace {

MailtoUrl build(const MailtoFields& fields, std::size_t limit = kMailtoMaxLength)
{
    auto url = buildMailto(fields, limit);
    EXPECT_TRUE(url.has_value()) << (url ? "" : url.error().message);
    return url ? *url : MailtoUrl {};
}

/// The URL as Python's urllib reads it back (an independent RFC 3986 decoder).
nlohmann::json decodeWithPython(const std::string& url)
{
    static constexpr const char* kScript = R"(
import json, sys, urllib.parse as u
url = sys.stdin.read()
assert url.startswith("mailto:")
to, _, query = url[7:].partition("?")
fields = {"to": u.unquote(to)}
for pair in query.split("&") if query else []:
    key, _, value = pair.partition("=")
    fields[key] = u.unquote(value, errors="strict")
print(json.dumps(fields))
)";
    const test::RunResult run
        = test::runProgram({test::kSystemPython, "-c", kScript}, std::chrono::seconds(30), url);
    if (run.exitCode != 0) {
        ADD_FAILURE() << "python failed: " << run.err;
        return nullptr;
    }
    return nlohmann::json::parse(run.out);
}

TEST(Mailto, EncodesAsRfc6068)
{
    const MailtoUrl url = build(
        {{"abuse@example.net"}, {}, "Port scan from 203.0.113.7", "Hello\nLine 2 & more=1+1? 100%\n"});
    EXPECT_EQ(url.url,
        "mailto:abuse@example.net?subject=Port%20scan%20from%20203.0.113.7"
        "&body=Hello%0D%0ALine%202%20%26%20more%3D1%2B1%3F%20100%25%0D%0A");
    EXPECT_TRUE(url.fits());
}

TEST(Mailto, AddressesCcAndUtf8)
{
    const MailtoUrl url = build({{"abuse@example.net", "o'brien+x#y@example.org"},
        {"noc@example.net", "a+b@example.com"}, "Grüße", "日本\r\nÄ\rZ"});
    EXPECT_EQ(url.url,
        "mailto:abuse@example.net,o'brien+x%23y@example.org?subject=Gr%C3%BC%C3%9Fe"
        "&cc=noc@example.net,a%2Bb@example.com&body=%E6%97%A5%E6%9C%AC%0D%0A%C3%84%0D%0AZ");
    const nlohmann::json decoded = decodeWithPython(url.url);
    ASSERT_FALSE(decoded.is_null());
    EXPECT_EQ(decoded["to"], "abuse@example.net,o'brien+x#y@example.org");
    EXPECT_EQ(decoded["cc"], "noc@example.net,a+b@example.com");
    EXPECT_EQ(decoded["subject"], "Grüße");
    EXPECT_EQ(decoded["body"], "日本\r\nÄ\r\nZ");
}

TEST(Mailto, HostileValuesCannotAddHeadersOrFields)
{
    using namespace std::string_literals;
    const std::string hostile = "x\r\nBcc: victim@example.com&bcc=victim@example.com\0#frag"s;
    const MailtoUrl url = build({{"abuse@example.net"}, {}, hostile,
        std::string("body\0with nul\x1b", 14) + "&to=victim@example.com"});
    const nlohmann::json decoded = decodeWithPython(url.url);
    ASSERT_FALSE(decoded.is_null());
    // Exactly the three fields, nothing added by the values.
    EXPECT_EQ(decoded.size(), 3u) << decoded.dump();
    EXPECT_EQ(decoded["to"], "abuse@example.net");
    const std::string subject = decoded["subject"];
    EXPECT_EQ(subject.find_first_of("\r\n"), std::string::npos);
    EXPECT_EQ(subject, "x Bcc: victim@example.com&bcc=victim@example.com #frag");
    EXPECT_EQ(decoded["body"], "body\xEF\xBF\xBDwith nul\xEF\xBF\xBD&to=victim@example.com");
    EXPECT_EQ(url.url.find('#'), std::string::npos);
    EXPECT_EQ(url.url.find(' '), std::string::npos);

    for (const std::string bad : {"victim@example.com\r\nBcc: x@example.com",
             "a@example.com?cc=x@example.com", "a@example.com&body=x", "", "no-at-sign"}) {
        const auto to = buildMailto({{bad}, {}, "s", "b"});
        ASSERT_FALSE(to.has_value());
        EXPECT_EQ(to.error().kind, ErrorKind::Usage);
        EXPECT_NE(to.error().message.find("To"), std::string::npos);
        const auto cc = buildMailto({{"abuse@example.net"}, {bad}, "s", "b"});
        ASSERT_FALSE(cc.has_value());
        EXPECT_NE(cc.error().message.find("Cc"), std::string::npos);
    }
}

TEST(Mailto, LengthLimitTellsWhenToSaveAnEmlInstead)
{
    const std::string head = "mailto:abuse@example.net?body=";
    std::string body(kMailtoMaxLength - head.size(), 'a');
    MailtoUrl url = build({{"abuse@example.net"}, {}, "", body});
    EXPECT_EQ(url.url.size(), kMailtoMaxLength);
    EXPECT_TRUE(url.fits());
    body.push_back('b');
    url = build({{"abuse@example.net"}, {}, "", body});
    EXPECT_FALSE(url.fits());
    // Non-ASCII text takes three characters per byte: the limit counts the encoded URL.
    url = build({{"abuse@example.net"}, {}, "", std::string(700, '\xC3') + ""});
    EXPECT_FALSE(url.fits());
    url = build({{"abuse@example.net"}, {}, "", body}, 8000);
    EXPECT_TRUE(url.fits());
    EXPECT_EQ(url.limit, 8000u);
}

} // namespace
} // namespace tattle::reports
