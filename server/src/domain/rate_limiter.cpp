#include "domain/rate_limiter.hpp"

#include <algorithm>

namespace voxpop {

int RateLimiter::acquire(std::int64_t key, Clock::time_point now) {
    constexpr auto kWindow = std::chrono::minutes(1);
    std::lock_guard lock(mutex_);
    if (windows_.size() >= sweep_at_) {
        std::erase_if(windows_,
                      [&](const auto& entry) { return now - entry.second.start >= kWindow; });
        sweep_at_ = std::max<std::size_t>(1024, windows_.size() * 2);
    }
    Window& window = windows_[key];
    if (window.count == 0 || now - window.start >= kWindow) {
        window.start = now;
        window.count = 0;
    }
    if (window.count >= limit_) {
        auto left = std::chrono::duration_cast<std::chrono::seconds>(window.start + kWindow - now);
        return static_cast<int>(std::max<std::int64_t>(1, left.count() + 1));
    }
    ++window.count;
    return 0;
}

}  // namespace voxpop
