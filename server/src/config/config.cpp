#include "config/config.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace voxpop {
namespace {

using nlohmann::json;

// One row per key: how to read it from JSON or from a string, and its allowed range.
struct KeySpec {
    const char* name;
    const char* help;
    std::function<void(Config&, const json&)> from_json;
    std::function<void(Config&, const std::string&)> from_text;
};

[[noreturn]] void fail(const std::string& key, const std::string& message) {
    throw ConfigError(key, message);
}

template <typename Int>
KeySpec integer_key(const char* name, const char* help, Int Config::*field, Int min, Int max) {
    auto check = [=](Config& c, Int value) {
        if (value < min || value > max)
            fail(name, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                           ", got " + std::to_string(value));
        c.*field = value;
    };
    return {name, help,
            [=](Config& c, const json& v) {
                if (!v.is_number_integer()) fail(name, "must be an integer");
                check(c, v.get<Int>());
            },
            [=](Config& c, const std::string& text) {
                Int value{};
                auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
                if (ec != std::errc{} || end != text.data() + text.size())
                    fail(name, "must be an integer, got '" + text + "'");
                check(c, value);
            }};
}

KeySpec string_key(const char* name, const char* help, std::string Config::*field,
                   std::vector<std::string> choices = {}) {
    auto check = [=](Config& c, const std::string& value) {
        if (!choices.empty() && std::find(choices.begin(), choices.end(), value) == choices.end()) {
            std::string list;
            for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + choice;
            fail(name, "must be one of " + list + ", got '" + value + "'");
        }
        c.*field = value;
    };
    return {name, help,
            [=](Config& c, const json& v) {
                if (!v.is_string()) fail(name, "must be a string");
                check(c, v.get<std::string>());
            },
            check};
}

KeySpec bool_key(const char* name, const char* help, bool Config::*field) {
    return {name, help,
            [=](Config& c, const json& v) {
                if (!v.is_boolean()) fail(name, "must be true or false");
                c.*field = v.get<bool>();
            },
            [=](Config& c, const std::string& text) {
                if (text == "true" || text == "1")
                    c.*field = true;
                else if (text == "false" || text == "0")
                    c.*field = false;
                else
                    fail(name, "must be true or false, got '" + text + "'");
            }};
}

KeySpec list_key(const char* name, const char* help, std::vector<std::string> Config::*field) {
    return {name, help,
            [=](Config& c, const json& v) {
                if (!v.is_array()) fail(name, "must be an array of strings");
                std::vector<std::string> values;
                for (const auto& item : v) {
                    if (!item.is_string()) fail(name, "must be an array of strings");
                    values.push_back(item.get<std::string>());
                }
                c.*field = std::move(values);
            },
            [=](Config& c, const std::string& text) {
                std::vector<std::string> values;
                std::stringstream stream(text);
                for (std::string item; std::getline(stream, item, ',');)
                    if (!item.empty()) values.push_back(item);
                c.*field = std::move(values);
            }};
}

const std::vector<KeySpec>& key_specs() {
    static const std::vector<KeySpec> specs = {
        string_key("address", "listen address", &Config::address),
        integer_key("port", "listen port (0: any free port)", &Config::port, 0, 65535),
        integer_key("threads", "I/O threads (0: one per hardware thread)", &Config::threads, 0,
                    256),
        string_key("db", "SQLite database file", &Config::db),
        string_key("web_root", "directory of the static web pages", &Config::web_root),
        string_key("log_level", "trace|debug|info|warn|error|off", &Config::log_level,
                   {"trace", "debug", "info", "warn", "error", "off"}),
        bool_key("access_log", "one log line per HTTP request", &Config::access_log),
        string_key("public_url", "public base URL for join links (empty: from Host)",
                   &Config::public_url),
        list_key("allowed_origins", "WebSocket/moderator Origins allowed (empty: same host)",
                 &Config::allowed_origins),
        integer_key<std::int64_t>("max_body_bytes", "largest request body", &Config::max_body_bytes,
                                  1024, 256 << 20),
        integer_key<std::int64_t>("max_header_bytes", "largest request header",
                                  &Config::max_header_bytes, 1024, 1 << 20),
        integer_key("http_timeout_ms", "HTTP read/write timeout", &Config::http_timeout_ms, 100,
                    3'600'000),
        integer_key("shutdown_timeout_ms", "grace period on SIGTERM", &Config::shutdown_timeout_ms,
                    0, 600'000),
        string_key("sqlite_synchronous", "off|normal|full|extra", &Config::sqlite_synchronous,
                   {"off", "normal", "full", "extra"}),
        integer_key("sqlite_busy_timeout_ms", "SQLite busy timeout",
                    &Config::sqlite_busy_timeout_ms, 0, 600'000),
        integer_key<std::int64_t>("sqlite_wal_limit_bytes",
                                  "largest WAL file kept once a checkpoint has caught up",
                                  &Config::sqlite_wal_limit_bytes, 0, std::int64_t{1} << 40),
        integer_key("commit_max_batch", "most writes per group commit", &Config::commit_max_batch,
                    1, 100'000),
        integer_key("results_interval_ms", "least time between results pushes per poll",
                    &Config::results_interval_ms, 10, 60'000),
        integer_key("results_interval_us_per_connection",
                    "results interval added per connection of the event (µs)",
                    &Config::results_interval_us_per_connection, 0, 10'000),
        integer_key("online_interval_ms", "least time between online-count pushes",
                    &Config::online_interval_ms, 100, 60'000),
        integer_key<std::int64_t>("ws_max_frame_bytes", "largest WebSocket message accepted",
                                  &Config::ws_max_frame_bytes, 256, 16 << 20),
        integer_key("ws_idle_timeout_ms", "close a silent WebSocket after this",
                    &Config::ws_idle_timeout_ms, 1'000, 3'600'000),
        integer_key("ws_handshake_timeout_ms", "WebSocket handshake timeout",
                    &Config::ws_handshake_timeout_ms, 100, 600'000),
        integer_key("ws_send_queue_limit", "queued messages before a client counts as slow",
                    &Config::ws_send_queue_limit, 4, 100'000),
        integer_key("ws_max_errors", "bad messages before a WebSocket is closed",
                    &Config::ws_max_errors, 1, 100'000),
        integer_key("ws_messages_per_second", "messages a WebSocket client may send a second",
                    &Config::ws_messages_per_second, 1, 100'000),
        bool_key("ws_permessage_deflate",
                 "compress WebSocket messages for clients that offer it (costs CPU and memory)",
                 &Config::ws_permessage_deflate),
        integer_key("max_connections", "WebSocket connections in total", &Config::max_connections,
                    1, 1'000'000),
        integer_key("max_connections_per_event", "WebSocket connections per event",
                    &Config::max_connections_per_event, 1, 1'000'000),
        integer_key("max_connections_per_ip",
                    "WebSocket connections per client address (0: no cap)",
                    &Config::max_connections_per_ip, 0, 1'000'000),
        list_key("trusted_proxies",
                 "proxy addresses whose X-Forwarded-For names the client (empty: none)",
                 &Config::trusted_proxies),
        integer_key("words_top_n", "word-cloud entries in a results message", &Config::words_top_n,
                    1, 10'000),
        integer_key("retention_days",
                    "delete events with no activity for this many days (0: keep forever)",
                    &Config::retention_days, 0, 36'500),
        string_key("admin_token_sha256",
                   "hex SHA-256 of the admin token for /api/admin (empty: admin routes off)",
                   &Config::admin_token_sha256),
        integer_key("responses_per_minute", "responses a participant may send a minute",
                    &Config::responses_per_minute, 1, 1'000'000),
        integer_key("questions_per_minute", "questions a participant may ask a minute",
                    &Config::questions_per_minute, 1, 10'000),
    };
    return specs;
}

const KeySpec* find_spec(const std::string& name) {
    for (const auto& spec : key_specs())
        if (name == spec.name) return &spec;
    return nullptr;
}

std::string flag_to_key(std::string flag) {
    std::replace(flag.begin(), flag.end(), '-', '_');
    return flag;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("config", "cannot read config file '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

void apply_json_config(Config& config, const std::string& json_text) {
    json doc = json::parse(json_text, nullptr, false, true);
    if (doc.is_discarded() || !doc.is_object()) fail("config", "file is not a JSON object");
    for (const auto& [key, value] : doc.items()) {
        if (key.rfind("_comment", 0) == 0) continue;  // documentation keys in the sample file
        const KeySpec* spec = find_spec(key);
        if (!spec) fail(key, "unknown configuration key");
        spec->from_json(config, value);
    }
}

CommandLine load_config(const std::vector<std::string>& args,
                        const std::vector<std::string>& environ_entries) {
    CommandLine result;
    std::string config_path;
    std::vector<std::pair<std::string, std::string>> env_values;
    for (const auto& entry : environ_entries) {
        static constexpr std::string_view kPrefix = "VOXPOP_";
        if (entry.rfind(kPrefix, 0) != 0) continue;
        auto eq = entry.find('=');
        if (eq == std::string::npos) continue;
        std::string key = entry.substr(kPrefix.size(), eq - kPrefix.size());
        std::transform(key.begin(), key.end(), key.begin(), ::tolower);
        std::string value = entry.substr(eq + 1);
        if (key == "config")
            config_path = value;
        else
            env_values.emplace_back(key, value);
    }

    // Flags: --key value or --key=value.
    std::vector<std::pair<std::string, std::string>> flag_values;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            result.show_help = true;
            continue;
        }
        if (arg == "--version") {
            result.show_version = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0) fail(arg, "unexpected argument (flags look like --port 8080)");
        std::string name = arg.substr(2);
        std::string value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        } else {
            if (i + 1 >= args.size()) fail(flag_to_key(name), "flag needs a value");
            value = args[++i];
        }
        std::string key = flag_to_key(name);
        if (key == "config")
            config_path = value;
        else
            flag_values.emplace_back(key, value);
    }
    if (result.show_help || result.show_version) return result;

    if (!config_path.empty()) apply_json_config(result.config, read_file(config_path));
    // The environment is shared with other tools (VOXPOP_BIN in test scripts, say): an
    // unknown VOXPOP_ name is reported, not fatal. A known key with a bad value is fatal.
    for (const auto& [key, value] : env_values) {
        if (const KeySpec* spec = find_spec(key))
            spec->from_text(result.config, value);
        else
            result.warnings.push_back("ignoring VOXPOP_" + key + ": not a configuration key");
    }
    for (const auto& [key, value] : flag_values) {
        const KeySpec* spec = find_spec(key);
        if (!spec) fail(key, "unknown configuration key");
        spec->from_text(result.config, value);
    }
    return result;
}

void validate_config(Config& config) {
    namespace fs = std::filesystem;
    if (config.address.empty()) fail("address", "must not be empty");
    if (config.db.empty()) fail("db", "must not be empty");
    if (config.db != ":memory:") {
        fs::path dir = fs::path(config.db).parent_path();
        if (dir.empty()) dir = ".";
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec) fail("db", "cannot create directory '" + dir.string() + "': " + ec.message());
        if (::access(dir.c_str(), W_OK | X_OK) != 0)
            fail("db", "directory '" + dir.string() + "' is not writable");
    }
    const auto& admin = config.admin_token_sha256;
    if (!admin.empty() &&
        (admin.size() != 64 || admin.find_first_not_of("0123456789abcdef") != std::string::npos))
        fail("admin_token_sha256",
             "must be 64 lower-case hex digits (printf %s \"$TOKEN\" | sha256sum)");
    std::error_code ec;
    if (!fs::is_directory(config.web_root, ec))
        fail("web_root", "'" + config.web_root + "' is not a directory");
}

std::string config_help() {
    std::ostringstream out;
    out << "Usage: voxpop [--config FILE] [--KEY VALUE ...] [--help] [--version]\n"
           "       voxpop backup FILE [--config FILE] [--db PATH]   online copy of the database\n\n"
           "Every key may also be set in the JSON config file or as VOXPOP_<KEY> in the "
           "environment.\nLater layers win: defaults < file < environment < flags.\n\nKeys:\n";
    for (const auto& spec : key_specs()) {
        std::string flag = spec.name;
        std::replace(flag.begin(), flag.end(), '_', '-');
        out << "  --" << flag << std::string(flag.size() < 28 ? 28 - flag.size() : 1, ' ')
            << spec.help << '\n';
    }
    return out.str();
}

}  // namespace voxpop
