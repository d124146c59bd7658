#include "ws_client.hpp"

#include "shard.hpp"

#include <charconv>

namespace loadgen {
namespace {

constexpr std::size_t kReadMessageMax = 8 * 1024 * 1024;

bool contains(std::string_view text, std::string_view needle) {
    return text.find(needle) != std::string_view::npos;
}

MessageType classify(std::string_view text) {
    // Only the top-level "type" names these values; nested poll objects use "single" etc.
    if (contains(text, "\"type\":\"results\"")) return MessageType::results;
    if (contains(text, "\"type\":\"ack\"")) return MessageType::ack;
    if (contains(text, "\"type\":\"pong\"")) return MessageType::pong;
    if (contains(text, "\"type\":\"online\"")) return MessageType::online;
    if (contains(text, "\"type\":\"snapshot\"")) return MessageType::snapshot;
    if (contains(text, "\"type\":\"poll\"") || contains(text, "\"type\":\"poll_deleted\""))
        return MessageType::poll;
    if (contains(text, "\"type\":\"error\"")) return MessageType::error;
    return MessageType::other;
}

// The string value of `"key":"…"` (no escapes expected), or empty.
std::string_view string_field(std::string_view text, std::string_view key) {
    std::string pattern = "\"" + std::string(key) + "\":\"";
    auto at = text.find(pattern);
    if (at == std::string_view::npos) return {};
    auto begin = at + pattern.size();
    auto end = text.find('"', begin);
    if (end == std::string_view::npos) return {};
    return text.substr(begin, end - begin);
}

}  // namespace

WsClient::WsClient(Shard& shard, std::size_t index, std::string token, bool observer)
    : shard_(shard),
      index_(index),
      token_(std::move(token)),
      observer_(observer),
      ws_(shard.ioc()) {}

void WsClient::start(const tcp::endpoint& target, const std::optional<net::ip::address>& source) {
    state_ = State::connecting;
    started_us_ = now_us();
    auto& socket = beast::get_lowest_layer(ws_).socket();
    beast::error_code ec;
    socket.open(target.protocol(), ec);
    if (!ec && source) {
        // Let connect() pick the port so every source address has its own ~28k ports.
        socket.set_option(
            net::detail::socket_option::boolean<IPPROTO_IP, 24 /*IP_BIND_ADDRESS_NO_PORT*/>(true),
            ec);
        ec = {};
        socket.bind(tcp::endpoint(*source, 0), ec);
    }
    if (ec) return fail("socket: " + ec.message());
    auto& plan = shard_.plan();
    beast::get_lowest_layer(ws_).expires_after(plan.connect_timeout);
    beast::get_lowest_layer(ws_).async_connect(
        target, beast::bind_front_handler(&WsClient::on_connect, shared_from_this()));
}

void WsClient::on_connect(beast::error_code ec) {
    if (ec) return fail("connect: " + ec.message());
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ec);
    auto& plan = shard_.plan();
    ws_.set_option(websocket::stream_base::decorator([&plan](websocket::request_type& request) {
        request.set(beast::http::field::origin, plan.origin);
        request.set(beast::http::field::user_agent, "voxpop-loadgen");
    }));
    ws_.read_message_max(kReadMessageMax);
    ws_.auto_fragment(false);
    ws_.text(true);
    ws_.async_handshake(upgrade_response_, plan.host_header, plan.ws_target,
                        beast::bind_front_handler(&WsClient::on_handshake, shared_from_this()));
}

void WsClient::on_handshake(beast::error_code ec) {
    if (ec) {
        if (upgrade_response_.result_int() != 0 && upgrade_response_.result_int() != 101)
            return fail("upgrade: HTTP " + std::to_string(upgrade_response_.result_int()));
        return fail("upgrade: " + ec.message());
    }
    upgrade_response_ = {};
    // The connection is up: the WebSocket layer's own (client) timeouts take over, which
    // means none while idle; the shard's deadline bounds the wait for the snapshot.
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    state_ = State::joining;
    send("{\"type\":\"hello\",\"participant_token\":\"" + token_ + "\"}");
    do_read();
}

void WsClient::do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WsClient::on_read, shared_from_this()));
}

void WsClient::on_read(beast::error_code ec, std::size_t bytes) {
    if (ec) {
        if (state_ == State::closing || state_ == State::closed) {
            state_ = State::closed;
            return;
        }
        if (ec == websocket::error::closed)
            return fail("closed by server: " + std::to_string(ws_.reason().code) + " " +
                        std::string(ws_.reason().reason.c_str()));
        return fail("read: " + ec.message());
    }
    auto data = buffer_.cdata();
    handle_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
    buffer_.consume(bytes);
    // A large snapshot should not pin its buffer for the whole run.
    if (buffer_.capacity() > 64 * 1024) buffer_.shrink_to_fit();
    if (state_ == State::failed || state_ == State::closed) return;
    do_read();
}

void WsClient::handle_message(std::string_view text) {
    auto& stats = shard_.stats();
    auto type = classify(text);
    ++stats.messages;
    stats.bytes += text.size();
    ++stats.messages_by_type[static_cast<std::size_t>(type)];
    switch (type) {
        case MessageType::results:
            stats.results_max_bytes = std::max<std::uint64_t>(stats.results_max_bytes, text.size());
            if (observer_) observe_results(text);
            break;
        case MessageType::ack:
            handle_ack(text);
            break;
        case MessageType::pong:
            ++stats.pongs;
            if (!pings_.empty()) {
                stats.ping_rtt.add(now_us() - pings_.front());
                pings_.pop_front();
            }
            break;
        case MessageType::snapshot:
            stats.snapshot_max_bytes =
                std::max<std::uint64_t>(stats.snapshot_max_bytes, text.size());
            if (state_ == State::joining && contains(text, "\"role\":\"participant\"")) {
                state_ = State::ready;
                stats.connect_latency.add(now_us() - started_us_);
                shard_.on_ready(*this);
            }
            break;
        case MessageType::error:
            if (state_ == State::joining && contains(text, "unauthorized")) {
                ++stats.hello_failed;
                fail("hello refused");
            }
            break;
        default:
            break;
    }
}

void WsClient::handle_ack(std::string_view text) {
    auto ref_text = string_field(text, "ref");
    std::uint64_t ref = 0;
    std::from_chars(ref_text.data(), ref_text.data() + ref_text.size(), ref);
    auto it = std::find_if(pending_.begin(), pending_.end(),
                           [ref](const Pending& p) { return p.ref == ref; });
    if (it == pending_.end()) return;
    Pending pending = *it;
    pending_.erase(it);
    auto now = now_us();
    auto& stats = shard_.stats();
    bool ok = contains(text, "\"ok\":true");
    if (ok) {
        ++stats.acks_ok;
        stats.ack_latency.add(now - pending.sent_us);
        stats.acks_per_second.add(now, shard_.load_start_us());
        if (pending.rank > 0)
            stats.samples.push_back({pending.sent_us, pending.rank, shard_.tracked_sent()});
    } else {
        ++stats.acks_failed;
        auto code = string_field(text, "code");
        ++stats.ack_errors[code.empty() ? std::string("unknown") : std::string(code)];
    }
    shard_.on_ack(*this, ok);
}

void WsClient::observe_results(std::string_view text) {
    const auto& tracking = shard_.tracking();
    if (tracking.poll_id == 0) return;
    auto message = nlohmann::json::parse(text, nullptr, false);
    if (!message.is_object() || message.value("poll_id", std::int64_t{0}) != tracking.poll_id)
        return;
    const auto& results = message["results"];
    std::int64_t value = -1;
    if (tracking.probe_option == 0) {
        value = results.value("respondents", std::int64_t{-1});
    } else if (results.contains("options")) {
        for (const auto& option : results["options"])
            if (option.value("id", std::int64_t{0}) == tracking.probe_option)
                value = option.value("votes", std::int64_t{-1});
    }
    if (value >= 0) timeline_.observe(now_us(), value);
}

void WsClient::respond(std::int64_t poll_id, const std::string& answer, bool tracked) {
    if (state_ != State::ready) return;
    auto ref = next_ref_++;
    std::string message = "{\"type\":\"respond\",\"ref\":\"" + std::to_string(ref) +
                          "\",\"poll_id\":" + std::to_string(poll_id) + "," + answer + "}";
    std::int64_t rank = tracked ? shard_.next_tracked_rank() : 0;
    pending_.push_back({ref, now_us(), rank});
    ++answers_sent_;
    ++shard_.stats().responses_sent;
    send(std::move(message));
}

void WsClient::ping() {
    if (state_ != State::ready) return;
    pings_.push_back(now_us());
    if (pings_.size() > 16) pings_.pop_front();
    ++shard_.stats().pings_sent;
    send("{\"type\":\"ping\"}");
}

void WsClient::send(std::string message) {
    queue_.push_back(std::move(message));
    if (!writing_) do_write();
}

void WsClient::do_write() {
    writing_ = true;
    ws_.async_write(net::buffer(queue_.front()),
                    beast::bind_front_handler(&WsClient::on_write, shared_from_this()));
}

void WsClient::on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) {
        queue_.clear();
        if (state_ != State::closing && state_ != State::closed) fail("write: " + ec.message());
        return;
    }
    queue_.pop_front();
    if (!queue_.empty() && (state_ == State::ready || state_ == State::joining)) do_write();
}

void WsClient::close() {
    if (state_ != State::ready && state_ != State::joining) return abort();
    state_ = State::closing;
    ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {
        // The read loop sees the close handshake end and finishes.
    });
}

void WsClient::abort() {
    if (state_ == State::closed || state_ == State::failed) return;
    if (state_ != State::closing) state_ = State::closed;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
}

void WsClient::fail(const std::string& reason) {
    if (state_ == State::failed || state_ == State::closed) return;
    auto previous = state_;
    state_ = State::failed;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    shard_.on_failed(*this, previous, reason);
    pending_.clear();
}

}  // namespace loadgen
