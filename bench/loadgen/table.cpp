#include "table.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>
#include <utility>

namespace loadgen {
namespace {

using nlohmann::json;

// The scenario sizes and targets of issue 7.
constexpr int kHoldConnections = 15'000;
constexpr double kHoldSeconds = 60;
constexpr double kHoldKibPerConnection = 10;
constexpr int kBurstConnections = 10'000;
constexpr double kBurstAckP99 = 250;
constexpr double kBurstScreenP99 = 600;
constexpr int kSteadyConnections = 10'000;
constexpr double kSteadyRate = 5'000;
constexpr double kSteadyAckP99 = 50;
constexpr double kSteadyScreenP99 = 400;
constexpr double kIngestRate = 30'000;
constexpr double kIngestStretch = 50'000;
constexpr int kWordcloudConnections = 5'000;
constexpr double kWordcloudMaxBytes = 64 * 1024;
constexpr double kWordcloudScreenP99 = 600;
constexpr double kRestartSeconds = 3;
constexpr std::int64_t kRestartResponses = 1'000'000;
constexpr double kRestRate = 40'000;

std::string num(double value, int decimals = 0) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string thousands(double value) {
    auto text = num(value);
    std::string out;
    int digits = 0;
    for (auto it = text.rbegin(); it != text.rend(); ++it) {
        if (digits && digits % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
        out.insert(out.begin(), *it);
        ++digits;
    }
    return out;
}

double p99(const json& summary) {
    return summary.value("p99_ms", -1.0);
}

std::string latency(const json& summary) {
    if (!summary.contains("p99_ms")) return "no samples";
    return "p50 " + num(summary["p50_ms"], 1) + " / p90 " + num(summary["p90_ms"], 1) + " / p99 " +
           num(summary["p99_ms"], 1) + " / max " + num(summary["max_ms"], 1) + " ms";
}

std::string verdict(bool met, bool full_size) {
    if (met) return full_size ? "**yes**" : "yes, at this smaller size";
    return full_size ? "**no**" : "no, even at this smaller size";
}

struct Row {
    std::string scenario, target, measured, met;
};

std::uint64_t u(const json& value) {
    return value.is_number() ? value.get<std::uint64_t>() : 0;
}

Row hold_row(const json& r) {
    const auto& c = r["clients"]["connections"];
    auto wanted = r["options"]["connections"].get<int>();
    double seconds = r["clients"]["load"]["seconds"];
    double per =
        r.contains("server") ? r["server"].value("rss_growth_per_connection_kib", -1.0) : -1.0;
    bool met = u(c["established"]) == static_cast<std::uint64_t>(wanted) && u(c["dropped"]) == 0 &&
               per >= 0 && per <= kHoldKibPerConnection;
    return {
        "hold: " + thousands(wanted) + " WebSockets idle " + num(seconds) + " s, JSON ping every " +
            num(r["options"]["ping_interval"]) + " s",
        "all connected, none dropped for 60 s; server RSS growth ≤ 10 KiB per connection (15,000)",
        thousands(u(c["established"])) + " connected, " + thousands(u(c["failed"])) + " failed, " +
            thousands(u(c["dropped"])) + " dropped; RSS " +
            (per >= 0 ? "+" + num(per, 2) + " KiB per connection" : "not measured") + "; connect " +
            latency(c["connect_ms"]),
        verdict(met, wanted >= kHoldConnections && seconds >= kHoldSeconds - 0.5)};
}

std::string screen(const json& r) {
    if (!r.contains("vote_to_screen")) return "not measured";
    const auto& v = r["vote_to_screen"];
    return latency(v["bound"]) + " (bound; estimate p99 " + num(p99(v["estimate"]), 1) + " ms; " +
           thousands(u(v["samples"])) + " samples, " + thousands(u(v["observers"])) +
           " observers, unseen " + std::to_string(u(v["unseen_bound"])) + ")";
}

double screen_p99(const json& r) {
    if (!r.contains("vote_to_screen")) return -1;
    const auto& v = r["vote_to_screen"];
    if (u(v["unseen_bound"]) > 0) return 1e18;
    return p99(v["bound"]);
}

std::string cpu(const json& r) {
    if (!r.contains("server") || !r["server"].contains("cpu_load_s")) return "";
    std::string text = "; server CPU " + num(r["server"]["cpu_load_s"], 1) + " s over the load (" +
                       num(r["server"]["cpu_load_percent"]) + "% of one core), loadgen CPU " +
                       num(r["loadgen"]["cpu_s"], 1) + " s in all";
    if (r["server"].contains("writer"))
        text +=
            "; " + num(r["server"]["writer"]["writes_per_commit"], 1) + " writes per group commit";
    return text;
}

Row burst_row(const json& r) {
    const auto& load = r["clients"]["load"];
    auto wanted = r["options"]["connections"].get<int>();
    auto respondents = r["verify"].value("respondents", std::int64_t{-1});
    bool counted =
        u(load["acks_ok"]) == u(load["responses_sent"]) &&
        respondents == static_cast<std::int64_t>(u(load["acks_ok"])) &&
        u(r["clients"]["connections"]["established"]) == static_cast<std::uint64_t>(wanted);
    double ack = p99(load["ack_latency"]);
    double v2s = screen_p99(r);
    bool met = counted && ack >= 0 && ack <= kBurstAckP99 && v2s >= 0 && v2s <= kBurstScreenP99;
    return {"burst: " + thousands(wanted) + " clients answer one single-choice poll within " +
                num(r["options"]["window"]) + " s",
            "every vote acknowledged and counted; p99 ack ≤ 250 ms; p99 vote-to-screen ≤ 600 ms "
            "(10,000)",
            thousands(u(load["responses_sent"])) + " sent, " + thousands(u(load["acks_ok"])) +
                " acked, server counts " + std::to_string(respondents) + "; ack " +
                latency(load["ack_latency"]) + "; vote-to-screen " + screen(r) + cpu(r),
            verdict(met, wanted >= kBurstConnections)};
}

Row steady_row(const json& r) {
    const auto& load = r["clients"]["load"];
    auto wanted = r["options"]["connections"].get<int>();
    double rate = r["options"]["rate"];
    double achieved = load["acks_per_second_mean"];
    double ack = p99(load["ack_latency"]);
    double v2s = screen_p99(r);
    bool met = achieved >= 0.95 * rate && ack >= 0 && ack <= kSteadyAckP99 && v2s >= 0 &&
               v2s <= kSteadyScreenP99 && u(load["acks_failed"]) == 0;
    return {"steady: " + thousands(wanted) + " clients, " + thousands(rate) +
                " responses/s (answer changes) for " + num(load["seconds"]) + " s",
            "p99 ack ≤ 50 ms; p99 vote-to-screen ≤ 400 ms; server CPU reported (10,000 clients, "
            "5,000/s, 30 s)",
            thousands(achieved) + " acks/s; ack " + latency(load["ack_latency"]) +
                "; vote-to-screen " + screen(r) + cpu(r),
            verdict(met, wanted >= kSteadyConnections && rate >= kSteadyRate)};
}

Row ingest_row(const json& r) {
    const auto& load = r["clients"]["load"];
    auto wanted = r["options"]["connections"].get<int>();
    double achieved = load["acks_per_second_mean"];
    bool met = achieved >= kIngestRate;
    std::string met_text = verdict(met, wanted >= 1000);
    if (achieved >= kIngestStretch) met_text += " (stretch met too)";
    return {"ingest: " + thousands(wanted) + " clients answering as fast as acks return, " +
                num(load["seconds"]) + " s, synchronous=FULL",
            "≥ 30,000 durable responses/s (stretch 50,000)",
            thousands(achieved) + " acks/s mean, peak second " +
                thousands(u(load["acks_per_second_peak"])) + "; " + thousands(u(load["acks_ok"])) +
                " acked, " + thousands(u(load["acks_failed"])) + " refused; ack " +
                latency(load["ack_latency"]) + cpu(r),
            met_text};
}

Row wordcloud_row(const json& r) {
    const auto& m = r["clients"]["messages"];
    auto wanted = r["options"]["connections"].get<int>();
    double largest = u(m["results_max_bytes"]);
    double v2s = screen_p99(r);
    bool met =
        largest > 0 && largest < kWordcloudMaxBytes && v2s >= 0 && v2s <= kWordcloudScreenP99;
    return {
        "wordcloud: " + thousands(wanted) + " clients × " + num(r["options"]["words_per_client"]) +
            " entries, " + thousands(r["options"]["distinct_words"]) + " distinct words, within " +
            num(r["options"]["window"]) + " s",
        "results messages < 64 KiB (top-N words); p99 vote-to-screen ≤ 600 ms (5,000 clients)",
        "largest results " + thousands(largest) + " B; ack " +
            latency(r["clients"]["load"]["ack_latency"]) + "; vote-to-screen " + screen(r) + cpu(r),
        verdict(met, wanted >= kWordcloudConnections)};
}

Row restart_row(const json& r) {
    auto responses = r.value("responses", std::int64_t{0});
    double ready = r.value("exact_results_s", -1.0);
    bool exact = r.value("exact", false);
    bool met = exact && ready >= 0 && ready <= kRestartSeconds;
    return {"restart: " + thousands(static_cast<double>(responses)) + " responses over " +
                std::to_string(r.value("polls", 0)) + " polls",
            "/healthz and exact results within 3 s of start (1,000,000 responses, 50 polls)",
            "/healthz after " + num(r.value("healthz_s", -1.0), 2) + " s, every poll's results " +
                (exact ? "identical" : "DIFFERENT") + " after " + num(ready, 2) + " s",
            verdict(met, responses >= kRestartResponses)};
}

Row rest_row(const json& r) {
    double rate = r.value("requests_per_second", 0.0);
    return {"REST: GET results, wrk " + r.value("wrk", std::string{}), "≥ 40,000 requests/s",
            thousands(rate) + " requests/s, latency " + r.value("latency", std::string{}) +
                ", errors " + r.value("errors", std::string{"0"}),
            verdict(rate >= kRestRate, true)};
}

// The figure a repeated scenario is judged by, and its unit; scenarios run once have none.
std::optional<std::pair<double, const char*>> headline(const json& r) {
    auto scenario = r.value("scenario", std::string{});
    if (scenario == "ingest")
        return std::pair{r.at("clients").at("load").at("acks_per_second_mean").get<double>(),
                         "acks/s"};
    if (scenario == "rest") return std::pair{r.value("requests_per_second", 0.0), "requests/s"};
    return std::nullopt;
}

Row row_for(const json& r) {
    auto scenario = r.value("scenario", std::string{});
    try {
        if (scenario == "hold") return hold_row(r);
        if (scenario == "burst") return burst_row(r);
        if (scenario == "steady") return steady_row(r);
        if (scenario == "ingest") return ingest_row(r);
        if (scenario == "wordcloud") return wordcloud_row(r);
        if (scenario == "restart") return restart_row(r);
        if (scenario == "rest") return rest_row(r);
    } catch (const std::exception& error) {
        return {scenario, "", std::string("result unreadable: ") + error.what(), "—"};
    }
    return {};
}

// Several runs of one scenario: the row of the median run (by its headline figure), followed
// by every run's figure, so one lucky or unlucky minute of a drifting machine decides nothing.
// A scenario without a headline figure shows its last run.
Row median_row(const std::vector<const json*>& runs) {
    std::vector<std::pair<double, const json*>> ranked;
    const char* unit = "";
    try {
        for (const json* run : runs) {
            auto figure = headline(*run);
            if (!figure) return row_for(*runs.back());
            ranked.emplace_back(figure->first, run);
            unit = figure->second;
        }
    } catch (const std::exception& error) {
        return {runs.front()->value("scenario", std::string{}), "",
                std::string("result unreadable: ") + error.what(), "—"};
    }
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    Row row = row_for(*ranked[ranked.size() / 2].second);
    row.measured += "; median of " + std::to_string(ranked.size()) + " runs:";
    for (std::size_t i = 0; i < ranked.size(); ++i)
        row.measured += (i ? ", " : " ") + thousands(ranked[i].first);
    row.measured += std::string(" ") + unit;
    return row;
}

}  // namespace

std::string benchmarks_table(const std::vector<json>& results) {
    // Group the runs of each scenario, in the order the scenarios first appear.
    std::vector<std::pair<std::string, std::vector<const json*>>> scenarios;
    for (const auto& r : results) {
        auto name = r.value("scenario", std::string{});
        auto it = std::find_if(scenarios.begin(), scenarios.end(),
                               [&](const auto& group) { return group.first == name; });
        if (it == scenarios.end()) it = scenarios.insert(scenarios.end(), {name, {}});
        it->second.push_back(&r);
    }
    std::ostringstream out;
    out << "| scenario | target | measured | met? |\n| --- | --- | --- | --- |\n";
    for (const auto& [scenario, runs] : scenarios) {
        Row row = runs.size() > 1 ? median_row(runs) : row_for(*runs.front());
        if (row.scenario.empty()) continue;  // not a scenario of issue 7
        out << "| " << row.scenario << " | " << row.target << " | " << row.measured << " | "
            << row.met << " |\n";
    }
    return out.str();
}

}  // namespace loadgen
