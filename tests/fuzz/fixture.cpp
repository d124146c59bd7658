#include "fixture.hpp"

#include "domain/parse.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

namespace voxpop::fuzz {
namespace fs = std::filesystem;

void fail(const char* property, std::string_view detail) {
    std::fprintf(stderr, "\n*** voxpop fuzz finding: %s\n", property);
    if (!detail.empty())
        std::fprintf(stderr, "*** %.*s\n",
                     static_cast<int>(std::min<std::size_t>(detail.size(), 4000)), detail.data());
    std::fflush(stderr);
    std::abort();
}

namespace {

void write_file(const fs::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

fs::path make_web_root() {
    // <tmp>/voxpop-fuzz-<pid>/{secret.txt, web/...}: the secret sits right beside the root,
    // and a symlink inside the root points at it.
    fs::path base = fs::temp_directory_path() / ("voxpop-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(base / "web" / "assets");
    write_file(base / "secret.txt", Fixture::kSecret);
    write_file(base / "web" / "index.html", "<!doctype html><title>voxpop</title>");
    write_file(base / "web" / "attendee.html", "<!doctype html><title>attendee</title>");
    write_file(base / "web" / "host.html", "<!doctype html><title>host</title>");
    write_file(base / "web" / "present.html", "<!doctype html><title>present</title>");
    write_file(base / "web" / "404.html", "<!doctype html><title>not found</title>");
    write_file(base / "web" / "assets" / "app.js", "export const x = 1;\n");
    write_file(base / "web" / "assets" / "style.css", "body{}\n");
    std::error_code ec;
    fs::create_symlink(base / "secret.txt", base / "web" / "leak.txt", ec);
    fs::create_directory_symlink(base, base / "web" / "up", ec);
    return base / "web";
}

void remove_web_root() {
    std::error_code ec;
    fs::remove_all(Fixture::web_root().parent_path(), ec);
}

}  // namespace

const fs::path& Fixture::web_root() {
    static const fs::path root = make_web_root();
    static const bool cleaned_at_exit = [] {
        // Registered after `root` exists, so it runs before `root` is destroyed.
        std::atexit(remove_web_root);
        return true;
    }();
    (void)cleaned_at_exit;
    return root;
}

void init_process() {
    spdlog::set_level(spdlog::level::off);
    (void)Fixture::web_root();
}

Config fuzz_config(const std::string& db) {
    Config config;
    config.db = db;
    config.web_root = Fixture::web_root().string();
    config.log_level = "off";
    config.access_log = false;
    config.sqlite_synchronous = "off";
    // The fixture participant answers over and over: the rate limits are for people.
    config.responses_per_minute = 1'000'000;
    config.questions_per_minute = 1'000'000;
    return config;
}

namespace {

// A RAM-backed directory when there is one: every input opens a database copy.
fs::path scratch_dir() {
    std::error_code ec;
    fs::path base =
        fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    return base / ("voxpop-fuzz-db-" + std::to_string(::getpid()));
}

void remove_scratch_dir() {
    std::error_code ec;
    fs::remove_all(scratch_dir(), ec);
}

void remove_database(const fs::path& db) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        fs::remove(db.string() + suffix, ec);
}

}  // namespace

Fixture::Fixture() {
    struct Seed {
        fs::path db;
        std::string moderator_token, participant_token;
        std::int64_t participant_id = 0, question_id = 0;
        FixturePolls polls;
    };
    static const Seed seed = [] {
        fs::create_directories(scratch_dir());
        std::atexit(remove_scratch_dir);
        Seed made;
        made.db = scratch_dir() / "seed.db";
        remove_database(made.db);
        Fixture built(Build{}, made.db.string());
        made.moderator_token = built.moderator_token_;
        made.participant_token = built.participant_token_;
        made.participant_id = built.participant_id_;
        made.question_id = built.question_id_;
        made.polls = built.polls_;
        return made;  // `built` closes the database here, so the file is complete
    }();
    const fs::path db = scratch_dir() / "input.db";
    remove_database(db);
    fs::copy_file(seed.db, db);
    app_ = std::make_unique<App>(fuzz_config(db.string()));
    event_ = app_->registry().find_event(kCode);
    FUZZ_CHECK(event_ != nullptr, "the fixture event is loaded from its database");
    moderator_token_ = seed.moderator_token;
    participant_token_ = seed.participant_token;
    participant_id_ = seed.participant_id;
    question_id_ = seed.question_id;
    polls_ = seed.polls;
}

Fixture::Fixture(Build, const std::string& db) : app_(std::make_unique<App>(fuzz_config(db))) {
    populate();
}

void Fixture::populate() {
    auto check = [](const Result& result, const char* what) {
        if (result.first) fail(what, result.first->what());
        return result.second;
    };
    auto created =
        check(wait([&](Done done) {
                  app_->events().create("Fuzz event", std::string(kCode), std::move(done));
              }),
              "fixture event created");
    moderator_token_ = created["moderator_token"].get<std::string>();
    event_ = app_->registry().find_event(kCode);
    FUZZ_CHECK(event_ != nullptr, "the fixture event is registered");

    auto joined = check(wait([&](Done done) { app_->events().join(event_, std::move(done)); }),
                        "fixture participant joined");
    participant_token_ = joined["participant_token"].get<std::string>();
    participant_id_ = joined["participant_id"].get<std::int64_t>();

    auto poll = [&](const nlohmann::json& spec, bool open) {
        auto body = check(wait([&](Done done) {
                              app_->polls().create(event_, parse_poll_spec(spec), std::move(done));
                          }),
                          "fixture poll created");
        std::int64_t id = body["id"].get<std::int64_t>();
        if (open)
            check(wait([&](Done done) {
                      app_->polls().update(event_, id, {{"state", "open"}}, std::move(done));
                  }),
                  "fixture poll opened");
        return id;
    };
    polls_.single =
        poll({{"type", "single"}, {"question", "Pick one"}, {"options", {"A", "B", "C"}}}, true);
    polls_.multiple = poll({{"type", "multiple"},
                            {"question", "Pick two"},
                            {"options", {"=1+1", "B", "C", "D"}},
                            {"max_choices", 2},
                            {"results", "after_vote"},
                            {"allow_change", false}},
                           true);
    polls_.wordcloud =
        poll({{"type", "wordcloud"}, {"question", "One word?"}, {"max_words", 3}}, true);
    polls_.rating = poll(
        {{"type", "rating"}, {"question", "Rate it"}, {"scale", 5}, {"results", "hidden"}}, true);
    polls_.draft =
        poll({{"type", "single"}, {"question", "Secret draft"}, {"options", {"X", "Y"}}}, false);
    polls_.closed = poll({{"type", "rating"},
                          {"question", "Rate the talk"},
                          {"scale", 10},
                          {"results", "after_close"}},
                         true);
    check(wait([&](Done done) {
              app_->polls().update(event_, polls_.closed, {{"state", "closed"}}, std::move(done));
          }),
          "fixture poll closed");

    auto asked =
        check(wait([&](Done done) {
                  app_->questions().ask(event_, participant_id_,
                                        {{"text", "Why fuzz?"}, {"name", "Ada"}}, std::move(done));
              }),
              "fixture question asked");
    question_id_ = asked["id"].get<std::int64_t>();
}

Fixture::~Fixture() = default;

}  // namespace voxpop::fuzz
