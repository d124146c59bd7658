#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace loadgen {

// One request of a pool run: POST `target` with `body` (may be empty) and, when not empty,
// the header X-Participant-Token.
struct PoolRequest {
    std::string target;
    std::string body;
    std::string participant_token;
};

struct PoolResult {
    std::uint64_t ok = 0;
    std::uint64_t failed = 0;
    std::map<std::string, std::uint64_t> failures;
    double seconds = 0;
};

// Sends `count` POST requests over `pool` keep-alive connections at once, on its own
// io_context in the calling thread, retrying a failed request up to twice; gives up at
// `limit`. `make(i)` builds request i; `accept(i, status, body)` says whether it succeeded.
PoolResult run_http_pool(const std::string& host, std::uint16_t port, std::size_t count, int pool,
                         std::chrono::milliseconds limit,
                         const std::function<PoolRequest(std::size_t)>& make,
                         const std::function<bool(std::size_t, int, const std::string&)>& accept);

struct JoinResult {
    std::vector<std::string> tokens;  // empty string: that join failed
    std::uint64_t joined = 0;
    std::uint64_t failed = 0;
    std::map<std::string, std::uint64_t> failures;
    double seconds = 0;
};

// Joins `count` participants to `code` (POST /api/events/{code}/join).
JoinResult join_participants(const std::string& host, std::uint16_t port, const std::string& code,
                             int count, int pool, std::chrono::milliseconds limit);

}  // namespace loadgen
