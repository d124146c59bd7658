#include "shard.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace loadgen {
namespace {

constexpr auto kTick = std::chrono::milliseconds(5);
// A response in flight per client at most this many, except in ingest (--inflight).
constexpr std::size_t kSteadyMaxOutstanding = 2;

std::string options_answer(std::int64_t option_id) {
    return "\"options\":[" + std::to_string(option_id) + "]";
}

}  // namespace

Shard::Shard(std::size_t index, std::size_t count, const Plan& plan, Progress& progress)
    : index_(index),
      count_(count),
      plan_(plan),
      progress_(progress),
      work_(ioc_.get_executor()),
      timer_(ioc_),
      rng_(0x5eed + index) {}

Shard::~Shard() {
    stop();
}

void Shard::start() {
    last_tick_us_ = now_us();
    net::post(ioc_, [this] { schedule_tick(); });
    thread_ = std::thread([this] { ioc_.run(); });
}

void Shard::stop() {
    if (!thread_.joinable()) return;
    ioc_.stop();
    thread_.join();
}

void Shard::connect(std::vector<ClientSeed> seeds) {
    net::post(ioc_, [this, seeds = std::move(seeds)]() mutable {
        for (auto& seed : seeds)
            clients_.push_back(std::make_shared<WsClient>(*this, seed.index, std::move(seed.token),
                                                          seed.observer));
        probed_.assign(clients_.size(), false);
    });
}

void Shard::set_tracking(Tracking tracking) {
    net::post(ioc_, [this, tracking = std::move(tracking)]() mutable {
        tracking_ = std::move(tracking);
    });
}

void Shard::start_load(ScenarioKind kind, std::int64_t start_us, std::int64_t end_us) {
    net::post(ioc_, [this, kind, start_us, end_us] {
        kind_ = kind;
        load_start_us_ = start_us;
        load_end_us_ = end_us;
        loading_ = true;
        rate_credit_ = 0;
        if (kind == ScenarioKind::burst || kind == ScenarioKind::wordcloud) {
            // Every ready client answers once at a uniformly random moment of the window.
            std::uniform_int_distribution<std::int64_t> at(start_us, std::max(start_us, end_us));
            for (std::size_t i = 0; i < clients_.size(); ++i)
                if (clients_[i]->state() == WsClient::State::ready)
                    schedule_.emplace_back(at(rng_), i);
            std::sort(schedule_.begin(), schedule_.end());
        }
        if (kind == ScenarioKind::ingest) {
            for (auto& client : clients_)
                for (int k = 0; k < plan_.options.inflight; ++k) answer(*client, false);
        }
    });
}

void Shard::stop_load() {
    net::post(ioc_, [this] { finish_load(); });
}

void Shard::finish_load() {
    if (!loading_) return;
    loading_ = false;
    progress_.shards_loading.fetch_sub(1);
}

void Shard::close_all() {
    net::post(ioc_, [this] {
        finish_load();
        closing_ = true;
        for (auto& client : clients_) {
            if (client->observer() && client->state() == WsClient::State::ready)
                observers_.push_back(&client->timeline());
            client->close();
        }
    });
}

void Shard::schedule_tick() {
    timer_.expires_after(kTick);
    timer_.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        tick();
        schedule_tick();
    });
}

void Shard::tick() {
    auto now = now_us();
    double dt = static_cast<double>(now - last_tick_us_) / 1e6;
    last_tick_us_ = now;
    if (closing_) return;
    drive_ramp(dt);
    drive_pings(dt);
    if (loading_) drive_load(now, dt);
}

void Shard::drive_ramp(double dt) {
    if (next_connect_ >= clients_.size()) return;
    const auto& o = plan_.options;
    double per_shard = o.ramp / static_cast<double>(count_);
    ramp_credit_ = std::min(ramp_credit_ + per_shard * dt, std::max(1.0, per_shard * 0.05));
    auto max_pending = std::max<std::size_t>(1, static_cast<std::size_t>(o.max_pending) / count_);
    while (ramp_credit_ >= 1 && connecting_ < max_pending && next_connect_ < clients_.size()) {
        ramp_credit_ -= 1;
        auto& client = clients_[next_connect_++];
        std::optional<net::ip::address> source;
        if (!plan_.sources.empty()) source = plan_.sources[client->index() % plan_.sources.size()];
        ++connecting_;
        client->start(plan_.target, source);
    }
}

void Shard::drive_pings(double dt) {
    const double interval = plan_.options.ping_interval;
    if (interval <= 0 || ready_ == 0) return;
    // Spread the pings evenly: each ready client pings about once per interval.
    ping_credit_ += static_cast<double>(ready_) * dt / interval;
    std::size_t scanned = 0;
    while (ping_credit_ >= 1 && scanned < clients_.size()) {
        auto& client = clients_[ping_next_];
        ping_next_ = (ping_next_ + 1) % clients_.size();
        ++scanned;
        if (client->state() != WsClient::State::ready) continue;
        client->ping();
        ping_credit_ -= 1;
    }
    ping_credit_ = std::min(ping_credit_, static_cast<double>(ready_));
}

void Shard::drive_load(std::int64_t now, double dt) {
    switch (kind_) {
        case ScenarioKind::hold:
            if (now >= load_end_us_) finish_load();
            break;
        case ScenarioKind::burst:
        case ScenarioKind::wordcloud:
            while (schedule_next_ < schedule_.size() && schedule_[schedule_next_].first <= now)
                answer(*clients_[schedule_[schedule_next_++].second], true);
            if (schedule_next_ >= schedule_.size()) finish_load();
            break;
        case ScenarioKind::steady: {
            if (now >= load_end_us_) return finish_load();
            double per_shard = plan_.options.rate / static_cast<double>(count_);
            // Credit grows with real elapsed time, so a late tick catches up (up to 1 s).
            rate_credit_ = std::min(rate_credit_ + per_shard * dt, std::max(1.0, per_shard));
            std::bernoulli_distribution probe(plan_.options.probe_fraction);
            std::size_t scanned = 0;
            while (rate_credit_ >= 1 && scanned < clients_.size()) {
                auto index = rate_next_;
                rate_next_ = (rate_next_ + 1) % clients_.size();
                ++scanned;
                auto& client = *clients_[index];
                if (client.state() != WsClient::State::ready || probed_[index] ||
                    client.outstanding() >= kSteadyMaxOutstanding)
                    continue;
                bool is_probe = tracking_.probe_option != 0 && probe(rng_);
                if (is_probe) probed_[index] = true;
                answer(client, is_probe, is_probe);
                rate_credit_ -= 1;
            }
            break;
        }
        case ScenarioKind::ingest:
        case ScenarioKind::fill:
            if (now >= load_end_us_) finish_load();
            break;
    }
}

void Shard::answer(WsClient& client, bool tracked, bool probe) {
    if (client.state() != WsClient::State::ready || tracking_.poll_id == 0) return;
    std::string body;
    if (kind_ == ScenarioKind::wordcloud) {
        const auto& words = tracking_.vocabulary;
        auto per = static_cast<std::size_t>(plan_.options.words_per_client);
        body = "\"words\":[";
        for (std::size_t j = 0; j < per; ++j) {
            if (j) body += ',';
            body += '"' + words[(client.index() * per + j) % words.size()] + '"';
        }
        body += ']';
    } else if (probe) {
        body = options_answer(tracking_.probe_option);
    } else {
        const auto& ids = tracking_.option_ids;
        // Consecutive answers of one client differ, so each one is a real change.
        body = options_answer(ids[(client.index() + client.answers_sent()) % ids.size()]);
    }
    client.respond(tracking_.poll_id, body, tracked);
    progress_.sent.fetch_add(1, std::memory_order_relaxed);
}

void Shard::on_ready(WsClient&) {
    --connecting_;
    ++ready_;
    ++stats_.connected;
    progress_.ready.fetch_add(1);
}

void Shard::on_failed(WsClient& client, WsClient::State previous, const std::string& reason) {
    progress_.answered.fetch_add(client.outstanding());
    if (previous == WsClient::State::ready) {
        --ready_;
        ++stats_.dropped;
        ++stats_.failures["dropped: " + reason];
        progress_.dropped.fetch_add(1);
        return;
    }
    --connecting_;
    ++stats_.connect_failed;
    ++stats_.failures[reason];
    progress_.failed.fetch_add(1);
}

void Shard::on_ack(WsClient& client, bool) {
    progress_.answered.fetch_add(1, std::memory_order_relaxed);
    if (kind_ == ScenarioKind::ingest && loading_) answer(client, false);
}

}  // namespace loadgen
