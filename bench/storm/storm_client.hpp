#pragma once

#include "backoff.hpp"
#include "swarm.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace storm {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

// One attendee's browser tab, as web/js/live.js behaves: connects, says hello with its
// participant token, answers once when told, and, whenever its connection drops, reconnects
// with the browser's backoff, says hello again and resyncs from the snapshot: an answer the
// snapshot already holds is confirmed; otherwise it resends the same respond (same ref) and
// waits for the ack. Lives on the swarm's one thread; owned by the client list and by its
// pending handlers.
class StormClient : public std::enable_shared_from_this<StormClient> {
  public:
    StormClient(Swarm& swarm, std::size_t index, std::string token, std::int64_t option_id);

    // The first connection, after `delay` (the ramp).
    void connect_after(std::chrono::milliseconds delay);
    // Sends {"type":"respond","ref":"r<index>","poll_id":…,"options":[option_id]}.
    void respond();
    // Ends the run: closes the connection, cancels the retry timer, never reconnects.
    void stop();

    bool confirmed() const { return confirmed_ms_.has_value(); }
    // Milliseconds from t0 to this client's confirmation.
    std::optional<double> confirmed_ms() const { return confirmed_ms_; }

  private:
    struct Outgoing {
        std::string text;
        bool first_answer = false;  // the respond that goes out just before the drop
    };

    // One WebSocket connection. A closed Beast stream cannot be reused, so each attempt gets
    // a fresh Link; handlers of an old one keep it alive and find that it is no longer
    // `link_`, so a late completion never touches the new connection.
    struct Link {
        explicit Link(net::io_context& ioc) : ws(ioc) {}
        websocket::stream<beast::tcp_stream> ws;
        websocket::response_type upgrade;
        beast::flat_buffer buffer;
        std::deque<Outgoing> outbox;
        bool writing = false;
        bool upgraded = false;
        std::optional<std::size_t> attempt;  // in the swarm's log (attempts after t0 only)
    };
    using LinkPtr = std::shared_ptr<Link>;

    void connect();
    void on_connect(LinkPtr link, beast::error_code ec);
    void on_handshake(LinkPtr link, beast::error_code ec);
    void read(LinkPtr link);
    void on_read(LinkPtr link, beast::error_code ec, std::size_t bytes);
    void on_message(const LinkPtr& link, const nlohmann::json& message);
    void on_snapshot(const LinkPtr& link, const nlohmann::json& snapshot);
    void on_ack(const nlohmann::json& ack);
    bool snapshot_holds_answer(const nlohmann::json& snapshot) const;
    void send(const LinkPtr& link, Outgoing message);
    void write_next(LinkPtr link);
    void on_write(LinkPtr link, beast::error_code ec, std::size_t bytes);
    void drop(const LinkPtr& link, const std::string& reason);
    void schedule_reconnect();
    void confirm(bool by_snapshot);
    std::string respond_text() const;

    Swarm& swarm_;
    std::size_t index_;
    std::string token_;
    std::int64_t option_id_;
    std::string ref_;

    LinkPtr link_;
    net::steady_timer retry_timer_;
    Backoff backoff_;

    bool ready_ = false;           // had its participant snapshot before the storm
    bool answered_ = false;        // respond() was called
    bool answer_counted_ = false;  // ... and the swarm was told it went out
    bool dropped_ = false;         // lost a connection after answering: must resync
    bool reconnected_ = false;     // had a new connection after the drop
    bool resending_ = false;       // resent the respond on this connection, awaiting the ack
    bool stopped_ = false;
    std::optional<double> confirmed_ms_;
};

}  // namespace storm
