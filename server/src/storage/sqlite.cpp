#include "storage/sqlite.hpp"

namespace voxpop::sqlite {

bool Error::is_storage_failure() const {
    switch (code_ & 0xff) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_PERM:
            return true;
        default:
            return false;
    }
}

void throw_error(sqlite3* db, int code) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    throw Error(db ? sqlite3_extended_errcode(db) : code, "sqlite: " + message);
}

Database::Database(const std::string& path, int flags) {
    // By default SQLite counts every allocation for sqlite3_status() under one global mutex;
    // nothing here reads those counts, and Debian's build (no lookaside) allocates ~10 times
    // per vote. Only takes effect before the first open.
    [[maybe_unused]] static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);  // sqlite3_open_v2 may hand back a handle even on failure
    if (rc != SQLITE_OK) throw_error(raw, rc);
    sqlite3_extended_result_codes(raw, 1);
}

void Database::exec(std::string_view sql) {
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string what = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw Error(sqlite3_extended_errcode(db_.get()), "sqlite: " + what);
    }
}

Statement Database::prepare(std::string_view sql) {
    return Statement(db_.get(), sql);
}

std::int64_t Database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_.get());
}

int Database::changes() const {
    return sqlite3_changes(db_.get());
}

std::int64_t Database::query_int(std::string_view sql) {
    Statement stmt = prepare(sql);
    if (!stmt.step())
        throw Error(SQLITE_ERROR, "sqlite: query returned no row: " + std::string(sql));
    return stmt.column_int(0);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    stmt_.reset(raw);
    if (rc != SQLITE_OK) throw_error(db, rc);
}

Statement& Statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(stmt_.get(), index, value);
    if (rc != SQLITE_OK) throw_error(db_, rc);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    int rc = sqlite3_bind_double(stmt_.get(), index, value);
    if (rc != SQLITE_OK) throw_error(db_, rc);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    int rc = sqlite3_bind_text(stmt_.get(), index, value.data(), static_cast<int>(value.size()),
                               SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throw_error(db_, rc);
    return *this;
}

Statement& Statement::bind_null(int index) {
    int rc = sqlite3_bind_null(stmt_.get(), index);
    if (rc != SQLITE_OK) throw_error(db_, rc);
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_.get());
    throw_error(db_, rc);
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
}

std::int64_t Statement::column_int(int index) const {
    return sqlite3_column_int64(stmt_.get(), index);
}

double Statement::column_double(int index) const {
    return sqlite3_column_double(stmt_.get(), index);
}

std::string Statement::column_text(int index) const {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), index));
    if (!text) return {};
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), index)));
}

bool Statement::column_is_null(int index) const {
    return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL;
}

Transaction::Transaction(Database& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    db_.exec("COMMIT");
    open_ = false;
}

SavepointStatements::SavepointStatements(Database& db)
    : begin_(db.prepare("SAVEPOINT job")),
      release_(db.prepare("RELEASE job")),
      rollback_(db.prepare("ROLLBACK TO job")) {}

Savepoint::Savepoint(SavepointStatements& statements) : statements_(statements) {
    statements_.begin_.run();
}

Savepoint::~Savepoint() {
    if (!open_) return;
    try {
        statements_.rollback_.run();
        statements_.release_.run();
    } catch (const Error&) {
        // The enclosing transaction fails and rolls back as a whole then.
    }
}

void Savepoint::release() {
    statements_.release_.run();
    open_ = false;
}

}  // namespace voxpop::sqlite
