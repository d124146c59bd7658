#pragma once

#include "app/app.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "realtime/hub.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace voxpop {

class HttpSession;

// What every HTTP session needs from the server, without the server's lifecycle.
class ServerCore {
  public:
    ServerCore(App& app, boost::asio::io_context& ioc);

    App& app() { return app_; }
    const Config& config() const { return app_.config(); }
    const Router& router() const { return router_; }
    Hub& hub() { return hub_; }
    bool shutting_down() const { return shutting_down_.load(); }

    void track(const std::shared_ptr<HttpSession>& session);
    void untrack(const HttpSession* session);
    // Ends idle keep-alive connections and refuses new requests with 503.
    void begin_shutdown();
    // No HTTP request in flight and no WebSocket open.
    bool idle();

  private:
    App& app_;
    StaticFiles files_;
    Router router_;
    Hub hub_;
    std::atomic<bool> shutting_down_{false};
    std::mutex sessions_mutex_;
    std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_;
};

// The listening server: I/O threads, the acceptor and graceful shutdown on SIGINT/SIGTERM.
class Server {
  public:
    explicit Server(App& app);
    ~Server();

    // Binds and starts accepting; returns the bound port (useful with port 0).
    unsigned short start();
    // Runs the I/O threads until shutdown completes.
    void run();
    // Begins the graceful shutdown (also what the signals do). Thread-safe.
    void stop();

  private:
    void do_accept();
    void wait_for_idle(std::chrono::steady_clock::time_point deadline);
    void finish_shutdown();
    // Deletes events past retention_days now and then every hour.
    void sweep_expired_events();

    App& app_;
    // One io_context per I/O thread, each run by that thread alone (concurrency hint 1):
    // no scheduler lock shared by every operation and no cross-thread wake-ups; the
    // acceptor deals connections out round-robin. The first context also runs the
    // acceptor, the signals, the timers and the hub's tick.
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::size_t next_context_ = 0;  // used by the acceptor's handler only
    boost::asio::io_context& ioc_;  // contexts_.front()
    ServerCore core_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::signal_set signals_;
    boost::asio::steady_timer shutdown_timer_;
    boost::asio::steady_timer retention_timer_;
    std::atomic<bool> stopping_{false};
};

}  // namespace voxpop
