#pragma once

#include "http/types.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace voxpop {

class ServerCore;

// One HTTP/1.1 connection: reads a request, lets the router answer (possibly later, from
// the writer thread), writes the answer, and repeats while keep-alive holds. A WebSocket
// upgrade hands the socket over to the Hub.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(boost::asio::ip::tcp::socket&& socket, ServerCore& server);
    void run();
    // From any thread: ends an idle keep-alive connection (shutdown).
    void stop();

  private:
    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void reply_and_close(HttpResponse response);
    void send(HttpResponse response);
    void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
    void do_close();

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    ServerCore& server_;
    std::optional<http::request_parser<http::string_body>> parser_;
    HttpResponse response_;    // being written
    std::string wire_header_;  // its status line and fields (append_wire_header), reused
    bool request_keep_alive_ = false;
    bool force_close_ = false;
    bool busy_ = false;  // a request is being handled: stop() lets it finish
    std::string method_;
    std::string path_;
    std::chrono::steady_clock::time_point started_;
};

// Rejects framing that lets a proxy and this server disagree on where a request ends
// (request smuggling). Returns the reason, or nullopt when the request is clean.
std::optional<std::string> framing_problem(const HttpRequest& request);

}  // namespace voxpop
