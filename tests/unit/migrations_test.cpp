#include "storage/migrations.hpp"

#include <gtest/gtest.h>

namespace voxpop {
namespace {

bool table_exists(sqlite::Database& db, const std::string& name) {
    auto stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
    stmt.bind(1, name);
    return stmt.step();
}

TEST(Migrations, FreshDatabaseGetsEverySchemaVersion) {
    sqlite::Database db(":memory:");
    int version = apply_migrations(db, embedded_migrations());
    EXPECT_EQ(version, embedded_migrations().back().version);
    EXPECT_EQ(db.query_int("PRAGMA user_version"), version);
    EXPECT_TRUE(table_exists(db, "events"));
    EXPECT_TRUE(table_exists(db, "responses"));
}

TEST(Migrations, UpToDateDatabaseIsLeftAlone) {
    sqlite::Database db(":memory:");
    apply_migrations(db, embedded_migrations());
    db.exec(
        "INSERT INTO events (code, title, moderator_hash, created_at) VALUES ('ABCD', 't', 'h', "
        "1)");
    EXPECT_EQ(apply_migrations(db, embedded_migrations()), embedded_migrations().back().version);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM events"), 1);
}

TEST(Migrations, NewerDatabaseIsRefused) {
    sqlite::Database db(":memory:");
    db.exec("PRAGMA user_version = 999");
    EXPECT_THROW(apply_migrations(db, embedded_migrations()), MigrationError);
    EXPECT_EQ(db.query_int("PRAGMA user_version"), 999);
}

TEST(Migrations, FailingMigrationChangesNothing) {
    sqlite::Database db(":memory:");
    std::vector<Migration> migrations = {
        {1, "001_ok.sql", "CREATE TABLE a (x INTEGER);"},
        {2, "002_bad.sql", "CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);"},
    };
    EXPECT_THROW(apply_migrations(db, migrations), MigrationError);
    EXPECT_EQ(db.query_int("PRAGMA user_version"), 1);
    EXPECT_TRUE(table_exists(db, "a"));
    EXPECT_FALSE(table_exists(db, "b"));
}

}  // namespace
}  // namespace voxpop
