// CSV export of a large poll and of a whole event.
#include "app/export.hpp"
#include "fixtures.hpp"

#include <benchmark/benchmark.h>

namespace voxpop::bench {
namespace {

void BM_CsvExportWordcloudPoll(benchmark::State& state) {
    auto event = make_event(1, PollType::wordcloud, static_cast<int>(state.range(0)));
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto csv = results_csv(*event, std::int64_t{1});
        bytes = csv.size();
        benchmark::DoNotOptimize(csv);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}
BENCHMARK(BM_CsvExportWordcloudPoll)->Arg(20'000)->Unit(benchmark::kMillisecond);

void BM_CsvExportEvent(benchmark::State& state) {
    auto event = make_event(static_cast<int>(state.range(0)), PollType::single, 20'000);
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto csv = results_csv(*event);
        bytes = csv.size();
        benchmark::DoNotOptimize(csv);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}
BENCHMARK(BM_CsvExportEvent)->Arg(50)->Unit(benchmark::kMillisecond);

void BM_CsvField(benchmark::State& state) {
    const std::string value = "=HYPERLINK(\"http://example.com\",\"click \"\"me\"\"\")";
    for (auto _ : state) {
        auto field = csv_field(value);
        benchmark::DoNotOptimize(field);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CsvField);

}  // namespace
}  // namespace voxpop::bench
