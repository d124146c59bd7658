#include "storage/open_database.hpp"

#include "storage/migrations.hpp"

#include <algorithm>

namespace voxpop {

sqlite::Database open_database(const Config& config) {
    sqlite::Database db(config.db);
    db.exec("PRAGMA busy_timeout = " + std::to_string(config.sqlite_busy_timeout_ms));
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
    // The WAL grows while a long read (a backup, an analyst's sqlite3 shell) pins old pages;
    // once the automatic checkpoint catches up, SQLite truncates it back to this size.
    db.exec("PRAGMA journal_size_limit = " + std::to_string(config.sqlite_wal_limit_bytes));
    // Checkpoint at least once the WAL reaches that size (SQLite's default is 1000 pages).
    const auto page_size = db.query_int("PRAGMA page_size");
    const auto checkpoint_pages =
        std::clamp<std::int64_t>(config.sqlite_wal_limit_bytes / page_size, 1, 1000);
    db.exec("PRAGMA wal_autocheckpoint = " + std::to_string(checkpoint_pages));
    // FULL: an acknowledged vote survives a power cut, not only a killed process; group
    // commit keeps the fsync cost per vote small.
    db.exec("PRAGMA synchronous = " + config.sqlite_synchronous);
    apply_migrations(db, embedded_migrations());
    return db;
}

}  // namespace voxpop
