// The WebSocket protocol with real clients against the running server.
#include "test_server.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <thread>

// ASan's quarantine keeps freed memory resident, so RSS says nothing under it.
#if defined(__SANITIZE_ADDRESS__)
#define VOXPOP_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VOXPOP_UNDER_ASAN 1
#endif
#endif

namespace voxpop::testing {
namespace {

auto of_type(const std::string& type) {
    return [type](const json& m) { return m.value("type", "") == type; };
}

class Live : public ::testing::Test {
  protected:
    TestServer server;
    HttpClient client{server.port()};
    TestServer::EventHandle event = server.create_event("Live", "LIVE");
    std::string ws_path = "/ws/events/LIVE";

    std::unique_ptr<WsClient> moderator_socket() {
        auto ws = std::make_unique<WsClient>(server.port(), ws_path);
        ws->receive_until(of_type("snapshot"));
        ws->send({{"type", "hello"}, {"moderator_token", event.moderator_token}});
        auto snapshot = ws->receive_until(of_type("snapshot"));
        EXPECT_EQ((*snapshot)["role"], "moderator");
        return ws;
    }
    std::unique_ptr<WsClient> attendee_socket(const std::string& token) {
        auto ws = std::make_unique<WsClient>(server.port(), ws_path);
        ws->receive_until(of_type("snapshot"));
        ws->send({{"type", "hello"}, {"participant_token", token}});
        auto snapshot = ws->receive_until(of_type("snapshot"));
        EXPECT_EQ((*snapshot)["role"], "participant");
        return ws;
    }
    json single(bool open = true, const std::string& results = "live") {
        return server.create_poll(
            event,
            {{"type", "single"}, {"question", "q"}, {"options", {"a", "b"}}, {"results", results}},
            open);
    }
};

TEST_F(Live, SnapshotPerRole) {
    auto open_poll = single();
    auto draft = single(false);
    WsClient anonymous(server.port(), ws_path);
    auto snapshot = anonymous.receive_until(of_type("snapshot"));
    ASSERT_TRUE(snapshot);
    EXPECT_EQ((*snapshot)["role"], "anonymous");
    EXPECT_EQ((*snapshot)["event"]["code"], "LIVE");
    EXPECT_EQ((*snapshot)["polls"].size(), 1u) << "no drafts for attendees";
    EXPECT_TRUE((*snapshot)["results"].contains(std::to_string(open_poll["id"].get<long>())));

    auto moderator = moderator_socket();  // asserts role
    WsClient wrong(server.port(), ws_path);
    wrong.receive_until(of_type("snapshot"));
    wrong.send({{"type", "hello"}, {"moderator_token", "mt_forged"}});
    auto error = wrong.receive_until(
        [](const json& m) { return m["type"] == "error" || m["type"] == "snapshot"; });
    ASSERT_TRUE(error);
    EXPECT_EQ((*error)["type"], "error");
    EXPECT_EQ((*error)["code"], "unauthorized");
}

TEST_F(Live, ModeratorSnapshotHasDrafts) {
    single();
    single(false);
    auto ws = std::make_unique<WsClient>(server.port(), ws_path);
    ws->receive_until(of_type("snapshot"));
    ws->send({{"type", "hello"}, {"moderator_token", event.moderator_token}});
    auto snapshot = ws->receive_until(of_type("snapshot"));
    EXPECT_EQ((*snapshot)["polls"].size(), 2u);
}

TEST_F(Live, VotesOverWebSocketAndRestReachEveryClient) {
    auto poll = single();
    long poll_id = poll["id"], a = poll["options"][0]["id"], b = poll["options"][1]["id"];
    auto alice = attendee_socket(server.join("LIVE"));
    auto projector = std::make_unique<WsClient>(server.port(), ws_path);
    projector->receive_until(of_type("snapshot"));
    alice->send({{"type", "respond"}, {"ref", "r1"}, {"poll_id", poll_id}, {"options", {a}}});
    auto ack = alice->receive_until(of_type("ack"));
    ASSERT_TRUE(ack);
    EXPECT_EQ((*ack)["ref"], "r1");
    EXPECT_EQ((*ack)["ok"], true);
    auto seen = projector->receive_until(
        [](const json& m) { return m["type"] == "results" && m["results"]["respondents"] == 1; });
    ASSERT_TRUE(seen) << "projector sees the WebSocket vote";
    EXPECT_EQ((*seen)["poll_id"], poll_id);

    client.post("/api/polls/" + std::to_string(poll_id) + "/responses", {{"options", {b}}},
                participant(server.join("LIVE")));
    auto both = projector->receive_until(
        [](const json& m) { return m["type"] == "results" && m["results"]["respondents"] == 2; });
    ASSERT_TRUE(both) << "projector sees the REST vote";
    EXPECT_GT((*both)["seq"].get<long>(), (*seen)["seq"].get<long>());
    EXPECT_TRUE(alice->receive_until(
        [](const json& m) { return m["type"] == "results" && m["results"]["respondents"] == 2; }));
}

TEST_F(Live, AcksCarryTheRestErrorCodes) {
    auto poll = single();
    long poll_id = poll["id"];
    auto alice = attendee_socket(server.join("LIVE"));
    alice->send({{"type", "respond"}, {"ref", 7}, {"poll_id", poll_id}, {"options", {424242}}});
    auto bad = alice->receive_until(of_type("ack"));
    ASSERT_TRUE(bad);
    EXPECT_EQ((*bad)["ok"], false);
    EXPECT_EQ((*bad)["ref"], 7);
    EXPECT_EQ((*bad)["error"]["code"], "invalid_field");
    client.patch("/api/polls/" + std::to_string(poll_id), {{"state", "closed"}}, event.moderator());
    alice->send({{"type", "respond"},
                 {"ref", 8},
                 {"poll_id", poll_id},
                 {"options", {poll["options"][0]["id"]}}});
    auto closed = alice->receive_until(of_type("ack"));
    EXPECT_EQ((*closed)["error"]["code"], "poll_not_open");

    WsClient anonymous(server.port(), ws_path);
    anonymous.receive_until(of_type("snapshot"));
    anonymous.send({{"type", "respond"}, {"ref", 9}, {"poll_id", poll_id}, {"options", {1}}});
    EXPECT_EQ((*anonymous.receive_until(of_type("ack")))["error"]["code"], "unauthorized");
}

TEST_F(Live, HiddenResultsReachOnlyModerators) {
    auto poll = single(true, "hidden");
    long poll_id = poll["id"];
    auto moderator = moderator_socket();
    auto alice = attendee_socket(server.join("LIVE"));
    alice->send({{"type", "respond"},
                 {"ref", "x"},
                 {"poll_id", poll_id},
                 {"options", {poll["options"][0]["id"]}}});
    ASSERT_TRUE(alice->receive_until(of_type("ack")));
    EXPECT_TRUE(moderator->receive_until(of_type("results")));
    EXPECT_FALSE(alice->receive_until(of_type("results"), std::chrono::milliseconds(500)));
}

TEST_F(Live, PollMessagesFollowTheModerator) {
    auto alice = attendee_socket(server.join("LIVE"));
    auto moderator = moderator_socket();
    auto poll = single(false);
    long poll_id = poll["id"];
    EXPECT_TRUE(moderator->receive_until(of_type("poll"))) << "moderators see drafts being made";
    client.patch("/api/polls/" + std::to_string(poll_id), {{"state", "open"}}, event.moderator());
    auto opened = alice->receive_until(of_type("poll"));
    ASSERT_TRUE(opened) << "attendees see it open";
    EXPECT_EQ((*opened)["poll"]["state"], "open");
    client.request("DELETE", "/api/polls/" + std::to_string(poll_id), "", event.moderator());
    auto deleted = alice->receive_until(of_type("poll_deleted"));
    ASSERT_TRUE(deleted);
    EXPECT_EQ((*deleted)["poll_id"], poll_id);
}

TEST_F(Live, APollThatReusesADeletedPollsIdIsNotStaleToPages) {
    // SQLite hands the highest id out again once its row is gone; a page drops results
    // whose seq is not above the last it saw for that id (web/js/live.js).
    auto alice = attendee_socket(server.join("LIVE"));
    auto projector = std::make_unique<WsClient>(server.port(), ws_path);
    projector->receive_until(of_type("snapshot"));
    auto vote = [&](const json& poll, const std::string& ref) {
        alice->send({{"type", "respond"},
                     {"ref", ref},
                     {"poll_id", poll["id"]},
                     {"options", {poll["options"][0]["id"]}}});
        auto ack = alice->receive_until(of_type("ack"));
        ASSERT_TRUE(ack);
        EXPECT_EQ((*ack)["ok"], true);
    };
    auto results_of = [&](long poll_id) {
        return projector->receive_until([poll_id](const json& m) {
            return m["type"] == "results" && m["poll_id"] == poll_id &&
                   m["results"]["respondents"] == 1;
        });
    };
    auto first = single();
    long poll_id = first["id"];
    vote(first, "old");
    auto old_results = results_of(poll_id);
    ASSERT_TRUE(old_results);
    client.request("DELETE", "/api/polls/" + std::to_string(poll_id), "", event.moderator());
    ASSERT_TRUE(projector->receive_until(of_type("poll_deleted")));

    auto second = single();
    ASSERT_EQ(second["id"], poll_id) << "the premise: the id is handed out again";
    vote(second, "new");
    auto new_results = results_of(poll_id);
    ASSERT_TRUE(new_results);
    EXPECT_GT((*new_results)["seq"].get<long>(), (*old_results)["seq"].get<long>());
}

TEST_F(Live, ProjectorsFollowThePresentedPoll) {
    auto poll = single();
    WsClient projector(server.port(), ws_path);
    auto snapshot = projector.receive_until(of_type("snapshot"));
    EXPECT_TRUE((*snapshot)["event"]["presented_poll_id"].is_null());
    EXPECT_FALSE((*snapshot)["event"]["join_url"].get<std::string>().empty());
    client.patch("/api/events/LIVE", {{"presented_poll_id", poll["id"]}}, event.moderator());
    auto changed = projector.receive_until(of_type("event"));
    ASSERT_TRUE(changed);
    EXPECT_EQ((*changed)["event"]["presented_poll_id"], poll["id"]);
}

TEST_F(Live, CoalescingSendsFewResultsAndTheLastIsExact) {
    auto poll = single();
    long poll_id = poll["id"], a = poll["options"][0]["id"];
    std::vector<std::string> tokens;
    for (int i = 0; i < 300; ++i) tokens.push_back(server.join("LIVE"));
    WsClient watcher(server.port(), ws_path);
    watcher.receive_until(of_type("snapshot"));
    auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> voters;
    for (int t = 0; t < 4; ++t)
        voters.emplace_back([&, t] {
            HttpClient voter(server.port());
            for (std::size_t i = static_cast<std::size_t>(t); i < tokens.size(); i += 4)
                voter.post("/api/polls/" + std::to_string(poll_id) + "/responses",
                           {{"options", {a}}}, participant(tokens[i]));
        });
    for (auto& voter : voters) voter.join();
    auto elapsed = std::chrono::steady_clock::now() - started;
    int messages = 0;
    long last = -1;
    while (auto message = watcher.receive(std::chrono::milliseconds(400))) {
        if ((*message)["type"] != "results") continue;
        ++messages;
        last = (*message)["results"]["respondents"];
    }
    EXPECT_EQ(last, 300) << "the last push is exact";
    auto seconds = std::chrono::duration<double>(elapsed).count() + 0.5;
    EXPECT_LE(messages, static_cast<int>(seconds * 10) + 2) << "at most ~10 pushes a second";
}

TEST_F(Live, OnlineCountsPeopleAsTheyComeAndGo) {
    auto alice_token = server.join("LIVE");
    auto watcher = moderator_socket();
    {
        auto alice = attendee_socket(alice_token);
        auto alice_tab = attendee_socket(alice_token);
        auto bob = attendee_socket(server.join("LIVE"));
        auto online = watcher->receive_until(
            [](const json& m) { return m["type"] == "online" && m["count"] == 2; });
        EXPECT_TRUE(online) << "two people, three tabs";
    }
    auto gone = watcher->receive_until(
        [](const json& m) { return m["type"] == "online" && m["count"] == 0; });
    EXPECT_TRUE(gone);
    auto summary = client.get("/api/events/LIVE/summary", event.moderator()).json_body();
    EXPECT_EQ(summary["peak_online"], 2);
}

TEST_F(Live, UpgradeChecks) {
    EXPECT_EQ(upgrade_status(server.port(), "/ws/events/NOSUCH"), 404);
    EXPECT_EQ(upgrade_status(server.port(), ws_path, {{"Origin", "https://evil.example"}}), 403);
    EXPECT_EQ(upgrade_status(server.port(), ws_path,
                             {{"Origin", "http://127.0.0.1:" + std::to_string(server.port())}}),
              0);
}

TEST_F(Live, BadMessagesGetErrorsAndTheConnectionStaysUsable) {
    WsClient ws(server.port(), ws_path);
    ws.receive_until(of_type("snapshot"));
    ws.send_text("{not json");
    EXPECT_EQ((*ws.receive_until(of_type("error")))["code"], "invalid_json");
    ws.send({{"type", "dance"}});
    EXPECT_EQ((*ws.receive_until(of_type("error")))["code"], "unknown_type");
    ws.send({{"type", "ping"}});
    EXPECT_TRUE(ws.receive_until(of_type("pong")));
    EXPECT_TRUE(ws.is_open());
}

TEST(LiveLimits, OversizeFrameClosesWith1009AndRepeatedAbuseCloses) {
    TestServer server([](Config& c) {
        c.ws_max_frame_bytes = 1024;
        c.ws_max_errors = 3;
    });
    server.create_event("t", "LIMIT");
    {
        WsClient ws(server.port(), "/ws/events/LIMIT");
        ws.receive_until(of_type("snapshot"));
        ws.send_text(std::string(4096, 'x'));
        for (int i = 0; i < 50 && ws.is_open(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        EXPECT_FALSE(ws.is_open());
        ASSERT_TRUE(ws.close_info());
        EXPECT_EQ(ws.close_info()->code, 1009);
    }
    {
        WsClient ws(server.port(), "/ws/events/LIMIT");
        ws.receive_until(of_type("snapshot"));
        for (int i = 0; i < 6; ++i) ws.send_text("garbage");
        for (int i = 0; i < 50 && ws.is_open(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        EXPECT_FALSE(ws.is_open());
        ASSERT_TRUE(ws.close_info());
        EXPECT_EQ(ws.close_info()->code, 1008);
    }
}

// A browser's upgrade offering permessage-deflate, and what comes back within half a second
// (the 101 response, then the snapshot frame).
std::string upgrade_offering_deflate(unsigned short port, const std::string& code) {
    const std::string host = "127.0.0.1:" + std::to_string(port);
    return raw_exchange(port,
                        "GET /ws/events/" + code + " HTTP/1.1\r\nHost: " + host +
                            "\r\nOrigin: http://" + host +
                            "\r\nUpgrade: websocket\r\nConnection: Upgrade"
                            "\r\nSec-WebSocket-Version: 13"
                            "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
                            "\r\nSec-WebSocket-Extensions: permessage-deflate; "
                            "client_max_window_bits\r\n\r\n",
                        std::chrono::milliseconds(500));
}

TEST(LiveLimits, PermessageDeflateIsOffUnlessConfigured) {
    for (bool on : {false, true}) {
        SCOPED_TRACE(on ? "ws_permessage_deflate on" : "default");
        TestServer server([on](Config& c) { c.ws_permessage_deflate = on; });
        auto event = server.create_event("Deflate", on ? "DEFLON" : "DEFLOFF");
        server.create_poll(event, {{"type", "single"},
                                   {"question", "Which of these would you pick for the workshop?"},
                                   {"options", {"Morning session", "Afternoon", "Both days"}}});
        auto received = upgrade_offering_deflate(server.port(), event.code);
        ASSERT_EQ(received.rfind("HTTP/1.1 101", 0), 0u) << received.substr(0, 200);
        const auto end = received.find("\r\n\r\n");
        ASSERT_NE(end, std::string::npos);
        ASSERT_GT(received.size(), end + 4) << "no snapshot frame after the upgrade";
        const std::string head = received.substr(0, end);
        const auto first_byte = static_cast<unsigned char>(received[end + 4]);
        if (!on) {
            EXPECT_EQ(head.find("permessage-deflate"), std::string::npos) << head;
            EXPECT_EQ(first_byte, 0x81) << "FIN + text, not compressed";
            continue;
        }
        EXPECT_NE(head.find("permessage-deflate; server_max_window_bits=12; "
                            "client_max_window_bits=12"),
                  std::string::npos)
            << head;
        EXPECT_EQ(first_byte, 0xC1) << "FIN + RSV1 (compressed) + text";

        // And a client that inflates reads the same snapshot a plain one does.
        WsClient inflating(server.port(), "/ws/events/" + event.code, {}, /*offer_deflate=*/true);
        auto snapshot = inflating.receive_until(of_type("snapshot"));
        ASSERT_TRUE(snapshot);
        EXPECT_EQ((*snapshot)["event"]["code"], event.code);
        EXPECT_EQ((*snapshot)["polls"].size(), 1u);
    }
}

TEST(LiveLimits, ConnectionLimitsPerEventAndTotal) {
    TestServer server([](Config& c) {
        c.max_connections_per_event = 2;
        c.max_connections = 3;
    });
    server.create_event("t", "EVONE");
    server.create_event("t", "EVTWO");
    WsClient a(server.port(), "/ws/events/EVONE");
    WsClient b(server.port(), "/ws/events/EVONE");
    a.receive_until(of_type("snapshot"));
    b.receive_until(of_type("snapshot"));
    EXPECT_EQ(upgrade_status(server.port(), "/ws/events/EVONE"), 503);
    WsClient c(server.port(), "/ws/events/EVTWO");
    c.receive_until(of_type("snapshot"));
    EXPECT_EQ(upgrade_status(server.port(), "/ws/events/EVTWO"), 503);
}

// Resident memory of this process (server and clients alike), from /proc.
long resident_bytes() {
    long pages_total = 0, pages_resident = 0;
    std::FILE* statm = std::fopen("/proc/self/statm", "r");
    if (statm) {
        if (std::fscanf(statm, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = 0;
        std::fclose(statm);
    }
    return pages_resident * sysconf(_SC_PAGESIZE);
}

TEST(LiveSlowReader, IsDroppedWithoutDelayingOthers) {
    TestServer server([](Config& c) {
        c.ws_send_queue_limit = 8;
        c.words_top_n = 5000;
        c.results_interval_ms = 10;
    });
    auto event = server.create_event("t", "SLOW");
    // Results of one poll coalesce into one queue slot, so a client only falls behind for
    // real when many polls change: twelve word clouds with large results.
    std::vector<long> polls;
    for (int p = 0; p < 12; ++p)
        polls.push_back(server.create_poll(
            event, {{"type", "wordcloud"}, {"question", "Words?"}, {"max_words", 10}})["id"]);
    SilentWsClient slow(server.port(), "/ws/events/SLOW");
    WsClient fast(server.port(), "/ws/events/SLOW");
    const auto rss_before = resident_bytes();
    fast.receive_until(of_type("snapshot"));
    HttpClient http(server.port());
    std::vector<std::string> people;
    for (int i = 0; i < 40; ++i) people.push_back(server.join("SLOW"));
    std::vector<double> latencies;
    for (int i = 0; i < 480; ++i) {
        long poll_id = polls[static_cast<std::size_t>(i) % polls.size()];
        int expected = i / static_cast<int>(polls.size()) + 1;
        json words = json::array();
        for (int w = 0; w < 10; ++w)
            words.push_back("w" + std::to_string(i) + "-" + std::to_string(w) +
                            std::string(25, 'x'));
        auto sent = std::chrono::steady_clock::now();
        http.post("/api/polls/" + std::to_string(poll_id) + "/responses", {{"words", words}},
                  participant(people[static_cast<std::size_t>(expected - 1)]));
        auto seen = fast.receive_until(
            [&](const json& m) {
                return m["type"] == "results" && m["poll_id"] == poll_id &&
                       m["results"]["respondents"] == expected;
            },
            std::chrono::milliseconds(2000));
        ASSERT_TRUE(seen) << "the fast client kept up at vote " << i;
        latencies.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent)
                .count());
    }
    bool dropped = false;
    for (int i = 0; i < 100 && !dropped; ++i) {
        dropped = slow.closed_by_server();
        if (!dropped) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(dropped) << "the silent client was evicted";
    // By construction the silent client pins at most ws_send_queue_limit messages; the
    // RSS figure is the measurement the docs quote and a guard against gross leaks.
    const double growth_mib = static_cast<double>(resident_bytes() - rss_before) / (1 << 20);
    std::printf("[ measure  ] process RSS growth during the run %.1f MiB\n", growth_mib);
#ifndef VOXPOP_UNDER_ASAN
    EXPECT_LT(growth_mib, 16.0) << "memory stayed bounded";
#endif
    std::sort(latencies.begin(), latencies.end());
    EXPECT_LT(latencies[latencies.size() * 9 / 10], 500.0) << "others' latency stayed flat";
    std::printf("[ measure  ] fast client vote-to-results p50 %.1f ms, p90 %.1f ms, max %.1f ms\n",
                latencies[latencies.size() / 2], latencies[latencies.size() * 9 / 10],
                latencies.back());
}

TEST(LiveShutdown, ClosesClientsWithACloseFrame) {
    TestServer server;
    server.create_event("t", "BYEBYE");
    WsClient ws(server.port(), "/ws/events/BYEBYE");
    ws.receive_until(of_type("snapshot"));
    server.stop();
    for (int i = 0; i < 50 && ws.is_open(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(ws.close_info());
    EXPECT_EQ(ws.close_info()->code, 1001);
    EXPECT_EQ(ws.close_info()->reason, "server shutting down");
}

}  // namespace
}  // namespace voxpop::testing
