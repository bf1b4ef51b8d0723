// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/template.h"
#include "test_support.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <string>

namespace tattle::reports {
namespace {

std::string render(std::string_view text, const TemplateValues& values)
{
    auto t = Template::parse(text, "test.txt");
    EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message);
    if (!t) return {};
    auto out = t->render(values);
    EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().message);
    return out ? *out : std::string {};
}

std::string parseError(std::string_view text)
{
    auto t = Template::parse(text, "bad.txt");
    EXPECT_FALSE(t.has_value());
    return t ? std::string {} : t.error().message;
}

std::string renderError(std::string_view text, const TemplateValues& values)
{
    auto t = Template::parse(text, "bad.txt");
    EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message);
    if (!t) return {};
    auto out = t->render(values);
    EXPECT_FALSE(out.has_value());
    return out ? std::string {} : out.error().message;
}

TEST(Template, PlaceholdersAreReplacedOnceAndNotReexpanded)
{
    TemplateValues v;
    v.set("name", "Abuse Desk").set("ip", "{{name}}").set("empty", "");
    EXPECT_EQ(render("Hello {{name}}, about {{ ip }}.{{empty}}\n", v), "Hello Abuse Desk, about {{name}}.\n");
}

TEST(Template, SectionsLoopOverListsAndSeeOuterValues)
{
    TemplateValues probe1, probe2, source1, source2, v;
    probe1.set("port", "445");
    probe2.set("port", "3389");
    source1.set("ip", "203.0.113.7").setList("probes", {probe1, probe2});
    source2.set("ip", "203.0.113.8").setList("probes", {});
    v.set("reporter", "me").setList("sources", {source1, source2});
    const std::string text = "Sources:\n"
                             "{{#sources}}\n"
                             "- {{ip}} (reported by {{reporter}})\n"
                             "  {{#probes}}\n"
                             "  * port {{port}} from {{ip}}\n"
                             "  {{/probes}}\n"
                             "  {{^probes}}\n"
                             "  * no probes\n"
                             "  {{/probes}}\n"
                             "{{/sources}}\n"
                             "End\n";
    EXPECT_EQ(render(text, v),
        "Sources:\n"
        "- 203.0.113.7 (reported by me)\n"
        "  * port 445 from 203.0.113.7\n"
        "  * port 3389 from 203.0.113.7\n"
        "- 203.0.113.8 (reported by me)\n"
        "  * no probes\n"
        "End\n");
}

TEST(Template, TextSectionsAreConditions)
{
    TemplateValues v;
    v.set("weak", "yes").set("strong", "");
    EXPECT_EQ(render("{{#weak}}may be "
                     "forged{{/weak}}|{{^weak}}x{{/weak}}|{{#strong}}y{{/strong}}|{{^strong}}z{{/strong}}",
                  v),
        "may be forged|||z");
}

TEST(Template, CommentsAndLoneTagsTakeTheirLine)
{
    TemplateValues v;
    v.set("a", "1");
    EXPECT_EQ(
        render("{{! a comment }}\nx\n  {{! indented comment }}  \n{{#a}}\ny{{a}}\n{{/a}}\nz", v), "x\ny1\nz");
    // Not alone on the line: the line stays.
    EXPECT_EQ(render("x {{! c }}\n", v), "x \n");
}

TEST(Template, MultiLineValuesKeepTheTagsIndentation)
{
    TemplateValues v;
    v.set("excerpt", "line 1\nline 2\n\nline 4\n");
    EXPECT_EQ(render("Log:\n    {{excerpt}}End\n", v), "Log:\n    line 1\n    line 2\n\n    line 4\nEnd\n");
    EXPECT_EQ(render("Log: {{excerpt}}", v), "Log: line 1\nline 2\n\nline 4\n");
}

TEST(Template, CrlfTemplatesAreReadAsLf)
{
    TemplateValues v;
    v.set("a", "1");
    EXPECT_EQ(render("x\r\n{{#a}}\r\ny{{a}}\r\n{{/a}}\r\nz\r\n", v), "x\ny1\nz\n");
}

TEST(Template, ParseErrorsNameFileAndLine)
{
    EXPECT_EQ(parseError("ok\nHello {{name\n"),
        "bad.txt:2: a tag opened with {{ is not closed by }} on the same line.");
    EXPECT_EQ(parseError("\n\n{{na me}}"),
        "bad.txt:3: \"{{na me}}\" is not a placeholder: names are letters, digits and _.");
    EXPECT_EQ(
        parseError("{{}}"), "bad.txt:1: \"{{}}\" is not a placeholder: names are letters, digits and _.");
    EXPECT_EQ(parseError("{{#a}}\n{{#b}}\n{{/a}}\n"), "bad.txt:3: {{/a}} closes {{#b}} opened at line 2.");
    EXPECT_EQ(parseError("x\n{{#a}}\n"), "bad.txt:2: the section {{#a}} is never closed with {{/a}}.");
    EXPECT_EQ(parseError("{{/a}}"), "bad.txt:1: {{/a}} closes a section that was never opened.");
}

TEST(Template, NestingIsBounded)
{
    std::string deep;
    for (int i = 0; i < 40; ++i)
        deep += "{{#a}}";
    EXPECT_EQ(parseError(deep), "bad.txt:1: sections are nested more than 32 deep.");
}

TEST(Template, RenderErrorsNameFileLineAndPlaceholder)
{
    TemplateValues v;
    v.set("name", "x").setList("sources", {TemplateValues {}});
    EXPECT_EQ(renderError("a\nb {{name}} {{sourcee}}\n", v),
        "bad.txt:2: the placeholder {{sourcee}} has no value.");
    EXPECT_EQ(
        renderError("{{sources}}", v), "bad.txt:1: {{sources}} is a list; use {{#sources}}...{{/sources}}.");
    EXPECT_EQ(
        renderError("\n{{#missing}}x{{/missing}}", v), "bad.txt:2: the section {{#missing}} has no value.");
    EXPECT_EQ(renderError("{{#sources}}\n\n{{ip}}\n{{/sources}}", v),
        "bad.txt:3: the placeholder {{ip}} has no value.");
}

TEST(Template, NamesListsEveryPlaceholder)
{
    auto t = Template::parse("{{b}} {{#list}}{{a}}{{/list}} {{^c}}{{/c}} {{b}}", "t");
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->names(), (std::vector<std::string> {"a", "b", "c", "list"}));
}

TEST(Template, LoadReadsFilesAndNamesThemInErrors)
{
    const auto dir = test::scratchDir();
    test::writeFile(dir / "mine.txt", "Hi {{who}}\n{{oops}}\n");
    auto t = Template::load(dir / "mine.txt");
    ASSERT_TRUE(t.has_value()) << t.error().message;
    TemplateValues v;
    v.set("who", "desk");
    auto out = t->render(v);
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(
        out.error().message, (dir / "mine.txt").string() + ":2: the placeholder {{oops}} has no value.");
    EXPECT_FALSE(Template::load(dir / "absent.txt").has_value());
    test::writeFile(dir / "latin1.txt",
        "Gr\xFC\xDF"
        "e\n");
    const auto latin1 = Template::load(dir / "latin1.txt");
    ASSERT_FALSE(latin1.has_value());
    EXPECT_NE(latin1.error().message.find("not valid UTF-8"), std::string::npos);
}

TEST(Template, UserTemplatesComeFirst)
{
    const auto config = test::scratchDir();
    setenv("XDG_CONFIG_HOME", config.c_str(), 1);
    setenv("TATTLE_RESOURCES_DIR", TATTLE_RESOURCES_DIR, 1);
    auto builtin = findTemplate(kDefaultComplaintTemplate);
    ASSERT_TRUE(builtin.has_value()) << builtin.error().message;
    EXPECT_EQ(*builtin, std::filesystem::path(TATTLE_RESOURCES_DIR) / "templates" / "abuse-complaint.txt");
    std::filesystem::create_directories(config / "tattle" / "templates");
    test::writeFile(config / "tattle" / "templates" / "abuse-complaint.txt", "mine\n");
    test::writeFile(config / "tattle" / "templates" / "short.txt", "short\n");
    EXPECT_EQ(
        *findTemplate(kDefaultComplaintTemplate), config / "tattle" / "templates" / "abuse-complaint.txt");
    EXPECT_EQ(userTemplatesDir(), config / "tattle" / "templates");
    const auto names = availableTemplates();
    EXPECT_NE(std::find(names.begin(), names.end(), "short"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "abuse-complaint"), names.end());

    const auto missing = findTemplate("nope");
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().kind, ErrorKind::NotFound);
    EXPECT_NE(missing.error().message.find("nope.txt"), std::string::npos);
    for (const std::string& bad : std::vector<std::string> {
             "", "../abuse-complaint", "a/b", ".hidden", "a b", std::string("a\0b", 3)}) {
        const auto r = findTemplate(bad);
        ASSERT_FALSE(r.has_value()) << bad;
        EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    }
    unsetenv("XDG_CONFIG_HOME");
}

} // namespace
} // namespace tattle::reports
