// Word normalisation (NFKC, case fold, white space): once per word-cloud entry.
#include "domain/words.hpp"
#include "fixtures.hpp"

#include <benchmark/benchmark.h>

namespace voxpop::bench {
namespace {

void BM_NormalizeWord(benchmark::State& state) {
    const auto& words = sample_words();
    std::size_t i = 0;
    for (auto _ : state) {
        auto key = normalize_word(words[i++ % words.size()]);
        benchmark::DoNotOptimize(key);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeWord);

void BM_NormalizeAsciiWord(benchmark::State& state) {
    const std::string word = "transformers";
    for (auto _ : state) {
        auto key = normalize_word(word);
        benchmark::DoNotOptimize(key);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeAsciiWord);

void BM_TidyText(benchmark::State& state) {
    const auto& words = sample_words();
    std::size_t i = 0;
    for (auto _ : state) {
        auto text = tidy_text(words[i++ % words.size()]);
        benchmark::DoNotOptimize(text);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TidyText);

}  // namespace
}  // namespace voxpop::bench
