// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/template.h"

#include "core/resources.h"
#include "core/text_util.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace tattle::reports {

struct Template::Node {
    enum class Kind { Text, Variable, Section, Inverted };
    Kind kind = Kind::Text;
    std::string text; ///< Text: the text; otherwise the name
    std::string indent; ///< Variable alone on its line: the white space before it
    int line = 0;
    std::vector<Node> children;
};

namespace {

using Node = Template::Node;

/// Sections nest at most this deep (rendering recurses once per level).
constexpr std::size_t kMaxDepth = 32;

bool isNameChar(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool isBlank(std::string_view s) noexcept
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::string location(const std::string& origin, int line)
{
    return origin + ":" + std::to_string(line) + ": ";
}

struct Tag {
    char sigil = 0; ///< 0 for a variable, or one of # ^ / !
    std::string name;
    std::size_t begin = 0, end = 0; ///< within the line, end past "}}"
};

/// Collects tags and text into a tree; `open` is the stack of sections being filled.
class Builder {
public:
    explicit Builder(std::string origin)
        : m_origin(std::move(origin))
    {
        m_stack.push_back(&m_root);
    }

    Result<void> line(std::string_view text, int lineNo, bool hasNewline)
    {
        std::vector<Tag> tags;
        std::size_t pos = 0;
        while ((pos = text.find("{{", pos)) != std::string_view::npos) {
            const std::size_t close = text.find("}}", pos + 2);
            if (close == std::string_view::npos)
                return fail(ErrorKind::Format,
                    location(m_origin, lineNo)
                        + "a tag opened with {{ is not closed by }} "
                          "on the same line.");
            Tag tag;
            tag.begin = pos;
            tag.end = close + 2;
            std::string_view inner = text.substr(pos + 2, close - pos - 2);
            if (!inner.empty()
                && (inner[0] == '#' || inner[0] == '^' || inner[0] == '/' || inner[0] == '!')) {
                tag.sigil = inner[0];
                inner.remove_prefix(1);
            }
            if (tag.sigil != '!') {
                while (!inner.empty() && inner.front() == ' ')
                    inner.remove_prefix(1);
                while (!inner.empty() && inner.back() == ' ')
                    inner.remove_suffix(1);
                if (inner.empty() || !std::all_of(inner.begin(), inner.end(), isNameChar))
                    return fail(ErrorKind::Format,
                        location(m_origin, lineNo) + "\""
                            + core::sanitizeForDisplay(text.substr(pos, close + 2 - pos))
                            + "\" is not a placeholder: names are letters, digits and _.");
                tag.name = std::string(inner);
            }
            tags.push_back(std::move(tag));
            pos = close + 2;
        }
        // A lone section tag or comment takes its whole line with it.
        if (tags.size() == 1 && tags[0].sigil != 0 && isBlank(text.substr(0, tags[0].begin))
            && isBlank(text.substr(tags[0].end)))
            return apply(tags[0], lineNo, {});
        std::size_t at = 0;
        for (const Tag& tag : tags) {
            addText(text.substr(at, tag.begin - at));
            const std::string_view before = text.substr(0, tag.begin);
            if (auto ok = apply(tag, lineNo, isBlank(before) ? before : std::string_view {}); !ok) return ok;
            at = tag.end;
        }
        addText(text.substr(at));
        if (hasNewline) addText("\n");
        return {};
    }

    Result<std::vector<Node>> finish()
    {
        if (m_stack.size() > 1) {
            const Node& open = *m_stack.back();
            return fail(ErrorKind::Format,
                location(m_origin, open.line) + "the section {{#" + open.text + "}} is never closed with {{/"
                    + open.text + "}}.");
        }
        return std::move(m_root.children);
    }

private:
    void addText(std::string_view text)
    {
        if (text.empty()) return;
        auto& nodes = m_stack.back()->children;
        if (!nodes.empty() && nodes.back().kind == Node::Kind::Text) {
            nodes.back().text.append(text);
        } else {
            Node n;
            n.text = std::string(text);
            nodes.push_back(std::move(n));
        }
    }

    Result<void> apply(const Tag& tag, int lineNo, std::string_view indent)
    {
        auto& nodes = m_stack.back()->children;
        switch (tag.sigil) {
        case '!':
            return {};
        case 0: {
            Node n;
            n.kind = Node::Kind::Variable;
            n.text = tag.name;
            n.indent = std::string(indent);
            n.line = lineNo;
            nodes.push_back(std::move(n));
            return {};
        }
        case '#':
        case '^': {
            Node n;
            n.kind = tag.sigil == '#' ? Node::Kind::Section : Node::Kind::Inverted;
            n.text = tag.name;
            n.line = lineNo;
            if (m_stack.size() > kMaxDepth)
                return fail(ErrorKind::Format,
                    location(m_origin, lineNo) + "sections are nested more than " + std::to_string(kMaxDepth)
                        + " deep.");
            nodes.push_back(std::move(n));
            m_stack.push_back(&nodes.back());
            return {};
        }
        default: // '/'
            if (m_stack.size() == 1)
                return fail(ErrorKind::Format,
                    location(m_origin, lineNo) + "{{/" + tag.name
                        + "}} closes a section that was never opened.");
            if (m_stack.back()->text != tag.name)
                return fail(ErrorKind::Format,
                    location(m_origin, lineNo) + "{{/" + tag.name + "}} closes {{#" + m_stack.back()->text
                        + "}} opened at line " + std::to_string(m_stack.back()->line) + ".");
            m_stack.pop_back();
            return {};
        }
    }

    std::string m_origin;
    Node m_root;
    // Pointers into vectors of the tree: valid because a section's children vector only grows while that
    // section is the innermost open one, and nothing is added to its parent until it closes.
    std::vector<Node*> m_stack;
};

struct Scope {
    const TemplateValues* values;
    const Scope* outer;

    const std::string* findText(const std::string& name) const
    {
        for (const Scope* s = this; s; s = s->outer) {
            if (auto it = s->values->text.find(name); it != s->values->text.end()) return &it->second;
            if (s->values->lists.contains(name)) return nullptr;
        }
        return nullptr;
    }
    const std::vector<TemplateValues>* findList(const std::string& name) const
    {
        for (const Scope* s = this; s; s = s->outer) {
            if (auto it = s->values->lists.find(name); it != s->values->lists.end()) return &it->second;
            if (s->values->text.contains(name)) return nullptr;
        }
        return nullptr;
    }
};

Result<void> renderNodes(
    const std::vector<Node>& nodes, const Scope& scope, const std::string& origin, std::string& out)
{
    for (const Node& node : nodes) {
        switch (node.kind) {
        case Node::Kind::Text:
            out += node.text;
            break;
        case Node::Kind::Variable: {
            const std::string* value = scope.findText(node.text);
            if (!value) {
                if (scope.findList(node.text))
                    return fail(ErrorKind::Format,
                        location(origin, node.line) + "{{" + node.text + "}} is a list; use {{#" + node.text
                            + "}}...{{/" + node.text + "}}.");
                return fail(ErrorKind::Format,
                    location(origin, node.line) + "the placeholder {{" + node.text + "}} has no value.");
            }
            if (node.indent.empty()) {
                out += *value;
            } else {
                for (std::size_t i = 0; i < value->size(); ++i) {
                    out.push_back((*value)[i]);
                    if ((*value)[i] == '\n' && i + 1 < value->size() && (*value)[i + 1] != '\n')
                        out += node.indent;
                }
            }
            break;
        }
        case Node::Kind::Section:
        case Node::Kind::Inverted: {
            const bool inverted = node.kind == Node::Kind::Inverted;
            if (const auto* list = scope.findList(node.text)) {
                if (inverted) {
                    if (list->empty())
                        if (auto ok = renderNodes(node.children, scope, origin, out); !ok) return ok;
                } else {
                    for (const TemplateValues& item : *list) {
                        const Scope inner {&item, &scope};
                        if (auto ok = renderNodes(node.children, inner, origin, out); !ok) return ok;
                    }
                }
            } else if (const std::string* value = scope.findText(node.text)) {
                if (value->empty() == inverted)
                    if (auto ok = renderNodes(node.children, scope, origin, out); !ok) return ok;
            } else {
                return fail(ErrorKind::Format,
                    location(origin, node.line) + "the section {{" + (inverted ? "^" : "#") + node.text
                        + "}} has no value.");
            }
            break;
        }
        }
    }
    return {};
}

void collectNames(const std::vector<Node>& nodes, std::set<std::string>& names)
{
    for (const Node& n : nodes) {
        if (n.kind == Node::Kind::Text) continue;
        names.insert(n.text);
        collectNames(n.children, names);
    }
}

bool isTemplateName(std::string_view name) noexcept
{
    if (name.empty() || name.size() > 100 || name.front() == '.') return false;
    return std::all_of(
        name.begin(), name.end(), [](char c) { return isNameChar(c) || c == '.' || c == '-'; });
}

} // namespace

Result<Template> Template::parse(std::string_view text, std::string origin)
{
    Builder builder(origin);
    int lineNo = 0;
    std::size_t start = 0;
    std::string line;
    while (start < text.size()) {
        std::size_t end = text.find_first_of("\r\n", start);
        const bool hasNewline = end != std::string_view::npos;
        if (!hasNewline) end = text.size();
        line.assign(text.substr(start, end - start));
        ++lineNo;
        if (auto ok = builder.line(line, lineNo, hasNewline); !ok) return std::unexpected(ok.error());
        start = end + 1;
        if (hasNewline && text[end] == '\r' && start < text.size() && text[start] == '\n') ++start;
    }
    auto nodes = builder.finish();
    if (!nodes) return std::unexpected(nodes.error());
    Template t;
    t.m_origin = std::move(origin);
    t.m_nodes = std::make_shared<const std::vector<Node>>(std::move(*nodes));
    return t;
}

Result<Template> Template::load(const std::filesystem::path& file)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec)
        return fail(
            ErrorKind::NotFound, "Cannot read the template " + file.string() + ": " + ec.message() + ".");
    if (size > (std::uintmax_t(1) << 20))
        return fail(ErrorKind::Format, "The template " + file.string() + " is larger than 1 MiB.");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in && !in.eof()) return fail(ErrorKind::Io, "Cannot read the template " + file.string() + ".");
    const std::string text = content.str();
    if (!core::isValidUtf8(text))
        return fail(ErrorKind::Format, "The template " + file.string() + " is not valid UTF-8.");
    return parse(text, file.string());
}

Result<std::string> Template::render(const TemplateValues& values) const
{
    std::string out;
    if (!m_nodes) return out;
    const Scope scope {&values, nullptr};
    if (auto ok = renderNodes(*m_nodes, scope, m_origin, out); !ok) return std::unexpected(ok.error());
    return out;
}

std::vector<std::string> Template::names() const
{
    std::set<std::string> names;
    if (m_nodes) collectNames(*m_nodes, names);
    return {names.begin(), names.end()};
}

std::filesystem::path userTemplatesDir()
{
    return core::userConfigDir() / "templates";
}

Result<std::filesystem::path> findTemplate(std::string_view name)
{
    if (!isTemplateName(name))
        return fail(ErrorKind::Usage,
            "\"" + core::sanitizeForDisplay(name.substr(0, 100))
                + "\" is not a template name (letters, digits, '.', '_' and '-'; the file is NAME.txt).");
    const std::string file = std::string(name) + ".txt";
    std::error_code ec;
    const auto user = userTemplatesDir() / file;
    if (std::filesystem::is_regular_file(user, ec)) return user;
    std::string places = user.string();
    if (auto resources = core::resourcesDir()) {
        const auto builtin = *resources / "templates" / file;
        if (std::filesystem::is_regular_file(builtin, ec)) return builtin;
        places += " or " + builtin.string();
    }
    return fail(ErrorKind::NotFound,
        "There is no template " + std::string(name) + ": neither " + places + " exists.");
}

std::vector<std::string> availableTemplates()
{
    std::set<std::string> names;
    std::vector<std::filesystem::path> dirs {userTemplatesDir()};
    if (auto resources = core::resourcesDir()) dirs.push_back(*resources / "templates");
    for (const auto& dir : dirs) {
        std::error_code ec;
        for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            const auto& path = it->path();
            if (path.extension() == ".txt" && isTemplateName(path.stem().string()))
                names.insert(path.stem().string());
        }
    }
    return {names.begin(), names.end()};
}

} // namespace tattle::reports
