// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/parser.h"
#include "core/result.h"
#include "core/store/event_store.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace tattle::core {

class SignatureTable;

/// How to import one file.
struct ImportOptions {
    ParseContext context; ///< zone, year; the reference time defaults to the file's mtime
    /// Called now and then with bytes read so far and the file's size (0 when unknown, e.g. stdin).
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
    /// When set to true, the import stops at the next batch; what was read so far stays stored.
    const std::atomic<bool>* cancel = nullptr;
    /// The path to record and match earlier imports by, when the file read is a copy (standard input
    /// spooled to a temporary file: "-"). Empty: the file's absolute path.
    std::string recordedPath;
};

/// The account of one import.
struct ImportResult {
    std::int64_t importId = 0;
    std::string path; ///< as recorded (absolute, or "-")
    std::string format; ///< parser id
    std::uint64_t linesRead = 0; ///< lines read by this import (not counting those already imported)
    std::uint64_t eventsStored = 0;
    std::uint64_t linesIgnored = 0; ///< not packets: headers, other programs' lines, blank lines
    std::uint64_t linesSkipped = 0; ///< malformed
    std::uint64_t linesAlreadyImported = 0; ///< lines an earlier import of this file had stored
    bool cancelled = false;
    std::string readError; ///< a read error that ended the file early (damaged gzip ...)
    std::vector<SkippedLine> firstSkipped; ///< the first few skipped lines, for the account
};

/// Imports one file (or "-" for standard input) with the given parser: every event is classified with
/// the signature table and stored with its original line; lines an earlier import of the same content
/// already stored are not stored again (a file that has grown gets only its new lines). Batches are
/// committed as they go, so an interruption or a read error loses nothing that was stored.
Result<ImportResult> importFile(EventStore& store, const SignatureTable& signatures, const Parser& parser,
    const std::filesystem::path& path, ImportOptions options);

/// Bulk mode for a run of imports: drops the secondary indexes when the incoming data is large next to
/// what is stored, and builds them again when destroyed.
class BulkImportScope {
public:
    BulkImportScope(EventStore& store, std::uint64_t incomingBytes);
    ~BulkImportScope();
    BulkImportScope(const BulkImportScope&) = delete;
    BulkImportScope& operator=(const BulkImportScope&) = delete;

private:
    EventStore& m_store;
};

} // namespace tattle::core
