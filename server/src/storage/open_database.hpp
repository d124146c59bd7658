#pragma once

#include "config/config.hpp"
#include "storage/sqlite.hpp"

namespace voxpop {

// Opens the database with voxpop's pragmas (WAL, busy timeout, foreign keys, the configured
// synchronous level) and applies the embedded migrations.
sqlite::Database open_database(const Config& config);

}  // namespace voxpop
