#include "http_pool.hpp"

#include "stats.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>

namespace loadgen {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr int kMaxAttemptsPerJoin = 3;

// Shared by the workers of one pool run (single thread).
struct PoolState {
    tcp::endpoint endpoint;
    std::string host_port;
    std::size_t count = 0;
    const std::function<PoolRequest(std::size_t)>* make = nullptr;
    const std::function<bool(std::size_t, int, const std::string&)>* accept = nullptr;
    std::size_t next = 0;
    std::vector<std::uint8_t> attempts;
    std::vector<std::size_t> retry;
    PoolResult result;

    std::optional<std::size_t> take() {
        if (!retry.empty()) {
            auto index = retry.back();
            retry.pop_back();
            return index;
        }
        if (next < count) return next++;
        return std::nullopt;
    }
    void fail(std::size_t index, const std::string& reason) {
        if (++attempts[index] < kMaxAttemptsPerJoin) {
            retry.push_back(index);
            return;
        }
        ++result.failed;
        ++result.failures[reason];
    }
};

// One keep-alive connection that sends its requests one after another.
class PoolWorker : public std::enable_shared_from_this<PoolWorker> {
  public:
    PoolWorker(net::io_context& ioc, PoolState& state) : stream_(ioc), state_(state) {}

    void run() { do_connect(); }

  private:
    void do_connect() {
        stream_.expires_after(std::chrono::seconds(10));
        stream_.async_connect(state_.endpoint, beast::bind_front_handler(&PoolWorker::on_connect,
                                                                         shared_from_this()));
    }

    void on_connect(beast::error_code ec) {
        if (ec) {
            // Without a connection this worker cannot help; the others carry on.
            if (current_) state_.fail(*current_, "connect: " + ec.message());
            return;
        }
        stream_.socket().set_option(tcp::no_delay(true), ec);
        if (current_) return do_write();
        do_next();
    }

    void do_next() {
        current_ = state_.take();
        if (!current_) return;
        do_write();
    }

    void do_write() {
        auto next = (*state_.make)(*current_);
        request_ = {http::verb::post, next.target, 11};
        request_.set(http::field::host, state_.host_port);
        request_.set(http::field::user_agent, "voxpop-loadgen");
        if (!next.participant_token.empty())
            request_.set("X-Participant-Token", next.participant_token);
        if (!next.body.empty()) request_.set(http::field::content_type, "application/json");
        request_.body() = std::move(next.body);
        request_.keep_alive(true);
        request_.prepare_payload();
        stream_.expires_after(std::chrono::seconds(30));
        http::async_write(stream_, request_,
                          beast::bind_front_handler(&PoolWorker::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t) {
        if (ec) return reconnect("write: " + ec.message());
        response_ = {};
        http::async_read(stream_, buffer_, response_,
                         beast::bind_front_handler(&PoolWorker::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec) return reconnect("read: " + ec.message());
        auto index = *current_;
        if ((*state_.accept)(index, static_cast<int>(response_.result_int()), response_.body()))
            ++state_.result.ok;
        else
            state_.fail(index, "HTTP " + std::to_string(response_.result_int()));
        if (!response_.keep_alive()) {
            current_.reset();
            return reconnect_fresh();
        }
        do_next();
    }

    void reconnect(const std::string& reason) {
        if (current_) state_.fail(*current_, reason);
        current_.reset();
        reconnect_fresh();
    }

    void reconnect_fresh() {
        if (++reconnects_ > kMaxAttemptsPerJoin * 10) return;
        beast::error_code ignored;
        stream_.socket().close(ignored);
        buffer_.clear();
        do_connect();
    }

    beast::tcp_stream stream_;
    PoolState& state_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
    std::optional<std::size_t> current_;
    int reconnects_ = 0;
};

}  // namespace

PoolResult run_http_pool(const std::string& host, std::uint16_t port, std::size_t count, int pool,
                         std::chrono::milliseconds limit,
                         const std::function<PoolRequest(std::size_t)>& make,
                         const std::function<bool(std::size_t, int, const std::string&)>& accept) {
    net::io_context ioc;
    PoolState state;
    state.endpoint = tcp::endpoint(net::ip::make_address(host), port);
    state.host_port = host.find(':') == std::string::npos
                          ? host + ":" + std::to_string(port)
                          : "[" + host + "]:" + std::to_string(port);
    state.count = count;
    state.make = &make;
    state.accept = &accept;
    state.attempts.resize(count, 0);
    auto start = now_us();
    for (int i = 0; i < pool; ++i) std::make_shared<PoolWorker>(ioc, state)->run();
    ioc.run_for(limit);
    state.result.seconds = static_cast<double>(now_us() - start) / 1e6;
    auto unfinished = count - state.result.ok - state.result.failed;
    if (unfinished > 0) {
        state.result.failed += unfinished;
        state.result.failures["not finished in time"] += unfinished;
    }
    return std::move(state.result);
}

JoinResult join_participants(const std::string& host, std::uint16_t port, const std::string& code,
                             int count, int pool, std::chrono::milliseconds limit) {
    JoinResult joined;
    joined.tokens.resize(static_cast<std::size_t>(count));
    const std::string target = "/api/events/" + code + "/join";
    auto outcome = run_http_pool(
        host, port, joined.tokens.size(), pool, limit,
        [&](std::size_t) {
            return PoolRequest{target, {}, {}};
        },
        [&](std::size_t i, int status, const std::string& body) {
            if (status != 201) return false;
            auto reply = nlohmann::json::parse(body, nullptr, false);
            if (!reply.is_object() || !reply.contains("participant_token")) return false;
            joined.tokens[i] = reply["participant_token"].get<std::string>();
            return true;
        });
    joined.joined = outcome.ok;
    joined.failed = outcome.failed;
    joined.failures = std::move(outcome.failures);
    joined.seconds = outcome.seconds;
    return joined;
}

}  // namespace loadgen
