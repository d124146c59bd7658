#pragma once

#include <string>

namespace voxpop {

// Copies the live database `source` into `target` with SQLite's online backup API (safe
// while the server writes: the copy is one consistent snapshot), then checks the copy
// with PRAGMA integrity_check. Throws sqlite::Error or std::runtime_error on failure.
void backup_database(const std::string& source, const std::string& target);

}  // namespace voxpop
