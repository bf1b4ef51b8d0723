// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/line_reader.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>
#include <zlib.h>

namespace tattle::core {

namespace {
constexpr std::size_t kBufferSize = 1 << 20;
}

struct LineReader::Gz {
    gzFile file = nullptr;
    ~Gz()
    {
        if (file) gzclose(file);
    }
};

LineReader::LineReader(LineReader&&) noexcept = default;
LineReader& LineReader::operator=(LineReader&&) noexcept = default;
LineReader::~LineReader() = default;

Result<LineReader> LineReader::open(const std::filesystem::path& path)
{
    LineReader r;
    r.m_gz = std::make_unique<Gz>();
    r.m_name = path.string();
    if (path == "-") {
        // zlib reads plain data through unchanged ("transparent" mode) and gunzips gzip data.
        const int fd = dup(STDIN_FILENO);
        r.m_gz->file = fd >= 0 ? gzdopen(fd, "rb") : nullptr;
        if (!r.m_gz->file) return fail(ErrorKind::Io, "Cannot read standard input.");
    } else {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec))
            return fail(ErrorKind::Io, "'" + r.m_name + "' is a directory, not a log file.");
        r.m_gz->file = gzopen(path.c_str(), "rb");
        if (!r.m_gz->file)
            return fail(ErrorKind::Io, "Cannot open '" + r.m_name + "': " + std::strerror(errno) + ".");
    }
    gzbuffer(r.m_gz->file, 256 * 1024);
    r.m_buf.resize(kBufferSize);
    return r;
}

bool LineReader::compressed() const noexcept
{
    return m_gz && m_gz->file && gzdirect(m_gz->file) == 0;
}

bool LineReader::fill()
{
    if (m_eof) return false;
    if (m_begin > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_begin, m_end - m_begin);
        m_end -= m_begin;
        m_begin = 0;
    }
    const int n = gzread(m_gz->file, m_buf.data() + m_end, unsigned(m_buf.size() - m_end));
    if (n < 0) {
        int err = 0;
        const char* msg = gzerror(m_gz->file, &err);
        m_error = "Cannot read '" + m_name + "': " + (err == Z_ERRNO ? std::strerror(errno) : msg) + ".";
        m_eof = true;
        return false;
    }
    if (n == 0) {
        // A truncated gzip stream reads as EOF with an error set.
        int err = 0;
        const char* msg = gzerror(m_gz->file, &err);
        if (err != Z_OK && err != Z_STREAM_END)
            m_error = "'" + m_name + "' is damaged: " + std::string(msg ? msg : "read error") + ".";
        m_eof = true;
        return false;
    }
    m_end += std::size_t(n);
    return true;
}

bool LineReader::next(std::string_view& line)
{
    m_truncated = false;
    m_unterminated = false;
    m_long.clear();
    std::uint64_t consumed = 0;
    bool skipping = false; // past kMaxLine: discard until the terminator
    for (;;) {
        const char* base = m_buf.data() + m_begin;
        const std::size_t avail = m_end - m_begin;
        const void* nl = avail ? std::memchr(base, '\n', avail) : nullptr;
        if (nl) {
            const std::size_t len = std::size_t(static_cast<const char*>(nl) - base);
            consumed += len + 1;
            m_begin += len + 1;
            ++m_lineNo;
            m_offset += consumed;
            if (m_long.empty() && !skipping) {
                line = std::string_view(base, len);
            } else {
                if (!skipping) m_long.append(base, std::min(len, kMaxLine - m_long.size()));
                if (m_long.size() + len > kMaxLine) m_truncated = true;
                line = m_long;
            }
            if (skipping) m_truncated = true;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.size() > kMaxLine) {
                line = line.substr(0, kMaxLine);
                m_truncated = true;
            }
            return true;
        }
        // No terminator in the buffer: keep what we have (up to the limit) and read more.
        if (avail > 0 && (m_end == m_buf.size() || m_eof)) {
            consumed += avail;
            if (!skipping) {
                m_long.append(base, std::min(avail, kMaxLine - std::min(kMaxLine, m_long.size())));
                if (m_long.size() >= kMaxLine) skipping = true;
            }
            m_begin = m_end;
        }
        if (!fill()) {
            if (m_long.empty() && consumed == 0 && m_begin == m_end) return false;
            if (m_begin < m_end) {
                consumed += m_end - m_begin;
                if (!skipping)
                    m_long.append(
                        m_buf.data() + m_begin, std::min(m_end - m_begin, kMaxLine - m_long.size()));
                m_begin = m_end;
            }
            ++m_lineNo;
            m_offset += consumed;
            m_unterminated = true;
            m_truncated = skipping;
            line = m_long;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            return true;
        }
    }
}

Result<std::vector<std::string>> readHeadLines(const std::filesystem::path& path, std::size_t count)
{
    auto reader = LineReader::open(path);
    if (!reader) return std::unexpected(reader.error());
    std::vector<std::string> lines;
    std::string_view line;
    // Bounded: at most 4096 lines are looked at, so a file of empty lines cannot stall detection.
    for (int looked = 0; lines.size() < count && looked < 4096 && reader->next(line); ++looked) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        lines.emplace_back(line);
    }
    if (!reader->error().empty() && lines.empty()) return fail(ErrorKind::Io, reader->error());
    return lines;
}

} // namespace tattle::core

namespace tattle::core {

TempFile::~TempFile()
{
    std::error_code ec;
    if (!m_path.empty()) std::filesystem::remove(m_path, ec);
}

Result<TempFile> spoolStandardInput()
{
    std::string tmpl = (std::filesystem::temp_directory_path() / "tattle-stdin-XXXXXX").string();
    const int fd = mkstemp(tmpl.data());
    if (fd < 0) return fail(ErrorKind::Io, "Cannot create a temporary file for standard input.");
    TempFile file {std::filesystem::path(tmpl)};
    std::vector<char> buf(1 << 20);
    for (;;) {
        const ssize_t n = ::read(STDIN_FILENO, buf.data(), buf.size());
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            return fail(ErrorKind::Io, "Cannot read standard input.");
        }
        for (ssize_t done = 0; done < n;) {
            const ssize_t w = ::write(fd, buf.data() + done, std::size_t(n - done));
            if (w <= 0) {
                ::close(fd);
                return fail(ErrorKind::Io, "Cannot write a temporary copy of standard input.");
            }
            done += w;
        }
    }
    ::close(fd);
    return file;
}

} // namespace tattle::core
