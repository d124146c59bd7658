#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

namespace loadgen {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

nlohmann::json HttpReply::json() const {
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded()) throw HttpError("reply is not JSON: " + body.substr(0, 200));
    return parsed;
}

struct HttpClient::Impl {
    std::string host;
    std::uint16_t port;
    std::chrono::milliseconds timeout;
    net::io_context ioc;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    void connect() {
        stream.emplace(ioc);
        stream->expires_after(timeout);
        stream->connect(tcp::endpoint(net::ip::make_address(host), port));
        stream->socket().set_option(tcp::no_delay(true));
        buffer.clear();
    }

    HttpReply exchange(const http::request<http::string_body>& request) {
        if (!stream) connect();
        stream->expires_after(timeout);
        http::write(*stream, request);
        http::response_parser<http::string_body> parser;
        parser.body_limit(256 * 1024 * 1024);
        http::read(*stream, buffer, parser);
        auto response = parser.release();
        if (!response.keep_alive()) stream.reset();
        return {static_cast<int>(response.result_int()), std::move(response.body())};
    }
};

HttpClient::HttpClient(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
    impl_->host = std::move(host);
    impl_->port = port;
    impl_->timeout = timeout;
}

HttpClient::~HttpClient() = default;

HttpReply HttpClient::request(const std::string& method, const std::string& target,
                              const std::string& body, const std::string& bearer) {
    http::request<http::string_body> request(http::string_to_verb(method), target, 11);
    std::string host_port = impl_->host.find(':') == std::string::npos
                                ? impl_->host + ":" + std::to_string(impl_->port)
                                : "[" + impl_->host + "]:" + std::to_string(impl_->port);
    request.set(http::field::host, host_port);
    request.set(http::field::user_agent, "voxpop-loadgen");
    request.keep_alive(true);
    if (!bearer.empty()) request.set(http::field::authorization, "Bearer " + bearer);
    if (!body.empty()) {
        request.set(http::field::content_type, "application/json");
        request.body() = body;
    }
    request.prepare_payload();
    // A kept-alive connection may have been closed by the server since the last request:
    // retry once on a fresh one.
    for (int attempt = 0;; ++attempt) {
        try {
            return impl_->exchange(request);
        } catch (const boost::system::system_error& error) {
            impl_->stream.reset();
            if (attempt > 0) throw HttpError(method + " " + target + ": " + error.code().message());
        }
    }
}

nlohmann::json HttpClient::call(const std::string& method, const std::string& target,
                                const nlohmann::json& body, const std::string& bearer) {
    auto reply = request(method, target, body.is_null() ? std::string{} : body.dump(), bearer);
    if (reply.status < 200 || reply.status > 299)
        throw HttpError(method + " " + target + " -> HTTP " + std::to_string(reply.status) + " " +
                        reply.body.substr(0, 300));
    if (reply.body.empty()) return nullptr;
    return reply.json();
}

}  // namespace loadgen
