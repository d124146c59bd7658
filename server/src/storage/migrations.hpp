#pragma once

#include "storage/sqlite.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace voxpop {

struct Migration {
    int version;
    std::string name;
    std::string sql;
};

// The schema/ migrations compiled into this binary, in version order.
const std::vector<Migration>& embedded_migrations();

class MigrationError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Brings the database up to the newest migration, each in its own transaction, tracked by
// PRAGMA user_version. Refuses a database newer than `migrations`; a failing migration
// leaves the database as it was before that migration. Returns the resulting version.
int apply_migrations(sqlite::Database& db, const std::vector<Migration>& migrations);

}  // namespace voxpop
