#include "stats.hpp"

#include <algorithm>

namespace loadgen {

std::int64_t now_us() {
    static const Clock::time_point epoch = Clock::now();
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - epoch).count();
}

const char* to_string(MessageType type) {
    static constexpr const char* kNames[kMessageTypes] = {"snapshot", "results", "ack",   "pong",
                                                          "online",   "poll",    "error", "other"};
    return kNames[static_cast<std::size_t>(type)];
}

void LatencyRecorder::add(std::int64_t micros) {
    ++count_;
    sorted_ = false;
    if (samples_.size() < kCap)
        samples_.push_back(
            static_cast<std::uint32_t>(std::clamp<std::int64_t>(micros, 0, UINT32_MAX)));
}

void LatencyRecorder::merge(const LatencyRecorder& other) {
    count_ += other.count_;
    sorted_ = false;
    std::size_t room = kCap - std::min(kCap, samples_.size());
    samples_.insert(samples_.end(), other.samples_.begin(),
                    other.samples_.begin() + std::min(room, other.samples_.size()));
}

nlohmann::json LatencyRecorder::summary() {
    nlohmann::json out = {{"count", count_}};
    if (samples_.empty()) return out;
    if (!sorted_) std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
    auto at = [&](double q) {
        auto index = static_cast<std::size_t>(q * static_cast<double>(samples_.size() - 1) + 0.5);
        return samples_[std::min(index, samples_.size() - 1)] / 1000.0;
    };
    double sum = 0;
    for (auto s : samples_) sum += s;
    out["min_ms"] = samples_.front() / 1000.0;
    out["mean_ms"] = sum / static_cast<double>(samples_.size()) / 1000.0;
    out["p50_ms"] = at(0.50);
    out["p90_ms"] = at(0.90);
    out["p99_ms"] = at(0.99);
    out["p999_ms"] = at(0.999);
    out["max_ms"] = samples_.back() / 1000.0;
    return out;
}

void RateSeries::add(std::int64_t at_us, std::int64_t start_us, std::uint64_t n) {
    if (at_us < start_us) return;
    auto second = static_cast<std::size_t>((at_us - start_us) / 1'000'000);
    if (second > 100'000) return;
    if (buckets_.size() <= second) buckets_.resize(second + 1, 0);
    buckets_[second] += n;
}

void RateSeries::merge(const RateSeries& other) {
    if (buckets_.size() < other.buckets_.size()) buckets_.resize(other.buckets_.size(), 0);
    for (std::size_t i = 0; i < other.buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
}

void Timeline::observe(std::int64_t when_us, std::int64_t count) {
    if (!value.empty() && count <= value.back()) return;
    at_us.push_back(when_us);
    value.push_back(count);
}

std::int64_t Timeline::reached(std::int64_t count) const {
    auto it = std::lower_bound(value.begin(), value.end(), count);
    if (it == value.end()) return -1;
    return at_us[static_cast<std::size_t>(it - value.begin())];
}

VoteToScreen vote_to_screen(const std::vector<Sample>& samples,
                            const std::vector<const Timeline*>& observers) {
    VoteToScreen out;
    out.samples = samples.size();
    out.observers = observers.size();
    if (observers.empty()) return out;
    auto latest = [&](std::int64_t count) -> std::int64_t {
        std::int64_t worst = 0;
        for (const Timeline* timeline : observers) {
            auto when = timeline->reached(count);
            if (when < 0) return -1;
            worst = std::max(worst, when);
        }
        return worst;
    };
    for (const auto& sample : samples) {
        if (auto when = latest(sample.rank); when < 0)
            ++out.unseen_by_rank;
        else
            out.by_rank.add(std::max<std::int64_t>(0, when - sample.sent_us));
        if (auto when = latest(sample.sent_at_ack); when < 0)
            ++out.unseen_bound;
        else
            out.bound.add(std::max<std::int64_t>(0, when - sample.sent_us));
    }
    return out;
}

void ShardStats::merge(ShardStats& other) {
    connected += other.connected;
    connect_failed += other.connect_failed;
    hello_failed += other.hello_failed;
    dropped += other.dropped;
    for (const auto& [reason, n] : other.failures) failures[reason] += n;
    connect_latency.merge(other.connect_latency);
    responses_sent += other.responses_sent;
    acks_ok += other.acks_ok;
    acks_failed += other.acks_failed;
    for (const auto& [code, n] : other.ack_errors) ack_errors[code] += n;
    ack_latency.merge(other.ack_latency);
    acks_per_second.merge(other.acks_per_second);
    pings_sent += other.pings_sent;
    pongs += other.pongs;
    ping_rtt.merge(other.ping_rtt);
    messages += other.messages;
    bytes += other.bytes;
    for (std::size_t i = 0; i < kMessageTypes; ++i)
        messages_by_type[i] += other.messages_by_type[i];
    results_max_bytes = std::max(results_max_bytes, other.results_max_bytes);
    snapshot_max_bytes = std::max(snapshot_max_bytes, other.snapshot_max_bytes);
    samples.insert(samples.end(), other.samples.begin(), other.samples.end());
}

}  // namespace loadgen
