#pragma once

// Small blocking Beast clients for the integration tests. This header keeps Beast out of
// the test files so each compiles quickly.

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace voxpop::testing {

using nlohmann::json;
using Headers = std::map<std::string, std::string>;

struct HttpResult {
    int status = 0;
    std::string body;
    Headers headers;  // lower-case names
    json json_body() const { return json::parse(body); }
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string{} : it->second;
    }
    std::string error_code() const;
};

// One keep-alive connection to 127.0.0.1:port.
class HttpClient {
  public:
    explicit HttpClient(unsigned short port);
    ~HttpClient();
    HttpResult request(const std::string& method, const std::string& target,
                       const std::string& body = "", const Headers& headers = {});
    HttpResult get(const std::string& target, const Headers& headers = {}) {
        return request("GET", target, "", headers);
    }
    HttpResult post(const std::string& target, const json& body, const Headers& headers = {}) {
        return request("POST", target, body.dump(), headers);
    }
    HttpResult patch(const std::string& target, const json& body, const Headers& headers = {}) {
        return request("PATCH", target, body.dump(), headers);
    }

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Sends raw bytes on a fresh connection and returns everything read until the server
// closes or `timeout` passes.
std::string raw_exchange(unsigned short port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

struct WsClose {
    int code = 0;
    std::string reason;
};

class WsClient {
  public:
    // Connects and completes the upgrade; throws on refusal (see upgrade_status()).
    // `offer_deflate`: offers permessage-deflate, as browsers do, and inflates what comes.
    WsClient(unsigned short port, const std::string& target, const Headers& headers = {},
             bool offer_deflate = false);
    ~WsClient();
    void send_text(const std::string& text);
    void send(const json& message) { send_text(message.dump()); }
    // The next message, or nullopt after `timeout` (or when the connection closed).
    std::optional<json> receive(
        std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));
    // Messages until one satisfies `match`; nullopt on timeout.
    std::optional<json> receive_until(
        const std::function<bool(const json&)>& match,
        std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));
    std::optional<WsClose> close_info() const;
    bool is_open() const;
    void close();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A client that completes the upgrade and then never reads a byte: a phone whose app
// froze. Its receive buffer is tiny so the server's queue for it fills quickly.
class SilentWsClient {
  public:
    SilentWsClient(unsigned short port, const std::string& target, const Headers& headers = {});
    ~SilentWsClient();
    // Whether the server has closed the connection (a write from us fails / reads EOF).
    bool closed_by_server();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The HTTP status of a WebSocket upgrade attempt that the server refused (0 if accepted).
int upgrade_status(unsigned short port, const std::string& target, const Headers& headers = {});

}  // namespace voxpop::testing
