#include "net/http_session.hpp"

#include "http/responses.hpp"
#include "net/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace voxpop {

namespace beast = boost::beast;
namespace net = boost::asio;

std::optional<std::string> framing_problem(const HttpRequest& request) {
    std::size_t lengths = 0;
    std::string first_length;
    bool differing_lengths = false;
    std::size_t encodings = 0;
    std::string last_encoding;
    for (const auto& field : request) {
        if (field.name() == http::field::content_length) {
            std::string value(field.value());
            if (lengths++ == 0)
                first_length = value;
            else if (value != first_length)
                differing_lengths = true;
        } else if (field.name() == http::field::transfer_encoding) {
            ++encodings;
            last_encoding = std::string(field.value());
        }
    }
    if (differing_lengths) return "differing Content-Length headers";
    if (encodings == 0) return std::nullopt;
    if (lengths > 0) return "both Content-Length and Transfer-Encoding";
    if (request.version() < 11) return "Transfer-Encoding in HTTP/1.0";
    // The final coding must be chunked, or the body's end is undefined.
    auto comma = last_encoding.rfind(',');
    std::string final_coding =
        comma == std::string::npos ? last_encoding : last_encoding.substr(comma + 1);
    final_coding.erase(std::remove_if(final_coding.begin(), final_coding.end(),
                                      [](unsigned char c) { return std::isspace(c); }),
                       final_coding.end());
    std::transform(final_coding.begin(), final_coding.end(), final_coding.begin(), ::tolower);
    if (final_coding != "chunked") return "Transfer-Encoding that does not end in chunked";
    return std::nullopt;
}

HttpSession::HttpSession(net::ip::tcp::socket&& socket, ServerCore& server)
    : stream_(std::move(socket)), server_(server) {}

void HttpSession::run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::stop() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        self->force_close_ = true;
        if (!self->busy_) self->stream_.cancel();
    });
}

void HttpSession::do_read() {
    const auto& config = server_.config();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
    parser_->body_limit(static_cast<std::uint64_t>(config.max_body_bytes));
    stream_.expires_after(std::chrono::milliseconds(config.http_timeout_ms));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == beast::error::timeout || ec == net::error::eof || ec == net::error::connection_reset)
        return do_close();
    started_ = std::chrono::steady_clock::now();
    method_ = "-";
    path_ = "-";
    if (ec == http::error::body_limit)
        return reply_and_close(error_response(http::status::payload_too_large, "payload_too_large",
                                              "The request body is larger than allowed."));
    if (ec == http::error::header_limit)
        return reply_and_close(error_response(http::status::request_header_fields_too_large,
                                              "headers_too_large",
                                              "The request headers are larger than allowed."));
    if (ec)
        return reply_and_close(
            error_response(http::status::bad_request, "bad_request", "Malformed HTTP request."));

    HttpRequest& request = parser_->get();
    method_ = std::string(request.method_string());
    path_ = std::string(request.target().substr(0, request.target().find('?')));
    if (auto problem = framing_problem(request))
        return reply_and_close(error_response(http::status::bad_request, "bad_request",
                                              "Ambiguous request framing: " + *problem + "."));
    if (server_.shutting_down())
        return reply_and_close(error_response(http::status::service_unavailable, "shutting_down",
                                              "The server is shutting down."));
    if (beast::websocket::is_upgrade(request)) {
        stream_.expires_never();
        auto refusal = server_.hub().upgrade(stream_, parser_->release());
        if (refusal) return reply_and_close(std::move(*refusal));
        server_.untrack(this);
        if (server_.config().access_log)
            spdlog::info("{} {} 101 0 {}us", method_, path_,
                         std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::steady_clock::now() - started_)
                             .count());
        return;  // the socket belongs to the WebSocket session now
    }
    request_keep_alive_ = request.keep_alive();
    busy_ = true;
    // Most routes answer at once, on this strand: dispatch sends inline then, and only an
    // answer from the writer thread (after a commit) is posted back here.
    server_.router().dispatch(request, [self = shared_from_this()](HttpResponse response) {
        net::dispatch(
            self->stream_.get_executor(),
            [self, response = std::move(response)]() mutable { self->send(std::move(response)); });
    });
}

void HttpSession::reply_and_close(HttpResponse response) {
    request_keep_alive_ = false;
    busy_ = true;
    send(std::move(response));
}

void HttpSession::send(HttpResponse response) {
    bool keep_alive = request_keep_alive_ && !force_close_ && !server_.shutting_down();
    response.keep_alive(keep_alive);
    add_security_headers(response);
    if (server_.config().access_log)
        spdlog::info("{} {} {} {} {}us", method_, path_, response.result_int(),
                     response.body().size(),
                     std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::steady_clock::now() - started_)
                         .count());
    response_ = std::move(response);
    wire_header_.clear();
    append_wire_header(response_, wire_header_);
    const std::array<net::const_buffer, 2> wire{net::buffer(wire_header_),
                                                net::buffer(response_.body())};
    stream_.expires_after(std::chrono::milliseconds(server_.config().http_timeout_ms));
    net::async_write(
        stream_, wire,
        beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), !keep_alive));
}

void HttpSession::on_write(bool close, beast::error_code ec, std::size_t) {
    busy_ = false;
    response_ = {};
    if (ec || close || force_close_) return do_close();
    do_read();
}

void HttpSession::do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    stream_.close();
    server_.untrack(this);
}

}  // namespace voxpop
