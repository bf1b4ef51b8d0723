// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/importer.h"

#include "core/log_scanner.h"
#include "core/signatures.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <variant>
#include <zlib.h>
#include <zstd.h>

namespace tattle::core {

namespace {

constexpr std::size_t kBlockLines = 256; // lines per compressed block of original lines
constexpr std::size_t kBlockBytes = 64 * 1024; // or this much text, whichever comes first
constexpr std::size_t kBlocksPerCommit = 1024; // ~256k events per transaction
constexpr std::size_t kAggPerCommit = 50'000; // or this many distinct source/port pairs (bounds memory)
constexpr std::uint64_t kLinesPerCommit = 1'000'000; // commit progress even when few lines are events
constexpr std::size_t kSkippedKept = 100; // skipped lines kept per import
constexpr std::size_t kSkippedTextMax = 1024;
constexpr int kZstdLevel = 3;

Micros nowMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::uint32_t crcOfLine(std::uint32_t crc, std::string_view line)
{
    crc = std::uint32_t(crc32_z(crc, reinterpret_cast<const Bytef*>(line.data()), line.size()));
    return std::uint32_t(crc32_z(crc, reinterpret_cast<const Bytef*>("\n"), 1));
}

std::uint32_t crcOfText(std::string_view text)
{
    return std::uint32_t(crc32_z(0, reinterpret_cast<const Bytef*>(text.data()), text.size()));
}

struct AggKey {
    IpAddress src;
    int proto, port;
    std::int64_t category;
    bool operator==(const AggKey&) const = default;
};
struct AggKeyHash {
    std::size_t operator()(const AggKey& k) const noexcept
    {
        std::uint64_t h = 1469598103934665603ull;
        for (std::size_t i = 0; i < 16; ++i)
            h = (h ^ k.src.data()[i]) * 1099511628211ull;
        h ^= std::uint64_t(k.proto) << 40 ^ std::uint64_t(std::uint32_t(k.port)) << 8
            ^ std::uint64_t(k.category);
        return std::size_t(h * 0x9E3779B97F4A7C15ull);
    }
};
struct Agg {
    std::int64_t events = 0, blocked = 0;
    Micros first = 0, last = 0;
};

// An event as buffered until its block of original lines is written. Interfaces and rules are local
// label numbers of the parsing thread; the writer maps them to database ids.
struct PendingEvent {
    Micros ts;
    Action action;
    Direction direction;
    int proto, srcPort, dstPort, icmpType, icmpCode, tcpFlags;
    IpAddress src, dst;
    std::uint32_t count;
    bool guessed;
    std::uint32_t iface, rule; // local label numbers, 0 for none
    std::int64_t category; // database label id
    std::uint64_t lineNo;
    std::string extra;
};

// Which lines of the file an earlier import already stored.
struct KnownPrefix {
    std::uint64_t lines = 0; // complete lines
    bool tailToo = false; // and the unterminated line after them
};

KnownPrefix findKnownPrefix(
    const std::filesystem::path& file, std::vector<ImportRecord> priors, EventStore& store)
{
    KnownPrefix best;
    if (priors.empty()) return best;
    std::sort(priors.begin(), priors.end(),
        [](const ImportRecord& a, const ImportRecord& b) { return a.prefixLines < b.prefixLines; });
    auto reader = LineReader::open(file);
    if (!reader) return best;
    std::uint32_t crc = 0;
    std::uint64_t lineNo = 0;
    std::size_t next = 0;
    std::string_view line;
    const ImportRecord* matched = nullptr;
    while (next < priors.size() && reader->next(line)) {
        if (reader->unterminated()) break;
        crc = crcOfLine(crc, line);
        ++lineNo;
        while (next < priors.size() && priors[next].prefixLines <= lineNo) {
            if (priors[next].prefixLines == lineNo && priors[next].prefixHash == crc) matched = &priors[next];
            ++next;
        }
    }
    if (!matched) return best;
    best.lines = matched->prefixLines;
    // An earlier import that stored a last line without a line end: skip it too if it is unchanged.
    auto tail = store.database().prepare("SELECT tail_hash FROM imports WHERE id = ?");
    tail.bind(1, matched->id);
    if (tail.step() && !tail.isNull(0)) {
        auto again = LineReader::open(file);
        if (again) {
            for (std::uint64_t i = 0; i <= best.lines && again->next(line); ++i) {
                if (i == best.lines && std::uint32_t(tail.int64(0)) == crcOfText(line)) best.tailToo = true;
            }
        }
    }
    return best;
}

// Messages from the parsing thread to the database writer.
struct BlockMessage {
    std::vector<PendingEvent> events;
    std::string compressed; // zstd frame of the events' original lines, joined with LF
    std::vector<std::pair<std::uint32_t, std::string>> newLabels; // local label numbers first used here
};
struct SkipMessage {
    std::uint64_t lineNo;
    std::string reason, text;
};
struct CommitMessage {
    std::vector<std::pair<AggKey, Agg>> aggregates;
    std::uint64_t prefixLines, prefixBytes;
    std::uint32_t prefixHash;
    std::uint64_t linesRead, eventsStored, linesIgnored, linesSkipped;
};
using Message = std::variant<BlockMessage, SkipMessage, CommitMessage>;

// A bounded queue between the two threads: parsing (with compression) runs on one core while SQLite
// runs on the other.
class MessageQueue {
public:
    void push(Message m)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [&] { return m_items.size() < kCapacity || m_closed; });
        if (m_closed) return; // the writer failed: drop, the producer will see the error
        m_items.push_back(std::move(m));
        m_notEmpty.notify_one();
    }
    bool pop(Message& out)
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [&] { return !m_items.empty() || m_finished; });
        if (m_items.empty()) return false;
        out = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.notify_one();
        return true;
    }
    /// No more messages will come.
    void finish()
    {
        std::lock_guard lock(m_mutex);
        m_finished = true;
        m_notEmpty.notify_all();
    }
    /// The consumer gave up: wake and release the producer.
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_items.clear();
        m_notFull.notify_all();
    }

private:
    static constexpr std::size_t kCapacity = 64;
    std::mutex m_mutex;
    std::condition_variable m_notEmpty, m_notFull;
    std::deque<Message> m_items;
    bool m_finished = false, m_closed = false;
};

// Runs on its own thread and is the only user of the database connection while the import runs.
class DbWriter {
public:
    DbWriter(EventStore& store, std::int64_t importId, MessageQueue& queue)
        : m_db(store.database())
        , m_store(store)
        , m_importId(importId)
        , m_queue(queue)
    {
    }

    void run()
    {
        try {
            prepare();
            Message m;
            while (m_queue.pop(m))
                std::visit([this](auto& msg) { handle(msg); }, m);
            if (m_inTx) {
                m_db.exec("COMMIT");
                m_inTx = false;
            }
        } catch (const std::exception& e) {
            m_error = e.what();
            if (m_inTx) {
                try {
                    m_db.exec("ROLLBACK");
                } catch (const sql::DbError&) {
                }
                m_inTx = false;
            }
            m_failed.store(true);
            m_queue.close();
        }
    }
    bool failed() const noexcept { return m_failed.load(); }
    const std::string& error() const noexcept { return m_error; }

private:
    void prepare()
    {
        m_insertBlock = m_db.prepare("INSERT INTO raw_blocks(import_id, lines, data) VALUES (?, ?, ?)");
        m_insertEvent = m_db.prepare("INSERT INTO events(import_id, line_no, ts, action, direction, proto, "
                                     "src, src_port, dst, dst_port, "
                                     "icmp_type, icmp_code, tcp_flags, count, flags, iface, rule, category, "
                                     "raw_block, raw_index, extra) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                                     "?15, ?16, ?17, ?18, ?19, ?20, ?21)");
        // Appended, not merged: merging each batch into source_ports touches pages all over a table that
        // outgrows the cache, which made a 10M-line import 17 x slower than a 1M one. EventStore merges
        // the staged rows in one sorted pass when the file is done.
        m_upsertAgg = m_db.prepare(
            "INSERT INTO source_ports_staging(src, proto, dst_port, category, events, blocked, first_seen, "
            "last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        m_insertSkipped = m_db.prepare(
            "INSERT OR IGNORE INTO skipped_lines(import_id, line_no, reason, text) VALUES (?, ?, ?, ?)");
        m_progress = m_db.prepare(
            "UPDATE imports SET prefix_lines = ?2, prefix_bytes = ?3, prefix_hash = ?4, lines_read = ?5, "
            "events_stored = ?6, lines_ignored = ?7, lines_skipped = ?8 WHERE id = ?1");
        m_labels.assign(1, 0);
    }

    void begin()
    {
        if (!m_inTx) {
            m_db.exec("BEGIN IMMEDIATE");
            m_inTx = true;
        }
    }

    void handle(BlockMessage& b)
    {
        begin();
        for (auto& [local, text] : b.newLabels) {
            if (m_labels.size() <= local) m_labels.resize(local + 1, 0);
            m_labels[local] = m_store.labelId(text);
        }
        m_insertBlock.bind(1, m_importId).bind(2, std::int64_t(b.events.size()));
        m_insertBlock.bindBlob(3, b.compressed.data(), b.compressed.size());
        m_insertBlock.run();
        m_insertBlock.reset();
        const std::int64_t blockId = m_db.lastInsertId();
        auto& st = m_insertEvent;
        std::int64_t index = 0;
        for (const auto& e : b.events) {
            st.bind(1, m_importId).bind(2, std::int64_t(e.lineNo)).bind(3, e.ts);
            st.bind(4, int(e.action)).bind(5, int(e.direction));
            e.proto >= 0 ? st.bind(6, e.proto) : st.bindNull(6);
            st.bindBlob(7, e.src.data(), e.src.size());
            e.srcPort >= 0 ? st.bind(8, e.srcPort) : st.bindNull(8);
            e.dst.isValid() ? st.bindBlob(9, e.dst.data(), e.dst.size()) : st.bindNull(9);
            e.dstPort >= 0 ? st.bind(10, e.dstPort) : st.bindNull(10);
            e.icmpType >= 0 ? st.bind(11, e.icmpType) : st.bindNull(11);
            e.icmpCode >= 0 ? st.bind(12, e.icmpCode) : st.bindNull(12);
            e.tcpFlags >= 0 ? st.bind(13, e.tcpFlags) : st.bindNull(13);
            e.count != 1 ? st.bind(14, std::int64_t(e.count)) : st.bindNull(14);
            e.guessed ? st.bind(15, 1) : st.bindNull(15);
            e.iface ? st.bind(16, m_labels[e.iface]) : st.bindNull(16);
            e.rule ? st.bind(17, m_labels[e.rule]) : st.bindNull(17);
            st.bind(18, e.category).bind(19, blockId).bind(20, index++);
            e.extra.empty() ? st.bindNull(21) : st.bind(21, e.extra);
            st.run();
            st.reset();
        }
    }

    void handle(SkipMessage& m)
    {
        begin();
        m_insertSkipped.bind(1, m_importId).bind(2, std::int64_t(m.lineNo)).bind(3, m.reason);
        m_insertSkipped.bindBlob(4, m.text.data(), m.text.size());
        m_insertSkipped.run();
        m_insertSkipped.reset();
    }

    void handle(CommitMessage& c)
    {
        begin();
        for (const auto& [k, a] : c.aggregates) {
            m_upsertAgg.bindBlob(1, k.src.data(), k.src.size())
                .bind(2, k.proto)
                .bind(3, k.port)
                .bind(4, k.category);
            m_upsertAgg.bind(5, a.events).bind(6, a.blocked).bind(7, a.first).bind(8, a.last);
            m_upsertAgg.run();
            m_upsertAgg.reset();
        }
        m_progress.bind(1, m_importId)
            .bind(2, std::int64_t(c.prefixLines))
            .bind(3, std::int64_t(c.prefixBytes));
        m_progress.bind(4, std::int64_t(c.prefixHash)).bind(5, std::int64_t(c.linesRead));
        m_progress.bind(6, std::int64_t(c.eventsStored)).bind(7, std::int64_t(c.linesIgnored));
        m_progress.bind(8, std::int64_t(c.linesSkipped));
        m_progress.run();
        m_progress.reset();
        m_db.exec("COMMIT");
        m_inTx = false;
    }

    sql::Database& m_db;
    EventStore& m_store;
    std::int64_t m_importId;
    MessageQueue& m_queue;
    sql::Statement m_insertBlock, m_insertEvent, m_upsertAgg, m_insertSkipped, m_progress;
    std::vector<std::int64_t> m_labels; // local label number -> database id
    bool m_inTx = false;
    std::atomic<bool> m_failed {false};
    std::string m_error;
};

// The parsing side: gathers events into blocks, compresses them, aggregates per source and port, and
// decides when to commit.
class BlockBuilder {
public:
    explicit BlockBuilder(MessageQueue& queue)
        : m_queue(queue)
        , m_cctx(ZSTD_createCCtx())
    {
    }
    ~BlockBuilder() { ZSTD_freeCCtx(m_cctx); }
    BlockBuilder(const BlockBuilder&) = delete;
    BlockBuilder& operator=(const BlockBuilder&) = delete;

    std::uint32_t label(const std::string& text)
    {
        if (text.empty()) return 0;
        if (text == m_lastLabel) return m_lastLabelId;
        auto [it, added] = m_localLabels.try_emplace(text, std::uint32_t(m_localLabels.size() + 1));
        if (added) m_block.newLabels.emplace_back(it->second, text);
        m_lastLabel = text;
        m_lastLabelId = it->second;
        return it->second;
    }

    void add(PendingEvent ev, std::string_view raw)
    {
        if (!m_text.empty()) m_text.push_back('\n');
        m_text.append(raw);
        if (ev.direction != Direction::Out) aggregate(ev);
        m_block.events.push_back(std::move(ev));
        if (m_block.events.size() >= kBlockLines || m_text.size() >= kBlockBytes) seal();
    }

    /// The per-source table counts what probed this machine, not what it sent.
    void aggregate(const PendingEvent& ev)
    {
        Agg& a = m_agg[AggKey {ev.src, ev.proto, ev.dstPort, ev.category}];
        if (a.events == 0) a.first = a.last = ev.ts;
        ++a.events;
        a.blocked += ev.action == Action::Block;
        a.first = std::min(a.first, ev.ts);
        a.last = std::max(a.last, ev.ts);
    }

    void skipped(std::uint64_t lineNo, std::string_view reason, std::string_view text)
    {
        if (m_skippedKept >= kSkippedKept) return;
        ++m_skippedKept;
        m_queue.push(SkipMessage {lineNo, std::string(reason), std::string(text.substr(0, kSkippedTextMax))});
    }

    bool wantsCommit(std::uint64_t linesSinceCommit) const
    {
        return m_blocksSinceCommit >= kBlocksPerCommit || m_agg.size() >= kAggPerCommit
            || linesSinceCommit >= kLinesPerCommit;
    }

    void commit(
        std::uint64_t prefixLines, std::uint64_t prefixBytes, std::uint32_t prefixHash, const ImportResult& r)
    {
        seal();
        CommitMessage c {{}, prefixLines, prefixBytes, prefixHash, r.linesRead, r.eventsStored,
            r.linesIgnored, r.linesSkipped};
        c.aggregates.reserve(m_agg.size());
        for (auto& entry : m_agg)
            c.aggregates.emplace_back(entry.first, entry.second);
        m_agg.clear();
        m_blocksSinceCommit = 0;
        m_queue.push(std::move(c));
    }

private:
    void seal()
    {
        if (m_block.events.empty()) return;
        // Compress into a reused buffer and copy out only the frame: resizing a fresh string to the bound
        // would zero 64 KiB per block.
        m_scratch.resize(std::max(m_scratch.size(), ZSTD_compressBound(m_text.size())));
        const size_t n = ZSTD_compressCCtx(
            m_cctx, m_scratch.data(), m_scratch.size(), m_text.data(), m_text.size(), kZstdLevel);
        if (ZSTD_isError(n))
            throw std::runtime_error(std::string("compression failed: ") + ZSTD_getErrorName(n));
        m_block.compressed.assign(m_scratch.data(), n);
        m_queue.push(std::move(m_block));
        m_block = BlockMessage {};
        m_block.events.reserve(kBlockLines);
        m_text.clear();
        ++m_blocksSinceCommit;
    }

    MessageQueue& m_queue;
    ZSTD_CCtx* m_cctx;
    BlockMessage m_block;
    std::string m_text;
    std::vector<char> m_scratch;
    std::unordered_map<AggKey, Agg, AggKeyHash> m_agg;
    std::unordered_map<std::string, std::uint32_t> m_localLabels;
    std::string m_lastLabel;
    std::uint32_t m_lastLabelId = 0;
    std::size_t m_blocksSinceCommit = 0, m_skippedKept = 0;
};

} // namespace

Result<ImportResult> importFile(EventStore& store, const SignatureTable& signatures, const Parser& parser,
    const std::filesystem::path& path, ImportOptions options)
{
    ImportResult result;
    result.format = std::string(parser.id());
    std::filesystem::path file = path;
    std::optional<TempFile> spooled;
    if (path == "-") {
        auto s = spoolStandardInput();
        if (!s) return std::unexpected(s.error());
        spooled.emplace(std::move(*s));
        file = spooled->path();
        if (options.context.referenceTime == 0) options.context.referenceTime = fileModificationTime("-");
    }
    if (!options.recordedPath.empty()) {
        result.path = options.recordedPath;
    } else if (path == "-") {
        result.path.assign(1, '-'); // not = "-": GCC 12 gives a false -Wrestrict there (bug 105329)
    } else {
        std::error_code ec;
        auto abs = std::filesystem::absolute(path, ec);
        result.path = (ec ? path : abs).lexically_normal().string();
    }
    if (options.context.fileName.empty()) options.context.fileName = result.path;

    auto scanner = LogScanner::open(file, parser, options.context);
    if (!scanner) return std::unexpected(scanner.error());
    std::uint64_t totalBytes = 0;
    if (!scanner->reader().compressed()) {
        std::error_code ec;
        totalBytes = std::filesystem::file_size(file, ec);
        if (ec) totalBytes = 0;
    }

    try {
        // The file's identity: its first line, then the CRC of every line already imported.
        std::uint32_t firstLineHash = 0;
        {
            auto head = LineReader::open(file);
            std::string_view first;
            if (head && head->next(first)) firstLineHash = crcOfText(first);
        }
        const KnownPrefix known
            = findKnownPrefix(file, store.priorImports(result.path, firstLineHash, result.format), store);
        const std::uint64_t skipLines = known.lines + (known.tailToo ? 1 : 0);
        result.linesAlreadyImported = skipLines;

        // Category label per signature, and the import's own row, in one short transaction.
        std::vector<std::int64_t> categoryLabel;
        std::int64_t importId = 0;
        {
            sql::Transaction tx(store.database());
            for (const auto& s : signatures.signatures())
                categoryLabel.push_back(store.labelId(s.id));
            auto ins = store.database().prepare(
                "INSERT INTO imports(path, format, started_at, first_line_hash, first_line, time_zone, year) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)");
            ins.bind(1, result.path)
                .bind(2, result.format)
                .bind(3, nowMicros())
                .bind(4, std::int64_t(firstLineHash));
            ins.bind(5, std::int64_t(skipLines + 1)).bind(6, scanner->context().zone.name());
            options.context.year ? ins.bind(7, options.context.year) : ins.bindNull(7);
            ins.run();
            importId = store.database().lastInsertId();
            tx.commit();
        }
        result.importId = importId;

        // Checkpointing the WAL while inserting rewrites the same pages again and again (it halved the
        // insert rate when measured): checkpoint once, when the file is done.
        store.database().exec("PRAGMA wal_autocheckpoint=0");
        struct RestoreCheckpoints {
            sql::Database& db;
            ~RestoreCheckpoints()
            {
                try {
                    db.exec("PRAGMA wal_autocheckpoint=1000");
                    db.exec("PRAGMA wal_checkpoint(PASSIVE)");
                } catch (const sql::DbError&) {
                    // The WAL stays valid; the next connection checkpoints it.
                }
            }
        } restoreCheckpoints {store.database()};
        MessageQueue queue;
        DbWriter writer(store, importId, queue);
        std::thread writerThread([&writer] { writer.run(); });
        struct JoinWriter {
            MessageQueue& q;
            std::thread& t;
            ~JoinWriter()
            {
                q.finish();
                if (t.joinable()) t.join();
            }
        } joinWriter {queue, writerThread};

        BlockBuilder builder(queue);
        std::uint32_t crc = 0;
        std::uint64_t terminatedLines = 0, prefixBytes = 0, sinceCommit = 0;
        std::optional<std::uint32_t> tailHash;
        ScannedLine sl;
        while (!writer.failed() && scanner->next(sl)) {
            const bool unterminated = scanner->reader().unterminated();
            if (unterminated) {
                tailHash = crcOfText(sl.raw);
            } else {
                crc = crcOfLine(crc, sl.raw);
                ++terminatedLines;
                prefixBytes = scanner->reader().offset();
            }
            if (sl.lineNo <= skipLines) continue; // already stored; parsed only to keep the parser's state
            ++result.linesRead;
            ++sinceCommit;
            switch (sl.status) {
            case ParseStatus::Event: {
                const Event& e = scanner->event();
                builder.add(PendingEvent {e.time, e.action, e.direction, e.proto, e.srcPort, e.dstPort,
                                e.icmpType, e.icmpCode, e.hasTcpFlags ? int(e.tcpFlags) : -1, e.src, e.dst,
                                e.count, e.timeGuessed, builder.label(e.iface), builder.label(e.rule),
                                categoryLabel[signatures.classify(e.proto, e.dstPort, e.icmpType)], sl.lineNo,
                                e.extra},
                    sl.raw);
                ++result.eventsStored;
                break;
            }
            case ParseStatus::Malformed:
                ++result.linesSkipped;
                builder.skipped(sl.lineNo, sl.reason, sl.raw);
                if (result.firstSkipped.size() < 5)
                    result.firstSkipped.push_back(
                        {sl.lineNo, std::string(sl.reason), std::string(sl.raw.substr(0, kSkippedTextMax))});
                break;
            case ParseStatus::Ignored:
            case ParseStatus::NotMine:
                ++result.linesIgnored;
                break;
            }
            if ((result.linesRead & 0xFFFF) == 0) {
                if (options.progress) options.progress(scanner->reader().offset(), totalBytes);
                if (options.cancel && options.cancel->load()) {
                    result.cancelled = true;
                    break;
                }
            }
            if (builder.wantsCommit(sinceCommit)) {
                builder.commit(terminatedLines, prefixBytes, crc, result);
                sinceCommit = 0;
            }
        }
        result.readError = scanner->error();
        builder.commit(terminatedLines, prefixBytes, crc, result);
        queue.finish();
        writerThread.join();
        if (!writer.failed()) store.mergeStagedSummaries();
        if (writer.failed())
            return fail(ErrorKind::Database,
                "Importing '" + result.path + "' failed: " + writer.error()
                    + ". Events committed before the failure are kept.");
        auto fin = store.database().prepare("UPDATE imports SET finished_at = ?, tail_hash = ? WHERE id = ?");
        fin.bind(1, nowMicros());
        tailHash && !result.cancelled ? fin.bind(2, std::int64_t(*tailHash)) : fin.bindNull(2);
        fin.bind(3, importId).run();
        if (options.progress) options.progress(scanner->reader().offset(), totalBytes);
        return result;
    } catch (const sql::DbError& e) {
        return fail(ErrorKind::Database,
            "Importing '" + result.path + "' failed: " + e.what()
                + ". Events committed before the failure are kept.");
    }
}

BulkImportScope::BulkImportScope(EventStore& store, std::uint64_t incomingBytes)
    : m_store(store)
{
    // About 250 bytes a line: drop the indexes when the new events would at least double the table.
    if (std::int64_t(incomingBytes / 250) >= store.eventCount()) store.dropEventIndexes();
}

BulkImportScope::~BulkImportScope()
{
    try {
        m_store.database().exec("PRAGMA wal_autocheckpoint=0");
        m_store.createEventIndexes();
        m_store.database().exec("PRAGMA wal_autocheckpoint=1000");
        m_store.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const sql::DbError&) {
        // Rebuilt by the next EventStore::open(); nothing is lost.
    }
}

} // namespace tattle::core
