#include "options.hpp"

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <functional>
#include <map>
#include <sstream>

namespace loadgen {
namespace {

template <typename T>
T parse_number(const std::string& flag, const std::string& text) {
    T value{};
    if constexpr (std::is_floating_point_v<T>) {
        try {
            std::size_t used = 0;
            value = static_cast<T>(std::stod(text, &used));
            if (used != text.size()) throw std::invalid_argument(text);
        } catch (const std::exception&) {
            throw UsageError(flag + ": not a number: " + text);
        }
    } else {
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size())
            throw UsageError(flag + ": not an integer: " + text);
    }
    return value;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, separator);)
        if (!part.empty()) parts.push_back(part);
    return parts;
}

ScenarioKind parse_scenario(const std::string& text) {
    static const std::map<std::string, ScenarioKind> kinds = {
        {"hold", ScenarioKind::hold},           {"burst", ScenarioKind::burst},
        {"steady", ScenarioKind::steady},       {"ingest", ScenarioKind::ingest},
        {"wordcloud", ScenarioKind::wordcloud}, {"fill", ScenarioKind::fill}};
    auto it = kinds.find(text);
    if (it == kinds.end())
        throw UsageError("--scenario: one of hold|burst|steady|ingest|wordcloud|fill");
    return it->second;
}

void require(bool condition, const std::string& message) {
    if (!condition) throw UsageError(message);
}

}  // namespace

std::string to_string(ScenarioKind kind) {
    switch (kind) {
        case ScenarioKind::hold:
            return "hold";
        case ScenarioKind::burst:
            return "burst";
        case ScenarioKind::steady:
            return "steady";
        case ScenarioKind::ingest:
            return "ingest";
        case ScenarioKind::wordcloud:
            return "wordcloud";
        case ScenarioKind::fill:
            return "fill";
    }
    return "?";
}

bool is_loopback(const std::string& address) {
    boost::system::error_code ec;
    auto parsed = boost::asio::ip::make_address(address, ec);
    return !ec && parsed.is_loopback();
}

std::string usage() {
    return R"(Usage: voxpop-loadgen [options]
Drives a voxpop server on this machine with many WebSocket attendees and measures it.

Target (loopback only)
  --host ADDR                 server address, 127.0.0.0/8 or ::1 (default 127.0.0.1)
  --port N                    server port (default 8080)
  --event CODE                use this event instead of creating one
  --moderator-token T         the event's moderator token (needed with --event)
Scenario
  --scenario NAME             hold | burst | steady | ingest | wordcloud (default hold), or
                              fill: --connections participants answer --polls polls over
                              --join-pool keep-alive HTTP connections (no WebSockets)
  --connections N             attendee WebSockets / fill participants (default 1000)
  --ramp N                    new connections per second (default 2000)
  --max-pending N             connection attempts in flight (default 400)
  --duration S                seconds of load: hold time, steady/ingest time (default 10)
  --window S                  burst/wordcloud: every client answers within S s (default 5)
  --rate N                    steady: responses per second (default 1000)
  --options N                 options of the choice poll (default 4)
  --distinct-words N          wordcloud vocabulary (default 2000)
  --words-per-client N        wordcloud entries per client (default 3)
  --inflight N                ingest: responses in flight per client (default 1)
  --polls N                   fill: polls (default 50)
  --results-out FILE          fill: write "poll_id results-json" lines after filling
  --observers N               clients that check results for vote-to-screen (default 100)
  --probe-fraction F          steady: share of responses used as probes (default 0.01)
  --ping-interval S           JSON ping per client every S s, 0 = none (default 20)
  --settle S                  most seconds to wait for outstanding acks (default 10)
  --tail S                    seconds to wait for the last results pushes (default 2)
  --admin-token T             the server's admin token: report its write and commit counts
  --connect-timeout S         TCP connect + WebSocket handshake limit (default 15)
  --deadline S                hard cap on the whole run (default 900)
Machine
  --threads N                 io_contexts, one thread each (default 1, at most 8)
  --join-pool N               keep-alive HTTP connections used to join (default 8)
  --source-addrs A,B,...      local addresses to bind before connecting, round-robin
                              (e.g. 127.0.0.2,127.0.0.3: ~28k ports per address pair)
  --server-pid PID            read the server's RSS and CPU time from /proc
Output
  --out FILE                  write the JSON result here
  --label TEXT                copied into the JSON result
  --quiet                     no progress lines
  --table FILE...             (alone) print the docs/BENCHMARKS.md table for result files
  --help
)";
}

Options parse_options(int argc, char** argv) {
    Options o;
    auto real = [](double& target, double min,
                   double max) -> std::function<void(const std::string&, const std::string&)> {
        return [&target, min, max](const std::string& flag, const std::string& text) {
            target = parse_number<double>(flag, text);
            require(target >= min && target <= max, flag + ": must be in [" + std::to_string(min) +
                                                        ", " + std::to_string(max) + "]");
        };
    };
    auto integer = [](int& target, int min,
                      int max) -> std::function<void(const std::string&, const std::string&)> {
        return [&target, min, max](const std::string& flag, const std::string& text) {
            target = parse_number<int>(flag, text);
            require(target >= min && target <= max, flag + ": must be in [" + std::to_string(min) +
                                                        ", " + std::to_string(max) + "]");
        };
    };
    std::map<std::string, std::function<void(const std::string&, const std::string&)>> flags = {
        {"--host", [&](auto&, auto& v) { o.host = v == "localhost" ? "127.0.0.1" : v; }},
        {"--port",
         [&](auto& f, auto& v) {
             int port = parse_number<int>(f, v);
             require(port > 0 && port < 65536, f + ": 1..65535");
             o.port = static_cast<std::uint16_t>(port);
         }},
        {"--event", [&](auto&, auto& v) { o.event_code = v; }},
        {"--moderator-token", [&](auto&, auto& v) { o.moderator_token = v; }},
        {"--admin-token", [&](auto&, auto& v) { o.admin_token = v; }},
        {"--scenario", [&](auto&, auto& v) { o.scenario = parse_scenario(v); }},
        {"--connections", integer(o.connections, 1, 1'000'000)},
        {"--ramp", real(o.ramp, 1, 1e6)},
        {"--max-pending", integer(o.max_pending, 1, 100'000)},
        {"--duration", real(o.duration, 0, 3600)},
        {"--window", real(o.window, 0, 3600)},
        {"--rate", real(o.rate, 0.1, 1e7)},
        {"--options", integer(o.options, 2, 29)},
        {"--distinct-words", integer(o.distinct_words, 3, 1'000'000)},
        {"--words-per-client", integer(o.words_per_client, 1, 10)},
        {"--inflight", integer(o.inflight, 1, 64)},
        {"--observers", integer(o.observers, 0, 100'000)},
        {"--polls", integer(o.polls, 1, 10'000)},
        {"--results-out", [&](auto&, auto& v) { o.results_out = v; }},
        {"--probe-fraction", real(o.probe_fraction, 0, 1)},
        {"--ping-interval", real(o.ping_interval, 0, 3600)},
        {"--settle", real(o.settle, 0, 600)},
        {"--tail", real(o.tail, 0, 600)},
        {"--connect-timeout", real(o.connect_timeout, 0.1, 600)},
        {"--deadline", real(o.deadline, 1, 86'400)},
        {"--threads", integer(o.threads, 1, 8)},
        {"--join-pool", integer(o.join_pool, 1, 256)},
        {"--source-addrs", [&](auto&, auto& v) { o.source_addrs = split(v, ','); }},
        {"--server-pid", integer(o.server_pid, 1, 1 << 30)},
        {"--out", [&](auto&, auto& v) { o.out = v; }},
        {"--label", [&](auto&, auto& v) { o.label = v; }},
    };
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "--help" || flag == "-h") throw UsageError("");
        if (flag == "--quiet") {
            o.quiet = true;
            continue;
        }
        std::string value;
        if (auto eq = flag.find('='); eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
        } else {
            require(i + 1 < argc, flag + ": needs a value");
            value = argv[++i];
        }
        auto it = flags.find(flag);
        require(it != flags.end(), "unknown option " + flag);
        it->second(flag, value);
    }
    require(is_loopback(o.host),
            "--host: only loopback targets (127.0.0.0/8, ::1) are allowed, not " + o.host);
    for (const auto& source : o.source_addrs)
        require(is_loopback(source), "--source-addrs: " + source + " is not a loopback address");
    require(o.event_code.empty() == o.moderator_token.empty(),
            "--event and --moderator-token go together");
    require(o.words_per_client <= o.distinct_words, "--words-per-client exceeds --distinct-words");
    return o;
}

}  // namespace loadgen
