#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace storm {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// Where the clients connect and which poll they answer.
struct Target {
    tcp::endpoint endpoint;
    std::string host_header;  // "127.0.0.1:8080"
    std::string origin;       // "http://127.0.0.1:8080": the server wants its own host, else 403
    std::string ws_path;      // "/ws/events/CODE"
    std::int64_t poll_id = 0;
};

// One connection attempt made after t0 (the SIGTERM), in milliseconds since t0.
struct Attempt {
    double started_ms = 0;
    double finished_ms = -1;  // when the upgrade succeeded or the attempt failed
    bool ok = false;          // the WebSocket upgrade succeeded
};

// What happened to the clients, summed up. `by_snapshot + by_resend == confirmed`.
struct Counts {
    std::size_t ready = 0;             // had their participant snapshot before the storm
    std::size_t answers_written = 0;   // first respond handed to the kernel
    std::size_t acks_before_drop = 0;  // ok acks that came before the connection closed
    std::size_t dropped = 0;           // lost their connection after answering
    double first_drop_ms = -1;         // ... the first and the last of them, since t0
    double last_drop_ms = -1;
    std::size_t reconnected = 0;  // got a new WebSocket after the drop
    std::size_t confirmed = 0;    // saw their answer committed after reconnecting
    std::size_t by_snapshot = 0;  // ... in the participant snapshot's `responses`
    std::size_t by_resend = 0;    // ... by the ack of the resent respond
    std::map<std::string, std::size_t> drop_reasons;      // "close 1001 server shutting down"
    std::map<std::string, std::size_t> attempt_failures;  // "connect: Connection refused"
    std::map<std::string, std::size_t> ack_errors;        // error code of ok:false acks
};

// What every client shares: the target, the jitter source, t0, the attempt log and the
// counts. Used from the io_context's one thread only, so nothing is locked.
class Swarm {
  public:
    Swarm(net::io_context& ioc, Target target)
        : ioc_(ioc), target_(std::move(target)), rng_(std::random_device{}()) {}

    net::io_context& ioc() { return ioc_; }
    const Target& target() const { return target_; }
    Counts& counts() { return counts_; }
    const std::vector<Attempt>& attempts() const { return attempts_; }
    double random01() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

    // `pull_the_plug` runs once, as soon as `expected` first answers have been written.
    void when_all_answers_written(std::size_t expected, std::function<void()> pull_the_plug) {
        answers_expected_ = expected;
        pull_the_plug_ = std::move(pull_the_plug);
    }
    void answer_written() {
        if (++counts_.answers_written == answers_expected_ && pull_the_plug_) {
            auto plug = std::move(pull_the_plug_);
            pull_the_plug_ = nullptr;
            plug();
        }
    }

    void mark_t0() { t0_ = Clock::now(); }
    bool after_t0() const { return t0_.has_value(); }
    double ms_since_t0() const {
        if (!t0_) return 0;
        return std::chrono::duration<double, std::milli>(Clock::now() - *t0_).count();
    }

    void count_drop(const std::string& reason) {
        auto at = ms_since_t0();
        if (counts_.dropped++ == 0) counts_.first_drop_ms = at;
        counts_.last_drop_ms = std::max(counts_.last_drop_ms, at);
        ++counts_.drop_reasons[reason];
    }

    // Attempts are logged from t0 on; before it (the initial ramp) there is nothing to log.
    std::optional<std::size_t> begin_attempt() {
        if (!after_t0()) return std::nullopt;
        attempts_.push_back({ms_since_t0()});
        return attempts_.size() - 1;
    }
    // `failure` empty: the upgrade succeeded.
    void end_attempt(std::optional<std::size_t> index, const std::string& failure) {
        if (!index) return;
        auto& attempt = attempts_[*index];
        attempt.finished_ms = ms_since_t0();
        attempt.ok = failure.empty();
        if (!attempt.ok) ++counts_.attempt_failures[failure];
    }

  private:
    net::io_context& ioc_;
    Target target_;
    std::mt19937_64 rng_;
    Counts counts_;
    std::vector<Attempt> attempts_;
    std::optional<Clock::time_point> t0_;
    std::size_t answers_expected_ = 0;
    std::function<void()> pull_the_plug_;
};

}  // namespace storm
