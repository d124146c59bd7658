#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace loadgen {

enum class ScenarioKind { hold, burst, steady, ingest, wordcloud, fill };

// Everything the command line can set. Durations are seconds.
struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::string event_code;       // empty: create an event
    std::string moderator_token;  // needed with --event
    std::string admin_token;      // reads the server's counters (GET /api/admin/stats)

    ScenarioKind scenario = ScenarioKind::hold;
    int connections = 1000;
    double ramp = 2000;            // new connections per second
    int max_pending = 400;         // connection attempts in flight at once
    double duration = 10;          // how long the scenario drives load
    double window = 5;             // burst / wordcloud: every client answers within this
    double rate = 1000;            // steady: responses per second
    int options = 4;               // choice poll options (steady adds a probe option)
    int distinct_words = 2000;     // wordcloud vocabulary
    int words_per_client = 3;      // wordcloud entries per response
    int inflight = 1;              // ingest: responses in flight per client
    int polls = 50;                // fill: polls to fill
    std::string results_out;       // fill: "poll_id results-json" per line, for restart checks
    int observers = 100;           // clients that parse results for vote-to-screen
    double probe_fraction = 0.01;  // steady: share of responses used as probes
    double ping_interval = 20;     // seconds between JSON pings per client (0: none)
    double settle = 10;            // after the load: most time to wait for acks and results
    double tail = 2;               // after the acks: time for the last results pushes
    double connect_timeout = 15;
    double deadline = 900;  // hard cap on the whole run
    int threads = 1;        // io_contexts, one thread each
    int join_pool = 8;      // keep-alive HTTP connections used to join
    std::vector<std::string> source_addrs;
    int server_pid = 0;
    std::string out;    // JSON result file
    std::string label;  // free text copied into the result
    bool quiet = false;
};

class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Throws UsageError for unknown flags, bad values or a non-loopback target.
Options parse_options(int argc, char** argv);
std::string usage();
std::string to_string(ScenarioKind kind);

// True for 127.0.0.0/8 and ::1 (numeric addresses only; "localhost" means 127.0.0.1).
bool is_loopback(const std::string& address);

}  // namespace loadgen
