#pragma once

#include <string>

namespace voxpop {

// Sets the default spdlog logger's level from the config name ("info", "warn", ...).
void setup_logging(const std::string& level);

// Raises RLIMIT_NOFILE to the hard limit (one descriptor per WebSocket) and logs the result.
void raise_open_file_limit();

}  // namespace voxpop
