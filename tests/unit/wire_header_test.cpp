#include "http/responses.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace voxpop {
namespace {

// What Beast's own serializer puts on the wire for `response`.
std::string beast_wire(const HttpResponse& response) {
    std::ostringstream out;
    out << response;
    return out.str();
}

std::string our_wire(const HttpResponse& response) {
    std::string wire;
    append_wire_header(response, wire);
    return wire + response.body();
}

TEST(WireHeader, MatchesBeastsSerializerForEveryKindOfResponse) {
    std::vector<HttpResponse> responses;
    responses.push_back(json_response(http::status::ok, {{"options", {1, 2}}}));
    responses.push_back(error_response(http::status::not_found, "not_found", "No such poll.", 10));
    responses.push_back(
        error_response(ApiError(429, "rate_limited", "Slow down.").with_retry_after(3)));
    auto closing = body_response(http::status::ok, "hello", "text/plain");
    closing.keep_alive(false);
    responses.push_back(closing);
    // A HEAD answer: the length of the body that is not sent.
    HttpResponse head{http::status::ok, 11};
    head.set(http::field::content_type, "text/html");
    head.content_length(1234);
    responses.push_back(head);
    HttpResponse not_modified{http::status::not_modified, 11};
    not_modified.set(http::field::etag, "\"abc\"");
    responses.push_back(not_modified);
    HttpResponse custom{http::status::ok, 11};
    custom.reason("Fine");
    custom.body() = "x";
    custom.prepare_payload();
    responses.push_back(custom);
    for (auto& response : responses) {
        add_security_headers(response);
        EXPECT_EQ(our_wire(response), beast_wire(response));
    }
}

TEST(WireHeader, AppendsToWhatIsThere) {
    std::string wire = "kept";
    append_wire_header(body_response(http::status::ok, "", "text/plain"), wire);
    EXPECT_EQ(wire.rfind("keptHTTP/1.1 200 OK\r\n", 0), 0u);
    EXPECT_EQ(wire.substr(wire.size() - 4), "\r\n\r\n");
}

}  // namespace
}  // namespace voxpop
