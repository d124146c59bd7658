#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>

namespace storm {

// The browser's reconnect policy, exactly as web/js/backoff.js has it: capped exponential
// backoff with full jitter, delay = max(100, floor(random() * min(cap, base * 2^attempt))) ms.
// The full jitter is what spreads a restart's thousands of reconnects over seconds instead
// of one thundering instant; the 100 ms floor keeps a dead server from being hammered.
class Backoff {
  public:
    static constexpr double kBaseMs = 500;
    static constexpr double kCapMs = 10'000;
    static constexpr double kFloorMs = 100;
    static constexpr int kMaxAttempt = 30;  // as backoff.js: 2^attempt stays finite

    // The wait before the next try; `random01` is uniform in [0, 1), like Math.random().
    std::chrono::milliseconds next(double random01) {
        double ceiling = std::min(kCapMs, kBaseMs * std::ldexp(1.0, attempt_));
        attempt_ = std::min(attempt_ + 1, kMaxAttempt);
        auto delay = std::max(kFloorMs, std::floor(random01 * ceiling));
        return std::chrono::milliseconds(static_cast<std::int64_t>(delay));
    }

    // After a successful connection (the browser does it on the first snapshot).
    void reset() { attempt_ = 0; }

  private:
    int attempt_ = 0;
};

}  // namespace storm
