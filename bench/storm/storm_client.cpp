#include "storm_client.hpp"

#include <algorithm>

namespace storm {
namespace {

// Covers the TCP connect and the upgrade: a server that accepts but never answers (busy
// starting) fails the attempt, which then counts like a refused one.
constexpr auto kAttemptTimeout = std::chrono::seconds(5);

std::string close_reason(const websocket::close_reason& reason) {
    std::string text = "close " + std::to_string(reason.code);
    if (!reason.reason.empty()) text += " " + std::string(reason.reason.c_str());
    return text;
}

}  // namespace

StormClient::StormClient(Swarm& swarm, std::size_t index, std::string token, std::int64_t option_id)
    : swarm_(swarm),
      index_(index),
      token_(std::move(token)),
      option_id_(option_id),
      ref_(std::string("r").append(std::to_string(index))),
      retry_timer_(swarm.ioc()) {}

void StormClient::connect_after(std::chrono::milliseconds delay) {
    retry_timer_.expires_after(delay);
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) self->connect();
    });
}

void StormClient::connect() {
    if (stopped_) return;
    auto link = std::make_shared<Link>(swarm_.ioc());
    link->attempt = swarm_.begin_attempt();
    link_ = link;
    auto& stream = beast::get_lowest_layer(link->ws);
    stream.expires_after(kAttemptTimeout);
    stream.async_connect(
        swarm_.target().endpoint,
        beast::bind_front_handler(&StormClient::on_connect, shared_from_this(), link));
}

void StormClient::on_connect(LinkPtr link, beast::error_code ec) {
    if (link != link_) return;
    if (ec) return drop(link, "connect: " + ec.message());
    beast::get_lowest_layer(link->ws).socket().set_option(tcp::no_delay(true), ec);
    link->ws.set_option(websocket::stream_base::decorator(
        [origin = swarm_.target().origin](websocket::request_type& request) {
            request.set(beast::http::field::origin, origin);
            request.set(beast::http::field::user_agent, "voxpop-restart-storm");
        }));
    link->ws.text(true);
    link->ws.async_handshake(
        link->upgrade, swarm_.target().host_header, swarm_.target().ws_path,
        beast::bind_front_handler(&StormClient::on_handshake, shared_from_this(), link));
}

void StormClient::on_handshake(LinkPtr link, beast::error_code ec) {
    if (link != link_) return;
    if (ec) {
        auto status = link->upgrade.result_int();
        if (status != 0 && status != 101)
            return drop(link, "upgrade: HTTP " + std::to_string(status));
        return drop(link, "upgrade: " + ec.message());
    }
    link->upgraded = true;
    swarm_.end_attempt(link->attempt, "");
    if (dropped_ && !reconnected_) {
        reconnected_ = true;
        ++swarm_.counts().reconnected;
    }
    // Up: from now on the WebSocket's own client timeouts apply (none while idle).
    beast::get_lowest_layer(link->ws).expires_never();
    link->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    send(link, {"{\"type\":\"hello\",\"participant_token\":\"" + token_ + "\"}"});
    read(link);
}

void StormClient::read(LinkPtr link) {
    link->ws.async_read(link->buffer,
                        beast::bind_front_handler(&StormClient::on_read, shared_from_this(), link));
}

void StormClient::on_read(LinkPtr link, beast::error_code ec, std::size_t bytes) {
    if (link != link_) return;
    if (ec == websocket::error::closed) return drop(link, close_reason(link->ws.reason()));
    if (ec) return drop(link, "read: " + ec.message());
    auto message =
        nlohmann::json::parse(beast::buffers_to_string(link->buffer.cdata()), nullptr, false);
    link->buffer.consume(bytes);
    if (message.is_object()) on_message(link, message);
    if (link == link_) read(link);
}

void StormClient::on_message(const LinkPtr& link, const nlohmann::json& message) {
    auto type = message.value("type", std::string());
    if (type == "snapshot") on_snapshot(link, message);
    if (type == "ack") on_ack(message);
}

void StormClient::on_snapshot(const LinkPtr& link, const nlohmann::json& snapshot) {
    // As the browser: a snapshot means the connection works, so the backoff starts over.
    backoff_.reset();
    if (snapshot.value("role", std::string()) != "participant") return;  // before our hello
    if (!answered_) {
        if (!ready_) ++swarm_.counts().ready;
        ready_ = true;
        return;
    }
    if (!dropped_ || confirmed() || resending_) return;
    if (snapshot_holds_answer(snapshot)) return confirm(/*by_snapshot=*/true);
    // The answer never reached the database: the browser's offline queue resends it with
    // the same ref, and the server must count it once however often it arrives.
    resending_ = true;
    send(link, {respond_text()});
}

bool StormClient::snapshot_holds_answer(const nlohmann::json& snapshot) const {
    auto responses = snapshot.find("responses");
    if (responses == snapshot.end() || !responses->is_object()) return false;
    auto answer = responses->find(std::to_string(swarm_.target().poll_id));
    if (answer == responses->end() || !answer->contains("options")) return false;
    const auto& options = (*answer)["options"];
    return std::find(options.begin(), options.end(), option_id_) != options.end();
}

void StormClient::on_ack(const nlohmann::json& ack) {
    if (ack.value("ref", std::string()) != ref_) return;
    if (!ack.value("ok", false)) {
        auto code = ack.contains("error") ? ack["error"].value("code", "?") : "?";
        ++swarm_.counts().ack_errors[code];
        return;
    }
    if (!dropped_) {
        ++swarm_.counts().acks_before_drop;
    } else if (resending_) {
        confirm(/*by_snapshot=*/false);
    }
}

void StormClient::respond() {
    answered_ = true;
    if (link_ && link_->upgraded) return send(link_, {respond_text(), /*first_answer=*/true});
    // Not connected at this moment: the answer waits for the reconnect, like a queued one.
    dropped_ = true;
    answer_counted_ = true;
    swarm_.answer_written();
}

std::string StormClient::respond_text() const {
    return "{\"type\":\"respond\",\"ref\":\"" + ref_ +
           "\",\"poll_id\":" + std::to_string(swarm_.target().poll_id) + ",\"options\":[" +
           std::to_string(option_id_) + "]}";
}

void StormClient::send(const LinkPtr& link, Outgoing message) {
    link->outbox.push_back(std::move(message));
    if (!link->writing) write_next(link);
}

void StormClient::write_next(LinkPtr link) {
    link->writing = true;
    link->ws.async_write(
        net::buffer(link->outbox.front().text),
        beast::bind_front_handler(&StormClient::on_write, shared_from_this(), link));
}

void StormClient::on_write(LinkPtr link, beast::error_code ec, std::size_t) {
    link->writing = false;
    if (link != link_) return;
    if (ec) return drop(link, "write: " + ec.message());
    if (link->outbox.front().first_answer) {
        answer_counted_ = true;
        swarm_.answer_written();
    }
    link->outbox.pop_front();
    if (!link->outbox.empty()) write_next(link);
}

void StormClient::drop(const LinkPtr& link, const std::string& reason) {
    beast::error_code ignored;
    beast::get_lowest_layer(link->ws).socket().close(ignored);
    link_.reset();
    if (!link->upgraded) {
        swarm_.end_attempt(link->attempt, reason);
    } else if (answered_ && !dropped_) {
        dropped_ = true;
        swarm_.count_drop(reason);
    }
    resending_ = false;  // a resend that got no ack goes out again on the next connection
    // An answer that never left must not hold back the storm; the reconnect resends it.
    if (answered_ && !answer_counted_) {
        answer_counted_ = true;
        swarm_.answer_written();
    }
    schedule_reconnect();
}

void StormClient::schedule_reconnect() {
    if (stopped_) return;
    retry_timer_.expires_after(backoff_.next(swarm_.random01()));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) self->connect();
    });
}

void StormClient::confirm(bool by_snapshot) {
    resending_ = false;
    confirmed_ms_ = swarm_.ms_since_t0();
    auto& counts = swarm_.counts();
    ++counts.confirmed;
    ++(by_snapshot ? counts.by_snapshot : counts.by_resend);
}

void StormClient::stop() {
    stopped_ = true;
    retry_timer_.cancel();
    if (!link_) return;
    beast::error_code ignored;
    beast::get_lowest_layer(link_->ws).socket().close(ignored);
    link_.reset();
}

}  // namespace storm
