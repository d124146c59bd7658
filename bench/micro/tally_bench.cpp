// Applying one response to a tally: what the writer thread does per committed answer.
#include "fixtures.hpp"

#include <benchmark/benchmark.h>

namespace voxpop::bench {
namespace {

// A changed answer on a single-choice poll: remove the old choice, add the new one.
void BM_TallyChangeSingle(benchmark::State& state) {
    auto poll = make_poll(PollType::single, 6, 10'000);
    Answer a{{1}, {}, 0};
    Answer b{{2}, {}, 0};
    for (auto _ : state) {
        poll->tally.remove(a);
        poll->tally.add(b);
        std::swap(a, b);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TallyChangeSingle);

void BM_TallyChangeMultiple(benchmark::State& state) {
    auto poll = make_poll(PollType::multiple, 10, 10'000);
    Answer a{{1, 3, 5}, {}, 0};
    Answer b{{2, 4, 6}, {}, 0};
    for (auto _ : state) {
        poll->tally.remove(a);
        poll->tally.add(b);
        std::swap(a, b);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TallyChangeMultiple);

// Three word-cloud entries in and out, on a cloud of `range(0)` distinct words.
void BM_TallyChangeWords(benchmark::State& state) {
    auto poll = make_poll(PollType::wordcloud, 0, 5'000, static_cast<int>(state.range(0)));
    Answer a{{}, {"word1", "word2", "word3"}, 0};
    Answer b{{}, {"word4", "word5", "word6"}, 0};
    for (auto _ : state) {
        poll->tally.remove(a);
        poll->tally.add(b);
        std::swap(a, b);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TallyChangeWords)->Arg(100)->Arg(2'000)->Arg(20'000);

}  // namespace
}  // namespace voxpop::bench
