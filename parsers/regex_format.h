// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/parser.h"

#include <cstddef>
#include <expected>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/// Log formats defined as data: a JSON document (resources/formats/<id>.json, or the user's own folder)
/// with Boost.Regex patterns whose named captures are tattle's field names. docs/FORMATS.md describes
/// the document; this header is the compiled form.
namespace tattle::parsers {

/// Where a format definition went wrong: the file, the JSON pointer (RFC 6901) of the offending value,
/// and why.
struct FormatError {
    std::string file;
    std::string pointer; ///< "" for the document as a whole
    std::string reason;

    /// "file: /pointer: reason", for users.
    std::string message() const;
};

/// The names that captures and key=value keys may fill: time, date, clock, tz, src, dst, src_port,
/// dst_port, proto, action, direction, iface, rule, icmp_type, icmp_code, tcp_flags, count, kv; and
/// "extra.<name>" for a vendor detail kept in Event::extra.
std::span<const std::string_view> dataFormatFieldNames() noexcept;

/// Lines longer than this are Malformed for data formats: a regular expression's cost can grow with the
/// square of the length.
inline constexpr std::size_t kMaxDataFormatLine = 4096;

/// One compiled format definition: every regular expression compiled once. Immutable and shared by the
/// registry's parser and the line parsers it opens.
class DataFormat : public std::enable_shared_from_this<DataFormat> {
public:
    struct Impl;
    explicit DataFormat(std::unique_ptr<Impl> impl);
    ~DataFormat();
    DataFormat(const DataFormat&) = delete;
    DataFormat& operator=(const DataFormat&) = delete;

    const std::string& id() const noexcept;
    const std::string& title() const noexcept;
    /// The file the definition came from (for messages).
    const std::string& file() const noexcept;
    /// detect.priority: among data formats, higher ones are registered (and so win ties) first.
    int priority() const noexcept;
    /// The lines of the samples, in order (the benchmark repeats them).
    std::vector<std::string> sampleLines() const;

    core::Sniff sniff(std::span<const std::string_view> head) const;
    std::unique_ptr<core::LineParser> open(const core::ParseContext& ctx) const;

    /// Runs every sample; one error per sample that does not give what it expects (none: all good).
    std::vector<FormatError> checkSamples() const;

    const Impl& impl() const noexcept { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

/// Compiles a format definition from the text of its JSON document. The samples are not run here (see
/// DataFormat::checkSamples). file names the source in errors.
std::expected<std::shared_ptr<const DataFormat>, FormatError> compileDataFormat(
    std::string_view json, const std::string& file);

/// A registry parser over a compiled format.
std::unique_ptr<core::Parser> makeDataFormatParser(std::shared_ptr<const DataFormat> format);

/// The data format behind a parser, or null for a parser written in C++.
const DataFormat* dataFormatOf(const core::Parser& parser) noexcept;

} // namespace tattle::parsers
