#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>

namespace storm {
namespace {

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double fraction) {
    if (sorted.empty()) return 0;
    auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

Distribution distribution(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    if (values.empty()) return {};
    return {percentile(values, 0.50), percentile(values, 0.90), percentile(values, 0.99),
            values.back()};
}

// The busiest [t, t + 100 ms) window of a series of times: a sliding window, so a burst is
// caught wherever it falls, not only on 100 ms boundaries.
Peak find_peak(std::vector<double> times) {
    std::sort(times.begin(), times.end());
    Peak peak;
    std::size_t first = 0;
    for (std::size_t last = 0; last < times.size(); ++last) {
        while (times[last] - times[first] >= Figures::kWindowMs) ++first;
        if (last - first + 1 > peak.count) peak = {last - first + 1, times[first]};
    }
    return peak;
}

std::string counted(const std::map<std::string, std::size_t>& reasons) {
    std::string text;
    for (const auto& [reason, count] : reasons)
        text += (text.empty() ? "" : ", ") + reason + " x" + std::to_string(count);
    return text.empty() ? "none" : text;
}

// "+1234 ms": a time after t0.
std::string ms(double value) {
    std::string text = value < 0 ? "" : "+";
    return text.append(std::to_string(std::llround(value))).append(" ms");
}

}  // namespace

Figures summarize(const Measurements& m) {
    Figures figures;
    figures.confirm_latency_ms = distribution(m.confirm_ms);
    std::vector<double> starts, upgrades;
    for (const auto& attempt : m.attempts) {
        starts.push_back(attempt.started_ms);
        if (attempt.ok) upgrades.push_back(attempt.finished_ms);
        if (!attempt.ok) ++figures.attempts_failed;
        if (attempt.ok &&
            (!figures.server_back_ms || attempt.finished_ms < *figures.server_back_ms))
            figures.server_back_ms = attempt.finished_ms;
        auto second = static_cast<std::size_t>(attempt.started_ms / 1000);
        if (figures.attempts_per_second.size() <= second)
            figures.attempts_per_second.resize(second + 1);
        ++figures.attempts_per_second[second];
    }
    figures.peak_attempts = find_peak(std::move(starts));
    figures.peak_upgrades = find_peak(std::move(upgrades));
    return figures;
}

void print_summary(std::ostream& out, const Measurements& m, const Figures& f,
                   const std::vector<std::string>& failures) {
    const auto& c = m.counts;
    out << "restart storm: " << m.clients << " clients, t0 = SIGTERM to the server\n"
        << "  before the drop    " << c.ready << " ready, " << c.answers_written
        << " answers written, " << c.acks_before_drop << " acked before the close\n"
        << "  drop               " << c.dropped << " connections lost between "
        << ms(c.first_drop_ms) << " and " << ms(c.last_drop_ms) << ": " << counted(c.drop_reasons)
        << "\n"
        << "  server back        "
        << (f.server_back_ms ? ms(*f.server_back_ms) : std::string("never"))
        << " (first successful reconnect)\n"
        << "  reconnect attempts " << m.attempts.size() << " total, " << f.attempts_failed
        << " failed (" << counted(c.attempt_failures) << ")\n"
        << "  spread             peak " << f.peak_attempts.count << " attempts in 100 ms (at "
        << ms(f.peak_attempts.start_ms) << "), peak " << f.peak_upgrades.count
        << " successful upgrades in 100 ms (at " << ms(f.peak_upgrades.start_ms) << ")\n"
        << "  attempts/second    after t0:";
    for (auto count : f.attempts_per_second) out << " " << count;
    out << "\n  confirmed          " << c.reconnected << "/" << m.clients << " reconnected, "
        << c.confirmed << "/" << m.clients << " confirmed: " << c.by_snapshot << " by snapshot, "
        << c.by_resend << " by resend; ack errors: " << counted(c.ack_errors) << "\n"
        << "  confirm latency    p50 " << ms(f.confirm_latency_ms.p50) << ", p90 "
        << ms(f.confirm_latency_ms.p90) << ", p99 " << ms(f.confirm_latency_ms.p99) << ", max "
        << ms(f.confirm_latency_ms.max) << " after t0\n"
        << "  results            ";
    if (!m.results.error.empty()) {
        out << "not fetched: " << m.results.error << "\n";
    } else {
        out << "respondents " << m.results.respondents << " (expected " << m.clients << ");";
        for (const auto& option : m.results.options)
            out << " option " << option.id << ": " << option.votes << " votes (expected "
                << option.expected << ")";
        out << "\n";
    }
    if (failures.empty()) out << "PASS\n";
    for (const auto& failure : failures) out << "FAIL: " << failure << "\n";
}

nlohmann::json to_json(const Measurements& m, const Figures& f,
                       const std::vector<std::string>& failures) {
    const auto& c = m.counts;
    nlohmann::json options = nlohmann::json::array();
    for (const auto& option : m.results.options)
        options.push_back(
            {{"id", option.id}, {"votes", option.votes}, {"expected", option.expected}});
    const auto& latency = f.confirm_latency_ms;
    return {
        {"clients", m.clients},
        {"storm_started", m.storm_started},
        {"ready", c.ready},
        {"answers_written", c.answers_written},
        {"acks_before_drop", c.acks_before_drop},
        {"dropped", c.dropped},
        {"drop_reasons", c.drop_reasons},
        {"first_drop_ms", c.first_drop_ms},
        {"last_drop_ms", c.last_drop_ms},
        {"server_back_ms", f.server_back_ms ? nlohmann::json(*f.server_back_ms) : nullptr},
        {"attempts",
         {{"total", m.attempts.size()},
          {"failed", f.attempts_failed},
          {"failures", c.attempt_failures},
          {"peak_per_100ms", f.peak_attempts.count},
          {"peak_window_start_ms", f.peak_attempts.start_ms},
          {"peak_upgrades_per_100ms", f.peak_upgrades.count},
          {"peak_upgrades_window_start_ms", f.peak_upgrades.start_ms},
          {"per_second", f.attempts_per_second}}},
        {"reconnected", c.reconnected},
        {"confirmed",
         {{"total", c.confirmed}, {"by_snapshot", c.by_snapshot}, {"by_resend", c.by_resend}}},
        {"ack_errors", c.ack_errors},
        {"confirm_latency_ms",
         {{"p50", latency.p50}, {"p90", latency.p90}, {"p99", latency.p99}, {"max", latency.max}}},
        {"results",
         {{"error", m.results.error},
          {"respondents", m.results.respondents},
          {"options", options}}},
        {"passed", failures.empty()},
        {"failures", failures},
    };
}

}  // namespace storm
