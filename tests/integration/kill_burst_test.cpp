// SIGKILL in the middle of a 10,000-response burst arriving over WebSockets and REST at
// once: every acknowledged response survives, the database is intact, and the results
// after the restart equal a recount of the responses table.
#include "child_server.hpp"
#include "storage/sqlite.hpp"
#include "test_server.hpp"
#include "util/crypto.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace voxpop::testing {
namespace {

constexpr int kPolls = 50;
constexpr int kRestParticipants = 100;  // x 50 polls = 5,000 responses over REST
constexpr int kWsParticipants = 100;    // x 50 polls = 5,000 responses over WebSockets
constexpr int kRestThreads = 20;
constexpr int kKillAfterAcks = 3'000;

struct Burst {
    std::string code;
    std::vector<std::int64_t> polls;
    std::map<std::int64_t, std::vector<std::int64_t>> options;  // poll -> option ids
    std::vector<std::string> rest_tokens, ws_tokens;

    std::mutex mutex;
    // (token hash, poll) -> option id, for every response acknowledged as committed.
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> acknowledged;
    std::atomic<int> acks{0}, rest_acks{0}, ws_acks{0};

    std::int64_t option_for(std::size_t participant, std::size_t poll_index) {
        const auto& ids = options[polls[poll_index]];
        return ids[(participant + poll_index) % ids.size()];
    }
    void acknowledge(const std::string& token, std::int64_t poll, std::int64_t option) {
        std::lock_guard lock(mutex);
        acknowledged[{sha256_hex(token), poll}] = option;
        ++acks;
    }
};

void prepare(ChildServer& server, Burst& burst) {
    HttpClient setup(server.port());
    auto event = setup.post("/api/events", {{"title", "kill burst"}}).json_body();
    burst.code = event["code"];
    Headers mod = {{"Authorization", "Bearer " + event["moderator_token"].get<std::string>()}};
    for (int p = 0; p < kPolls; ++p) {
        auto poll = setup
                        .post("/api/events/" + burst.code + "/polls",
                              {{"type", "single"},
                               {"question", "q" + std::to_string(p)},
                               {"options", {"a", "b", "c"}}},
                              mod)
                        .json_body();
        std::int64_t id = poll["id"];
        burst.polls.push_back(id);
        for (const auto& option : poll["options"]) burst.options[id].push_back(option["id"]);
        setup.patch("/api/polls/" + std::to_string(id), {{"state", "open"}}, mod);
    }
    auto join = [&] {
        return setup.post("/api/events/" + burst.code + "/join", json::object())
            .json_body()["participant_token"]
            .get<std::string>();
    };
    for (int i = 0; i < kRestParticipants; ++i) burst.rest_tokens.push_back(join());
    for (int i = 0; i < kWsParticipants; ++i) burst.ws_tokens.push_back(join());
}

void vote_over_rest(unsigned short port, Burst& burst, int thread) {
    try {
        HttpClient client(port);
        for (std::size_t p = 0; p < burst.polls.size(); ++p)
            for (std::size_t i = static_cast<std::size_t>(thread); i < burst.rest_tokens.size();
                 i += kRestThreads) {
                auto option = burst.option_for(i, p);
                auto result =
                    client.post("/api/polls/" + std::to_string(burst.polls[p]) + "/responses",
                                {{"options", {option}}}, participant(burst.rest_tokens[i]));
                if (result.status != 200) continue;
                burst.acknowledge(burst.rest_tokens[i], burst.polls[p], option);
                ++burst.rest_acks;
            }
    } catch (const std::exception&) {
        // the server died under us: expected
    }
}

// One phone: answers every poll in a row, pipelined (no waiting for acks), then collects
// the acks until the connection dies.
void vote_over_websocket(unsigned short port, Burst& burst, std::size_t index) {
    try {
        const auto& token = burst.ws_tokens[index];
        WsClient ws(port, "/ws/events/" + burst.code);
        ws.send({{"type", "hello"}, {"participant_token", token}});
        std::map<std::string, std::pair<std::int64_t, std::int64_t>> sent;  // ref -> poll, opt
        for (std::size_t p = 0; p < burst.polls.size(); ++p) {
            std::string ref = "r" + std::to_string(p);
            auto option = burst.option_for(kRestParticipants + index, p);
            sent[ref] = {burst.polls[p], option};
            ws.send({{"type", "respond"},
                     {"ref", ref},
                     {"poll_id", burst.polls[p]},
                     {"options", {option}}});
        }
        while (!sent.empty()) {
            auto ack = ws.receive_until([](const json& m) { return m["type"] == "ack"; },
                                        std::chrono::milliseconds(10'000));
            if (!ack) return;
            auto it = sent.find((*ack)["ref"].get<std::string>());
            if (it == sent.end()) continue;
            if ((*ack)["ok"] == true) {
                burst.acknowledge(token, it->second.first, it->second.second);
                ++burst.ws_acks;
            }
            sent.erase(it);
        }
    } catch (const std::exception&) {
    }
}

TEST(Process, SigkillDuringATenThousandResponseBurstOverWebSocketAndRest) {
    TempDir dir;
    const std::string db_path = (dir.path() / "v.db").string();
    std::vector<std::string> args = {"--address",
                                     "127.0.0.1",
                                     "--port",
                                     "0",
                                     "--db",
                                     db_path,
                                     "--web-root",
                                     std::string(VOXPOP_SOURCE_DIR) + "/web",
                                     "--access-log",
                                     "false",
                                     "--sqlite-synchronous",
                                     "full",
                                     "--responses-per-minute",
                                     "1000000",
                                     "--ws-messages-per-second",
                                     "100000",
                                     "--ws-send-queue-limit",
                                     "1000"};
    Burst burst;
    {
        ChildServer server(args);
        prepare(server, burst);
        std::vector<std::thread> clients;
        for (std::size_t i = 0; i < burst.ws_tokens.size(); ++i)
            clients.emplace_back(vote_over_websocket, server.port(), std::ref(burst), i);
        for (int t = 0; t < kRestThreads; ++t)
            clients.emplace_back(vote_over_rest, server.port(), std::ref(burst), t);
        // Killed in the middle of both streams: after kKillAfterAcks acks, at least one of
        // them over each transport (the pipelined WebSocket votes can fill the first
        // thousands of acks on their own while the REST threads wait for their first).
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        auto both_under_way = [&] {
            return burst.acks.load() >= kKillAfterAcks && burst.rest_acks.load() > 0 &&
                   burst.ws_acks.load() > 0;
        };
        while (!both_under_way() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        server.kill_hard();
        for (auto& client : clients) client.join();
    }
    const auto total = static_cast<std::size_t>(kPolls) * (kRestParticipants + kWsParticipants);
    std::cout << "acknowledged before SIGKILL: " << burst.acks << " (REST " << burst.rest_acks
              << ", WebSocket " << burst.ws_acks << ") of " << total << '\n';
    ASSERT_GE(burst.acknowledged.size(), static_cast<std::size_t>(kKillAfterAcks));
    ASSERT_LT(burst.acknowledged.size(), total) << "the kill came too late to mean anything";
    EXPECT_GT(burst.rest_acks, 0);
    EXPECT_GT(burst.ws_acks, 0);

    {
        sqlite::Database db(db_path);
        auto check = db.prepare("PRAGMA integrity_check");
        ASSERT_TRUE(check.step());
        EXPECT_EQ(check.column_text(0), "ok");
    }

    ChildServer again(args);
    // Every acknowledged response is stored with the acknowledged answer.
    {
        sqlite::Database db(db_path, SQLITE_OPEN_READONLY);
        auto rows = db.prepare(
            "SELECT p.token_hash, r.poll_id, r.answer FROM responses r "
            "JOIN participants p ON p.id = r.participant_id");
        std::map<std::pair<std::string, std::int64_t>, std::string> stored;
        while (rows.step()) stored[{rows.column_text(0), rows.column_int(1)}] = rows.column_text(2);
        std::size_t missing = 0;
        for (const auto& [key, option] : burst.acknowledged) {
            auto it = stored.find(key);
            if (it == stored.end() || it->second != std::to_string(option)) ++missing;
        }
        EXPECT_EQ(missing, 0u) << "acknowledged responses lost or changed";
    }
    // The results the restarted server serves equal a recount of the table.
    HttpClient client(again.port());
    sqlite::Database db(db_path, SQLITE_OPEN_READONLY);
    for (auto poll : burst.polls) {
        auto results = client.get("/api/polls/" + std::to_string(poll) + "/results").json_body();
        auto recount = db.prepare(
            "SELECT answer, count(*) FROM responses WHERE poll_id = ?1 "
            "GROUP BY answer");
        recount.bind(1, poll);
        std::map<std::string, std::int64_t> counted;
        std::int64_t respondents = 0;
        while (recount.step()) {
            counted[recount.column_text(0)] = recount.column_int(1);
            respondents += recount.column_int(1);
        }
        EXPECT_EQ(results["respondents"].get<std::int64_t>(), respondents) << "poll " << poll;
        for (const auto& option : results["options"])
            EXPECT_EQ(option["votes"].get<std::int64_t>(),
                      counted[std::to_string(option["id"].get<std::int64_t>())])
                << "poll " << poll << " option " << option["id"];
    }
}

}  // namespace
}  // namespace voxpop::testing
