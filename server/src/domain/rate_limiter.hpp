#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace voxpop {

// At most `limit` actions per key in any fixed one-minute window. Thread-safe. Old windows
// are swept as the map grows, so memory follows the keys active in the last minute.
class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(int limit_per_minute) : limit_(limit_per_minute) {}

    // Counts one action; returns 0 when allowed, else the seconds until the window resets.
    int acquire(std::int64_t key, Clock::time_point now = Clock::now());

  private:
    struct Window {
        Clock::time_point start;
        int count = 0;
    };
    const int limit_;
    std::mutex mutex_;
    std::unordered_map<std::int64_t, Window> windows_;
    std::size_t sweep_at_ = 1024;
};

}  // namespace voxpop
