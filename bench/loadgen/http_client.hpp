#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace loadgen {

struct HttpReply {
    int status = 0;
    std::string body;
    nlohmann::json json() const;
};

class HttpError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A blocking keep-alive HTTP/1.1 client for setup and checks (a few requests, never on the
// hot path). Reconnects once when the server closed the idle connection. One thread.
class HttpClient {
  public:
    HttpClient(std::string host, std::uint16_t port,
               std::chrono::milliseconds timeout = std::chrono::seconds(30));
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // `bearer` adds "Authorization: Bearer <bearer>" when not empty. Throws HttpError on
    // network failure (not on an HTTP error status).
    HttpReply request(const std::string& method, const std::string& target,
                      const std::string& body = "", const std::string& bearer = "");

    // Like request() but throws HttpError unless the status is 2xx; returns the JSON body.
    nlohmann::json call(const std::string& method, const std::string& target,
                        const nlohmann::json& body = nullptr, const std::string& bearer = "");

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace loadgen
