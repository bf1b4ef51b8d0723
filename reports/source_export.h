// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/store/event_store.h"

#include <ostream>
#include <vector>

namespace tattle::reports {

/// The per-source summary as one JSON array of objects with the keys src, events, blocked, first_seen,
/// last_seen (RFC 3339 UTC), ports (numbers), protocols, categories and patterns (strings).
void writeSourcesJson(std::ostream& out, const std::vector<core::SourceSummary>& sources);

/// The per-source summary as RFC 4180 CSV with a header row; columns: src, events, blocked, first_seen,
/// last_seen, ports, protocols, categories, patterns (lists separated by spaces). Spreadsheet-safe unless
/// told otherwise.
void writeSourcesCsv(
    std::ostream& out, const std::vector<core::SourceSummary>& sources, bool spreadsheetSafe = true);

/// The per-source summary as an aligned text table for a terminal (at most `limit` rows, 0 for all).
void writeSourcesTable(std::ostream& out, const std::vector<core::SourceSummary>& sources, std::size_t limit);
/// The same for the top of the summary (EventStore::sourcePage): "... N more sources" counts page.total.
void writeSourcesTable(std::ostream& out, const core::SourcePage& page, std::size_t limit);

} // namespace tattle::reports
