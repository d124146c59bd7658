#pragma once

#include "app/app.hpp"
#include "http/types.hpp"
#include "realtime/address_slots.hpp"
#include "realtime/client_message.hpp"
#include "realtime/event_channel.hpp"
#include "realtime/protocol.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <memory>

namespace voxpop {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

class Hub;

// One WebSocket client. All its work runs on the one I/O thread that owns its socket (each
// io_context has a single thread, so no strand is needed); send() and close() may be called
// from any thread, deliver() and viewer() only on that thread (EventChannel::for_each_session
// runs there). Outgoing messages wait in a bounded queue where a newer `results` for a poll
// replaces a queued older one; a client that still falls behind is closed so it cannot hold
// memory or slow anyone else.
class WsSession : public std::enable_shared_from_this<WsSession> {
  public:
    WsSession(boost::asio::ip::tcp::socket&& socket, App& app, Hub& hub,
              std::shared_ptr<EventChannel> channel, Viewer viewer, AddressSlots::Slot slot);
    ~WsSession();

    void start(HttpRequest request);
    // `coalesce_key` != 0 marks a message that a newer one with the same key replaces:
    // the poll id for `results`, minus the question id for `question`.
    void send(SharedMessage message, std::int64_t coalesce_key = 0);     // any thread
    void deliver(SharedMessage message, std::int64_t coalesce_key = 0);  // own thread
    void close(websocket::close_code code, std::string reason);

    const Viewer& viewer() const { return viewer_; }
    boost::asio::any_io_executor executor() { return ws_.get_executor(); }

  private:
    friend class EventChannel;  // keeps channel_index_

    struct Outgoing {
        SharedMessage message;
        std::int64_t coalesce_key;
    };

    void on_accept(beast::error_code ec);
    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void handle_message(std::string_view text);
    void handle_hello(const ClientMessage& message);
    void handle_respond(ClientMessage& message);
    void send_snapshot();
    void set_viewer(Viewer viewer);
    void refuse_over_rate(std::string_view text);
    void complain(std::string_view code, std::string_view message,
                  const nlohmann::json& ref = nullptr);

    void enqueue(Outgoing outgoing);
    void do_write();
    void on_write(beast::error_code ec, std::size_t bytes);
    void do_close();
    void finish();

    // A plain socket: the WebSocket layer's own timer does the handshake and idle timeouts,
    // and beast::tcp_stream would add a timer check to every read and write.
    websocket::stream<boost::asio::ip::tcp::socket> ws_;
    beast::flat_buffer buffer_;
    App& app_;
    Hub& hub_;
    std::shared_ptr<EventChannel> channel_;
    std::string host_;                 // of the upgrade request, for the join URL
    AddressSlots::Slot address_slot_;  // counts against max_connections_per_ip while alive

    Viewer viewer_;
    std::size_t channel_index_ = 0;  // where EventChannel keeps this session

    std::deque<Outgoing> queue_;
    bool writing_ = false;
    bool closing_ = false;
    bool finished_ = false;
    std::optional<websocket::close_reason> pending_close_;
    int errors_ = 0;
    // Token bucket for incoming messages: ws_messages_per_second, bursts of the same size.
    double allowance_ = 0;
    std::chrono::steady_clock::time_point last_message_{};
};

}  // namespace voxpop
