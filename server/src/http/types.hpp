#pragma once

#include <boost/beast/http.hpp>

#include <functional>

namespace voxpop {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;
// Sends the response for one request. Callable once, from any thread (the session hops
// back onto its own strand).
using Reply = std::function<void(HttpResponse)>;

}  // namespace voxpop
