// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace tattle::core::sql {

/// An SQLite failure. Thrown only by this wrapper; the store turns it into a Result at its boundary.
class DbError : public std::runtime_error {
public:
    DbError(int code, const std::string& message)
        : std::runtime_error(message)
        , m_code(code)
    {
    }
    int code() const noexcept { return m_code; }

private:
    int m_code;
};

class Database;

/// A prepared statement. Parameters and columns are 1- and 0-based, as in SQLite.
class Statement {
public:
    Statement() = default;
    Statement(Statement&&) noexcept = default;
    Statement& operator=(Statement&&) noexcept = default;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, std::int64_t(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bindBlob(int index, const void* data, std::size_t size);
    Statement& bindNull(int index);
    /// Binds value, or NULL when it is empty.
    Statement& bindOptional(int index, std::optional<std::int64_t> value);

    /// Runs until the next row (true) or the end (false).
    bool step();
    /// Runs a statement that returns no rows.
    void run() { step(); }
    /// Resets for another run; bindings stay.
    void reset();
    void clearBindings();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    /// Text of a column (empty for NULL); valid until the next step or reset.
    std::string_view text(int column) const;
    /// Bytes of a BLOB column; valid until the next step or reset.
    std::span<const std::uint8_t> blob(int column) const;

private:
    friend class Database;
    Statement(sqlite3* db, sqlite3_stmt* stmt);
    struct Finalize {
        void operator()(sqlite3_stmt* s) const noexcept;
    };
    sqlite3* m_db = nullptr;
    std::unique_ptr<sqlite3_stmt, Finalize> m_stmt;
};

/// One SQLite connection; move-only, one per thread.
class Database {
public:
    enum class Mode { ReadWrite, ReadOnly };

    /// Opens (creating when ReadWrite) a database file, in WAL mode with foreign keys on.
    static Database open(const std::filesystem::path& path, Mode mode = Mode::ReadWrite);

    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;

    Statement prepare(std::string_view sql);
    /// Runs one or more statements that return no rows.
    void exec(std::string_view sql);
    std::int64_t lastInsertId() const;
    /// Rows changed by the last statement.
    int changes() const;
    /// The single integer a query returns (e.g. "PRAGMA user_version"); 0 when none.
    std::int64_t queryInt(std::string_view sql);
    sqlite3* handle() const noexcept { return m_db.get(); }

private:
    Database() = default;
    struct Close {
        void operator()(sqlite3* db) const noexcept;
    };
    std::unique_ptr<sqlite3, Close> m_db;
};

/// Rolls back unless committed.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

} // namespace tattle::core::sql
