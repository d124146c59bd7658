#include "storage/backup.hpp"

#include "storage/sqlite.hpp"

#include <stdexcept>

namespace voxpop {

void backup_database(const std::string& source, const std::string& target) {
    sqlite::Database from(source, SQLITE_OPEN_READONLY);
    from.exec("PRAGMA busy_timeout = 5000");
    sqlite::Database to(target);
    sqlite3_backup* backup = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
    if (!backup) sqlite::throw_error(to.handle(), sqlite3_errcode(to.handle()));
    // Copy in steps so the server's writer is never blocked for long; a write between
    // steps restarts the copy, which the loop simply continues.
    int rc = SQLITE_OK;
    while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        rc = sqlite3_backup_step(backup, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(10);
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) sqlite::throw_error(to.handle(), rc);
    auto check = to.prepare("PRAGMA integrity_check");
    if (!check.step() || check.column_text(0) != "ok")
        throw std::runtime_error("the backup copy failed its integrity check");
}

}  // namespace voxpop
