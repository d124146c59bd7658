#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace loadgen {

using Clock = std::chrono::steady_clock;

// Microseconds since the process started measuring; every timestamp in the run uses it.
std::int64_t now_us();

// Exact latency percentiles from raw samples (microseconds). A sample costs 4 bytes, so a
// million acks are 4 MB; past `kCap` samples the recorder keeps counting but stops storing.
class LatencyRecorder {
  public:
    static constexpr std::size_t kCap = 20'000'000;

    void add(std::int64_t micros);
    void merge(const LatencyRecorder& other);
    std::size_t count() const { return count_; }
    // Sorts in place; call once all samples are in.
    nlohmann::json summary();

  private:
    std::vector<std::uint32_t> samples_;
    std::size_t count_ = 0;
    bool sorted_ = false;
};

// A counter per second since `start`, for rates over time.
class RateSeries {
  public:
    void add(std::int64_t at_us, std::int64_t start_us, std::uint64_t n = 1);
    void merge(const RateSeries& other);
    const std::vector<std::uint64_t>& buckets() const { return buckets_; }

  private:
    std::vector<std::uint64_t> buckets_;
};

// One observer's view of the tracked counter (respondents, or votes on the probe option):
// the first moment each new highest value arrived. Values only grow.
struct Timeline {
    std::vector<std::int64_t> at_us;
    std::vector<std::int64_t> value;
    void observe(std::int64_t when_us, std::int64_t count);
    // When the value first reached `count`, or -1.
    std::int64_t reached(std::int64_t count) const;
};

// A tracked response: its send time, its rank among tracked responses at send time and
// the number of tracked responses sent when its ack came back (see docs/BENCHMARKS.md).
struct Sample {
    std::int64_t sent_us = 0;
    std::int64_t rank = 0;
    std::int64_t sent_at_ack = 0;
};

// Vote-to-screen: for each sample, the time until every observer saw the counter reach the
// sample's rank (estimate) and the count sent when it was acknowledged (upper bound).
struct VoteToScreen {
    LatencyRecorder by_rank;
    LatencyRecorder bound;
    std::uint64_t unseen_by_rank = 0;
    std::uint64_t unseen_bound = 0;
    std::uint64_t samples = 0;
    std::uint64_t observers = 0;
};
VoteToScreen vote_to_screen(const std::vector<Sample>& samples,
                            const std::vector<const Timeline*>& observers);

// Server message types the clients tell apart (by a substring check, not a JSON parse).
enum class MessageType { snapshot, results, ack, pong, online, poll, error, other };
constexpr std::size_t kMessageTypes = 8;
const char* to_string(MessageType type);

// Everything one shard counts; merged after the shard threads have stopped.
struct ShardStats {
    std::uint64_t connected = 0;
    std::uint64_t connect_failed = 0;
    std::uint64_t hello_failed = 0;
    std::uint64_t dropped = 0;  // closed by the server or the network after becoming ready
    std::map<std::string, std::uint64_t> failures;  // reason -> count
    LatencyRecorder connect_latency;                // TCP + upgrade + hello snapshot

    std::uint64_t responses_sent = 0;
    std::uint64_t acks_ok = 0;
    std::uint64_t acks_failed = 0;
    std::map<std::string, std::uint64_t> ack_errors;
    LatencyRecorder ack_latency;
    RateSeries acks_per_second;

    std::uint64_t pings_sent = 0;
    std::uint64_t pongs = 0;
    LatencyRecorder ping_rtt;

    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    std::array<std::uint64_t, kMessageTypes> messages_by_type{};
    std::uint64_t results_max_bytes = 0;
    std::uint64_t snapshot_max_bytes = 0;

    std::vector<Sample> samples;

    void merge(ShardStats& other);
};

}  // namespace loadgen
