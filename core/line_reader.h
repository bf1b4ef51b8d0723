// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tattle::core {

/// Reads a log file line by line: plain or gzip-compressed (detected by content, not by name), or
/// standard input ("-"). Lines are returned without their LF or CRLF. A line longer than the limit is
/// returned cut to the limit with `truncated` set, and the rest of it is skipped without being held in
/// memory.
class LineReader {
public:
    /// The longest line kept whole; longer lines are cut (and parsers see them as malformed).
    static constexpr std::size_t kMaxLine = 64 * 1024;

    /// Opens a file, or standard input for "-". Errors name the file.
    static Result<LineReader> open(const std::filesystem::path& path);
    LineReader(LineReader&&) noexcept;
    LineReader& operator=(LineReader&&) noexcept;
    ~LineReader();

    /// The next line; false at the end of the input or on a read error (see error()).
    bool next(std::string_view& line);
    /// True when the last line returned was cut to kMaxLine.
    bool truncated() const noexcept { return m_truncated; }
    /// True when the last line returned had no line terminator (the end of the file).
    bool unterminated() const noexcept { return m_unterminated; }
    /// 1-based number of the last line returned.
    std::uint64_t lineNumber() const noexcept { return m_lineNo; }
    /// Bytes (decompressed) consumed through the end of the last line returned, terminator included.
    std::uint64_t offset() const noexcept { return m_offset; }
    /// A read error (corrupt gzip data, I/O error), empty when none.
    const std::string& error() const noexcept { return m_error; }
    /// True when the input was gzip-compressed.
    bool compressed() const noexcept;

private:
    LineReader() = default;
    bool fill();
    struct Gz;
    std::unique_ptr<Gz> m_gz;
    std::string m_name;
    std::vector<char> m_buf;
    std::size_t m_begin = 0, m_end = 0;
    std::string m_long; // assembles a line that crosses buffer refills
    bool m_eof = false, m_truncated = false, m_unterminated = false;
    std::uint64_t m_lineNo = 0, m_offset = 0;
    std::string m_error;
};

/// A temporary file removed when this object goes away.
class TempFile {
public:
    explicit TempFile(std::filesystem::path path)
        : m_path(std::move(path))
    {
    }
    TempFile(TempFile&& other) noexcept
        : m_path(std::exchange(other.m_path, {}))
    {
    }
    TempFile& operator=(TempFile&&) = delete;
    ~TempFile();
    const std::filesystem::path& path() const noexcept { return m_path; }

private:
    std::filesystem::path m_path;
};

/// Copies standard input to a temporary file, so that it can be read twice (detection, then parsing)
/// like any other file.
Result<TempFile> spoolStandardInput();

/// Reads up to `count` non-empty lines from the start of a file, for format detection.
Result<std::vector<std::string>> readHeadLines(const std::filesystem::path& path, std::size_t count);

} // namespace tattle::core
