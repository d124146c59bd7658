#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace voxpop {

// Every tunable of the server. The defaults are those of config/voxpop.json and serve
// `./scripts/run`; each key can be set in a JSON file, as VOXPOP_<KEY> and as --<key>.
struct Config {
    std::string address = "0.0.0.0";
    int port = 8080;
    int threads = 0;  // 0: one per hardware thread
    std::string db = "./data/voxpop.db";
    std::string web_root = "./web";
    std::string log_level = "info";
    bool access_log = true;
    std::string public_url;                    // base of the join URL in QR codes; empty: from Host
    std::vector<std::string> allowed_origins;  // empty: the request's own Host only

    // HTTP limits
    std::int64_t max_body_bytes = 1 << 20;
    std::int64_t max_header_bytes = 16 * 1024;
    int http_timeout_ms = 30'000;
    int shutdown_timeout_ms = 5'000;

    // Storage
    std::string sqlite_synchronous = "full";
    int sqlite_busy_timeout_ms = 5'000;
    int commit_max_batch = 2'000;
    std::int64_t sqlite_wal_limit_bytes = 64 << 20;  // WAL size left after a checkpoint

    // Live
    int results_interval_ms = 100;
    // The interval grows with the audience: at least this many µs per connection, so a
    // push to N clients (N sendmsg calls) never takes more than a share of the CPU.
    int results_interval_us_per_connection = 30;
    int online_interval_ms = 1'000;
    std::int64_t ws_max_frame_bytes = 16 * 1024;
    int ws_idle_timeout_ms = 60'000;
    int ws_handshake_timeout_ms = 10'000;
    int ws_send_queue_limit = 64;
    int ws_max_errors = 20;
    int ws_messages_per_second = 20;
    // Off: each phone would hold ~30 KiB of zlib state and cost 5-25 µs of CPU per push
    // (docs/BENCHMARKS.md, "permessage-deflate"); worth it only when airtime is scarcer.
    bool ws_permessage_deflate = false;
    int max_connections = 50'000;
    int max_connections_per_event = 50'000;
    int max_connections_per_ip = 2'000;        // 0: no cap; venue NAT shares one address
    std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
    int words_top_n = 100;

    // Operations
    int retention_days = 0;          // delete events inactive this long; 0: keep forever
    std::string admin_token_sha256;  // hex SHA-256 of the admin token; empty: no admin routes

    // Abuse limits
    int responses_per_minute = 600;
    int questions_per_minute = 5;
};

// Raised for an unknown key, a wrong type or an impossible value; `key` names the culprit.
class ConfigError : public std::runtime_error {
  public:
    ConfigError(std::string key, const std::string& message)
        : std::runtime_error(key + ": " + message), key_(std::move(key)) {}
    const std::string& key() const { return key_; }

  private:
    std::string key_;
};

struct CommandLine {
    Config config;
    bool show_help = false;
    bool show_version = false;
    std::vector<std::string> warnings;  // to log once logging is set up
};

// Layers, later wins: built-in defaults, the JSON file (--config or VOXPOP_CONFIG), the
// environment, then flags. `environ_entries` is "KEY=value" strings as in `environ`.
CommandLine load_config(const std::vector<std::string>& args,
                        const std::vector<std::string>& environ_entries);

// Applies one layer (exposed for tests).
void apply_json_config(Config& config, const std::string& json_text);

// Checks cross-field rules and the environment (db directory writable, web root exists);
// creates the db directory when missing.
void validate_config(Config& config);

std::string config_help();

}  // namespace voxpop
