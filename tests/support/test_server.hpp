#pragma once

#include "app/app.hpp"
#include "clients.hpp"
#include "config/config.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace voxpop::testing {

// A fresh directory under /tmp, removed with the object.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

// The real server, in-process, on 127.0.0.1 and a free port, with its own database and
// web root in a temp dir. restart() stops it gracefully and starts it on the same data.
class TestServer {
  public:
    explicit TestServer(std::function<void(Config&)> adjust = {});
    ~TestServer();

    unsigned short port() const { return port_; }
    App& app() { return *app_; }
    Config& config() { return config_; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    void stop();
    void restart();

    // Convenience over HTTP.
    struct EventHandle {
        std::string code;
        std::string moderator_token;
        Headers moderator() const { return {{"Authorization", "Bearer " + moderator_token}}; }
    };
    EventHandle create_event(const std::string& title = "Workshop", const std::string& code = "");
    std::string join(const std::string& code);
    // Creates a poll (and opens it when `open`); returns its JSON.
    json create_poll(const EventHandle& event, const json& spec, bool open = true);

  private:
    void start();

    TempDir dir_;
    Config config_;
    std::unique_ptr<App> app_;
    struct Running;
    std::unique_ptr<Running> running_;
    unsigned short port_ = 0;
};

inline Headers participant(const std::string& token) {
    return {{"X-Participant-Token", token}};
}

}  // namespace voxpop::testing
