// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/text_util.h"
#include "mime_support.h"
#include "reports/mime_message.h"
#include "test_support.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <set>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace tattle::reports {
namespace {

using test::crlfLines;
using test::expectWellFormedLines;
using test::headerBlock;
using test::headerNames;
using test::parseWithPython;

// 2024-03-05T11:34:56Z
constexpr core::Micros kMarch5 = 1709638496LL * core::kMicrosPerSecond;

MailMessage sampleMessage()
{
    MailMessage m;
    m.from = {"Tattle Reporter", "reporter@example.org"};
    m.to = {{"Abuse Desk", "abuse@example.net"}};
    m.cc = {{"", "noc@example.net"}};
    m.replyTo = Mailbox {"", "replies@example.org"};
    m.subject = "Port scans from 203.0.113.7 (AS64496)";
    m.date = kMarch5;
    m.utcOffsetSeconds = 3600;
    m.body = "Hello,\n\nthe address 203.0.113.7 probed my network.\n";
    return m;
}

ComposedMessage compose(const MailMessage& m)
{
    auto composed = composeMessage(m);
    EXPECT_TRUE(composed.has_value()) << (composed ? "" : composed.error().message);
    return composed ? *composed : ComposedMessage {};
}

/// Minimal quoted-printable decoder for checking our encoder (soft breaks, =XX).
std::string decodeQuotedPrintable(std::string_view qp)
{
    std::string out;
    for (std::size_t i = 0; i < qp.size(); ++i) {
        if (qp[i] != '=') {
            out.push_back(qp[i]);
        } else if (qp.substr(i + 1, 2) == "\r\n") {
            i += 2;
        } else {
            out.push_back(char(std::stoi(std::string(qp.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        }
    }
    return out;
}

TEST(MimeMessage, SinglePartMessageHasTheRequiredHeadersInOrder)
{
    const ComposedMessage c = compose(sampleMessage());
    expectWellFormedLines(c.bytes);
    const std::vector<std::string> expected {"Date", "From", "To", "Cc", "Reply-To", "Subject", "Message-ID",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};
    EXPECT_EQ(headerNames(headerBlock(c.bytes)), expected);
    EXPECT_EQ(c.bytes.rfind("Date: Tue, 05 Mar 2024 12:34:56 +0100\r\n", 0), 0u);
    EXPECT_NE(c.bytes.find("From: Tattle Reporter <reporter@example.org>\r\n"), std::string::npos);
    EXPECT_NE(c.bytes.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
    EXPECT_NE(c.bytes.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
    EXPECT_EQ(c.envelope.mailFrom, "reporter@example.org");
    EXPECT_EQ(c.envelope.recipients, (std::vector<std::string> {"abuse@example.net", "noc@example.net"}));
}

TEST(MimeMessage, PythonEmailParserReadsItBack)
{
    MailMessage m = sampleMessage();
    m.from.name = "Jörg Müller, Home";
    m.subject = "Grüße: probes from 203.0.113.7 – 日本語のテスト";
    m.body = "Line one\nZeile zwei: Grüße\n.\n.starts with a dot\nFrom here on\nend=of=text   \n";
    const ComposedMessage c = compose(m);
    expectWellFormedLines(c.bytes);
    const nlohmann::json parsed = parseWithPython(c.bytes);
    ASSERT_FALSE(parsed.is_null());
    EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
    EXPECT_EQ(parsed["from"], nlohmann::json::parse(R"([["Jörg Müller, Home","reporter@example.org"]])"));
    EXPECT_EQ(parsed["to"], nlohmann::json::parse(R"([["Abuse Desk","abuse@example.net"]])"));
    EXPECT_EQ(parsed["cc"], nlohmann::json::parse(R"([["","noc@example.net"]])"));
    EXPECT_EQ(parsed["reply_to"], nlohmann::json::parse(R"([["","replies@example.org"]])"));
    EXPECT_EQ(parsed["subject"], m.subject);
    EXPECT_EQ(parsed["date"], "2024-03-05T12:34:56+01:00");
    EXPECT_EQ(parsed["message_id"], c.messageId);
    ASSERT_EQ(parsed["parts"].size(), 1u);
    EXPECT_EQ(parsed["parts"][0]["content_type"], "text/plain");
    EXPECT_EQ(parsed["parts"][0]["charset"], "utf-8");
    EXPECT_EQ(parsed["parts"][0]["text"], m.body);
}

TEST(MimeMessage, AttachmentsMakeMultipartMixedAndComeBackByteForByte)
{
    MailMessage m = sampleMessage();
    std::string binary;
    for (int i = 0; i < 1000; ++i)
        binary.push_back(char(i * 7));
    m.attachments = {
        {"xarf-203.0.113.7.json", "application/json", "utf-8", R"({"xarf_version":"4.2.0"})"},
        {"events.csv", "text/csv", "utf-8", "time,src\r\n2024-03-05T11:34:56Z,203.0.113.7\r\n"},
        {"Überblick – März.bin", "application/octet-stream", "", binary},
    };
    const ComposedMessage c = compose(m);
    expectWellFormedLines(c.bytes);
    const nlohmann::json parsed = parseWithPython(c.bytes);
    ASSERT_FALSE(parsed.is_null());
    EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
    EXPECT_EQ(parsed["content_type"], "multipart/mixed");
    ASSERT_EQ(parsed["parts"].size(), 4u);
    EXPECT_EQ(parsed["parts"][0]["content_type"], "text/plain");
    EXPECT_EQ(parsed["parts"][0]["text"], m.body);
    for (std::size_t i = 0; i < m.attachments.size(); ++i) {
        const auto& part = parsed["parts"][i + 1];
        EXPECT_EQ(part["content_type"], m.attachments[i].mediaType);
        EXPECT_EQ(part["disposition"], "attachment");
        EXPECT_EQ(part["filename"], m.attachments[i].fileName);
        EXPECT_EQ(part["transfer_encoding"], "base64");
        const std::string expected = m.attachments[i].data;
        // Python returns the bytes base64-encoded; compare by re-encoding ours.
        std::string ours = encodeBase64Lines(expected);
        std::erase(ours, '\r');
        std::erase(ours, '\n');
        EXPECT_EQ(part["data_base64"], ours) << "attachment " << i;
    }
}

/// Hostile values for every text field. None may add a header, a part, or a line break in a value.
const std::vector<std::string>& hostileValues()
{
    static const std::vector<std::string> values {
        "x\r\nBcc: victim@example.com",
        "x\nX-Injected: 1",
        "x\rX-Injected: 1",
        "x\r\n\r\n--=_tattle_0\r\nContent-Type: text/html\r\n\r\n<b>owned</b>",
        std::string("nul\0byte", 8),
        "tab\tand\x1b[31mescape\x7f",
        "next\xC2\x85line and line\xE2\x80\xA8separator",
        "invalid \xFF\xFE utf-8 \xC3",
        "=?UTF-8?B?QmNjOiB2aWN0aW1AZXhhbXBsZS5jb20=?=",
        std::string(5000, 'A'),
        "Grüße " + std::string(300, 'x') + " 日本語",
        "\"quoted\\\" name\" <evil@example.com>, other@example.com",
    };
    return values;
}

TEST(MimeMessage, HostileValuesNeverAddHeadersOrParts)
{
    for (const std::string& hostile : hostileValues()) {
        SCOPED_TRACE(core::sanitizeForDisplay(hostile.substr(0, 60)));
        MailMessage m = sampleMessage();
        m.from.name = hostile;
        m.to[0].name = hostile;
        m.cc[0].name = hostile;
        m.replyTo->name = hostile;
        m.subject = hostile;
        m.extraHeaders = {{"X-Report-Note", hostile}};
        m.attachments = {{hostile, "text/plain", "utf-8", hostile}};
        const ComposedMessage c = compose(m);
        expectWellFormedLines(c.bytes);
        const std::vector<std::string> expected {"Date", "From", "To", "Cc", "Reply-To", "Subject",
            "Message-ID", "X-Report-Note", "MIME-Version", "Content-Type"};
        EXPECT_EQ(headerNames(headerBlock(c.bytes)), expected);
        EXPECT_EQ(c.envelope.recipients, (std::vector<std::string> {"abuse@example.net", "noc@example.net"}));

        const nlohmann::json parsed = parseWithPython(c.bytes);
        ASSERT_FALSE(parsed.is_null());
        EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
        std::vector<std::string> names;
        for (const auto& h : parsed["headers"]) {
            names.push_back(h[0]);
            const std::string value = h[1];
            EXPECT_EQ(value.find_first_of(std::string("\r\n\0", 3)), std::string::npos)
                << h[0] << ": " << value;
        }
        EXPECT_EQ(names,
            (std::vector<std::string> {"Date", "From", "To", "Cc", "Reply-To", "Subject", "Message-ID",
                "X-Report-Note", "MIME-Version", "Content-Type"}));
        ASSERT_EQ(parsed["to"].size(), 1u);
        EXPECT_EQ(parsed["to"][0][1], "abuse@example.net");
        ASSERT_EQ(parsed["cc"].size(), 1u);
        EXPECT_EQ(parsed["cc"][0][1], "noc@example.net");
        EXPECT_EQ(parsed["from"][0][1], "reporter@example.org");
        ASSERT_EQ(parsed["parts"].size(), 2u);
        EXPECT_EQ(parsed["parts"][1]["content_type"], "text/plain");
        // The subject is the neutralised text, whatever its encoding on the wire.
        EXPECT_EQ(parsed["subject"], neutraliseHeaderText(hostile, kMaxSubjectChars));
        // The attachment's content is carried as it is (base64), even with CR, LF and NUL.
        std::string ours = encodeBase64Lines(hostile);
        std::erase(ours, '\r');
        std::erase(ours, '\n');
        EXPECT_EQ(parsed["parts"][1]["data_base64"], ours);
    }
}

TEST(MimeMessage, HostileBodyCannotEndItsPart)
{
    MailMessage m = sampleMessage();
    m.attachments = {{"a.txt", "text/plain", "utf-8", "attachment"}};
    m.body = "before\r\n--=_tattle_\r\n\r\n.\r\nContent-Type: text/html\r\n\r\n--\r\n\x01\x02 end";
    const ComposedMessage c = compose(m);
    expectWellFormedLines(c.bytes);
    // No line of the message is a lone "." (it would end SMTP DATA on a server that got it unescaped).
    for (const std::string& line : crlfLines(c.bytes))
        EXPECT_NE(line, ".");
    const nlohmann::json parsed = parseWithPython(c.bytes);
    ASSERT_FALSE(parsed.is_null());
    EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
    ASSERT_EQ(parsed["parts"].size(), 2u);
    EXPECT_EQ(parsed["parts"][0]["text"],
        "before\n--=_tattle_\n\n.\nContent-Type: text/html\n\n--\n\xEF\xBF\xBD\xEF\xBF\xBD end\n");
}

TEST(MimeMessage, BadAddressesAreRejectedNamingTheField)
{
    const std::vector<std::string> bad {
        "",
        "victim@example.com\r\nBcc: x@example.com",
        "victim@example.com\n",
        std::string("a@example.com\0b", 15),
        "a b@example.com",
        "<a@example.com>",
        "a@example.com>",
        "a@@example.com",
        "a@",
        "@example.com",
        "a..b@example.com",
        ".a@example.com",
        "a.@example.com",
        "a@-example.com",
        "a@example-.com",
        "a@exa_mple.com",
        "a@example..com",
        "a@[192.0.2.1]",
        "\"quoted local\"@example.com",
        "jörg@example.com",
        "a@bücher.example",
        "a,b@example.com",
        "a@example.com,b@example.com",
        std::string(65, 'a') + "@example.com",
        "a@" + std::string(250, 'b') + ".com",
        "a@" + std::string(64, 'b') + ".com",
    };
    for (const std::string& address : bad) {
        SCOPED_TRACE(core::sanitizeForDisplay(address));
        const auto check = checkAddress(address, "To");
        ASSERT_FALSE(check.has_value());
        EXPECT_EQ(check.error().kind, ErrorKind::Usage);
        EXPECT_NE(check.error().message.find("To address"), std::string::npos) << check.error().message;
        EXPECT_EQ(check.error().message.find_first_of("\r\n"), std::string::npos);

        for (const char* field : {"From", "To", "Cc", "Reply-To", "Bcc"}) {
            MailMessage m = sampleMessage();
            const std::string f = field;
            if (f == "From") m.from.address = address;
            if (f == "To") m.to[0].address = address;
            if (f == "Cc") m.cc[0].address = address;
            if (f == "Reply-To") m.replyTo->address = address;
            if (f == "Bcc") m.bcc = {address};
            const auto composed = composeMessage(m);
            ASSERT_FALSE(composed.has_value()) << field;
            EXPECT_NE(composed.error().message.find(f), std::string::npos) << composed.error().message;
        }
    }
    for (const std::string good : {"abuse@example.net", "a.b+c@sub.example-x.org", "o'brien@example.com",
             "x@localhost", "a@xn--bcher-kva.example", "!#$%&'*+-/=?^_`{|}~@example.com"})
        EXPECT_TRUE(checkAddress(good, "To").has_value()) << good;
}

TEST(MimeMessage, ParseMailboxAsUsersTypeIt)
{
    auto m = parseMailbox("  Jane Doe <jane@example.org> ", "From");
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->name, "Jane Doe");
    EXPECT_EQ(m->address, "jane@example.org");
    m = parseMailbox("\"Doe, \\\"JD\\\" Jane\" <jane@example.org>", "From");
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->name, "Doe, \"JD\" Jane");
    m = parseMailbox("jane@example.org", "From");
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->name, "");
    EXPECT_FALSE(parseMailbox("Jane jane@example.org>", "From").has_value());
    EXPECT_FALSE(parseMailbox("Jane <jane@example.org\r\nBcc: x@example.com>", "From").has_value());
}

TEST(MimeMessage, ExtraHeadersAreCheckedAndReservedNamesRefused)
{
    for (const std::string& name : std::vector<std::string> {"Bcc", "bcc", "Content-Type",
             "content-transfer-encoding", "From", "Subject", "Message-ID", "MIME-Version", "X Bad", "X:Y", "",
             "X\r\nBcc", std::string(77, 'X'), "Jörg"}) {
        MailMessage m = sampleMessage();
        m.extraHeaders = {{name, "1"}};
        EXPECT_FALSE(composeMessage(m).has_value()) << core::sanitizeForDisplay(name);
    }
    MailMessage m = sampleMessage();
    m.extraHeaders = {{"Auto-Submitted", "auto-generated"}, {"X-XARF", "PLAIN"}, {"X-Unsent", "1"}};
    const ComposedMessage c = compose(m);
    EXPECT_NE(c.bytes.find("\r\nAuto-Submitted: auto-generated\r\nX-XARF: PLAIN\r\nX-Unsent: 1\r\n"),
        std::string::npos);
}

TEST(MimeMessage, AttachmentMediaTypesAreChecked)
{
    for (const std::string type : {"", "application", "application/", "/json", "text/plain; x=y",
             "text/plain\r\nBcc: x@example.com", "text/pl ain"}) {
        MailMessage m = sampleMessage();
        m.attachments = {{"a.txt", type, "", "x"}};
        EXPECT_FALSE(composeMessage(m).has_value()) << core::sanitizeForDisplay(type);
    }
    MailMessage m = sampleMessage();
    m.attachments = {{"a.txt", "text/plain", "utf-8\r\nX: y", "x"}};
    EXPECT_FALSE(composeMessage(m).has_value());
}

TEST(MimeMessage, RecipientsAreRequiredBoundedAndDeduplicated)
{
    MailMessage m = sampleMessage();
    m.to.clear();
    EXPECT_FALSE(composeMessage(m).has_value());
    m = sampleMessage();
    for (std::size_t i = 0; i < kMaxRecipients; ++i)
        m.bcc.push_back("r" + std::to_string(i) + "@example.com");
    EXPECT_FALSE(composeMessage(m).has_value());
    m = sampleMessage();
    m.cc.push_back({"", "ABUSE@example.net"});
    m.bcc = {"me@example.org", "abuse@example.net"};
    const ComposedMessage c = compose(m);
    EXPECT_EQ(c.envelope.recipients,
        (std::vector<std::string> {"abuse@example.net", "noc@example.net", "me@example.org"}));
    EXPECT_EQ(c.bytes.find("me@example.org"), std::string::npos)
        << "a Bcc address must not appear in a header";
}

TEST(MimeMessage, LongHeadersFoldAtSpacesAndUnfoldToTheOriginal)
{
    MailMessage m = sampleMessage();
    std::string subject;
    for (int i = 0; i < 40; ++i)
        subject += "word" + std::to_string(i) + " ";
    subject.pop_back();
    m.subject = subject;
    for (int i = 0; i < 12; ++i)
        m.to.push_back({"Desk Number " + std::to_string(i), "desk" + std::to_string(i) + "@example.net"});
    const ComposedMessage c = compose(m);
    expectWellFormedLines(c.bytes);
    const std::string headers = headerBlock(c.bytes);
    const std::size_t at = headers.find("Subject:");
    const std::size_t end = headers.find("\r\nMessage-ID:");
    std::string unfolded = headers.substr(at, end - at);
    EXPECT_GT(std::count(unfolded.begin(), unfolded.end(), '\n'), 2);
    std::erase(unfolded, '\r');
    std::erase(unfolded, '\n');
    EXPECT_EQ(unfolded, "Subject: " + subject);
    const nlohmann::json parsed = parseWithPython(c.bytes);
    ASSERT_FALSE(parsed.is_null());
    EXPECT_EQ(parsed["subject"], subject);
    EXPECT_EQ(parsed["to"].size(), 13u);
    EXPECT_EQ(parsed["to"][12][0], "Desk Number 11");
}

TEST(MimeMessage, VeryLongNamesAndWordsBecomeEncodedWordsWithinLineLimits)
{
    MailMessage m = sampleMessage();
    m.from.name = std::string(1000, 'N');
    m.subject = std::string(500, 'S') + " end";
    const ComposedMessage c = compose(m);
    expectWellFormedLines(c.bytes);
    const nlohmann::json parsed = parseWithPython(c.bytes);
    ASSERT_FALSE(parsed.is_null());
    EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
    // One unbroken word longer than an encoded-word is split over several; Python's address parser
    // (unlike RFC 2047 6.2) keeps the white space between them.
    std::string name = parsed["from"][0][0];
    std::erase(name, ' ');
    EXPECT_EQ(name, std::string(kMaxDisplayNameChars - 3, 'N') + "...");
    EXPECT_EQ(parsed["subject"], std::string(kMaxSubjectChars - 3, 'S') + "...");
}

TEST(MimeMessage, EncodedWordsFollowRfc2047)
{
    EXPECT_EQ(encodeWords("Grüße"), "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=");
    EXPECT_EQ(encodeWords("a b_c=d?"), "=?UTF-8?Q?a_b=5Fc=3Dd=3F?=");
    const std::string cjk = "日本語のテキストは長いです。" + std::string("日本語のテキストは長いです。");
    const std::string encoded = encodeWords(cjk, 40);
    std::string joined;
    std::size_t start = 0;
    while (start < encoded.size()) {
        std::size_t end = encoded.find(' ', start);
        if (end == std::string::npos) end = encoded.size();
        const std::string word = encoded.substr(start, end - start);
        EXPECT_LE(word.size(), 40u) << word;
        ASSERT_EQ(word.rfind("=?UTF-8?Q?", 0), 0u);
        ASSERT_EQ(word.substr(word.size() - 2), "?=");
        const std::string text = decodeQuotedPrintable(word.substr(10, word.size() - 12));
        EXPECT_TRUE(core::isValidUtf8(text)) << "a word splits a character: " << word;
        joined += text;
        start = end + 1;
    }
    EXPECT_EQ(joined, cjk);
}

TEST(MimeMessage, QuotedPrintableGoldenCases)
{
    struct Case {
        std::string in, out;
    };
    const std::vector<Case> cases {
        {"plain text\r\n", "plain text\r\n"},
        {"a=b\r\n", "a=3Db\r\n"},
        {"trailing space \r\n", "trailing space=20\r\n"},
        {"trailing tab\t\r\n", "trailing tab=09\r\n"},
        {".\r\n", "=2E\r\n"},
        {".dot\r\n", "=2Edot\r\n"},
        {"From me\r\n", "=46rom me\r\n"},
        {"Fromage\r\n", "Fromage\r\n"},
        {"Grüße\r\n", "Gr=C3=BC=C3=9Fe\r\n"},
        {"\x01\x7F\r\n", "=01=7F\r\n"},
    };
    for (const Case& c : cases)
        EXPECT_EQ(encodeQuotedPrintable(c.in), c.out) << c.in;
}

TEST(MimeMessage, QuotedPrintableLinesStayWithin76AndDecodeBack)
{
    std::string text;
    for (int i = 0; i < 40; ++i)
        text += std::string(std::size_t(i * 7), i % 2 ? '=' : 'x') + "ü. From \r\n";
    text += std::string(300, '.') + "\r\n";
    const std::string qp = encodeQuotedPrintable(text);
    for (const std::string& line : crlfLines(qp)) {
        EXPECT_LE(line.size(), 76u) << line;
        EXPECT_NE(line.rfind(".", 0), 0u) << "line starts with a dot: " << line;
        EXPECT_NE(line.rfind("From ", 0), 0u) << line;
    }
    EXPECT_EQ(decodeQuotedPrintable(qp), text);
}

TEST(MimeMessage, MostlyNonAsciiBodiesGoBase64)
{
    MailMessage m = sampleMessage();
    m.body = "日本語のテキスト。日本語のテキスト。日本語のテキスト。\n";
    const ComposedMessage c = compose(m);
    EXPECT_NE(c.bytes.find("Content-Transfer-Encoding: base64\r\n"), std::string::npos);
    expectWellFormedLines(c.bytes);
    const nlohmann::json parsed = parseWithPython(c.bytes);
    ASSERT_FALSE(parsed.is_null());
    // Base64 carries the canonical CRLF form, which Python's get_content() does not convert.
    std::string text = parsed["parts"][0]["text"];
    std::erase(text, '\r');
    EXPECT_EQ(text, m.body);
}

TEST(MimeMessage, LongDisplayNamesKeepTheirSpacesInEveryDecoder)
{
    MailMessage m = sampleMessage();
    m.from.name = "Jörg Müller-Lüdenscheidt, Abuse Desk of the Example Networks Company (Europe) Ltd.";
    m.to[0].name = "Network Operations and Abuse Handling Team of the Example Networks Company";
    m.cc[0].name = "名前 and ASCII words Ünïcödé and Ärger";
    const ComposedMessage c = compose(m);
    expectWellFormedLines(c.bytes);
    const nlohmann::json parsed = parseWithPython(c.bytes);
    ASSERT_FALSE(parsed.is_null());
    EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"].dump();
    EXPECT_EQ(parsed["from"][0][0], m.from.name);
    EXPECT_EQ(parsed["to"][0][0], m.to[0].name);
    EXPECT_EQ(parsed["cc"][0][0], m.cc[0].name);
    // No encoded-word follows another directly: RFC 2047 decoders would drop the space between them.
    EXPECT_EQ(headerBlock(c.bytes).find("?= =?"), std::string::npos) << headerBlock(c.bytes);
}

TEST(MimeMessage, Base64MatchesRfc4648Vectors)
{
    EXPECT_EQ(encodeBase64Lines(""), "");
    EXPECT_EQ(encodeBase64Lines("f"), "Zg==\r\n");
    EXPECT_EQ(encodeBase64Lines("fo"), "Zm8=\r\n");
    EXPECT_EQ(encodeBase64Lines("foo"), "Zm9v\r\n");
    EXPECT_EQ(encodeBase64Lines("foobar"), "Zm9vYmFy\r\n");
    const std::string lines = encodeBase64Lines(std::string(100, 'a'));
    EXPECT_EQ(crlfLines(lines).size(), 2u);
    EXPECT_EQ(crlfLines(lines)[0].size(), 76u);
}

TEST(MimeMessage, DatesAreRfc5322WithTheOffset)
{
    EXPECT_EQ(formatRfc5322Date(0, 0), "Thu, 01 Jan 1970 00:00:00 +0000");
    EXPECT_EQ(formatRfc5322Date(kMarch5, 3600), "Tue, 05 Mar 2024 12:34:56 +0100");
    EXPECT_EQ(formatRfc5322Date(kMarch5, -5 * 3600), "Tue, 05 Mar 2024 06:34:56 -0500");
    EXPECT_EQ(formatRfc5322Date(kMarch5, 5 * 3600 + 1800), "Tue, 05 Mar 2024 17:04:56 +0530");
    EXPECT_EQ(formatRfc5322Date(kMarch5, 13 * 3600), "Wed, 06 Mar 2024 00:34:56 +1300");
    // 2000-02-29T23:59:59Z
    EXPECT_EQ(formatRfc5322Date(951868799LL * core::kMicrosPerSecond, 0), "Tue, 29 Feb 2000 23:59:59 +0000");
}

TEST(MimeMessage, MessageIdsAreUniqueAndCarryTheSendersDomain)
{
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i)
        ids.insert(makeMessageId("Example.ORG"));
    EXPECT_EQ(ids.size(), 1000u);
    for (const std::string& id : ids) {
        EXPECT_EQ(id.front(), '<');
        EXPECT_EQ(id.substr(id.size() - 13), "@example.org>");
    }
    const ComposedMessage c = compose(sampleMessage());
    EXPECT_NE(c.messageId.find("@example.org>"), std::string::npos);
    EXPECT_NE(c.bytes.find("\r\nMessage-ID: " + c.messageId + "\r\n"), std::string::npos);

    MailMessage m = sampleMessage();
    m.messageId = "<fixed.1@example.org>";
    EXPECT_EQ(compose(m).messageId, "<fixed.1@example.org>");
    for (const std::string bad :
        {"fixed@example.org", "<a@b@c>", "<a b@example.org>", "<x@example.org>\r\nBcc: y"}) {
        m.messageId = bad;
        EXPECT_FALSE(composeMessage(m).has_value()) << core::sanitizeForDisplay(bad);
    }
}

TEST(MimeMessage, SaveEmlWritesTheBytesPrivately)
{
    const ComposedMessage c = compose(sampleMessage());
    const auto path = test::scratchDir() / "complaint.eml";
    ASSERT_TRUE(saveEml(path, c.bytes).has_value());
    EXPECT_EQ(test::readFile(path), c.bytes);
    struct stat st { };
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // Overwrites atomically, and fails clearly where it cannot write.
    ASSERT_TRUE(saveEml(path, "x\r\n").has_value());
    EXPECT_EQ(test::readFile(path), "x\r\n");
    const auto failed = saveEml(test::scratchDir() / "missing" / "a.eml", c.bytes);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().kind, ErrorKind::Io);
}

} // namespace
} // namespace tattle::reports
