// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "parsers/parser_registry.h"
#include "parsers/regex_format.h"

#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tattle::parsers {

/// Loads one format file: reads it, compiles it and runs its samples. Every problem is returned (a
/// compile error alone, or one error per failing sample), each naming the file and the JSON pointer.
std::expected<std::shared_ptr<const DataFormat>, std::vector<FormatError>> loadFormatFile(
    const std::filesystem::path& file);

/// The formats of a folder, and the errors of the files that did not load.
struct FormatSet {
    std::vector<std::shared_ptr<const DataFormat>> formats;
    std::vector<FormatError> errors;
};

/// Every *.json file of a folder, in name order. A missing folder is empty, not an error; two files with
/// one id are an error for the second.
FormatSet loadFormatDir(const std::filesystem::path& dir);

/// Registers formats, highest detect.priority first (then by id), after what the registry holds; a
/// format with the id of a registered parser replaces it in place (user formats override built-in ones).
void addDataFormats(ParserRegistry& registry, const std::vector<std::shared_ptr<const DataFormat>>& formats);

/// A registry as tattle runs with it, and the warnings of its assembly (a format file that did not load),
/// for the front end to show.
struct LoadedRegistry {
    ParserRegistry registry;
    std::vector<std::string> warnings;
};

/// The parsers compiled in, the data formats of builtinFormats and then of userFormats (either may be
/// empty), and last the reader for mixed files over all of them.
LoadedRegistry buildRegistry(
    const std::filesystem::path& builtinFormats, const std::filesystem::path& userFormats);

/// buildRegistry() with resources/formats (core::resourcesDir()) and userFormatsDir().
LoadedRegistry loadDefaultRegistry();

/// Where users put their own formats: $XDG_CONFIG_HOME/tattle/formats (~/.config/tattle/formats).
std::filesystem::path userFormatsDir();

} // namespace tattle::parsers
