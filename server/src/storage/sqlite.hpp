#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace voxpop::sqlite {

// Every SQLite failure becomes this, carrying the primary result code and SQLite's message.
class Error : public std::runtime_error {
  public:
    Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    int code() const { return code_; }
    // Disk full, read-only file, I/O error: the storage itself is failing, not the request.
    bool is_storage_failure() const;

  private:
    int code_;
};

class Statement;

// Owns one connection. Not thread-safe: the writer thread owns its own Database and each
// reader opens another.
class Database {
  public:
    Database(const std::string& path, int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    std::int64_t last_insert_rowid() const;
    int changes() const;
    sqlite3* handle() const { return db_.get(); }

    // The int of a one-cell query such as "PRAGMA user_version".
    std::int64_t query_int(std::string_view sql);

  private:
    struct Closer {
        void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
    };
    std::unique_ptr<sqlite3, Closer> db_;
};

// A prepared statement; reset() lets the writer reuse it for every row of a batch.
class Statement {
  public:
    Statement(sqlite3* db, std::string_view sql);

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind_null(int index);

    // Returns true while a row is available.
    bool step();
    // Runs a statement that returns no rows, then resets it.
    void run();
    void reset();

    std::int64_t column_int(int index) const;
    double column_double(int index) const;
    std::string column_text(int index) const;
    bool column_is_null(int index) const;

  private:
    struct Finalizer {
        void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
    };
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// BEGIN IMMEDIATE on construction (one writer, no SQLITE_BUSY upgrades later); rolls back
// unless committed.
class Transaction {
  public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Database& db_;
    bool open_ = true;
};

// The three statements of a savepoint, prepared once: the writer opens one for every job
// of a group, and sqlite3_exec would parse their SQL each time.
class SavepointStatements {
  public:
    explicit SavepointStatements(Database& db);

  private:
    friend class Savepoint;
    Statement begin_;
    Statement release_;
    Statement rollback_;
};

// A nested savepoint so one failing write inside a group commit does not undo the others.
class Savepoint {
  public:
    explicit Savepoint(SavepointStatements& statements);
    ~Savepoint();
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    void release();

  private:
    SavepointStatements& statements_;
    bool open_ = true;
};

[[noreturn]] void throw_error(sqlite3* db, int code);

}  // namespace voxpop::sqlite
