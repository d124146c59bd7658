// voxpop-restart-storm: proves that a server restart with thousands of connected browsers
// goes well. N participants connect and each answers a poll; the moment the last answer is
// on the wire the server gets SIGTERM (t0). Every client then does what web/js/live.js
// does: reconnects with capped exponential backoff and full jitter, says hello, resyncs from
// the snapshot and resends an answer the snapshot does not hold, with the same ref. Passes
// when every client is back and confirmed, the results count every answer exactly once, and
// the reconnects were spread out rather than one thundering instant. Something else
// (tests/restart_storm.sh) must start the server again.

#include "loadgen/http_client.hpp"
#include "report.hpp"
#include "storm_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>

#include <sys/resource.h>
#include <atomic>
#include <csignal>
#include <fstream>
#include <future>
#include <iostream>
#include <system_error>
#include <thread>

namespace storm {
namespace {

constexpr const char* kUsage = R"(usage: voxpop-restart-storm --port P --server-pid PID [options]
  --host ADDR        server address, loopback only (default 127.0.0.1)
  --port P           server port (required)
  --server-pid PID   the server process that gets SIGTERM at t0 (required)
  --clients N        connected participants (default 2000)
  --ramp N           connections opened per second at the start (default 500)
  --deadline-s S     give up this many seconds after the start (default 60)
  --out FILE         also write the report as JSON to FILE
Exit status: 0 all checks passed, 1 a check failed, 2 bad usage.
)";

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    pid_t server_pid = 0;
    std::size_t clients = 2000;
    std::size_t ramp_per_s = 500;
    int deadline_s = 60;
    std::string out;
};

long long parse_integer(const std::string& flag, const std::string& text, long long min,
                        long long max) {
    std::size_t used = 0;
    long long value = 0;
    try {
        value = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || value < min || value > max)
        throw UsageError(flag + ": expected an integer in [" + std::to_string(min) + ", " +
                         std::to_string(max) + "], got '" + text + "'");
    return value;
}

bool is_loopback(const std::string& host) {
    boost::system::error_code ec;
    auto address = net::ip::make_address(host, ec);
    return !ec && address.is_loopback();
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "--help" || flag == "-h") throw UsageError("");
        if (i + 1 >= argc) throw UsageError(flag + ": needs a value");
        std::string value = argv[++i];
        if (flag == "--host")
            o.host = value;
        else if (flag == "--port")
            o.port = parse_integer(flag, value, 1, 65535);
        else if (flag == "--server-pid")
            o.server_pid = parse_integer(flag, value, 2, 1 << 30);
        else if (flag == "--clients")
            o.clients = parse_integer(flag, value, 1, 100'000);
        else if (flag == "--ramp")
            o.ramp_per_s = parse_integer(flag, value, 1, 100'000);
        else if (flag == "--deadline-s")
            o.deadline_s = parse_integer(flag, value, 1, 3600);
        else if (flag == "--out")
            o.out = value;
        else
            throw UsageError("unknown flag " + flag);
    }
    if (o.port == 0) throw UsageError("--port is required");
    if (o.server_pid == 0) throw UsageError("--server-pid is required");
    // This tool opens thousands of connections and kills a process: never at another host.
    if (!is_loopback(o.host))
        throw UsageError("--host: only loopback targets (127.0.0.0/8, ::1) are allowed, not " +
                         o.host);
    if (::kill(o.server_pid, 0) != 0) throw UsageError("--server-pid: no such process");
    return o;
}

// One file descriptor per WebSocket: 2,000 clients need more than the usual soft 1024.
void raise_open_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
}

// --- Setup over REST ---------------------------------------------------------------------

struct Setup {
    std::string code;
    std::int64_t poll_id = 0;
    std::vector<std::int64_t> option_ids;
    std::vector<std::string> tokens;  // one participant per client
};

std::vector<std::string> join_participants(const Options& o, const std::string& code) {
    // Each join is a durable commit; a few joiners at once let the server batch them.
    constexpr std::size_t kJoiners = 8;
    std::vector<std::string> tokens(o.clients);
    std::atomic<std::size_t> next{0};
    std::vector<std::future<void>> joiners;
    for (std::size_t j = 0; j < kJoiners; ++j)
        joiners.push_back(std::async(std::launch::async, [&] {
            loadgen::HttpClient http(o.host, o.port);
            for (auto i = next++; i < tokens.size(); i = next++)
                tokens[i] = http.call("POST", "/api/events/" + code + "/join")
                                .at("participant_token")
                                .get<std::string>();
        }));
    for (auto& joiner : joiners) joiner.get();  // rethrows a joiner's failure
    return tokens;
}

Setup set_up(const Options& o) {
    loadgen::HttpClient http(o.host, o.port);
    Setup setup;
    auto event = http.call("POST", "/api/events", {{"title", "storm"}});
    setup.code = event.at("code").get<std::string>();
    std::string moderator = event.at("moderator_token");
    auto poll = http.call("POST", "/api/events/" + setup.code + "/polls",
                          {{"type", "single"},
                           {"question", "q"},
                           {"options", {"a", "b", "c"}},
                           {"results", "live"},
                           {"allow_change", true}},
                          moderator);
    setup.poll_id = poll.at("id");
    for (const auto& option : poll.at("options")) setup.option_ids.push_back(option.at("id"));
    http.call("PATCH", "/api/polls/" + std::to_string(setup.poll_id), {{"state", "open"}},
              moderator);
    setup.tokens = join_participants(o, setup.code);
    return setup;
}

// --- The storm ---------------------------------------------------------------------------

using ClientList = std::vector<std::shared_ptr<StormClient>>;

std::int64_t option_of(const Setup& setup, std::size_t client) {
    return setup.option_ids[client % setup.option_ids.size()];
}

Target make_target(const Options& o, const Setup& setup) {
    auto address = net::ip::make_address(o.host);
    std::string host = address.is_v6() ? "[" + o.host + "]" : o.host;
    std::string host_port = host + ":" + std::to_string(o.port);
    return {tcp::endpoint(address, o.port), host_port, "http://" + host_port,
            "/ws/events/" + setup.code, setup.poll_id};
}

// Runs the io_context until `done()`; false when the deadline came first.
bool run_until(net::io_context& ioc, Clock::time_point deadline,
               const std::function<bool()>& done) {
    while (!done()) {
        if (Clock::now() >= deadline) return false;
        ioc.run_one_until(deadline);
    }
    return true;
}

// Every client answers, and the moment the last answer is written (acks not awaited) the
// server gets SIGTERM: some answers are then committed and acked, some committed with the
// ack lost in the close, some never read. Each kind must end up counted exactly once.
void answer_and_pull_the_plug(Swarm& swarm, const ClientList& clients, pid_t server_pid) {
    swarm.when_all_answers_written(clients.size(), [&swarm, server_pid] {
        if (::kill(server_pid, SIGTERM) != 0)
            throw std::system_error(errno, std::generic_category(), "SIGTERM to the server");
        swarm.mark_t0();
    });
    for (const auto& client : clients) client->respond();
}

void stop_all(net::io_context& ioc, const ClientList& clients) {
    for (const auto& client : clients) client->stop();
    ioc.run_for(std::chrono::seconds(2));  // lets the aborted handlers finish
}

ServerResults fetch_results(const Options& o, const Setup& setup) {
    ServerResults results;
    for (std::size_t i = 0; i < setup.option_ids.size(); ++i)
        results.options.push_back({setup.option_ids[i], 0});
    for (std::size_t client = 0; client < o.clients; ++client)
        ++results.options[client % setup.option_ids.size()].expected;
    try {
        loadgen::HttpClient http(o.host, o.port, std::chrono::seconds(5));
        auto body = http.call("GET", "/api/polls/" + std::to_string(setup.poll_id) + "/results");
        results.respondents = body.at("respondents");
        for (const auto& option : body.at("options"))
            for (auto& tally : results.options)
                if (tally.id == option.at("id")) tally.votes = option.at("votes");
    } catch (const std::exception& error) {
        results.error = error.what();
    }
    return results;
}

std::vector<std::string> failed_checks(const Measurements& m, const Figures& f) {
    std::vector<std::string> failures;
    auto n = std::to_string(m.clients);
    const auto& c = m.counts;
    if (!m.storm_started)
        failures.push_back("only " + std::to_string(c.ready) + " of " + n +
                           " clients were ready before the deadline: no storm");
    if (c.reconnected != m.clients)
        failures.push_back(std::to_string(c.reconnected) + " of " + n + " clients reconnected");
    if (c.confirmed != m.clients)
        failures.push_back(std::to_string(c.confirmed) + " of " + n + " clients confirmed");
    if (!m.results.error.empty()) {
        failures.push_back("results not fetched: " + m.results.error);
    } else {
        if (m.results.respondents != static_cast<std::int64_t>(m.clients))
            failures.push_back("respondents " + std::to_string(m.results.respondents) +
                               ", expected exactly " + n);
        for (const auto& option : m.results.options)
            if (option.votes != option.expected)
                failures.push_back("option " + std::to_string(option.id) + " has " +
                                   std::to_string(option.votes) + " votes, expected " +
                                   std::to_string(option.expected));
    }
    if (f.peak_attempts.count > m.clients / 2)
        failures.push_back("reconnects not spread: " + std::to_string(f.peak_attempts.count) +
                           " attempts within 100 ms (limit " + std::to_string(m.clients / 2) + ")");
    return failures;
}

int run(const Options& o, Clock::time_point deadline) {
    auto setup = set_up(o);
    net::io_context ioc;
    auto keep_running = net::make_work_guard(ioc);  // run_one_until waits, never runs dry
    Swarm swarm(ioc, make_target(o, setup));
    ClientList clients;
    for (std::size_t i = 0; i < o.clients; ++i) {
        clients.push_back(
            std::make_shared<StormClient>(swarm, i, setup.tokens[i], option_of(setup, i)));
        clients.back()->connect_after(std::chrono::milliseconds(i * 1000 / o.ramp_per_s));
    }

    Measurements m;
    m.clients = o.clients;
    if (run_until(ioc, deadline, [&] { return swarm.counts().ready == o.clients; })) {
        m.storm_started = true;
        answer_and_pull_the_plug(swarm, clients, o.server_pid);
        run_until(ioc, deadline, [&] { return swarm.counts().confirmed == o.clients; });
    }
    keep_running.reset();
    stop_all(ioc, clients);

    m.counts = swarm.counts();
    m.attempts = swarm.attempts();
    for (const auto& client : clients)
        if (auto at = client->confirmed_ms()) m.confirm_ms.push_back(*at);
    m.results = fetch_results(o, setup);
    auto figures = summarize(m);
    auto failures = failed_checks(m, figures);
    print_summary(std::cout, m, figures, failures);
    if (!o.out.empty()) std::ofstream(o.out) << to_json(m, figures, failures).dump(2) << "\n";
    return failures.empty() ? 0 : 1;
}

}  // namespace
}  // namespace storm

int main(int argc, char** argv) {
    storm::Options options;
    try {
        options = storm::parse_options(argc, argv);
    } catch (const storm::UsageError& error) {
        if (*error.what()) std::cerr << "voxpop-restart-storm: " << error.what() << "\n";
        std::cerr << storm::kUsage;
        return 2;
    }
    auto deadline = storm::Clock::now() + std::chrono::seconds(options.deadline_s);
    storm::raise_open_file_limit();
    try {
        return storm::run(options, deadline);
    } catch (const std::exception& error) {
        std::cerr << "voxpop-restart-storm: " << error.what() << "\n";
        return 1;
    }
}
