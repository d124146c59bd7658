// The table bench/run.sh writes into docs/BENCHMARKS.md (bench/loadgen/table.hpp): it says
// which of issue 7's targets are met, so what it reports for repeated runs is checked here.
#include "table.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

using nlohmann::json;

namespace {

json ingest_run(double acks_per_second, std::uint64_t acked) {
    return {{"scenario", "ingest"},
            {"options", {{"connections", 1000}}},
            {"clients",
             {{"load",
               {{"acks_per_second_mean", acks_per_second},
                {"acks_per_second_peak", acks_per_second + 1000},
                {"seconds", 30},
                {"acks_ok", acked},
                {"acks_failed", 0},
                {"ack_latency",
                 {{"p50_ms", 40.0}, {"p90_ms", 60.0}, {"p99_ms", 80.0}, {"max_ms", 99.0}}}}}}}};
}

json rest_run(double requests_per_second) {
    return {{"scenario", "rest"},
            {"requests_per_second", requests_per_second},
            {"latency", "avg 2ms"},
            {"wrk", "-t2 -c128 -d15s"}};
}

std::vector<std::string> rows(const std::string& table) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < table.size()) {
        auto end = table.find('\n', start);
        auto line = table.substr(start, end - start);
        if (line.rfind("| ", 0) == 0 && line.rfind("| scenario", 0) != 0 &&
            line.rfind("| ---", 0) != 0)
            out.push_back(line);
        start = end == std::string::npos ? table.size() : end + 1;
    }
    return out;
}

// Each fragment must appear in the row.
void expect_fragments(const std::string& row, std::initializer_list<std::string_view> fragments) {
    for (auto fragment : fragments)
        EXPECT_NE(row.find(fragment), std::string::npos) << "\"" << fragment << "\" not in " << row;
}

}  // namespace

TEST(LoadgenTable, RepeatedIngestRunsShowTheMedianRunAndEveryFigure) {
    auto table = loadgen::benchmarks_table(
        {ingest_run(31'000, 930'000), ingest_run(24'000, 720'000), ingest_run(28'000, 840'000)});
    auto lines = rows(table);
    ASSERT_EQ(lines.size(), 1u) << table;
    // The median run's own figures, not the best run's and not an average, and the verdict on
    // them (28,000 < 30,000).
    expect_fragments(lines[0], {"28,000 acks/s mean", "840,000 acked",
                                "median of 3 runs: 24,000, 28,000, 31,000 acks/s", "| **no** |"});
}

TEST(LoadgenTable, ScenariosKeepTheirOrderAndASingleRunHasNoRunList) {
    auto table = loadgen::benchmarks_table(
        {ingest_run(32'000, 960'000), rest_run(41'000), rest_run(45'000), rest_run(39'000)});
    auto lines = rows(table);
    ASSERT_EQ(lines.size(), 2u) << table;
    EXPECT_EQ(lines[0].find("median of"), std::string::npos) << lines[0];
    expect_fragments(lines[0], {"| ingest", "| **yes** |"});
    expect_fragments(lines[1], {"| REST", "41,000 requests/s, latency",
                                "median of 3 runs: 39,000, 41,000, 45,000 requests/s"});
}

TEST(LoadgenTable, AnUnreadableRunIsReportedNotSkipped) {
    json broken = {{"scenario", "ingest"}, {"clients", json::object()}};
    auto lines = rows(loadgen::benchmarks_table({ingest_run(30'000, 900'000), broken}));
    ASSERT_EQ(lines.size(), 1u);
    expect_fragments(lines[0], {"result unreadable"});
}
