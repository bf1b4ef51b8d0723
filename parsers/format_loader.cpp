// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/format_loader.h"

#include "core/resources.h"
#include "parsers/mixed_parser.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

namespace tattle::parsers {

namespace {

constexpr std::uintmax_t kMaxFormatFileSize = 1 << 20;

std::expected<std::string, FormatError> readText(const std::filesystem::path& file)
{
    const std::string name = file.string();
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) return std::unexpected(FormatError {name, "", "cannot read the file: " + ec.message()});
    if (size > kMaxFormatFileSize)
        return std::unexpected(FormatError {name, "", "larger than 1 MiB: not a format definition"});
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::unexpected(FormatError {name, "", "cannot open the file"});
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return std::unexpected(FormatError {name, "", "cannot read the file"});
    return text;
}

} // namespace

std::expected<std::shared_ptr<const DataFormat>, std::vector<FormatError>> loadFormatFile(
    const std::filesystem::path& file)
{
    auto text = readText(file);
    if (!text) return std::unexpected(std::vector<FormatError> {text.error()});
    auto format = compileDataFormat(*text, file.string());
    if (!format) return std::unexpected(std::vector<FormatError> {format.error()});
    std::vector<FormatError> errors = (*format)->checkSamples();
    if (!errors.empty()) return std::unexpected(std::move(errors));
    return *format;
}

FormatSet loadFormatDir(const std::filesystem::path& dir)
{
    FormatSet set;
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) return set;
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) {
        set.errors.push_back({dir.string(), "", "cannot read the folder: " + ec.message()});
        return set;
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, std::string> seen; // id -> file
    for (const auto& file : files) {
        auto format = loadFormatFile(file);
        if (!format) {
            set.errors.insert(set.errors.end(), format.error().begin(), format.error().end());
            continue;
        }
        const auto [it, fresh] = seen.emplace((*format)->id(), file.string());
        if (!fresh) {
            set.errors.push_back({file.string(), "/id",
                "the id \"" + (*format)->id() + "\" is already defined in " + it->second});
            continue;
        }
        set.formats.push_back(std::move(*format));
    }
    return set;
}

void addDataFormats(ParserRegistry& registry, const std::vector<std::shared_ptr<const DataFormat>>& formats)
{
    std::vector<std::shared_ptr<const DataFormat>> ordered = formats;
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
        return a->priority() != b->priority() ? a->priority() > b->priority() : a->id() < b->id();
    });
    for (auto& f : ordered)
        registry.add(makeDataFormatParser(f));
}

LoadedRegistry buildRegistry(
    const std::filesystem::path& builtinFormats, const std::filesystem::path& userFormats)
{
    LoadedRegistry out;
    FormatSet builtin, user;
    if (!builtinFormats.empty()) builtin = loadFormatDir(builtinFormats);
    if (!userFormats.empty()) user = loadFormatDir(userFormats);
    for (const FormatSet* set : {&builtin, &user}) {
        for (const FormatError& e : set->errors)
            out.warnings.push_back("format not loaded: " + e.message());
    }
    // Built-in parsers first, so that they win detection ties; a data format with a built-in's id takes
    // its place. The mixed-file reader comes last, over instances of its own of the same members.
    auto fill = [&](ParserRegistry& r) {
        registerBuiltinParsers(r);
        addDataFormats(r, builtin.formats);
        addDataFormats(r, user.formats);
    };
    fill(out.registry);
    ParserRegistry members;
    fill(members);
    out.registry.add(makeMixedParser(std::move(members)));
    return out;
}

std::filesystem::path userFormatsDir()
{
    return core::userConfigDir() / "formats";
}

LoadedRegistry loadDefaultRegistry()
{
    std::filesystem::path builtin;
    std::string missing;
    if (auto dir = core::resourcesDir())
        builtin = *dir / "formats";
    else
        missing = dir.error().message;
    LoadedRegistry r = buildRegistry(builtin, userFormatsDir());
    if (!missing.empty()) r.warnings.insert(r.warnings.begin(), "built-in formats not loaded: " + missing);
    return r;
}

} // namespace tattle::parsers
