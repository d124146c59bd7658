// What permessage-deflate would cost per phone: Beast compresses every outgoing message with
// the connection's own zlib::deflate_stream (websocket/detail/impl_base.hpp), so a results
// push serialised once is compressed once per connection. This measures that step on real
// results messages, with Beast's defaults (level 8, memLevel 4, 15 window bits) and with
// smaller windows, keeping the context between messages (the default) or not.
#include "fixtures.hpp"

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <boost/beast/zlib/deflate_stream.hpp>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace voxpop::bench {
namespace {

namespace zlib = boost::beast::zlib;

// One message through `stream` as Beast sends it: the whole payload, then a sync flush.
std::size_t compress(zlib::deflate_stream& stream, const std::string& message,
                     std::vector<unsigned char>& out) {
    zlib::z_params zs;
    zs.next_in = message.data();
    zs.avail_in = message.size();
    zs.next_out = out.data();
    zs.avail_out = out.size();
    boost::beast::error_code ec;
    stream.write(zs, zlib::Flush::sync, ec);
    return out.size() - zs.avail_out;
}

// Two consecutive pushes of one poll (one more answer counted in the second), alternating as
// a connection would send them. range(0): window bits; range(1): 1 keeps the compression
// context between messages (Beast's default), 0 resets it (no_context_takeover).
void run(benchmark::State& state, const std::array<std::string, 2>& pushes) {
    const int window_bits = static_cast<int>(state.range(0));
    const bool takeover = state.range(1) != 0;
    std::vector<unsigned char> out(pushes[0].size() * 2 + 64);
    // Memory one connection holds once it has compressed a message (zlib allocates lazily).
    const auto before = mallinfo2().uordblks;
    auto stream = std::make_unique<zlib::deflate_stream>();
    stream->reset(8, window_bits, 4, zlib::Strategy::normal);
    compress(*stream, pushes[1], out);
    const auto held = mallinfo2().uordblks - before;
    std::size_t compressed = 0, next = 0;
    for (auto _ : state) {
        if (!takeover) stream->reset();
        compressed = compress(*stream, pushes[next], out);
        next ^= 1;
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["bytes_in"] = static_cast<double>(pushes[0].size());
    state.counters["bytes_out"] = static_cast<double>(compressed);
    state.counters["KiB_per_conn"] = static_cast<double>(held) / 1024.0;
    state.SetItemsProcessed(state.iterations());
}

void BM_DeflateResultsSingle(benchmark::State& state) {
    run(state, {results_message(*make_poll(PollType::single, 4, 10'000)),
                results_message(*make_poll(PollType::single, 4, 10'001))});
}
BENCHMARK(BM_DeflateResultsSingle)->ArgsProduct({{15, 12, 9}, {1, 0}});

void BM_DeflateResultsWordcloud(benchmark::State& state) {
    run(state, {results_message(*make_poll(PollType::wordcloud, 0, 5'000, 2'000)),
                results_message(*make_poll(PollType::wordcloud, 0, 5'001, 2'000))});
}
BENCHMARK(BM_DeflateResultsWordcloud)->ArgsProduct({{15, 12, 9}, {1, 0}});

}  // namespace
}  // namespace voxpop::bench
