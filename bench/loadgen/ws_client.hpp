#pragma once

#include "stats.hpp"
#include "ws_frame.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace loadgen {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Shard;

// One attendee: connects (optionally from a given local address), upgrades with an Origin
// equal to the target (Beast's HTTP), says hello with its participant token and then
// answers when its shard tells it to, speaking WebSocket frames itself (ws_frame.hpp says
// why). Lives on its shard's io_context thread only; owned by the shard's
// client list and by its pending handlers.
class WsClient : public std::enable_shared_from_this<WsClient> {
  public:
    enum class State { idle, connecting, joining, ready, closing, closed, failed };

    WsClient(Shard& shard, std::size_t index, std::string token, bool observer);

    void start(const tcp::endpoint& target, const std::optional<net::ip::address>& source);
    // Sends {"type":"respond","ref":…,"poll_id":…,<answer>}; `answer` is the JSON members
    // after poll_id, e.g. "\"options\":[11]". A tracked response counts for vote-to-screen.
    void respond(std::int64_t poll_id, const std::string& answer, bool tracked);
    void ping();
    void close();
    // Ends the connection at once (deadline passed); no handler runs afterwards.
    void abort();

    State state() const { return state_; }
    std::size_t index() const { return index_; }
    bool observer() const { return observer_; }
    std::size_t outstanding() const { return pending_.size(); }
    std::uint64_t answers_sent() const { return answers_sent_; }
    const Timeline& timeline() const { return timeline_; }

  private:
    struct Pending {
        std::uint64_t ref;
        std::int64_t sent_us;
        std::int64_t rank;  // 0: not tracked
    };

    void on_connect(beast::error_code ec);
    void on_upgrade_sent(beast::error_code ec, std::size_t);
    void on_handshake(beast::error_code ec, std::size_t);
    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void handle_frame(const wire::Frame& frame);
    void handle_close(std::string_view payload);
    void handle_message(std::string_view text);
    void handle_ack(std::string_view text);
    void observe_results(std::string_view text);
    void send(std::string_view text) { send_frame(wire::Opcode::text, text); }
    void send_frame(wire::Opcode opcode, std::string_view payload);
    void do_write();
    void on_write(beast::error_code ec, std::size_t bytes);
    void fail(const std::string& reason);

    Shard& shard_;
    std::size_t index_;
    std::string token_;
    bool observer_;
    State state_ = State::idle;
    std::int64_t started_us_ = 0;

    // Its timer bounds the connect and the upgrade; afterwards only its socket is used.
    beast::tcp_stream stream_;
    http::request<http::empty_body> upgrade_request_;
    http::response<http::string_body> upgrade_response_;
    beast::flat_buffer buffer_;      // received bytes not yet parsed into frames
    std::string fragments_;          // a fragmented message so far
    std::deque<std::string> queue_;  // framed, masked, waiting to be written
    std::string scratch_;            // the message being built (reused)
    bool writing_ = false;
    std::uint32_t mask_state_;

    std::uint64_t next_ref_ = 1;
    std::uint64_t answers_sent_ = 0;
    std::deque<Pending> pending_;
    std::deque<std::int64_t> pings_;
    Timeline timeline_;
};

}  // namespace loadgen
