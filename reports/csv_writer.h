// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

namespace tattle::reports {

/// Writes RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote, CR or LF, quotes
/// doubled. In spreadsheet-safe mode (the default) a text cell that a spreadsheet would read as a
/// formula (first character = + - @, tab, CR or NUL; OWASP, CWE-1236) gets a leading apostrophe;
/// numbers written with number() are never altered.
class CsvWriter {
public:
    explicit CsvWriter(std::ostream& out, bool spreadsheetSafe = true)
        : m_out(out)
        , m_safe(spreadsheetSafe)
    {
    }

    /// A text cell.
    CsvWriter& text(std::string_view value);
    /// A numeric cell.
    CsvWriter& number(std::int64_t value);
    /// An empty cell.
    CsvWriter& empty();
    /// Ends the record.
    void endRow();
    /// A whole record of text cells.
    void row(std::initializer_list<std::string_view> cells);

private:
    void separator();
    std::ostream& m_out;
    bool m_safe;
    bool m_firstInRow = true;
    std::string m_buf;
};

} // namespace tattle::reports
