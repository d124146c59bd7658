// The table bench/run.sh writes into docs/BENCHMARKS.md (bench/loadgen/table.hpp): it says
// which of issue 7's targets are met, so what it reports for repeated runs is checked here.
#include "table.hpp"

#include <gtest/gtest.h>

#include <string>
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

}  // namespace

TEST(LoadgenTable, RepeatedIngestRunsShowTheMedianRunAndEveryFigure) {
    auto table = loadgen::benchmarks_table(
        {ingest_run(31'000, 930'000), ingest_run(24'000, 720'000), ingest_run(28'000, 840'000)});
    auto lines = rows(table);
    ASSERT_EQ(lines.size(), 1u) << table;
    // The median run's own figures, not the best run's and not an average.
    EXPECT_NE(lines[0].find("28,000 acks/s mean"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("840,000 acked"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("median of 3 runs: 24,000, 28,000, 31,000 acks/s"), std::string::npos)
        << lines[0];
    EXPECT_NE(lines[0].find("| **no** |"), std::string::npos) << "judged on the median (28,000)";
}

TEST(LoadgenTable, ScenariosKeepTheirOrderAndASingleRunHasNoRunList) {
    auto table = loadgen::benchmarks_table(
        {ingest_run(32'000, 960'000), rest_run(41'000), rest_run(45'000), rest_run(39'000)});
    auto lines = rows(table);
    ASSERT_EQ(lines.size(), 2u) << table;
    EXPECT_EQ(lines[0].find("median of"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("| **yes** |"), std::string::npos) << lines[0];
    EXPECT_EQ(lines[1].rfind("| REST", 0), 0u) << lines[1];
    EXPECT_NE(lines[1].find("41,000 requests/s, latency"), std::string::npos) << lines[1];
    EXPECT_NE(lines[1].find("median of 3 runs: 39,000, 41,000, 45,000 requests/s"),
              std::string::npos)
        << lines[1];
}

TEST(LoadgenTable, AnUnreadableRunIsReportedNotSkipped) {
    json broken = {{"scenario", "ingest"}, {"clients", json::object()}};
    auto lines = rows(loadgen::benchmarks_table({ingest_run(30'000, 900'000), broken}));
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("result unreadable"), std::string::npos) << lines[0];
}
