#pragma once

#include "domain/errors.hpp"
#include "http/types.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace voxpop {

HttpResponse json_response(http::status status, const nlohmann::json& body, unsigned version = 11);
HttpResponse body_response(http::status status, std::string body, std::string_view content_type,
                           unsigned version = 11);
// The one error shape: {"error":{"code","message"}}.
HttpResponse error_response(const ApiError& error, unsigned version = 11);
HttpResponse error_response(http::status status, std::string_view code, std::string_view message,
                            unsigned version = 11);

// CSP, nosniff, no-referrer, no framing: on every response the server sends.
void add_security_headers(HttpResponse& response);

// The status line and header fields of `response` as they go on the wire, appended to
// `out`; the body follows as it is. The same bytes as Beast's serializer for a body of known
// length: it walks the header as a chain of small buffers, which cost a fifth of the
// server's CPU under REST load, so the session writes one header string and the body.
void append_wire_header(const HttpResponse& response, std::string& out);

}  // namespace voxpop
