#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace loadgen {

struct JoinResult {
    std::vector<std::string> tokens;  // empty string: that join failed
    std::uint64_t joined = 0;
    std::uint64_t failed = 0;
    std::map<std::string, std::uint64_t> failures;
    double seconds = 0;
};

// Joins `count` participants to `code` (POST /api/events/{code}/join) over `pool` keep-alive
// connections at once, on its own io_context in the calling thread; gives up at `limit`.
JoinResult join_participants(const std::string& host, std::uint16_t port, const std::string& code,
                             int count, int pool, std::chrono::milliseconds limit);

}  // namespace loadgen
