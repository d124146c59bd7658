// Serialising a results message: once per push per poll (shared by every session).
#include "fixtures.hpp"

#include <benchmark/benchmark.h>

namespace voxpop::bench {
namespace {

void serialise(benchmark::State& state, const Poll& poll) {
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto text = results_message(poll);
        bytes = text.size();
        benchmark::DoNotOptimize(text);
    }
    state.counters["bytes"] = static_cast<double>(bytes);
    state.SetItemsProcessed(state.iterations());
}

void BM_ResultsSingle(benchmark::State& state) {
    auto poll = make_poll(PollType::single, static_cast<int>(state.range(0)), 10'000);
    serialise(state, *poll);
}
BENCHMARK(BM_ResultsSingle)->Arg(4)->Arg(30);

// Top 100 of `range(0)` distinct words: the sort dominates.
void BM_ResultsWordcloud(benchmark::State& state) {
    auto poll = make_poll(PollType::wordcloud, 0, 5'000, static_cast<int>(state.range(0)));
    serialise(state, *poll);
}
BENCHMARK(BM_ResultsWordcloud)->Arg(100)->Arg(2'000)->Arg(20'000);

void BM_ResultsRating(benchmark::State& state) {
    auto poll = make_poll(PollType::rating, 0, 10'000);
    serialise(state, *poll);
}
BENCHMARK(BM_ResultsRating);

}  // namespace
}  // namespace voxpop::bench
