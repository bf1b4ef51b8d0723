// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tattle::reports {

/// The values a template is filled with: named texts and named lists of records (for sections).
struct TemplateValues {
    std::map<std::string, std::string, std::less<>> text;
    std::map<std::string, std::vector<TemplateValues>, std::less<>> lists;

    TemplateValues& set(std::string name, std::string value)
    {
        text[std::move(name)] = std::move(value);
        return *this;
    }
    TemplateValues& setList(std::string name, std::vector<TemplateValues> items)
    {
        lists[std::move(name)] = std::move(items);
        return *this;
    }
};

/// A plain-text template with named placeholders (a small subset of Mustache, no HTML escaping):
///   {{name}}              the text value `name`. When the tag is alone on its line after white space,
///                         every further line of a multi-line value gets the same indentation.
///   {{#name}}...{{/name}} a section: repeated for each record of the list `name` (a record's values hide
///                         the outer ones of the same name), or shown once when `name` is a non-empty text.
///   {{^name}}...{{/name}} shown when the list `name` is empty or the text `name` is empty.
///   {{! comment }}        removed.
/// A line holding nothing but a section tag or a comment (and white space) disappears with its line end.
/// Names are letters, digits and "_". Errors name the template file and line: a malformed or unclosed
/// tag, a section closed by the wrong name or never closed (at parse time), and a placeholder with no
/// value or of the wrong kind (at render time). Line ends are read as LF, whatever the file has.
class Template {
public:
    /// Parses template text; `origin` (a file name) is used in error messages.
    static Result<Template> parse(std::string_view text, std::string origin);
    /// Reads and parses a template file (at most 1 MiB).
    static Result<Template> load(const std::filesystem::path& file);

    /// Fills the template; an error names the file, line and placeholder that has no value.
    Result<std::string> render(const TemplateValues& values) const;

    const std::string& origin() const noexcept { return m_origin; }
    /// Every placeholder and section name used, sorted, without duplicates.
    std::vector<std::string> names() const;

    struct Node;

private:
    std::string m_origin;
    std::shared_ptr<const std::vector<Node>> m_nodes;
};

/// Where users put their own templates: userConfigDir()/templates ($XDG_CONFIG_HOME/tattle/templates).
std::filesystem::path userTemplatesDir();

/// Finds the template `name` (letters, digits, ".", "_", "-"; the file is <name>.txt): the user's
/// templates directory first, so a user's copy of a built-in template replaces it, then
/// resources/templates. NotFound names both places; Usage for a name that is not a plain file name.
Result<std::filesystem::path> findTemplate(std::string_view name);

/// Template names (without .txt) available from both places, sorted, without duplicates.
std::vector<std::string> availableTemplates();

/// The name of the built-in complaint template (resources/templates/abuse-complaint.txt).
inline constexpr std::string_view kDefaultComplaintTemplate = "abuse-complaint";

} // namespace tattle::reports
