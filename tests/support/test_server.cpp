#include "test_server.hpp"

#include "net/server.hpp"
#include "util/crypto.hpp"

#include <fstream>
#include <stdexcept>

namespace voxpop::testing {

TempDir::TempDir()
    : path_(std::filesystem::temp_directory_path() / ("voxpop-test-" + random_token(""))) {
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

struct TestServer::Running {
    std::unique_ptr<Server> server;
    std::thread thread;
};

TestServer::TestServer(std::function<void(Config&)> adjust) {
    config_.address = "127.0.0.1";
    config_.port = 0;
    config_.threads = 2;
    config_.db = (dir_.path() / "voxpop.db").string();
    config_.web_root = (dir_.path() / "web").string();
    config_.log_level = "warn";
    config_.access_log = false;
    config_.shutdown_timeout_ms = 2000;
    config_.sqlite_synchronous = "normal";  // tests check logic; durability tests set "full"
    std::filesystem::create_directories(config_.web_root);
    std::ofstream(config_.web_root + "/index.html") << "<!doctype html><title>voxpop</title>";
    if (adjust) adjust(config_);
    start();
}

TestServer::~TestServer() {
    stop();
}

void TestServer::start() {
    app_ = std::make_unique<App>(config_);
    running_ = std::make_unique<Running>();
    running_->server = std::make_unique<Server>(*app_);
    port_ = running_->server->start();
    config_.port = port_;  // a restart comes back on the same port
    running_->thread = std::thread([server = running_->server.get()] { server->run(); });
}

void TestServer::stop() {
    if (!running_) return;
    running_->server->stop();
    running_->thread.join();
    running_.reset();
    app_.reset();
}

void TestServer::restart() {
    stop();
    start();
}

TestServer::EventHandle TestServer::create_event(const std::string& title,
                                                 const std::string& code) {
    HttpClient client(port_);
    json body = {{"title", title}};
    if (!code.empty()) body["code"] = code;
    auto result = client.post("/api/events", body);
    if (result.status != 201) throw std::runtime_error("create_event: " + result.body);
    auto parsed = result.json_body();
    return {parsed["code"], parsed["moderator_token"]};
}

std::string TestServer::join(const std::string& code) {
    HttpClient client(port_);
    auto result = client.post("/api/events/" + code + "/join", json::object());
    if (result.status != 201) throw std::runtime_error("join: " + result.body);
    return result.json_body()["participant_token"];
}

json TestServer::create_poll(const EventHandle& event, const json& spec, bool open) {
    HttpClient client(port_);
    auto created = client.post("/api/events/" + event.code + "/polls", spec, event.moderator());
    if (created.status != 201) throw std::runtime_error("create_poll: " + created.body);
    auto poll = created.json_body();
    if (!open) return poll;
    auto opened = client.patch("/api/polls/" + std::to_string(poll["id"].get<long>()),
                               {{"state", "open"}}, event.moderator());
    if (opened.status != 200) throw std::runtime_error("open poll: " + opened.body);
    return opened.json_body();
}

}  // namespace voxpop::testing
