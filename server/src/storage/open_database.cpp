#include "storage/open_database.hpp"

#include "storage/migrations.hpp"

namespace voxpop {

sqlite::Database open_database(const Config& config) {
    sqlite::Database db(config.db);
    db.exec("PRAGMA busy_timeout = " + std::to_string(config.sqlite_busy_timeout_ms));
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
    // FULL: an acknowledged vote survives a power cut, not only a killed process; group
    // commit keeps the fsync cost per vote small.
    db.exec("PRAGMA synchronous = " + config.sqlite_synchronous);
    apply_migrations(db, embedded_migrations());
    return db;
}

}  // namespace voxpop
