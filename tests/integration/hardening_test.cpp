// Promises of docs/SECURITY.md that need the real server: abuse, faults, privacy.
#include "child_server.hpp"
#include "storage/sqlite.hpp"
#include "test_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <set>
#include <thread>

namespace voxpop::testing {
namespace {

auto of_type(const std::string& type) {
    return [type](const json& m) { return m.value("type", "") == type; };
}

json single_poll(TestServer& server, const TestServer::EventHandle& event) {
    return server.create_poll(event,
                              {{"type", "single"}, {"question", "q"}, {"options", {"a", "b"}}});
}

TEST(Hardening, FiftySimultaneousResponsesWithOneTokenCountOnce) {
    TestServer server;
    auto event = server.create_event("t", "BALLOT");
    auto poll = single_poll(server, event);
    auto token = server.join("BALLOT");
    std::string path = "/api/polls/" + std::to_string(poll["id"].get<long>()) + "/responses";
    std::barrier start(50);
    std::atomic<int> accepted{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i)
        threads.emplace_back([&, i] {
            HttpClient client(server.port());
            start.arrive_and_wait();
            auto result = client.post(path, {{"options", {poll["options"][i % 2]["id"]}}},
                                      participant(token));
            if (result.status == 200) ++accepted;
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(accepted.load(), 50) << "changing the answer is allowed, so every one succeeds";
    HttpClient client(server.port());
    auto results = client.get(path.substr(0, path.size() - 10) + "/results").json_body();
    EXPECT_EQ(results["respondents"], 1);
    EXPECT_EQ(results["options"][0]["votes"].get<int>() + results["options"][1]["votes"].get<int>(),
              1);
    sqlite::Database db(server.config().db);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM responses"), 1);
}

TEST(Hardening, SimultaneousUpvotesWithOneTokenCountOnce) {
    TestServer server;
    auto event = server.create_event("t", "UPVOTE");
    HttpClient client(server.port());
    auto author = server.join("UPVOTE"), fan = server.join("UPVOTE");
    auto question =
        client.post("/api/events/UPVOTE/questions", {{"text", "Why?"}}, participant(author))
            .json_body();
    std::string path = "/api/questions/" + std::to_string(question["id"].get<long>()) + "/upvote";
    std::barrier start(50);
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i)
        threads.emplace_back([&] {
            HttpClient mine(server.port());
            start.arrive_and_wait();
            mine.post(path, json::object(), participant(fan));
        });
    for (auto& thread : threads) thread.join();
    auto list = client.get("/api/events/UPVOTE/questions").json_body()["questions"];
    EXPECT_EQ(list[0]["upvotes"], 1);
}

TEST(Hardening, UnwritableStorageRefusesWithNothingHalfWrittenAndRecovers) {
    TestServer server([](Config& c) { c.sqlite_busy_timeout_ms = 50; });
    auto event = server.create_event("t", "DISK");
    auto poll = single_poll(server, event);
    auto token = server.join("DISK");
    std::string path = "/api/polls/" + std::to_string(poll["id"].get<long>()) + "/responses";
    HttpClient client(server.port());
    {
        sqlite::Database other(server.config().db);
        other.exec("BEGIN IMMEDIATE");  // the database takes no writes now
        auto refused =
            client.post(path, {{"options", {poll["options"][0]["id"]}}}, participant(token));
        EXPECT_EQ(refused.status, 503);
        EXPECT_EQ(refused.error_code(), "storage_unavailable");
        WsClient ws(server.port(), "/ws/events/DISK");
        ws.receive_until(of_type("snapshot"));
        ws.send({{"type", "hello"}, {"participant_token", token}});
        ws.receive_until(of_type("snapshot"));
        ws.send({{"type", "respond"},
                 {"ref", "w"},
                 {"poll_id", poll["id"]},
                 {"options", {poll["options"][0]["id"]}}});
        auto ack = ws.receive_until(of_type("ack"));
        ASSERT_TRUE(ack);
        EXPECT_EQ((*ack)["ok"], false);
        EXPECT_EQ((*ack)["error"]["code"], "storage_unavailable");
        EXPECT_EQ(
            client.get(path.substr(0, path.size() - 10) + "/results").json_body()["respondents"], 0)
            << "memory matches the database";
        other.exec("ROLLBACK");
    }
    EXPECT_EQ(
        client.post(path, {{"options", {poll["options"][0]["id"]}}}, participant(token)).status,
        200);
    EXPECT_EQ(client.get(path.substr(0, path.size() - 10) + "/results").json_body()["respondents"],
              1);
}

TEST(Hardening, RotatedModeratorTokenStopsWorkingAtOnce) {
    TestServer server;
    auto event = server.create_event("t", "ROTATE");
    WsClient moderator(server.port(), "/ws/events/ROTATE");
    moderator.receive_until(of_type("snapshot"));
    moderator.send({{"type", "hello"}, {"moderator_token", event.moderator_token}});
    moderator.receive_until(of_type("snapshot"));
    HttpClient client(server.port());
    auto rotated =
        client.post("/api/events/ROTATE/rotate-token", json::object(), event.moderator());
    ASSERT_EQ(rotated.status, 200);
    std::string fresh = rotated.json_body()["moderator_token"];
    EXPECT_NE(fresh, event.moderator_token);
    EXPECT_EQ(client.get("/api/events/ROTATE/summary", event.moderator()).status, 401);
    EXPECT_EQ(
        client.get("/api/events/ROTATE/summary", {{"Authorization", "Bearer " + fresh}}).status,
        200);
    for (int i = 0; i < 100 && moderator.is_open(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_FALSE(moderator.is_open()) << "open moderator sockets are closed";
}

TEST(Hardening, DeletingAnEventRemovesEverythingInIt) {
    TestServer server;
    auto event = server.create_event("t", "GONE");
    auto poll = single_poll(server, event);
    auto token = server.join("GONE");
    HttpClient client(server.port());
    client.post("/api/polls/" + std::to_string(poll["id"].get<long>()) + "/responses",
                {{"options", {poll["options"][0]["id"]}}}, participant(token));
    client.post("/api/events/GONE/questions", {{"text", "bye?"}}, participant(token));
    WsClient ws(server.port(), "/ws/events/GONE");
    ws.receive_until(of_type("snapshot"));
    EXPECT_EQ(client.request("DELETE", "/api/events/GONE").status, 401);
    EXPECT_EQ(client.request("DELETE", "/api/events/GONE", "", event.moderator()).status, 204);
    EXPECT_EQ(client.get("/api/events/GONE").status, 404);
    EXPECT_EQ(client.get("/api/polls/" + std::to_string(poll["id"].get<long>())).status, 404);
    for (int i = 0; i < 100 && ws.is_open(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_FALSE(ws.is_open());
    sqlite::Database db(server.config().db);
    for (const char* table :
         {"events", "polls", "poll_options", "participants", "responses", "questions"})
        EXPECT_EQ(db.query_int(std::string("SELECT count(*) FROM ") + table), 0) << table;
}

TEST(Hardening, NoIpAddressesOrPlainTokensInTheDatabase) {
    TestServer server;
    auto event = server.create_event("t", "PRIVACY");
    auto token = server.join("PRIVACY");
    server.stop();
    sqlite::Database db(server.config().db);
    auto dump = db.prepare("SELECT * FROM events, participants");
    ASSERT_TRUE(dump.step());
    for (int column = 0; column < 12; ++column) {
        std::string cell = dump.column_text(column);
        EXPECT_EQ(cell.find("127.0.0.1"), std::string::npos);
        EXPECT_EQ(cell.find(token), std::string::npos);
        EXPECT_EQ(cell.find(event.moderator_token), std::string::npos);
    }
}

TEST(Hardening, WebSocketMessageRateIsLimitedThenTheConnectionCloses) {
    TestServer server([](Config& c) {
        c.ws_messages_per_second = 5;
        c.ws_max_errors = 10;
    });
    server.create_event("t", "FLOOD");
    WsClient ws(server.port(), "/ws/events/FLOOD");
    ws.receive_until(of_type("snapshot"));
    for (int i = 0; i < 40; ++i) ws.send({{"type", "ping"}});
    auto limited = ws.receive_until(
        [](const json& m) { return m["type"] == "error" && m["code"] == "rate_limited"; });
    EXPECT_TRUE(limited);
    for (int i = 0; i < 100 && ws.is_open(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_FALSE(ws.is_open()) << "a client that keeps flooding is closed";
    ASSERT_TRUE(ws.close_info());
    EXPECT_EQ(ws.close_info()->code, 1008);
}

TEST(Hardening, AVoteOverTheMessageRateIsAckedAsRefused) {
    TestServer server([](Config& c) {
        c.ws_messages_per_second = 5;
        c.ws_max_errors = 1000;
    });
    auto event = server.create_event("t", "BURSTY");
    auto poll = server.create_poll(
        event, {{"type", "single"}, {"question", "q"}, {"options", {"a", "b"}}}, true);
    const auto a = poll["options"][0]["id"], b = poll["options"][1]["id"];
    WsClient ws(server.port(), "/ws/events/BURSTY");
    ws.receive_until(of_type("snapshot"));
    ws.send({{"type", "hello"}, {"participant_token", server.join("BURSTY")}});
    ws.receive_until(of_type("snapshot"));
    constexpr int kVotes = 30;  // far over 5 a second, sent at once
    for (int i = 0; i < kVotes; ++i)
        ws.send({{"type", "respond"},
                 {"ref", "v" + std::to_string(i)},
                 {"poll_id", poll["id"]},
                 {"options", {i % 2 ? a : b}}});
    // Every vote is answered: taken, or refused as rate_limited, never left without an ack.
    std::set<std::string> acked;
    int refused = 0;
    while (static_cast<int>(acked.size()) < kVotes) {
        auto ack = ws.receive_until(of_type("ack"));
        ASSERT_TRUE(ack) << acked.size() << " of " << kVotes << " votes were acked";
        EXPECT_TRUE(acked.insert((*ack)["ref"].get<std::string>()).second);
        if ((*ack)["ok"] == false) {
            EXPECT_EQ((*ack)["error"]["code"], "rate_limited");
            ++refused;
        }
    }
    EXPECT_GT(refused, 0);
    EXPECT_LT(refused, kVotes);
}

TEST(Hardening, SilentConnectionsAreDropped) {
    TestServer server([](Config& c) { c.http_timeout_ms = 300; });
    auto started = std::chrono::steady_clock::now();
    std::string received = raw_exchange(server.port(), "", std::chrono::milliseconds(3000));
    auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(received.empty());
    EXPECT_LT(waited, std::chrono::milliseconds(2000))
        << "closed by the server, not by our timeout";
}

TEST(Hardening, WebSocketThatNeverAnswersPingsIsDroppedAfterTheIdleTimeout) {
    TestServer server([](Config& c) { c.ws_idle_timeout_ms = 1000; });
    server.create_event("t", "IDLE");
    SilentWsClient frozen(server.port(), "/ws/events/IDLE");  // upgraded, then never reads
    WsClient alive(server.port(), "/ws/events/IDLE");         // answers pings as it reads
    ASSERT_TRUE(alive.receive_until(of_type("snapshot")));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
    while (!frozen.closed_by_server() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_TRUE(frozen.closed_by_server()) << "dropped within the idle timeout (+ slack)";
    EXPECT_TRUE(alive.is_open()) << "a client that answers pings outlives the timeout";
    alive.send({{"type", "ping"}});
    EXPECT_TRUE(alive.receive_until(of_type("pong")));
}

TEST(Hardening, WebSocketConnectionsPerAddressAreCapped) {
    TestServer server([](Config& c) { c.max_connections_per_ip = 2; });
    server.create_event("t", "CAPPED");
    {
        WsClient first(server.port(), "/ws/events/CAPPED");
        WsClient second(server.port(), "/ws/events/CAPPED");
        ASSERT_TRUE(second.receive_until(of_type("snapshot")));
        EXPECT_EQ(upgrade_status(server.port(), "/ws/events/CAPPED"), 429);
        EXPECT_EQ(upgrade_status(server.port(), "/ws/events/CAPPED",
                                 {{"X-Forwarded-For", "198.51.100.9"}}),
                  429)
            << "X-Forwarded-For is ignored unless the peer is a trusted proxy";
    }
    // The slots come back when the connections go.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    int status = -1;
    while (status != 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        status = upgrade_status(server.port(), "/ws/events/CAPPED");
    }
    EXPECT_EQ(status, 0);
}

TEST(Hardening, BehindATrustedProxyEachForwardedAddressHasItsOwnCap) {
    TestServer server([](Config& c) {
        c.max_connections_per_ip = 1;
        c.trusted_proxies = {"127.0.0.1"};
    });
    server.create_event("t", "PROXY");
    WsClient phone_a(server.port(), "/ws/events/PROXY", {{"X-Forwarded-For", "198.51.100.1"}});
    WsClient phone_b(server.port(), "/ws/events/PROXY", {{"X-Forwarded-For", "198.51.100.2"}});
    ASSERT_TRUE(phone_b.receive_until(of_type("snapshot")));
    EXPECT_EQ(
        upgrade_status(server.port(), "/ws/events/PROXY", {{"X-Forwarded-For", "198.51.100.1"}}),
        429);
}

TEST(Hardening, OnlineBackupWhileServingIsAConsistentCopy) {
    TempDir dir;
    std::vector<std::string> args = {"--address",    "127.0.0.1",
                                     "--port",       "0",
                                     "--db",         (dir.path() / "v.db").string(),
                                     "--web-root",   std::string(VOXPOP_SOURCE_DIR) + "/web",
                                     "--access-log", "false"};
    ChildServer server(args);
    HttpClient client(server.port());
    auto event = client.post("/api/events", {{"title", "backup"}}).json_body();
    for (int i = 0; i < 20; ++i)
        client.post("/api/events/" + event["code"].get<std::string>() + "/join", json::object());
    auto copy = (dir.path() / "copy.db").string();
    auto result = run_binary({"backup", copy, "--db", (dir.path() / "v.db").string()});
    EXPECT_EQ(result.exit_code, 0) << result.output;
    sqlite::Database backup(copy);
    EXPECT_EQ(backup.query_int("SELECT count(*) FROM participants"), 20);
    auto check = backup.prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.step());
    EXPECT_EQ(check.column_text(0), "ok");
}

}  // namespace
}  // namespace voxpop::testing
