#include "storage/migrations.hpp"

namespace voxpop {

int apply_migrations(sqlite::Database& db, const std::vector<Migration>& migrations) {
    const int current = static_cast<int>(db.query_int("PRAGMA user_version"));
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    if (current > latest)
        throw MigrationError("database schema version " + std::to_string(current) +
                             " is newer than this voxpop (knows up to " + std::to_string(latest) +
                             "); upgrade voxpop or restore a backup");
    int version = current;
    for (const auto& migration : migrations) {
        if (migration.version <= version) continue;
        if (migration.version != version + 1)
            throw MigrationError("migration " + migration.name + " skips version " +
                                 std::to_string(version + 1));
        try {
            sqlite::Transaction tx(db);
            db.exec(migration.sql);
            // user_version lives in the database header and is part of the transaction.
            db.exec("PRAGMA user_version = " + std::to_string(migration.version));
            tx.commit();
        } catch (const sqlite::Error& e) {
            throw MigrationError("migration " + migration.name + " failed: " + e.what());
        }
        version = migration.version;
    }
    return version;
}

}  // namespace voxpop
