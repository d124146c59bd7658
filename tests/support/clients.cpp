#include "clients.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace voxpop::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string HttpResult::error_code() const {
    auto parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.contains("error")) return {};
    return parsed["error"].value("code", "");
}

struct HttpClient::Impl {
    net::io_context ioc;
    beast::tcp_stream stream{ioc};
    beast::flat_buffer buffer;
    unsigned short port;
    bool connected = false;

    void connect() {
        stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
        connected = true;
    }
};

HttpClient::HttpClient(unsigned short port) : impl_(std::make_unique<Impl>()) {
    impl_->port = port;
}
HttpClient::~HttpClient() = default;

HttpResult HttpClient::request(const std::string& method, const std::string& target,
                               const std::string& body, const Headers& headers) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!impl_->connected) impl_->connect();
        http::request<http::string_body> request{http::string_to_verb(method), target, 11};
        request.set(http::field::host, "127.0.0.1:" + std::to_string(impl_->port));
        for (const auto& [name, value] : headers) request.set(name, value);
        if (!body.empty()) {
            request.body() = body;
            if (request[http::field::content_type].empty())
                request.set(http::field::content_type, "application/json");
        }
        request.prepare_payload();
        impl_->stream.expires_after(std::chrono::seconds(20));
        beast::error_code ec;
        http::write(impl_->stream, request, ec);
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 << 20);
        if (!ec) http::read(impl_->stream, impl_->buffer, parser, ec);
        if (ec) {
            // The server closed a kept-alive connection: reconnect once.
            impl_->stream.close();
            impl_->connected = false;
            impl_->buffer.clear();
            if (attempt == 0) continue;
            throw beast::system_error(ec);
        }
        auto& response = parser.get();
        HttpResult result;
        result.status = response.result_int();
        result.body = response.body();
        for (const auto& field : response) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(), ::tolower);
            result.headers[name] = std::string(field.value());
        }
        if (!response.keep_alive()) {
            impl_->stream.close();
            impl_->connected = false;
            impl_->buffer.clear();
        }
        return result;
    }
    return {};
}

std::string raw_exchange(unsigned short port, const std::string& bytes,
                         std::chrono::milliseconds timeout) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    net::write(stream, net::buffer(bytes));
    // Asynchronous reads: tcp_stream's deadline applies only to those, so the exchange ends
    // after `timeout` even when the server keeps the connection open (an upgraded WebSocket).
    std::string received;
    char chunk[4096];
    std::function<void()> read_more = [&] {
        stream.async_read_some(net::buffer(chunk), [&](beast::error_code ec, std::size_t n) {
            received.append(chunk, n);
            if (!ec) read_more();
        });
    };
    stream.expires_after(timeout);
    read_more();
    ioc.run();
    return received;
}

struct WsClient::Impl {
    net::io_context ioc;
    websocket::stream<beast::tcp_stream> ws{ioc};
    std::thread reader;
    std::mutex mutex;
    std::condition_variable arrived;
    std::deque<std::string> inbox;
    bool open = true;
    bool reading = true;
    std::optional<WsClose> closed;

    void read_loop() {
        for (;;) {
            beast::flat_buffer buffer;
            beast::error_code ec;
            ws.read(buffer, ec);
            std::lock_guard lock(mutex);
            if (ec) {
                open = false;
                auto reason = ws.reason();
                if (reason.code != websocket::close_code::none || ec == websocket::error::closed)
                    closed = WsClose{static_cast<int>(reason.code),
                                     std::string(reason.reason.data(), reason.reason.size())};
                arrived.notify_all();
                return;
            }
            inbox.push_back(beast::buffers_to_string(buffer.data()));
            arrived.notify_all();
        }
    }
};

WsClient::WsClient(unsigned short port, const std::string& target, const Headers& headers,
                   bool offer_deflate)
    : impl_(std::make_unique<Impl>()) {
    auto& ws = impl_->ws;
    beast::get_lowest_layer(ws).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    std::string host = "127.0.0.1:" + std::to_string(port);
    ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
        for (const auto& [name, value] : headers) request.set(name, value);
    }));
    ws.read_message_max(64 << 20);
    if (offer_deflate) {
        websocket::permessage_deflate deflate;
        deflate.client_enable = true;
        ws.set_option(deflate);
    }
    ws.handshake(host, target);
    impl_->reader = std::thread([impl = impl_.get()] { impl->read_loop(); });
}

WsClient::~WsClient() {
    close();
    if (impl_->reader.joinable()) impl_->reader.join();
}

void WsClient::send_text(const std::string& text) {
    beast::error_code ec;
    impl_->ws.text(true);
    impl_->ws.write(net::buffer(text), ec);
}

std::optional<json> WsClient::receive(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->mutex);
    if (!impl_->arrived.wait_for(lock, timeout,
                                 [&] { return !impl_->inbox.empty() || !impl_->open; }))
        return std::nullopt;
    if (impl_->inbox.empty()) return std::nullopt;
    std::string text = std::move(impl_->inbox.front());
    impl_->inbox.pop_front();
    return json::parse(text, nullptr, false);
}

std::optional<json> WsClient::receive_until(const std::function<bool(const json&)>& match,
                                            std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        auto message = receive(left);
        if (!message) return std::nullopt;
        if (match(*message)) return message;
    }
}

std::optional<WsClose> WsClient::close_info() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->closed;
}

bool WsClient::is_open() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->open;
}

void WsClient::close() {
    beast::error_code ec;
    if (is_open())
        beast::get_lowest_layer(impl_->ws).socket().shutdown(tcp::socket::shutdown_both, ec);
    if (impl_->reader.joinable()) impl_->reader.join();
    beast::get_lowest_layer(impl_->ws).socket().close(ec);
}

struct SilentWsClient::Impl {
    net::io_context ioc;
    websocket::stream<beast::tcp_stream> ws{ioc};
};

SilentWsClient::SilentWsClient(unsigned short port, const std::string& target,
                               const Headers& headers)
    : impl_(std::make_unique<Impl>()) {
    auto& socket = beast::get_lowest_layer(impl_->ws).socket();
    socket.open(tcp::v4());
    socket.set_option(net::socket_base::receive_buffer_size(2048));
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    impl_->ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& r) {
        for (const auto& [name, value] : headers) r.set(name, value);
    }));
    impl_->ws.handshake("127.0.0.1:" + std::to_string(port), target);
}

SilentWsClient::~SilentWsClient() {
    beast::error_code ec;
    beast::get_lowest_layer(impl_->ws).socket().close(ec);
}

bool SilentWsClient::closed_by_server() {
    // Drain what is buffered without blocking; EOF or reset means the server hung up.
    auto& socket = beast::get_lowest_layer(impl_->ws).socket();
    socket.non_blocking(true);
    char chunk[65536];
    for (;;) {
        beast::error_code ec;
        socket.read_some(net::buffer(chunk), ec);
        if (ec == net::error::would_block) return false;
        if (ec) return true;
    }
}

int upgrade_status(unsigned short port, const std::string& target, const Headers& headers) {
    net::io_context ioc;
    websocket::stream<beast::tcp_stream> ws(ioc);
    beast::get_lowest_layer(ws).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
        for (const auto& [name, value] : headers) request.set(name, value);
    }));
    websocket::response_type response;
    beast::error_code ec;
    ws.handshake(response, "127.0.0.1:" + std::to_string(port), target, ec);
    return ec ? response.result_int() : 0;
}

}  // namespace voxpop::testing
