// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log_scanner.h"

#include <chrono>
#include <sys/stat.h>

namespace tattle::core {

std::int64_t fileModificationTime(const std::filesystem::path& path)
{
    struct stat st { };
    if (path != "-" && ::stat(path.c_str(), &st) == 0) return std::int64_t(st.st_mtime);
    return std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

LogScanner::LogScanner(LineReader reader, std::unique_ptr<LineParser> parser, ParseContext ctx)
    : m_reader(std::move(reader))
    , m_parser(std::move(parser))
    , m_ctx(std::move(ctx))
{
}

Result<LogScanner> LogScanner::open(const std::filesystem::path& path, const Parser& parser, ParseContext ctx)
{
    auto reader = LineReader::open(path);
    if (!reader) return std::unexpected(reader.error());
    if (ctx.referenceTime == 0) ctx.referenceTime = fileModificationTime(path);
    if (ctx.fileName.empty()) ctx.fileName = path.string();
    auto lp = parser.open(ctx);
    if (!lp) return fail(ErrorKind::Usage, "The " + std::string(parser.id()) + " parser is not available.");
    return LogScanner(std::move(*reader), std::move(lp), std::move(ctx));
}

bool LogScanner::next(ScannedLine& out)
{
    std::string_view line;
    if (!m_reader.next(line)) return false;
    out.lineNo = m_reader.lineNumber();
    out.raw = line;
    out.reason = {};
    if (m_reader.truncated()) {
        out.status = ParseStatus::Malformed;
        out.reason = "line longer than 64 KiB";
        return true;
    }
    if (m_reader.unterminated() && !m_reader.error().empty()) {
        // The read error cut this line short (a damaged .gz): what is left of it would parse to wrong
        // values, e.g. "SPT=238" of "SPT=23832".
        out.status = ParseStatus::Malformed;
        out.reason = "cut short where the file is damaged";
        return true;
    }
    if (line.empty()) {
        out.status = ParseStatus::Ignored;
        return true;
    }
    m_reason.clear();
    m_event.reset();
    out.status = m_parser->parse(line, m_event, m_reason);
    if (out.status == ParseStatus::Event && !m_event.src.isValid()) {
        // Every stored event needs a source: that is what tattle is about.
        out.status = ParseStatus::Malformed;
        m_reason = "no source address";
    }
    if (out.status == ParseStatus::Malformed) {
        if (m_reason.empty()) m_reason = "not a valid record";
        out.reason = m_reason;
    }
    return true;
}

} // namespace tattle::core
