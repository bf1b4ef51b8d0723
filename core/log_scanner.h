// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/line_reader.h"
#include "core/parser.h"
#include "core/result.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace tattle::core {

/// One line of a log as a parser saw it.
struct ScannedLine {
    ParseStatus status = ParseStatus::NotMine;
    std::uint64_t lineNo = 0;
    std::string_view raw; ///< the line as read (valid until the next call)
    std::string_view reason; ///< why it was Malformed
};

/// Runs one parser over every line of one file. The parse context's reference time is the file's
/// modification time (now, for standard input) unless the caller set one.
class LogScanner {
public:
    static Result<LogScanner> open(const std::filesystem::path& path, const Parser& parser, ParseContext ctx);

    /// The next line; false at the end (check error() for a read error).
    bool next(ScannedLine& out);
    /// The event of the last line whose status was Event.
    const Event& event() const noexcept { return m_event; }
    const LineReader& reader() const noexcept { return m_reader; }
    const std::string& error() const noexcept { return m_reader.error(); }
    const ParseContext& context() const noexcept { return m_ctx; }

private:
    LogScanner(LineReader reader, std::unique_ptr<LineParser> parser, ParseContext ctx);
    LineReader m_reader;
    std::unique_ptr<LineParser> m_parser;
    ParseContext m_ctx;
    Event m_event;
    std::string m_reason;
};

/// The modification time of a file in UTC seconds (now for "-" or when unknown).
std::int64_t fileModificationTime(const std::filesystem::path& path);

} // namespace tattle::core
