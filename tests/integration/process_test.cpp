// The voxpop binary as a user runs it: flags, bad configuration, SIGTERM, SIGKILL.
#include "child_server.hpp"
#include "storage/sqlite.hpp"
#include "test_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>

namespace voxpop::testing {
namespace {

std::vector<std::string> base_args(const TempDir& dir) {
    return {"--address",    "127.0.0.1",
            "--port",       "0",
            "--db",         (dir.path() / "v.db").string(),
            "--web-root",   std::string(VOXPOP_SOURCE_DIR) + "/web",
            "--log-level",  "info",
            "--access-log", "false"};
}

TEST(Process, HelpAndVersion) {
    auto help = run_binary({"--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.output.find("--max-body-bytes"), std::string::npos);
    auto version = run_binary({"--version"});
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_EQ(version.output.rfind("voxpop ", 0), 0u);
}

TEST(Process, BadConfigurationStopsWithOneLineNamingTheKey) {
    TempDir dir;
    auto port = run_binary({"--port", "70000"});
    EXPECT_EQ(port.exit_code, 2);
    EXPECT_NE(port.output.find("port"), std::string::npos);
    EXPECT_EQ(std::count(port.output.begin(), port.output.end(), '\n'), 1) << port.output;

    auto env = run_binary({}, {"VOXPOP_THREADS=many"});
    EXPECT_EQ(env.exit_code, 2);
    EXPECT_NE(env.output.find("threads"), std::string::npos);

    auto file = dir.path() / "bad.json";
    std::ofstream(file) << R"({"port": 8080, "colour": "red"})";
    auto unknown = run_binary({"--config", file.string()});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.output.find("colour"), std::string::npos);

    auto db = run_binary(
        {"--db", "/proc/nope/v.db", "--web-root", std::string(VOXPOP_SOURCE_DIR) + "/web"});
    EXPECT_EQ(db.exit_code, 2);
    EXPECT_NE(db.output.find("db"), std::string::npos);
}

TEST(Process, NewerDatabaseStopsTheServerAndIsLeftAsItWas) {
    TempDir dir;
    {
        sqlite::Database db((dir.path() / "v.db").string());
        db.exec("PRAGMA user_version = 999");
    }
    auto args = base_args(dir);
    auto result = run_binary(args);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.output.find("newer"), std::string::npos) << result.output;
    sqlite::Database db((dir.path() / "v.db").string());
    EXPECT_EQ(db.query_int("PRAGMA user_version"), 999);
}

TEST(Process, SigtermExitsZero) {
    TempDir dir;
    ChildServer server(base_args(dir));
    HttpClient client(server.port());
    EXPECT_EQ(client.get("/healthz").status, 200);
    EXPECT_EQ(server.terminate(), 0);
}

// Votes stream in from several connections; the process is SIGKILLed mid-stream. Every
// acknowledged vote must be there after a restart, and the database must be intact.
TEST(Process, SigkillLosesNoAcknowledgedResponse) {
    TempDir dir;
    auto args = base_args(dir);
    args.insert(args.end(), {"--sqlite-synchronous", "full"});
    std::string code;
    std::string moderator;
    std::int64_t poll_id = 0;
    std::vector<std::int64_t> option_ids;
    std::vector<std::string> tokens;
    std::mutex mutex;
    std::map<std::string, std::int64_t> acknowledged;  // token -> option
    {
        ChildServer server(args);
        HttpClient setup(server.port());
        auto event = setup.post("/api/events", {{"title", "kill"}}).json_body();
        code = event["code"];
        moderator = event["moderator_token"];
        Headers mod = {{"Authorization", "Bearer " + moderator}};
        auto poll =
            setup
                .post("/api/events/" + code + "/polls",
                      {{"type", "single"}, {"question", "q"}, {"options", {"a", "b", "c"}}}, mod)
                .json_body();
        poll_id = poll["id"];
        for (const auto& option : poll["options"]) option_ids.push_back(option["id"]);
        setup.patch("/api/polls/" + std::to_string(poll_id), {{"state", "open"}}, mod);
        for (int i = 0; i < 400; ++i)
            tokens.push_back(setup.post("/api/events/" + code + "/join", json::object())
                                 .json_body()["participant_token"]);

        std::atomic<int> acks{0};
        std::vector<std::thread> voters;
        for (int t = 0; t < 8; ++t) {
            voters.emplace_back([&, t] {
                try {
                    HttpClient client(server.port());
                    for (std::size_t i = static_cast<std::size_t>(t); i < tokens.size(); i += 8) {
                        auto option = option_ids[i % option_ids.size()];
                        auto result =
                            client.post("/api/polls/" + std::to_string(poll_id) + "/responses",
                                        {{"options", {option}}}, participant(tokens[i]));
                        if (result.status != 200) continue;
                        std::lock_guard lock(mutex);
                        acknowledged[tokens[i]] = option;
                        ++acks;
                    }
                } catch (const std::exception&) {
                    // the server died under us: expected
                }
            });
        }
        while (acks.load() < 150) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        server.kill_hard();
        for (auto& voter : voters) voter.join();
    }
    ASSERT_GE(acknowledged.size(), 150u);
    ASSERT_LT(acknowledged.size(), tokens.size()) << "the kill came too late to mean anything";

    {
        sqlite::Database db((dir.path() / "v.db").string());
        auto check = db.prepare("PRAGMA integrity_check");
        ASSERT_TRUE(check.step());
        EXPECT_EQ(check.column_text(0), "ok");
    }
    ChildServer again(args);
    HttpClient client(again.port());
    std::map<std::int64_t, std::int64_t> expected_votes;
    for (const auto& [token, option] : acknowledged) ++expected_votes[option];
    auto results = client.get("/api/polls/" + std::to_string(poll_id) + "/results").json_body();
    EXPECT_GE(results["respondents"].get<std::size_t>(), acknowledged.size());
    for (const auto& option : results["options"])
        EXPECT_GE(option["votes"].get<std::int64_t>(), expected_votes[option["id"]]);
    // Acknowledged participants see their own answer in their snapshot.
    int checked = 0;
    for (const auto& [token, option] : acknowledged) {
        if (++checked > 5) break;
        WsClient ws(again.port(), "/ws/events/" + code);
        ws.send({{"type", "hello"}, {"participant_token", token}});
        auto snapshot = ws.receive_until(
            [](const json& m) { return m["type"] == "snapshot" && m.contains("participant_id"); });
        ASSERT_TRUE(snapshot);
        EXPECT_EQ((*snapshot)["responses"][std::to_string(poll_id)]["options"][0], option);
    }
    // And the tallies equal a recount of the responses table.
    sqlite::Database db((dir.path() / "v.db").string());
    EXPECT_EQ(db.query_int("SELECT count(*) FROM responses"),
              results["respondents"].get<std::int64_t>());
}

}  // namespace
}  // namespace voxpop::testing
