#pragma once

#include <string>

namespace voxpop {

// Copies the live database `source` into `target` with SQLite's online backup API, then
// checks the copy with PRAGMA integrity_check. Safe while the server writes: the copy is
// one consistent snapshot. Throws sqlite::Error or std::runtime_error on failure.
void backup_database(const std::string& source, const std::string& target);

// The same copy, made in memory and returned as the bytes of a database file (what
// `POST /api/admin/backup` sends). Needs memory for the whole database.
std::string backup_database_bytes(const std::string& source);

}  // namespace voxpop
