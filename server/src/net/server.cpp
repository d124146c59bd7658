#include "net/server.hpp"

#include "api/routes.hpp"
#include "net/http_session.hpp"
#include "util/clock.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace voxpop {

namespace net = boost::asio;
using tcp = net::ip::tcp;

ServerCore::ServerCore(App& app, net::io_context& ioc)
    : app_(app), files_(app.config().web_root), hub_(app, ioc) {
    register_routes(router_, app_, files_);
    app_.attach_live(&hub_);
}

void ServerCore::track(const std::shared_ptr<HttpSession>& session) {
    std::lock_guard lock(sessions_mutex_);
    sessions_[session.get()] = session;
}

void ServerCore::untrack(const HttpSession* session) {
    std::lock_guard lock(sessions_mutex_);
    sessions_.erase(session);
}

bool ServerCore::idle() {
    std::lock_guard lock(sessions_mutex_);
    return sessions_.empty() && hub_.connections() == 0;
}

void ServerCore::begin_shutdown() {
    shutting_down_ = true;
    std::vector<std::shared_ptr<HttpSession>> sessions;
    {
        std::lock_guard lock(sessions_mutex_);
        for (const auto& [key, weak] : sessions_)
            if (auto session = weak.lock()) sessions.push_back(session);
    }
    for (const auto& session : sessions) session->stop();
    hub_.shutdown();
}

namespace {

std::vector<std::unique_ptr<net::io_context>> make_contexts(const Config& config) {
    const unsigned count = config.threads > 0 ? static_cast<unsigned>(config.threads)
                                              : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::unique_ptr<net::io_context>> contexts;
    for (unsigned i = 0; i < count; ++i) contexts.push_back(std::make_unique<net::io_context>(1));
    return contexts;
}

}  // namespace

Server::Server(App& app)
    : app_(app),
      contexts_(make_contexts(app.config())),
      ioc_(*contexts_.front()),
      core_(app, ioc_),
      acceptor_(net::make_strand(ioc_)),
      signals_(ioc_, SIGINT, SIGTERM),
      shutdown_timer_(ioc_),
      retention_timer_(ioc_) {}

Server::~Server() {
    app_.attach_live(nullptr);
}

unsigned short Server::start() {
    const auto& config = app_.config();
    tcp::endpoint endpoint(net::ip::make_address(config.address),
                           static_cast<unsigned short>(config.port));
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
    auto port = acceptor_.local_endpoint().port();
    signals_.async_wait([this](boost::system::error_code ec, int signal) {
        if (ec) return;
        spdlog::info("received signal {}, shutting down", signal);
        stop();
    });
    core_.hub().start();
    if (config.retention_days > 0) net::post(ioc_, [this] { sweep_expired_events(); });
    do_accept();
    std::string host = config.address == "0.0.0.0" ? "127.0.0.1" : config.address;
    spdlog::info("voxpop listening on http://{}:{}", host, port);
    return port;
}

void Server::do_accept() {
    auto& context = *contexts_[next_context_++ % contexts_.size()];
    // The context's own executor, not a strand: one thread runs each context, so every
    // handler of the connection is serialised already and a strand would only add a lock.
    acceptor_.async_accept(
        context.get_executor(), [this](boost::system::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted || stopping_) return;
            if (ec) {
                // Out of file descriptors, most likely: log and keep accepting.
                spdlog::warn("accept failed: {}", ec.message());
            } else {
                boost::system::error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                auto session = std::make_shared<HttpSession>(std::move(socket), core_);
                core_.track(session);
                session->run();
            }
            do_accept();
        });
}

void Server::run() {
    // A context with no connections yet must not return from run() at once.
    for (auto& context : contexts_) work_.push_back(net::make_work_guard(*context));
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < contexts_.size(); ++i)
        threads.emplace_back([context = contexts_[i].get()] { context->run(); });
    ioc_.run();
    for (auto& thread : threads) thread.join();
}

void Server::stop() {
    if (stopping_.exchange(true)) return;
    net::post(ioc_, [this] {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        signals_.cancel(ignored);
        retention_timer_.cancel();
        core_.begin_shutdown();
        // In-flight requests and close handshakes get a bounded grace period.
        wait_for_idle(std::chrono::steady_clock::now() +
                      std::chrono::milliseconds(app_.config().shutdown_timeout_ms));
    });
}

void Server::wait_for_idle(std::chrono::steady_clock::time_point deadline) {
    if (core_.idle() || std::chrono::steady_clock::now() >= deadline) return finish_shutdown();
    shutdown_timer_.expires_after(std::chrono::milliseconds(20));
    shutdown_timer_.async_wait(
        [this, deadline](boost::system::error_code) { wait_for_idle(deadline); });
}

void Server::sweep_expired_events() {
    if (stopping_) return;
    const auto retention = std::chrono::hours(24) * app_.config().retention_days;
    const auto cutoff =
        now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(retention).count();
    app_.events().expire_inactive(cutoff, [](std::size_t count) {
        if (count) spdlog::info("deleted {} event(s) past the retention period", count);
    });
    retention_timer_.expires_after(std::chrono::hours(1));
    retention_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) sweep_expired_events();
    });
}

void Server::finish_shutdown() {
    app_.stop_writes();
    work_.clear();
    for (auto& context : contexts_) context->stop();
}

}  // namespace voxpop
