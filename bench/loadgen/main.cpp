// voxpop-loadgen: many WebSocket attendees against a voxpop server on this machine.
// Phases: set up the event and poll over REST, join participants, ramp the connections,
// drive the scenario, wait for the acks and the last results, verify the server's counts,
// report. Every phase has a time limit and the whole run a deadline.
#include "http_client.hpp"
#include "http_pool.hpp"
#include "options.hpp"
#include "proc_stats.hpp"
#include "report.hpp"
#include "shard.hpp"
#include "table.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <thread>

namespace loadgen {
namespace {

struct Deadline {
    std::int64_t at_us;
    bool passed() const { return now_us() >= at_us; }
    std::int64_t left_us() const { return std::max<std::int64_t>(0, at_us - now_us()); }
};

void log(const Options& o, const std::string& line) {
    if (!o.quiet)
        std::fprintf(stderr, "[%7.2f] %s\n", static_cast<double>(now_us()) / 1e6, line.c_str());
}

// Sleeps in small steps until `done()` or `until_us`; returns whether done() held.
template <typename Done, typename Progress>
bool wait_until(std::int64_t until_us, Done done, Progress progress) {
    auto next_report = now_us() + 1'000'000;
    while (!done()) {
        if (now_us() >= until_us) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (now_us() >= next_report) {
            progress();
            next_report += 1'000'000;
        }
    }
    return true;
}

struct PollSetup {
    std::int64_t id = 0;
    Tracking tracking;
    std::string method;  // how vote-to-screen is measured, empty: not measured
};

PollSetup create_poll(HttpClient& http, const Options& o, const std::string& code,
                      const std::string& token) {
    PollSetup setup;
    nlohmann::json body = {{"results", "live"}, {"allow_change", true}};
    if (o.scenario == ScenarioKind::wordcloud) {
        body["type"] = "wordcloud";
        body["question"] = "One word for this talk?";
        body["max_words"] = o.words_per_client;
    } else {
        body["type"] = "single";
        body["question"] = "Which option? (voxpop-loadgen)";
        std::vector<std::string> options;
        for (int i = 0; i < o.options; ++i) options.push_back("Option " + std::to_string(i + 1));
        if (o.scenario == ScenarioKind::steady) options.push_back("Probe");
        body["options"] = options;
    }
    auto poll = http.call("POST", "/api/events/" + code + "/polls", body, token);
    setup.id = poll["id"].get<std::int64_t>();
    setup.tracking.poll_id = setup.id;
    for (const auto& option : poll["options"])
        setup.tracking.option_ids.push_back(option["id"].get<std::int64_t>());
    if (o.scenario == ScenarioKind::steady) {
        setup.tracking.probe_option = setup.tracking.option_ids.back();
        setup.tracking.option_ids.pop_back();
        setup.method =
            "probe option: a sampled response moves a client to the Probe option, which only "
            "probes use and never leave; the k-th probe is on screen for an observer once "
            "that option shows >= k votes (estimate) or >= the probes sent when its ack "
            "arrived (bound)";
    } else if (o.scenario == ScenarioKind::burst || o.scenario == ScenarioKind::wordcloud) {
        setup.method =
            "respondents: each client answers once; the k-th response sent is on screen for "
            "an observer once results.respondents >= k (estimate, exact when commits keep send "
            "order) or >= the responses sent when its ack arrived (bound: always includes it)";
    }
    if (o.scenario == ScenarioKind::wordcloud)
        for (int i = 0; i < o.distinct_words; ++i)
            setup.tracking.vocabulary.push_back("w" + std::to_string(i));
    return setup;
}

// The server's writer counters (GET /api/admin/stats), or null without an admin token or
// when the server refuses it.
nlohmann::json writer_counters(HttpClient& http, const std::string& admin_token) {
    if (admin_token.empty()) return nullptr;
    try {
        return http.call("GET", "/api/admin/stats", nullptr, admin_token)["writer"];
    } catch (const std::exception&) {
        return nullptr;
    }
}

nlohmann::json verify_counts(HttpClient& http, const std::string& code, const std::string& token,
                             std::int64_t poll_id) {
    nlohmann::json out;
    try {
        if (poll_id) {
            auto results = http.call("GET", "/api/polls/" + std::to_string(poll_id) + "/results",
                                     nullptr, token);
            out["respondents"] = results.value("respondents", std::int64_t{-1});
            std::int64_t votes = 0;
            if (results.contains("options"))
                for (const auto& option : results["options"]) votes += option.value("votes", 0);
            if (results.contains("words"))
                for (const auto& word : results["words"]) votes += word.value("count", 0);
            out["votes_total"] = votes;
            if (results.contains("distinct_words"))
                out["distinct_words"] = results["distinct_words"];
        }
        out["summary"] = http.call("GET", "/api/events/" + code + "/summary", nullptr, token);
    } catch (const std::exception& error) {
        out["error"] = error.what();
    }
    return out;
}

double rusage_cpu_s() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long rusage_max_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

std::string utc_now() {
    std::time_t t = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return text;
}

// fill: P open polls, J participants, every participant answers every poll over HTTP;
// then the results of every poll are written to --results-out for a restart check.
int run_fill(const Options& o, HttpClient& http, nlohmann::json& result, const std::string& code,
             const std::string& token) {
    std::vector<std::int64_t> poll_ids;
    std::vector<std::vector<std::int64_t>> option_ids;
    try {
        for (int p = 0; p < o.polls; ++p) {
            std::vector<std::string> options;
            for (int i = 0; i < o.options; ++i)
                options.push_back("Option " + std::to_string(i + 1));
            auto poll = http.call("POST", "/api/events/" + code + "/polls",
                                  {{"type", "single"},
                                   {"question", "Fill poll " + std::to_string(p + 1)},
                                   {"options", options},
                                   {"results", "live"}},
                                  token);
            poll_ids.push_back(poll["id"].get<std::int64_t>());
            option_ids.emplace_back();
            for (const auto& option : poll["options"])
                option_ids.back().push_back(option["id"].get<std::int64_t>());
            http.call("PATCH", "/api/polls/" + std::to_string(poll_ids.back()), {{"state", "open"}},
                      token);
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "voxpop-loadgen: fill setup failed: %s\n", error.what());
        return 1;
    }
    log(o, "joining " + std::to_string(o.connections) + " participants");
    auto joined = join_participants(o.host, o.port, code, o.connections, o.join_pool,
                                    std::chrono::minutes(10));
    result["join"] = {
        {"joined", joined.joined}, {"failed", joined.failed}, {"seconds", joined.seconds}};
    const std::size_t people = joined.tokens.size();
    const std::size_t total = people * poll_ids.size();
    log(o, "posting " + std::to_string(total) + " responses");
    auto posted = run_http_pool(
        o.host, o.port, total, o.join_pool, std::chrono::minutes(30),
        [&](std::size_t i) {
            auto person = i % people;
            auto poll = i / people;
            const auto& ids = option_ids[poll];
            return PoolRequest{
                "/api/polls/" + std::to_string(poll_ids[poll]) + "/responses",
                "{\"options\":[" + std::to_string(ids[(person * 7 + poll) % ids.size()]) + "]}",
                joined.tokens[person]};
        },
        [](std::size_t, int status, const std::string&) { return status == 200; });
    result["fill"] = {{"polls", poll_ids.size()},
                      {"participants", joined.joined},
                      {"responses_ok", posted.ok},
                      {"responses_failed", posted.failed},
                      {"failures", posted.failures},
                      {"seconds", posted.seconds},
                      {"responses_per_second",
                       posted.seconds > 0 ? static_cast<double>(posted.ok) / posted.seconds : 0.0},
                      {"poll_ids", poll_ids}};
    std::string lines;
    std::int64_t respondents = 0;
    for (auto id : poll_ids) {
        auto reply = http.request("GET", "/api/polls/" + std::to_string(id) + "/results");
        respondents += reply.json().value("respondents", std::int64_t{0});
        lines += std::to_string(id) + " " + reply.body + "\n";
    }
    result["fill"]["respondents_total"] = respondents;
    if (!o.results_out.empty()) {
        std::ofstream file(o.results_out);
        file << lines;
    }
    std::printf(
        "voxpop-loadgen fill: %llu responses over %zu polls in %.1f s (%.0f/s), %llu failed; "
        "server counts %lld\n",
        static_cast<unsigned long long>(posted.ok), poll_ids.size(), posted.seconds,
        result["fill"]["responses_per_second"].get<double>(),
        static_cast<unsigned long long>(posted.failed), static_cast<long long>(respondents));
    if (!o.out.empty()) write_json(o.out, result);
    return posted.failed == 0 ? 0 : 1;
}

int run(const Options& o) {
    const Deadline deadline{now_us() + static_cast<std::int64_t>(o.deadline * 1e6)};
    nlohmann::json result = {{"tool", "voxpop-loadgen"},
                             {"format", 1},
                             {"label", o.label},
                             {"started_at", utc_now()},
                             {"scenario", to_string(o.scenario)}};
    auto nofile = raise_open_file_limit();
    if (nofile < static_cast<std::uint64_t>(o.connections) + 64)
        log(o,
            "warning: open-file limit " + std::to_string(nofile) + " is below --connections + 64");

    Plan plan;
    plan.options = o;
    plan.target = tcp::endpoint(net::ip::make_address(o.host), o.port);
    for (const auto& source : o.source_addrs) plan.sources.push_back(net::ip::make_address(source));
    plan.host_header = plan.target.address().is_v6() ? "[" + o.host + "]:" + std::to_string(o.port)
                                                     : o.host + ":" + std::to_string(o.port);
    plan.origin = "http://" + plan.host_header;
    plan.connect_timeout =
        std::chrono::milliseconds(static_cast<std::int64_t>(o.connect_timeout * 1000));

    // Setup over REST.
    HttpClient http(o.host, o.port);
    std::string code = o.event_code;
    std::string token = o.moderator_token;
    PollSetup poll;
    try {
        http.call("GET", "/healthz");
        if (code.empty()) {
            auto event = http.call("POST", "/api/events",
                                   {{"title", "voxpop-loadgen " + to_string(o.scenario)}});
            code = event["code"].get<std::string>();
            token = event["moderator_token"].get<std::string>();
        }
        if (o.scenario == ScenarioKind::fill) {
            result["target"] = {{"host", o.host}, {"port", o.port}, {"event", code}};
            return run_fill(o, http, result, code, token);
        }
        poll = create_poll(http, o, code, token);
        if (o.scenario == ScenarioKind::hold)
            http.call("PATCH", "/api/polls/" + std::to_string(poll.id), {{"state", "open"}}, token);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "voxpop-loadgen: setup failed: %s\n", error.what());
        return 1;
    }
    plan.ws_target = "/ws/events/" + code;
    result["target"] = {{"host", o.host}, {"port", o.port}, {"event", code}, {"poll_id", poll.id}};
    log(o, "event " + code + ", poll " + std::to_string(poll.id));

    nlohmann::json server_samples = nlohmann::json::object();
    auto sample_server = [&](const char* name) -> std::optional<ProcSample> {
        if (!o.server_pid) return std::nullopt;
        auto sample = read_proc(o.server_pid);
        if (sample) server_samples[name] = to_json(*sample);
        return sample;
    };
    sample_server("before_join");

    // Join everyone first, over a few keep-alive connections.
    log(o, "joining " + std::to_string(o.connections) + " participants");
    auto join_limit = std::min<std::int64_t>(deadline.left_us() / 1000, 600'000);
    auto joined = join_participants(o.host, o.port, code, o.connections, o.join_pool,
                                    std::chrono::milliseconds(join_limit));
    result["join"] = {
        {"joined", joined.joined},
        {"failed", joined.failed},
        {"failures", joined.failures},
        {"seconds", joined.seconds},
        {"per_second",
         joined.seconds > 0 ? static_cast<double>(joined.joined) / joined.seconds : 0}};
    log(o,
        "joined " + std::to_string(joined.joined) + " in " + std::to_string(joined.seconds) + " s");

    Progress progress;
    std::vector<std::unique_ptr<Shard>> shards;
    for (int i = 0; i < o.threads; ++i)
        shards.push_back(std::make_unique<Shard>(i, o.threads, plan, progress));
    std::vector<std::vector<ClientSeed>> seeds(shards.size());
    std::size_t with_token = 0;
    const std::size_t observer_every =
        o.observers > 0
            ? std::max<std::size_t>(1, joined.tokens.size() / static_cast<std::size_t>(o.observers))
            : 0;
    for (std::size_t i = 0; i < joined.tokens.size(); ++i) {
        if (joined.tokens[i].empty()) continue;
        bool observer = observer_every && with_token % observer_every == 0 &&
                        with_token / observer_every < static_cast<std::size_t>(o.observers);
        seeds[with_token % shards.size()].push_back(
            {with_token, std::move(joined.tokens[i]), observer});
        ++with_token;
    }
    auto before_connect = sample_server("before_connect");
    for (std::size_t i = 0; i < shards.size(); ++i) {
        shards[i]->connect(std::move(seeds[i]));
        shards[i]->start();
    }

    // Ramp the connections.
    log(o, "connecting " + std::to_string(with_token) + " WebSockets at " +
               std::to_string(static_cast<int>(o.ramp)) + "/s");
    const auto connect_start = now_us();
    const auto connect_limit = std::min(
        deadline.at_us,
        now_us() + static_cast<std::int64_t>(
                       (static_cast<double>(with_token) / o.ramp + o.connect_timeout + 30) * 1e6));
    auto report_progress = [&] {
        log(o, "ready " + std::to_string(progress.ready.load()) + ", failed " +
                   std::to_string(progress.failed.load()) + ", dropped " +
                   std::to_string(progress.dropped.load()) + ", sent " +
                   std::to_string(progress.sent.load()) + ", answered " +
                   std::to_string(progress.answered.load()));
    };
    bool all_connected = wait_until(
        connect_limit, [&] { return progress.ready + progress.failed >= with_token; },
        report_progress);
    const double connect_seconds = static_cast<double>(now_us() - connect_start) / 1e6;
    log(o, "connected " + std::to_string(progress.ready.load()) + " in " +
               std::to_string(connect_seconds) + " s" +
               (all_connected ? "" : " (gave up waiting)"));
    // Let the server settle (snapshots written, buffers returned) before measuring memory.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    auto after_connect = sample_server("after_connect");

    // Drive the load.
    for (auto& shard : shards) shard->set_tracking(poll.tracking);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (o.scenario != ScenarioKind::hold) {
        try {
            http.call("PATCH", "/api/polls/" + std::to_string(poll.id), {{"state", "open"}}, token);
        } catch (const std::exception& error) {
            std::fprintf(stderr, "voxpop-loadgen: opening the poll failed: %s\n", error.what());
            for (auto& shard : shards) shard->stop();
            return 1;
        }
    }
    const double load_length =
        (o.scenario == ScenarioKind::burst || o.scenario == ScenarioKind::wordcloud) ? o.window
                                                                                     : o.duration;
    auto load_start = now_us();
    auto load_end = load_start + static_cast<std::int64_t>(load_length * 1e6);
    auto at_load_start = sample_server("load_start");
    auto writer_before = writer_counters(http, o.admin_token);
    progress.shards_loading = static_cast<int>(shards.size());
    for (auto& shard : shards) shard->start_load(o.scenario, load_start, load_end);
    log(o, "load: " + to_string(o.scenario) + " for " + std::to_string(load_length) + " s");
    wait_until(
        std::min(deadline.at_us, load_end + 60'000'000),
        [&] { return progress.shards_loading.load() == 0; }, report_progress);
    for (auto& shard : shards) shard->stop_load();
    const auto load_stopped = now_us();
    auto at_load_end = sample_server("load_end");

    // Let the last acks and results arrive.
    auto settle_until =
        std::min(deadline.at_us, now_us() + static_cast<std::int64_t>(o.settle * 1e6));
    bool settled = wait_until(
        settle_until, [&] { return progress.answered.load() >= progress.sent.load(); },
        report_progress);
    if (!settled) log(o, "gave up waiting for acks");
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<std::int64_t>(
        std::min<double>(o.tail, static_cast<double>(deadline.left_us()) / 1e6) * 1000)));
    auto after_load = sample_server("after_load");
    auto writer_after = writer_counters(http, o.admin_token);
    const double load_seconds = static_cast<double>(load_stopped - load_start) / 1e6;

    // Close and collect.
    for (auto& shard : shards) shard->close_all();
    std::this_thread::sleep_for(std::chrono::seconds(1));  // close handshakes are quick here
    for (auto& shard : shards) shard->stop();

    ShardStats stats;
    std::vector<const Timeline*> observers;
    for (auto& shard : shards) {
        stats.merge(shard->stats());
        observers.insert(observers.end(), shard->observer_timelines().begin(),
                         shard->observer_timelines().end());
    }
    result["options"] = {{"connections", o.connections},
                         {"ramp", o.ramp},
                         {"duration", o.duration},
                         {"window", o.window},
                         {"rate", o.rate},
                         {"options", o.options},
                         {"distinct_words", o.distinct_words},
                         {"words_per_client", o.words_per_client},
                         {"inflight", o.inflight},
                         {"observers", o.observers},
                         {"probe_fraction", o.probe_fraction},
                         {"ping_interval", o.ping_interval},
                         {"threads", o.threads},
                         {"source_addrs", o.source_addrs},
                         {"open_file_limit", nofile}};
    result["connect_seconds"] = connect_seconds;
    result["clients"] = client_report(stats, load_seconds);
    if (!poll.method.empty()) {
        auto figures = vote_to_screen(stats.samples, observers);
        result["vote_to_screen"] = vote_to_screen_report(figures, poll.method);
    }
    result["verify"] = verify_counts(http, code, token, poll.id);
    if (o.server_pid) {
        nlohmann::json server = {{"pid", o.server_pid}, {"samples", server_samples}};
        if (before_connect && after_connect) {
            auto ready = std::max<std::uint64_t>(1, stats.connected);
            server["rss_before_connect_kib"] = before_connect->rss_kib;
            server["rss_after_connect_kib"] = after_connect->rss_kib;
            server["rss_growth_per_connection_kib"] =
                static_cast<double>(after_connect->rss_kib - before_connect->rss_kib) /
                static_cast<double>(ready);
            server["cpu_connect_s"] = after_connect->cpu_s() - before_connect->cpu_s();
        }
        if (at_load_start && at_load_end) {
            double cpu = at_load_end->cpu_s() - at_load_start->cpu_s();
            double wall = static_cast<double>(at_load_end->at_us - at_load_start->at_us) / 1e6;
            server["cpu_load_s"] = cpu;
            server["cpu_load_percent"] = wall > 0 ? 100.0 * cpu / wall : 0.0;
        }
        if (after_load) server["rss_after_load_kib"] = after_load->rss_kib;
        result["server"] = server;
    }
    if (writer_before.is_object() && writer_after.is_object()) {
        // Writes and group commits during the load and its settling: the size of the groups
        // is what decides the durable rate.
        auto delta = [&](const char* key) {
            return writer_after.value(key, std::int64_t{0}) -
                   writer_before.value(key, std::int64_t{0});
        };
        const auto jobs = delta("jobs"), commits = delta("commits");
        result["server"]["writer"] = {
            {"jobs", jobs},
            {"commits", commits},
            {"failed_commits", delta("failed_commits")},
            {"writes_per_commit",
             commits > 0 ? static_cast<double>(jobs) / static_cast<double>(commits) : 0.0}};
    }
    result["loadgen"] = {{"cpu_s", rusage_cpu_s()}, {"peak_rss_kib", rusage_max_rss_kib()}};
    result["deadline_hit"] = deadline.passed();

    std::cout << human_summary(result) << std::flush;
    if (!o.out.empty()) {
        try {
            write_json(o.out, result);
        } catch (const std::exception& error) {
            std::fprintf(stderr, "voxpop-loadgen: %s\n", error.what());
            return 1;
        }
    }
    return 0;
}

}  // namespace
}  // namespace loadgen

int main(int argc, char** argv) {
    // --table a.json b.json …: print the Markdown table of docs/BENCHMARKS.md and exit.
    if (argc >= 2 && std::string(argv[1]) == "--table") {
        std::vector<nlohmann::json> results;
        for (int i = 2; i < argc; ++i) {
            std::ifstream file(argv[i]);
            auto parsed = nlohmann::json::parse(file, nullptr, false);
            if (parsed.is_discarded()) {
                std::cerr << "voxpop-loadgen: " << argv[i] << " is not JSON\n";
                return 1;
            }
            results.push_back(std::move(parsed));
        }
        std::cout << loadgen::benchmarks_table(results);
        return 0;
    }
    loadgen::Options options;
    try {
        options = loadgen::parse_options(argc, argv);
    } catch (const loadgen::UsageError& error) {
        std::string message = error.what();
        if (message.empty()) {
            std::cout << loadgen::usage();
            return 0;
        }
        std::cerr << "voxpop-loadgen: " << message << "\n\n" << loadgen::usage();
        return 2;
    }
    try {
        return loadgen::run(options);
    } catch (const std::exception& error) {
        std::cerr << "voxpop-loadgen: " << error.what() << "\n";
        return 1;
    }
}
