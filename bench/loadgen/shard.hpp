#pragma once

#include "options.hpp"
#include "stats.hpp"
#include "ws_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace loadgen {

// Where and how to connect; fixed before any shard starts.
struct Plan {
    Options options;
    tcp::endpoint target;
    std::vector<net::ip::address> sources;
    std::string host_header;  // "127.0.0.1:8080"
    std::string origin;       // "http://127.0.0.1:8080"
    std::string ws_target;    // "/ws/events/CODE"
    std::chrono::milliseconds connect_timeout{15'000};
};

// What the load answers and what observers watch; handed to every shard before the load.
struct Tracking {
    std::int64_t poll_id = 0;
    std::vector<std::int64_t> option_ids;  // options the ordinary answers use
    std::int64_t probe_option = 0;         // steady: votes on it are the tracked counter;
                                           // 0: results.respondents is
    std::vector<std::string> vocabulary;   // wordcloud
};

// Run-wide counters the main thread watches while shards work.
struct Progress {
    std::atomic<std::uint64_t> ready{0};
    std::atomic<std::uint64_t> failed{0};   // never became ready
    std::atomic<std::uint64_t> dropped{0};  // lost after becoming ready
    std::atomic<std::uint64_t> sent{0};
    std::atomic<std::uint64_t> answered{0};  // acks, ok or not, plus responses lost with a
                                             // dropped connection
    std::atomic<std::int64_t> tracked_sent{0};
    std::atomic<int> shards_loading{0};
};

struct ClientSeed {
    std::size_t index;  // run-wide
    std::string token;
    bool observer;
};

// One io_context on one thread with its share of the clients. It ramps their connections,
// sends pings and drives the scenario from a 5 ms tick. The main thread talks to it only by
// posting; its stats are read after stop() joined the thread.
class Shard {
  public:
    Shard(std::size_t index, std::size_t count, const Plan& plan, Progress& progress);
    ~Shard();
    Shard(const Shard&) = delete;
    Shard& operator=(const Shard&) = delete;

    void start();
    // Stops the io_context (abandoning whatever is left) and joins the thread.
    void stop();

    // Posted by the main thread.
    void connect(std::vector<ClientSeed> seeds);
    void set_tracking(Tracking tracking);
    void start_load(ScenarioKind kind, std::int64_t start_us, std::int64_t end_us);
    void stop_load();
    void close_all();

    // For clients (shard thread).
    net::io_context& ioc() { return ioc_; }
    const Plan& plan() const { return plan_; }
    ShardStats& stats() { return stats_; }
    const Tracking& tracking() const { return tracking_; }
    std::int64_t load_start_us() const { return load_start_us_; }
    std::int64_t tracked_sent() const { return progress_.tracked_sent.load(); }
    std::int64_t next_tracked_rank() { return progress_.tracked_sent.fetch_add(1) + 1; }
    void on_ready(WsClient& client);
    void on_failed(WsClient& client, WsClient::State previous, const std::string& reason);
    void on_ack(WsClient& client, bool ok);

    // After stop(): the timelines of observers still connected when the load ended.
    const std::vector<const Timeline*>& observer_timelines() const { return observers_; }

  private:
    void schedule_tick();
    void tick();
    void drive_ramp(double dt);
    void drive_pings(double dt);
    void drive_load(std::int64_t now, double dt);
    void answer(WsClient& client, bool tracked, bool probe = false);
    void finish_load();

    std::size_t index_;
    std::size_t count_;
    const Plan& plan_;
    Progress& progress_;
    net::io_context ioc_;
    net::executor_work_guard<net::io_context::executor_type> work_;
    net::steady_timer timer_;
    std::thread thread_;
    std::mt19937_64 rng_;

    std::vector<std::shared_ptr<WsClient>> clients_;
    std::size_t next_connect_ = 0;
    std::size_t connecting_ = 0;
    std::size_t ready_ = 0;
    double ramp_credit_ = 0;
    double ping_credit_ = 0;
    std::size_t ping_next_ = 0;
    std::int64_t last_tick_us_ = 0;
    bool closing_ = false;

    Tracking tracking_;
    ScenarioKind kind_ = ScenarioKind::hold;
    bool loading_ = false;
    std::int64_t load_start_us_ = 0;
    std::int64_t load_end_us_ = 0;
    std::vector<std::pair<std::int64_t, std::size_t>> schedule_;  // burst: (when, client)
    std::size_t schedule_next_ = 0;
    double rate_credit_ = 0;
    std::size_t rate_next_ = 0;
    std::vector<bool> probed_;

    ShardStats stats_;
    std::vector<const Timeline*> observers_;
};

}  // namespace loadgen
