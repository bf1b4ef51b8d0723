// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/csv_writer.h"

#include "core/text_util.h"

namespace tattle::reports {

void CsvWriter::separator()
{
    if (!m_firstInRow) m_out.put(',');
    m_firstInRow = false;
}

CsvWriter& CsvWriter::text(std::string_view value)
{
    separator();
    m_buf = core::toValidUtf8(value);
    if (m_safe && !m_buf.empty()) {
        const char c = m_buf.front();
        if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\0')
            m_buf.insert(m_buf.begin(), '\'');
    }
    const bool quote = m_buf.find_first_of(",\"\r\n") != std::string::npos
        || (m_safe && !m_buf.empty() && m_buf.front() == '\'');
    if (!quote) {
        m_out << m_buf;
        return *this;
    }
    m_out.put('"');
    for (char ch : m_buf) {
        if (ch == '"') m_out.put('"');
        m_out.put(ch);
    }
    m_out.put('"');
    return *this;
}

CsvWriter& CsvWriter::number(std::int64_t value)
{
    separator();
    m_out << value;
    return *this;
}

CsvWriter& CsvWriter::empty()
{
    separator();
    return *this;
}

void CsvWriter::endRow()
{
    m_out << "\r\n";
    m_firstInRow = true;
}

void CsvWriter::row(std::initializer_list<std::string_view> cells)
{
    for (auto c : cells)
        text(c);
    endRow();
}

} // namespace tattle::reports
