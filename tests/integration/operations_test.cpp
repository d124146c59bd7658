// Running the server over weeks: admin backups, retention, a WAL that stays bounded.
#include "storage/sqlite.hpp"
#include "test_server.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace voxpop::testing {
namespace {

constexpr const char* kAdminToken = "adm_correct-horse-battery-staple";

std::string integrity(const std::string& path) {
    sqlite::Database db(path, SQLITE_OPEN_READONLY);
    auto check = db.prepare("PRAGMA integrity_check");
    return check.step() ? check.column_text(0) : "no answer";
}

TEST(Operations, AdminBackupRouteIsOffUntilConfigured) {
    TestServer server;
    HttpClient client(server.port());
    auto response = client.post("/api/admin/backup", json::object(),
                                {{"Authorization", std::string("Bearer ") + kAdminToken}});
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.error_code(), "not_found");
}

TEST(Operations, AdminStatsCountWritesAndTheirGroupCommits) {
    {
        TestServer off;
        EXPECT_EQ(
            HttpClient(off.port())
                .get("/api/admin/stats", {{"Authorization", std::string("Bearer ") + kAdminToken}})
                .status,
            404);
    }
    TestServer server([](Config& c) { c.admin_token_sha256 = sha256_hex(kAdminToken); });
    HttpClient client(server.port());
    const Headers admin = {{"Authorization", std::string("Bearer ") + kAdminToken}};
    EXPECT_EQ(client.get("/api/admin/stats", {{"Authorization", "Bearer wrong"}}).status, 401);
    auto before = client.get("/api/admin/stats", admin).json_body();
    auto event = server.create_event("t", "STATS");
    auto poll =
        server.create_poll(event, {{"type", "single"}, {"question", "q"}, {"options", {"a", "b"}}});
    std::string path = "/api/polls/" + std::to_string(poll["id"].get<long>()) + "/responses";
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(client
                      .post(path, {{"options", {poll["options"][0]["id"]}}},
                            participant(server.join("STATS")))
                      .status,
                  200);
    auto after = client.get("/api/admin/stats", admin).json_body();
    // The event, the poll and its opening, three joins and three votes, at least.
    const auto jobs = after["writer"]["jobs"].get<long>() - before["writer"]["jobs"].get<long>();
    const auto commits =
        after["writer"]["commits"].get<long>() - before["writer"]["commits"].get<long>();
    EXPECT_GE(jobs, 8);
    EXPECT_GE(commits, 1);
    EXPECT_LE(commits, jobs);
    EXPECT_EQ(after["writer"]["failed_commits"], 0);
}

TEST(Operations, AdminBackupRouteSendsAConsistentCopyWhileVotesArrive) {
    TestServer server([](Config& c) {
        c.admin_token_sha256 = sha256_hex(kAdminToken);
        c.responses_per_minute = 1'000'000;
    });
    auto event = server.create_event("t", "BACKUP");
    auto poll =
        server.create_poll(event, {{"type", "single"}, {"question", "q"}, {"options", {"a", "b"}}});
    HttpClient client(server.port());
    EXPECT_EQ(client.post("/api/admin/backup", json::object(), {{"Authorization", "Bearer wrong"}})
                  .error_code(),
              "unauthorized");
    EXPECT_EQ(client
                  .post("/api/admin/backup", json::object(),
                        {{"Authorization", std::string("Bearer ") + kAdminToken},
                         {"Sec-Fetch-Site", "cross-site"}})
                  .status,
              403);

    // Voters keep committing while the copy is taken.
    std::atomic<bool> stop{false};
    std::atomic<int> acknowledged{0};
    std::thread voters([&] {
        HttpClient voter(server.port());
        std::string path = "/api/polls/" + std::to_string(poll["id"].get<long>()) + "/responses";
        while (!stop) {
            auto token = server.join("BACKUP");
            if (voter.post(path, {{"options", {poll["options"][0]["id"]}}}, participant(token))
                    .status == 200)
                ++acknowledged;
        }
    });
    while (acknowledged < 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto backup = client.post("/api/admin/backup", json::object(),
                              {{"Authorization", std::string("Bearer ") + kAdminToken}});
    stop = true;
    voters.join();
    ASSERT_EQ(backup.status, 200) << backup.body;
    EXPECT_EQ(backup.header("content-type"), "application/vnd.sqlite3");
    EXPECT_NE(backup.header("content-disposition").find("attachment"), std::string::npos);
    ASSERT_EQ(backup.body.rfind(std::string("SQLite format 3\0", 16), 0), 0u);

    auto copy = (server.dir() / "copy.db").string();
    std::ofstream(copy, std::ios::binary) << backup.body;
    EXPECT_EQ(integrity(copy), "ok");
    sqlite::Database restored(copy, SQLITE_OPEN_READONLY);
    auto responses = restored.query_int("SELECT count(*) FROM responses");
    EXPECT_GE(responses, 50);
    EXPECT_LE(responses, acknowledged.load());
    EXPECT_EQ(restored.query_int("SELECT count(*) FROM events WHERE code = 'BACKUP'"), 1);
}

TEST(Operations, RetentionDeletesEventsWithoutRecentActivity) {
    TestServer server([](Config& c) { c.retention_days = 30; });
    auto old_event = server.create_event("old", "OLDONE");
    auto busy_event = server.create_event("old but busy", "BUSYONE");
    auto fresh_event = server.create_event("fresh", "FRESHONE");
    server.create_poll(old_event, {{"type", "single"}, {"question", "q"}, {"options", {"a", "b"}}});
    {
        sqlite::Database db(server.config().db);
        const std::int64_t long_ago = now_ms() - 31LL * 24 * 3600 * 1000;
        db.exec("UPDATE events SET created_at = " + std::to_string(long_ago) +
                " WHERE code IN ('OLDONE', 'BUSYONE')");
        db.exec("UPDATE polls SET created_at = " + std::to_string(long_ago));
    }
    server.join("BUSYONE");  // someone joined today: still in use
    server.restart();        // the sweep runs at start and then hourly

    HttpClient client(server.port());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (client.get("/api/events/OLDONE").status != 404 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(client.get("/api/events/OLDONE").status, 404);
    EXPECT_EQ(client.get("/api/events/BUSYONE").status, 200);
    EXPECT_EQ(client.get("/api/events/FRESHONE").status, 200);
    sqlite::Database db(server.config().db, SQLITE_OPEN_READONLY);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM polls"), 0) << "its polls went with it";
}

TEST(Operations, WalStaysBoundedOnceALongReadEnds) {
    constexpr std::int64_t kLimit = 256 * 1024;
    TestServer server([](Config& c) {
        c.sqlite_wal_limit_bytes = kLimit;
        c.responses_per_minute = 1'000'000;
    });
    auto event = server.create_event("t", "WALWAL");
    auto poll =
        server.create_poll(event, {{"type", "single"}, {"question", "q"}, {"options", {"a", "b"}}});
    auto token = server.join("WALWAL");
    std::string path = "/api/polls/" + std::to_string(poll["id"].get<long>()) + "/responses";
    HttpClient client(server.port());
    auto vote = [&](int i) {
        return client.post(path, {{"options", {poll["options"][i % 2]["id"]}}}, participant(token))
            .status;
    };
    auto wal_size = [&] {
        std::error_code ec;
        auto size = std::filesystem::file_size(server.config().db + "-wal", ec);
        return ec ? std::uintmax_t{0} : size;
    };

    int refused = 0;
    {
        // An analyst's long read pins the old pages: the checkpoint cannot catch up.
        sqlite::Database reader(server.config().db, SQLITE_OPEN_READONLY);
        reader.exec("BEGIN");
        reader.query_int("SELECT count(*) FROM responses");
        for (int i = 0; i < 600; ++i) refused += vote(i) != 200;
        EXPECT_GT(wal_size(), static_cast<std::uintmax_t>(kLimit))
            << "the WAL grew while the read was open (else this test proves nothing)";
        reader.exec("COMMIT");
    }
    for (int i = 0; i < 50; ++i) refused += vote(i) != 200;
    EXPECT_EQ(refused, 0) << "no write failed with SQLITE_BUSY during the long read";
    EXPECT_LE(wal_size(), static_cast<std::uintmax_t>(kLimit));
}

}  // namespace
}  // namespace voxpop::testing
