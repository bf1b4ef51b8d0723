// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/sqlite.h"

#include <sqlite3.h>

namespace tattle::core::sql {

namespace {
[[noreturn]] void throwError(sqlite3* db, int rc, std::string_view context)
{
    std::string msg(context);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw DbError(rc, msg);
}
} // namespace

void Statement::Finalize::operator()(sqlite3_stmt* s) const noexcept
{
    sqlite3_finalize(s);
}
void Database::Close::operator()(sqlite3* db) const noexcept
{
    sqlite3_close_v2(db);
}

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt)
    : m_db(db)
    , m_stmt(stmt)
{
}

Statement& Statement::bind(int index, std::int64_t value)
{
    if (int rc = sqlite3_bind_int64(m_stmt.get(), index, value); rc != SQLITE_OK)
        throwError(m_db, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    if (int rc = sqlite3_bind_double(m_stmt.get(), index, value); rc != SQLITE_OK)
        throwError(m_db, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    int rc
        = sqlite3_bind_text64(m_stmt.get(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) throwError(m_db, rc, "bind");
    return *this;
}

Statement& Statement::bindBlob(int index, const void* data, std::size_t size)
{
    // A zero-length blob must still be a blob, not NULL: SQLite needs a non-null pointer for that.
    static const char kEmpty = 0;
    int rc = sqlite3_bind_blob64(m_stmt.get(), index, size ? data : &kEmpty, size, SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throwError(m_db, rc, "bind");
    return *this;
}

Statement& Statement::bindNull(int index)
{
    if (int rc = sqlite3_bind_null(m_stmt.get(), index); rc != SQLITE_OK) throwError(m_db, rc, "bind");
    return *this;
}

Statement& Statement::bindOptional(int index, std::optional<std::int64_t> value)
{
    return value ? bind(index, *value) : bindNull(index);
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throwError(m_db, rc, "step");
}

void Statement::reset()
{
    sqlite3_reset(m_stmt.get());
}

void Statement::clearBindings()
{
    sqlite3_clear_bindings(m_stmt.get());
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL;
}
std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt.get(), column);
}
double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt.get(), column);
}

std::string_view Statement::text(int column) const
{
    const auto* p = sqlite3_column_text(m_stmt.get(), column);
    const int n = sqlite3_column_bytes(m_stmt.get(), column);
    return p ? std::string_view(reinterpret_cast<const char*>(p), std::size_t(n)) : std::string_view();
}

std::span<const std::uint8_t> Statement::blob(int column) const
{
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt.get(), column));
    const int n = sqlite3_column_bytes(m_stmt.get(), column);
    return p ? std::span<const std::uint8_t>(p, std::size_t(n)) : std::span<const std::uint8_t>();
}

Database Database::open(const std::filesystem::path& path, Mode mode)
{
    // Memory statistics take a global mutex on every allocation, and tattle never reads them. Each
    // connection is used by one thread at a time, so connections need no mutex of their own.
    static const bool configured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
        return sqlite3_initialize() == SQLITE_OK;
    }();
    (void)configured;
    sqlite3* raw = nullptr;
    const int flags
        = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    Database db;
    db.m_db.reset(raw);
    if (rc != SQLITE_OK) throwError(raw, rc, "cannot open database '" + path.string() + "'");
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    // Check that this is a database at all before anything else: a stray file gives SQLITE_NOTADB here.
    db.exec("PRAGMA foreign_keys=ON");
    if (mode == Mode::ReadWrite) {
        db.exec("PRAGMA journal_mode=WAL");
        db.exec("PRAGMA synchronous=NORMAL");
        // 8 MB of page cache (the default is 2 MB): summary merges and index builds touch many pages.
        db.exec("PRAGMA cache_size=-8192");
    }
    return db;
}

Statement Database::prepare(std::string_view sql)
{
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(
        m_db.get(), sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) throwError(m_db.get(), rc, "prepare");
    return Statement(m_db.get(), stmt);
}

void Database::exec(std::string_view sql)
{
    const std::string s(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(m_db.get(), s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw DbError(rc, msg);
    }
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db.get());
}
int Database::changes() const
{
    return sqlite3_changes(m_db.get());
}

std::int64_t Database::queryInt(std::string_view sql)
{
    Statement st = prepare(sql);
    return st.step() ? st.int64(0) : 0;
}

Transaction::Transaction(Database& db)
    : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!m_done) {
        try {
            m_db.exec("ROLLBACK");
        } catch (const DbError&) {
            // Rolling back can only fail when SQLite already rolled back on its own (e.g. after a full disk).
        }
    }
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace tattle::core::sql
