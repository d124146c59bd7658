#include "report.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace loadgen {
namespace {

std::string fmt(const char* format, double value) {
    char text[64];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

std::string latency_line(const nlohmann::json& summary) {
    if (!summary.contains("p50_ms")) return "no samples";
    std::ostringstream out;
    out << "p50 " << fmt("%.1f", summary["p50_ms"]) << " / p90 " << fmt("%.1f", summary["p90_ms"])
        << " / p99 " << fmt("%.1f", summary["p99_ms"]) << " / max "
        << fmt("%.1f", summary["max_ms"]) << " ms (" << summary["count"].get<std::uint64_t>()
        << " samples)";
    return out.str();
}

}  // namespace

nlohmann::json client_report(ShardStats& stats, double load_seconds) {
    nlohmann::json by_type = nlohmann::json::object();
    for (std::size_t i = 0; i < kMessageTypes; ++i)
        if (stats.messages_by_type[i])
            by_type[to_string(static_cast<MessageType>(i))] = stats.messages_by_type[i];
    const auto& series = stats.acks_per_second.buckets();
    std::uint64_t peak = 0;
    for (auto n : series) peak = std::max(peak, n);
    auto unanswered = stats.responses_sent - stats.acks_ok - stats.acks_failed;
    return {
        {"connections",
         {{"established", stats.connected},
          {"failed", stats.connect_failed},
          {"hello_refused", stats.hello_failed},
          {"dropped", stats.dropped},
          {"failures", stats.failures},
          {"connect_ms", stats.connect_latency.summary()}}},
        {"load",
         {{"seconds", load_seconds},
          {"responses_sent", stats.responses_sent},
          {"acks_ok", stats.acks_ok},
          {"acks_failed", stats.acks_failed},
          {"ack_errors", stats.ack_errors},
          {"unanswered", unanswered},
          {"acks_per_second_mean",
           load_seconds > 0 ? static_cast<double>(stats.acks_ok) / load_seconds : 0.0},
          {"acks_per_second_peak", peak},
          {"acks_per_second_series", series},
          {"ack_latency", stats.ack_latency.summary()}}},
        {"messages",
         {{"received", stats.messages},
          {"bytes", stats.bytes},
          {"by_type", by_type},
          {"results_max_bytes", stats.results_max_bytes},
          {"snapshot_max_bytes", stats.snapshot_max_bytes}}},
        {"pings",
         {{"sent", stats.pings_sent}, {"pongs", stats.pongs}, {"rtt", stats.ping_rtt.summary()}}},
    };
}

nlohmann::json vote_to_screen_report(VoteToScreen& figures, const std::string& method) {
    return {{"method", method},
            {"samples", figures.samples},
            {"observers", figures.observers},
            {"estimate", figures.by_rank.summary()},
            {"unseen_estimate", figures.unseen_by_rank},
            {"bound", figures.bound.summary()},
            {"unseen_bound", figures.unseen_bound}};
}

std::string human_summary(const nlohmann::json& r) {
    std::ostringstream out;
    const auto& c = r["clients"]["connections"];
    const auto& load = r["clients"]["load"];
    out << "voxpop-loadgen " << r["scenario"].get<std::string>() << " against "
        << r["target"]["host"].get<std::string>() << ":" << r["target"]["port"] << " event "
        << r["target"]["event"].get<std::string>() << "\n";
    out << "  joined        " << r["join"]["joined"] << " in " << fmt("%.2f", r["join"]["seconds"])
        << " s (" << r["join"]["failed"] << " failed)\n";
    out << "  connections   " << c["established"] << " of " << r["options"]["connections"]
        << " established, " << c["failed"] << " failed, " << c["dropped"] << " dropped\n";
    if (!c["failures"].empty()) out << "  failures      " << c["failures"].dump() << "\n";
    out << "  connect       " << latency_line(c["connect_ms"]) << "\n";
    out << "  responses     " << load["responses_sent"] << " sent, " << load["acks_ok"]
        << " acked ok, " << load["acks_failed"] << " refused, " << load["unanswered"]
        << " unanswered";
    if (!load["ack_errors"].empty()) out << " " << load["ack_errors"].dump();
    out << "\n";
    out << "  acks/s        mean " << fmt("%.0f", load["acks_per_second_mean"]) << " over "
        << fmt("%.1f", load["seconds"]) << " s, peak second " << load["acks_per_second_peak"]
        << "\n";
    out << "  ack latency   " << latency_line(load["ack_latency"]) << "\n";
    if (r.contains("vote_to_screen")) {
        const auto& v = r["vote_to_screen"];
        out << "  vote→screen   bound:    " << latency_line(v["bound"]) << ", unseen "
            << v["unseen_bound"] << "\n";
        out << "                estimate: " << latency_line(v["estimate"]) << ", unseen "
            << v["unseen_estimate"] << " (" << v["observers"] << " observers)\n";
    }
    const auto& m = r["clients"]["messages"];
    out << "  received      " << m["received"] << " messages, "
        << fmt("%.1f", m["bytes"].get<double>() / 1048576.0) << " MiB " << m["by_type"].dump()
        << ", largest results " << m["results_max_bytes"] << " B\n";
    const auto& p = r["clients"]["pings"];
    out << "  pings         " << p["sent"] << " sent, " << p["pongs"] << " pongs, rtt "
        << latency_line(p["rtt"]) << "\n";
    if (r.contains("server") && r["server"].contains("rss_growth_per_connection_kib")) {
        const auto& s = r["server"];
        out << "  server        RSS " << s["rss_before_connect_kib"] << " -> "
            << s["rss_after_connect_kib"] << " KiB ("
            << fmt("%.2f", s["rss_growth_per_connection_kib"]) << " KiB per connection), CPU "
            << fmt("%.2f", s["cpu_load_s"]) << " s during the load ("
            << fmt("%.0f", s["cpu_load_percent"]) << "% of one core)\n";
    }
    if (r.contains("server") && r["server"].contains("writer")) {
        const auto& w = r["server"]["writer"];
        out << "  server writer " << w["jobs"] << " writes in " << w["commits"]
            << " group commits (" << fmt("%.1f", w["writes_per_commit"]) << " per commit), "
            << w["failed_commits"] << " failed\n";
    }
    if (r.contains("loadgen"))
        out << "  loadgen       CPU " << fmt("%.2f", r["loadgen"]["cpu_s"]) << " s, peak RSS "
            << r["loadgen"]["peak_rss_kib"] << " KiB\n";
    if (r.contains("verify") && r["verify"].contains("respondents"))
        out << "  server counts respondents " << r["verify"]["respondents"] << ", votes "
            << r["verify"]["votes_total"] << "\n";
    return out.str();
}

void write_json(const std::string& path, const nlohmann::json& result) {
    std::ofstream file(path);
    if (!file) throw std::runtime_error("cannot write " + path);
    file << result.dump(2) << "\n";
    if (!file) throw std::runtime_error("cannot write " + path);
}

}  // namespace loadgen
