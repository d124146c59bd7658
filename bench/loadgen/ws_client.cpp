#include "ws_client.hpp"

#include "shard.hpp"

#include <charconv>

namespace loadgen {
namespace {

constexpr std::size_t kReadMessageMax = 8 * 1024 * 1024;
// Enough for the frames of a results push and a few acks in one recv().
constexpr std::size_t kReadChunk = 2048;
// RFC 6455 §1.3's sample key and its accept value: the key only has to be 16 bytes in
// base64, and a fixed one lets every upgrade be checked without hashing.
constexpr std::string_view kUpgradeKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr std::string_view kUpgradeAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

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

// The string value of `"key":"…"` (no escapes expected), or empty; `pattern` is `"key":"`.
std::string_view string_field(std::string_view text, std::string_view pattern) {
    auto at = text.find(pattern);
    if (at == std::string_view::npos) return {};
    auto begin = at + pattern.size();
    auto end = text.find('"', begin);
    if (end == std::string_view::npos) return {};
    return text.substr(begin, end - begin);
}

void append_number(std::string& out, std::uint64_t value) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
}

}  // namespace

WsClient::WsClient(Shard& shard, std::size_t index, std::string token, bool observer)
    : shard_(shard),
      index_(index),
      token_(std::move(token)),
      observer_(observer),
      stream_(shard.ioc()),
      mask_state_(static_cast<std::uint32_t>(index) * 2654435761u + 1) {}

void WsClient::start(const tcp::endpoint& target, const std::optional<net::ip::address>& source) {
    state_ = State::connecting;
    started_us_ = now_us();
    auto& socket = stream_.socket();
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
    stream_.expires_after(shard_.plan().connect_timeout);
    stream_.async_connect(target,
                          beast::bind_front_handler(&WsClient::on_connect, shared_from_this()));
}

void WsClient::on_connect(beast::error_code ec) {
    if (ec) return fail("connect: " + ec.message());
    stream_.socket().set_option(tcp::no_delay(true), ec);
    const auto& plan = shard_.plan();
    upgrade_request_ = {http::verb::get, plan.ws_target, 11};
    upgrade_request_.set(http::field::host, plan.host_header);
    upgrade_request_.set(http::field::upgrade, "websocket");
    upgrade_request_.set(http::field::connection, "Upgrade");
    upgrade_request_.set(http::field::sec_websocket_key, kUpgradeKey);
    upgrade_request_.set(http::field::sec_websocket_version, "13");
    upgrade_request_.set(http::field::origin, plan.origin);
    upgrade_request_.set(http::field::user_agent, "voxpop-loadgen");
    http::async_write(stream_, upgrade_request_,
                      beast::bind_front_handler(&WsClient::on_upgrade_sent, shared_from_this()));
}

void WsClient::on_upgrade_sent(beast::error_code ec, std::size_t) {
    if (ec) return fail("upgrade: " + ec.message());
    http::async_read(stream_, buffer_, upgrade_response_,
                     beast::bind_front_handler(&WsClient::on_handshake, shared_from_this()));
}

void WsClient::on_handshake(beast::error_code ec, std::size_t) {
    if (ec) return fail("upgrade: " + ec.message());
    if (upgrade_response_.result_int() != 101)
        return fail("upgrade: HTTP " + std::to_string(upgrade_response_.result_int()));
    if (upgrade_response_[http::field::sec_websocket_accept] != kUpgradeAccept)
        return fail("upgrade: wrong Sec-WebSocket-Accept");
    upgrade_response_ = {};
    upgrade_request_ = {};
    // The connection is up: no timeouts while idle, as a phone's; the shard's deadline
    // bounds the wait for the snapshot.
    stream_.expires_never();
    state_ = State::joining;
    send("{\"type\":\"hello\",\"participant_token\":\"" + token_ + "\"}");
    // Frames that came with the upgrade response are parsed before reading more.
    on_read({}, 0);
}

void WsClient::do_read() {
    stream_.socket().async_read_some(
        buffer_.prepare(kReadChunk),
        beast::bind_front_handler(&WsClient::on_read, shared_from_this()));
}

void WsClient::on_read(beast::error_code ec, std::size_t bytes) {
    if (ec) {
        if (state_ == State::closing || state_ == State::closed) {
            state_ = State::closed;
            return;
        }
        return fail("read: " + ec.message());
    }
    buffer_.commit(bytes);
    const auto data = buffer_.cdata();
    const std::string_view received(static_cast<const char*>(data.data()), data.size());
    std::size_t used = 0;
    for (;;) {
        wire::Frame frame;
        auto parsed = wire::parse_server_frame(received.substr(used), kReadMessageMax, frame);
        if (parsed.status == wire::ParseStatus::incomplete) break;
        if (parsed.status == wire::ParseStatus::protocol_error)
            return fail("read: not a valid server frame");
        if (parsed.status == wire::ParseStatus::too_big) return fail("read: frame too big");
        used += parsed.size;
        handle_frame(frame);
        if (state_ == State::failed || state_ == State::closed) return;
    }
    buffer_.consume(used);
    // A large snapshot should not pin its buffer for the whole run.
    if (buffer_.size() == 0 && buffer_.capacity() > 64 * 1024) buffer_.shrink_to_fit();
    do_read();
}

void WsClient::handle_frame(const wire::Frame& frame) {
    switch (frame.opcode) {
        case wire::Opcode::text:
        case wire::Opcode::binary:
            if (frame.fin) return handle_message(frame.payload);
            fragments_.assign(frame.payload);
            return;
        case wire::Opcode::continuation:
            fragments_.append(frame.payload);
            if (fragments_.size() > kReadMessageMax) return fail("read: message too big");
            if (frame.fin) {
                handle_message(fragments_);
                fragments_.clear();
            }
            return;
        case wire::Opcode::ping:
            return send_frame(wire::Opcode::pong, frame.payload);
        case wire::Opcode::pong:
            return;
        case wire::Opcode::close:
            return handle_close(frame.payload);
    }
    fail("read: unknown opcode");
}

void WsClient::handle_close(std::string_view payload) {
    if (state_ == State::closing) {
        // Our close was answered: the handshake is over.
        state_ = State::closed;
        beast::error_code ignored;
        stream_.socket().close(ignored);
        return;
    }
    int code = payload.size() >= 2 ? (static_cast<std::uint8_t>(payload[0]) << 8) |
                                         static_cast<std::uint8_t>(payload[1])
                                   : 1005;
    auto reason = payload.size() > 2 ? payload.substr(2) : std::string_view{};
    fail("closed by server: " + std::to_string(code) + " " + std::string(reason));
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
    auto ref_text = string_field(text, "\"ref\":\"");
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
        auto code = string_field(text, "\"code\":\"");
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
    std::string& message = scratch_;
    message.assign("{\"type\":\"respond\",\"ref\":\"");
    append_number(message, ref);
    message.append("\",\"poll_id\":");
    append_number(message, static_cast<std::uint64_t>(poll_id));
    message.append(",").append(answer).append("}");
    std::int64_t rank = tracked ? shard_.next_tracked_rank() : 0;
    pending_.push_back({ref, now_us(), rank});
    ++answers_sent_;
    ++shard_.stats().responses_sent;
    send(message);
}

void WsClient::ping() {
    if (state_ != State::ready) return;
    pings_.push_back(now_us());
    if (pings_.size() > 16) pings_.pop_front();
    ++shard_.stats().pings_sent;
    send("{\"type\":\"ping\"}");
}

void WsClient::send_frame(wire::Opcode opcode, std::string_view payload) {
    // xorshift32: masks need not be secret here, only present (RFC 6455 §5.3).
    mask_state_ ^= mask_state_ << 13;
    mask_state_ ^= mask_state_ >> 17;
    mask_state_ ^= mask_state_ << 5;
    std::string frame;
    frame.reserve(payload.size() + 14);
    wire::append_client_frame(frame, opcode, payload, mask_state_);
    queue_.push_back(std::move(frame));
    if (!writing_) do_write();
}

void WsClient::do_write() {
    writing_ = true;
    net::async_write(stream_.socket(), net::buffer(queue_.front()),
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
    if (!queue_.empty() && state_ != State::failed && state_ != State::closed) do_write();
}

void WsClient::close() {
    if (state_ != State::ready && state_ != State::joining) return abort();
    state_ = State::closing;
    const char normal[2] = {0x03, static_cast<char>(0xE8)};  // 1000, big-endian
    send_frame(wire::Opcode::close, std::string_view(normal, 2));
    // The read loop sees the server's close frame and ends the connection.
}

void WsClient::abort() {
    if (state_ == State::closed || state_ == State::failed) return;
    if (state_ != State::closing) state_ = State::closed;
    beast::error_code ignored;
    stream_.socket().close(ignored);
}

void WsClient::fail(const std::string& reason) {
    if (state_ == State::failed || state_ == State::closed) return;
    auto previous = state_;
    state_ = State::failed;
    beast::error_code ignored;
    stream_.socket().close(ignored);
    shard_.on_failed(*this, previous, reason);
    pending_.clear();
}

}  // namespace loadgen
