#include "storage/backup.hpp"

#include "storage/sqlite.hpp"

#include <memory>
#include <stdexcept>

namespace voxpop {

namespace {

void copy_and_check(const std::string& source, sqlite::Database& to) {
    sqlite::Database from(source, SQLITE_OPEN_READONLY);
    from.exec("PRAGMA busy_timeout = 5000");
    sqlite3_backup* backup = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
    if (!backup) sqlite::throw_error(to.handle(), sqlite3_errcode(to.handle()));
    // All pages in one step: one read transaction, so the copy is a single snapshot. In WAL
    // mode that read never blocks the server's writer. (Copying in small steps instead
    // would restart on every commit of the writer's connection and, while votes keep
    // arriving, might never finish.)
    int rc = SQLITE_OK;
    while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        rc = sqlite3_backup_step(backup, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(10);
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) sqlite::throw_error(to.handle(), rc);
    auto check = to.prepare("PRAGMA integrity_check");
    if (!check.step() || check.column_text(0) != "ok")
        throw std::runtime_error("the backup copy failed its integrity check");
}

}  // namespace

void backup_database(const std::string& source, const std::string& target) {
    sqlite::Database to(target);
    copy_and_check(source, to);
}

std::string backup_database_bytes(const std::string& source) {
    sqlite::Database to(":memory:");
    copy_and_check(source, to);
    sqlite3_int64 size = 0;
    std::unique_ptr<unsigned char, decltype(&sqlite3_free)> bytes(
        sqlite3_serialize(to.handle(), "main", &size, 0), &sqlite3_free);
    if (!bytes) throw std::runtime_error("could not serialise the backup copy");
    return std::string(reinterpret_cast<const char*>(bytes.get()), static_cast<std::size_t>(size));
}

}  // namespace voxpop
