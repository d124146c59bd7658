// The HTTP skeleton against the real server: health, static files, limits, framing.
#include "storage/sqlite.hpp"
#include "test_server.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace voxpop::testing {
namespace {

namespace fs = std::filesystem;

TEST(HttpServer, HealthzReportsOkAndVersion) {
    TestServer server;
    HttpClient client(server.port());
    auto result = client.get("/healthz");
    EXPECT_EQ(result.status, 200);
    auto body = result.json_body();
    EXPECT_EQ(body["status"], "ok");
    EXPECT_EQ(body["db"], "ok");
    EXPECT_FALSE(body["version"].get<std::string>().empty());
}

TEST(HttpServer, HealthzReportsADatabaseThatTakesNoWrites) {
    TestServer server([](Config& c) { c.sqlite_busy_timeout_ms = 50; });
    HttpClient client(server.port());
    {
        // Another process holds the write lock: a write cannot go through now.
        sqlite::Database other(server.config().db);
        other.exec("BEGIN IMMEDIATE");
        auto result = client.get("/healthz");
        EXPECT_EQ(result.status, 503);
        EXPECT_EQ(result.json_body()["db"], "failing");
        EXPECT_EQ(result.json_body()["status"], "degraded");
        other.exec("ROLLBACK");
    }
    EXPECT_EQ(client.get("/healthz").status, 200) << "recovers once writes work again";
}

TEST(HttpServer, ServesStaticFilesWithEtagAnd304) {
    TestServer server;
    HttpClient client(server.port());
    auto first = client.get("/");
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(first.header("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(first.body.find("voxpop"), std::string::npos);
    std::string etag = first.header("etag");
    ASSERT_FALSE(etag.empty());
    auto second = client.get("/index.html", {{"If-None-Match", etag}});
    EXPECT_EQ(second.status, 304);
    EXPECT_TRUE(second.body.empty());
    EXPECT_NE(first.header("content-security-policy").find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(first.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(first.header("referrer-policy"), "no-referrer");
}

TEST(HttpServer, PageRoutesServeTheirShells) {
    TestServer server;
    std::ofstream(server.config().web_root + "/attendee.html") << "attendee page";
    HttpClient client(server.port());
    auto page = client.get("/e/ABCDEF");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body, "attendee page");
    auto event = server.create_event("Talk", "MAELSTROM");
    auto link = client.get("/maelstrom");
    EXPECT_EQ(link.status, 302);
    EXPECT_EQ(link.header("location"), "/e/MAELSTROM");
}

TEST(HttpServer, NoPathLeadsOutOfTheWebRoot) {
    TestServer server;
    std::ofstream(server.dir() / "secret.txt") << "TOP SECRET";
    fs::create_symlink(server.dir() / "secret.txt",
                       fs::path(server.config().web_root) / "link.txt");
    for (const std::string target :
         {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt",
          "/link.txt", "/./../secret.txt", "/%00", "/index.html%00.txt"}) {
        std::string response = raw_exchange(
            server.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        EXPECT_EQ(response.find("TOP SECRET"), std::string::npos) << target;
        bool refused =
            response.rfind("HTTP/1.1 404", 0) == 0 || response.rfind("HTTP/1.1 400", 0) == 0;
        EXPECT_TRUE(refused) << target << " -> " << response.substr(0, 40);
    }
}

TEST(HttpServer, UnknownPathGetsAPlain404Page) {
    TestServer server;
    HttpClient client(server.port());
    auto result = client.get("/nope/nothing.js");
    EXPECT_EQ(result.status, 404);
    EXPECT_NE(result.header("content-type").find("text/html"), std::string::npos);
}

TEST(HttpServer, OversizedHeaderGets431) {
    TestServer server([](Config& c) { c.max_header_bytes = 2048; });
    std::string response =
        raw_exchange(server.port(),
                     "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
    EXPECT_EQ(response.rfind("HTTP/1.1 431", 0), 0u) << response.substr(0, 60);
    EXPECT_NE(response.find("headers_too_large"), std::string::npos);
}

TEST(HttpServer, OversizedBodyGets413AndChangesNothing) {
    TestServer server([](Config& c) { c.max_body_bytes = 1024; });
    HttpClient client(server.port());
    auto result = client.post("/api/events", {{"title", std::string(5000, 'x')}});
    EXPECT_EQ(result.status, 413);
    EXPECT_EQ(result.error_code(), "payload_too_large");
    EXPECT_TRUE(server.app().registry().all_events().empty());
}

TEST(HttpServer, SmugglingShapesGet400AndClose) {
    TestServer server;
    const std::string body = "{\"title\":\"x\"}";
    const std::string length = std::to_string(body.size());
    const std::vector<std::string> requests = {
        "POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: " + length +
            "\r\nTransfer-Encoding: chunked\r\n\r\nd\r\n" + body + "\r\n0\r\n\r\n",
        "POST /api/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: " +
            length + "\r\n\r\nd\r\n" + body + "\r\n0\r\n\r\n",
        "POST /api/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n" +
            body,
        "POST /api/events HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nd\r\n" + body +
            "\r\n0\r\n\r\n",
        "POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: " + length +
            "\r\nContent-Length: 3\r\n\r\n" + body,
    };
    for (const auto& request : requests) {
        std::string response = raw_exchange(server.port(), request);
        EXPECT_EQ(response.rfind("HTTP/1.", 0), 0u) << request;
        EXPECT_NE(response.substr(0, 12).find("400"), std::string::npos)
            << request << "\n-> " << response.substr(0, 80);
        EXPECT_EQ(response.find("HTTP/1.1 ", 10), std::string::npos) << "one answer, then close";
    }
    EXPECT_TRUE(server.app().registry().all_events().empty());
}

TEST(HttpServer, KeepAliveServesManyRequestsOnOneConnection) {
    TestServer server;
    HttpClient client(server.port());
    for (int i = 0; i < 20; ++i) EXPECT_EQ(client.get("/healthz").status, 200);
}

TEST(HttpServer, ErrorsUseTheOneJsonShape) {
    TestServer server;
    HttpClient client(server.port());
    auto result = client.request("POST", "/api/events", "{not json");
    EXPECT_EQ(result.status, 400);
    auto body = result.json_body();
    EXPECT_EQ(body["error"]["code"], "invalid_json");
    EXPECT_TRUE(body["error"]["message"].is_string());
    auto method = client.request("PUT", "/healthz");
    EXPECT_EQ(method.status, 405);
    EXPECT_EQ(method.error_code(), "method_not_allowed");
}

}  // namespace
}  // namespace voxpop::testing
