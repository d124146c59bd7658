#include "realtime/ws_session.hpp"

#include "realtime/hub.hpp"
#include "util/version.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <mutex>

namespace voxpop {

namespace net = boost::asio;

WsSession::WsSession(net::ip::tcp::socket&& socket, App& app, Hub& hub,
                     std::shared_ptr<EventChannel> channel, Viewer viewer, AddressSlots::Slot slot)
    : ws_(std::move(socket)),
      app_(app),
      hub_(hub),
      channel_(std::move(channel)),
      address_slot_(std::move(slot)),
      viewer_(std::move(viewer)) {}

WsSession::~WsSession() {
    hub_.connection_closed();
}

void WsSession::set_viewer(Viewer next) {
    if (viewer_.participant_id != next.participant_id) {
        if (viewer_.participant_id) channel_->participant_offline(*viewer_.participant_id);
        if (next.participant_id) channel_->participant_online(*next.participant_id);
    }
    viewer_ = std::move(next);
}

void WsSession::start(HttpRequest request) {
    const auto& config = app_.config();
    host_ = std::string(request[http::field::host]);
    websocket::stream_base::timeout timeouts{
        std::chrono::milliseconds(config.ws_handshake_timeout_ms),
        std::chrono::milliseconds(config.ws_idle_timeout_ms), true};
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
        response.set(http::field::server, std::string("voxpop/") + kVersion);
    }));
    ws_.read_message_max(static_cast<std::size_t>(config.ws_max_frame_bytes));
    if (config.ws_permessage_deflate) {
        websocket::permessage_deflate deflate;
        deflate.server_enable = true;
        // 12-bit windows: ~30 KiB of zlib state per phone instead of ~142 KiB at Beast's 15,
        // for the same ratio on messages of a few KiB (docs/BENCHMARKS.md).
        deflate.server_max_window_bits = 12;
        deflate.client_max_window_bits = 12;
        deflate.msg_size_threshold = 256;  // acks and pongs are not worth a compressor call
        ws_.set_option(deflate);
    }
    ws_.auto_fragment(false);
    ws_.text(true);
    net::dispatch(ws_.get_executor(), [self = shared_from_this(), request = std::move(request)] {
        self->ws_.async_accept(request, beast::bind_front_handler(&WsSession::on_accept, self));
    });
}

void WsSession::on_accept(beast::error_code ec) {
    if (ec) return finish();
    channel_->add(shared_from_this());
    if (auto id = viewer().participant_id) channel_->participant_online(*id);
    send_snapshot();
    do_read();
}

void WsSession::send_snapshot() {
    const auto& event = channel_->event();
    nlohmann::json snapshot;
    {
        std::shared_lock lock(event->mutex);
        snapshot = snapshot_message(*event, viewer(), channel_->online(),
                                    static_cast<std::size_t>(app_.config().words_top_n));
    }
    snapshot["event"]["join_url"] = app_.events().join_url(*event, host_);
    enqueue({share(snapshot), 0});
}

void WsSession::do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
}

void WsSession::on_read(beast::error_code ec, std::size_t) {
    if (ec) return finish();  // closed, timed out, or too big (Beast answered 1009)
    // Handled in place: nothing below reads more into buffer_ before it is consumed.
    const auto data = buffer_.cdata();
    const std::string_view text(static_cast<const char*>(data.data()), data.size());
    const double rate = app_.config().ws_messages_per_second;
    auto now = std::chrono::steady_clock::now();
    allowance_ = std::min(
        rate, allowance_ + rate * std::chrono::duration<double>(now - last_message_).count());
    last_message_ = now;
    if (allowance_ < 1.0)
        refuse_over_rate(text);  // repeated: closed below
    else {
        allowance_ -= 1.0;
        handle_message(text);
    }
    buffer_.consume(buffer_.size());
    if (errors_ > app_.config().ws_max_errors) {
        close(websocket::close_code::policy_error, "too many invalid messages");
        return;
    }
    do_read();
}

void WsSession::refuse_over_rate(std::string_view text) {
    const ApiError limited(429, "rate_limited", "Too many messages; slow down.");
    // A `respond` still gets its ack, refused, so the phone knows this vote was not taken
    // instead of waiting for an ack that never comes.
    if (auto message = read_client_message(text); message && message->type == "respond") {
        ++errors_;
        return enqueue({ack_message(message->ref_json, limited), 0});
    }
    complain(limited.code(), limited.what());
}

void WsSession::complain(std::string_view code, std::string_view message,
                         const nlohmann::json& ref) {
    ++errors_;
    enqueue({share(error_message(code, message, ref)), 0});
}

void WsSession::handle_message(std::string_view text) {
    if (!ws_.got_text()) return complain("invalid_message", "Send JSON text frames.");
    auto message = read_client_message(text);
    if (!message) return complain("invalid_json", "The message is not a JSON object.");
    if (!message->type)
        return complain("invalid_message", "The message needs a string field 'type'.");
    const auto& name = *message->type;
    if (name == "ping") return enqueue({share({{"type", "pong"}}), 0});
    if (name == "hello") return handle_hello(*message);
    if (name == "respond") return handle_respond(*message);
    complain("unknown_type", "Unknown message type '" + name + "'.");
}

void WsSession::handle_hello(const ClientMessage& message) {
    const auto& event = *channel_->event();
    const std::string moderator = message.moderator_token.value_or("");
    const std::string participant = message.participant_token.value_or("");
    Viewer next = viewer();
    if (!moderator.empty()) {
        if (!Registry::is_moderator(event, moderator))
            return complain("unauthorized", "That moderator token is not valid for this event.");
        next.role = Role::moderator;
    } else if (!participant.empty()) {
        auto id = Registry::participant(event, participant);
        if (!id)
            return complain("unauthorized", "That participant token is not valid for this event.");
        if (next.role != Role::moderator) next.role = Role::participant;
        next.participant_id = id;
    } else {
        return complain("invalid_message", "hello needs participant_token or moderator_token.");
    }
    set_viewer(next);
    send_snapshot();
}

void WsSession::handle_respond(ClientMessage& message) {
    std::string ref = std::move(message.ref_json);
    auto reply_error = [&](const ApiError& error) { enqueue({ack_message(ref, error), 0}); };
    auto participant = viewer().participant_id;
    if (!participant)
        return reply_error(unauthorized("Send hello with a participant token before responding."));
    if (!message.poll_id) return reply_error(invalid_field("poll_id", "must be an integer"));
    try {
        app_.responses().respond(channel_->event(), *message.poll_id, *participant, message.answer,
                                 // A copy: reply_error still needs `ref` when respond() refuses.
                                 [self = shared_from_this(), ref](const Writer::Outcome& outcome) {
                                     self->send(ack_message(ref, outcome));
                                 });
    } catch (const ApiError& error) {
        reply_error(error);
    }
}

void WsSession::send(SharedMessage message, std::int64_t coalesce_key) {
    channel_->send_to(shared_from_this(), std::move(message), coalesce_key);
}

void WsSession::deliver(SharedMessage message, std::int64_t coalesce_key) {
    enqueue({std::move(message), coalesce_key});
}

void WsSession::enqueue(Outgoing outgoing) {
    if (closing_ || finished_) return;
    if (outgoing.coalesce_key != 0) {
        // Everything but the frame being written may still be replaced by newer results.
        for (std::size_t i = writing_ ? 1 : 0; i < queue_.size(); ++i)
            if (queue_[i].coalesce_key == outgoing.coalesce_key) {
                queue_[i].message = std::move(outgoing.message);
                return;
            }
    }
    if (queue_.size() >= static_cast<std::size_t>(app_.config().ws_send_queue_limit)) {
        spdlog::info("closing a WebSocket client that does not keep up ({} messages queued)",
                     queue_.size());
        closing_ = true;
        if (writing_) {
            // A frame is stuck in flight, so a close frame could not follow it: drop the
            // connection (keeping the in-flight buffer alive until its handler runs).
            queue_.erase(queue_.begin() + 1, queue_.end());
            beast::error_code ignored;
            ws_.next_layer().close(ignored);
        } else {
            queue_.clear();
            pending_close_ = websocket::close_reason(websocket::close_code::policy_error,
                                                     "too slow: reconnect for a fresh snapshot");
            do_close();
        }
        return;
    }
    queue_.push_back(std::move(outgoing));
    if (!writing_) do_write();
}

void WsSession::do_write() {
    writing_ = true;
    ws_.async_write(net::buffer(*queue_.front().message),
                    beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
}

void WsSession::on_write(beast::error_code ec, std::size_t) {
    if (ec) {
        writing_ = false;
        queue_.clear();
        return;  // the pending read fails too and finishes the session
    }
    if (!queue_.empty()) queue_.pop_front();
    if (!queue_.empty() && !closing_) return do_write();
    writing_ = false;
    if (pending_close_) do_close();
}

void WsSession::close(websocket::close_code code, std::string reason) {
    net::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
        if (self->closing_ || self->finished_) return;
        self->closing_ = true;
        self->pending_close_ = websocket::close_reason(code, reason);
        if (!self->writing_) self->do_close();
    });
}

void WsSession::do_close() {
    auto reason = *pending_close_;
    pending_close_.reset();
    ws_.async_close(reason, [self = shared_from_this()](beast::error_code) {
        // When we closed after a bad message no read is pending to notice the end, so
        // finish here too (finish() runs once).
        self->finish();
    });
}

void WsSession::finish() {
    if (finished_) return;
    finished_ = true;
    channel_->remove(*this);
    if (auto id = viewer().participant_id) channel_->participant_offline(*id);
}

}  // namespace voxpop
