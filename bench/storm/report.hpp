#pragma once

#include "swarm.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace storm {

struct OptionTally {
    std::int64_t id = 0;
    std::int64_t expected = 0;  // clients that chose it
    std::int64_t votes = -1;    // what GET /api/polls/{id}/results says
};

// The poll's results as the restarted server reports them.
struct ServerResults {
    std::string error;  // empty: fetched
    std::int64_t respondents = -1;
    std::vector<OptionTally> options;
};

// Everything the run observed.
struct Measurements {
    std::size_t clients = 0;
    bool storm_started = false;  // all clients were ready and the SIGTERM went out
    Counts counts;
    std::vector<Attempt> attempts;
    std::vector<double> confirm_ms;  // t0 → confirmation, one per confirmed client
    ServerResults results;
};

// The busiest 100 ms of a series of events.
struct Peak {
    std::size_t count = 0;
    double start_ms = 0;  // where that window starts, since t0
};

struct Distribution {
    double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

// What the report states, derived from the measurements.
struct Figures {
    static constexpr double kWindowMs = 100;

    Distribution confirm_latency_ms;
    std::optional<double> server_back_ms;  // the first successful upgrade after t0
    std::size_t attempts_failed = 0;
    Peak peak_attempts;  // attempts started: what the spread check judges
    Peak peak_upgrades;  // successful upgrades: the burst the restarted server took
    std::vector<std::size_t> attempts_per_second;  // [k]: started in [k s, k+1 s) after t0
};

Figures summarize(const Measurements& measurements);

// `failures` are the checks that failed (empty: passed).
void print_summary(std::ostream& out, const Measurements& measurements, const Figures& figures,
                   const std::vector<std::string>& failures);
nlohmann::json to_json(const Measurements& measurements, const Figures& figures,
                       const std::vector<std::string>& failures);

}  // namespace storm
