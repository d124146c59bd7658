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

}  // namespace voxpop
