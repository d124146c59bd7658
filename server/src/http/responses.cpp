#include "http/responses.hpp"

#include "util/version.hpp"

namespace voxpop {

HttpResponse body_response(http::status status, std::string body, std::string_view content_type,
                           unsigned version) {
    HttpResponse response{status, version};
    response.set(http::field::content_type, content_type);
    response.set(http::field::cache_control, "no-store");
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

HttpResponse json_response(http::status status, const nlohmann::json& body, unsigned version) {
    return body_response(status,
                         body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         "application/json", version);
}

HttpResponse error_response(http::status status, std::string_view code, std::string_view message,
                            unsigned version) {
    nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
    return json_response(status, body, version);
}

HttpResponse error_response(const ApiError& error, unsigned version) {
    auto response = error_response(static_cast<http::status>(error.status()), error.code(),
                                   error.what(), version);
    if (error.retry_after() > 0)
        response.set(http::field::retry_after, std::to_string(error.retry_after()));
    return response;
}

void add_security_headers(HttpResponse& response) {
    response.set(http::field::server, std::string("voxpop/") + kVersion);
    response.set("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
                 "base-uri 'none'; form-action 'self'");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Frame-Options", "DENY");
}

void append_wire_header(const HttpResponse& response, std::string& out) {
    const unsigned version = response.version();
    out.append("HTTP/");
    out.push_back(static_cast<char>('0' + version / 10));
    out.push_back('.');
    out.push_back(static_cast<char>('0' + version % 10));
    out.push_back(' ');
    out.append(std::to_string(response.result_int()));
    out.push_back(' ');
    out.append(response.reason());
    out.append("\r\n");
    for (const auto& field : response) {
        out.append(field.name_string());
        out.append(": ");
        out.append(field.value());
        out.append("\r\n");
    }
    out.append("\r\n");
}

}  // namespace voxpop
