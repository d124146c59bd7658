#pragma once

// Shared by the fuzz targets: a complete App holding one event with a poll of every type, a
// participant and a question, fresh for every input so that a crash always reproduces from
// its input alone. The first Fixture builds it through the services; later ones open a
// copy of that database file (much faster than building it again).

#include "app/app.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace voxpop::fuzz {

// Stops the fuzzer with a finding: libFuzzer saves the input that got here.
[[noreturn]] void fail(const char* property, std::string_view detail = {});

#define FUZZ_CHECK(condition, detail)                               \
    do {                                                            \
        if (!(condition)) ::voxpop::fuzz::fail(#condition, detail); \
    } while (0)

// The polls of the fixture event, in creation order.
struct FixturePolls {
    std::int64_t single = 0;     // open, 3 options, results live
    std::int64_t multiple = 0;   // open, 4 options, max 2 choices, after_vote, no changes
    std::int64_t wordcloud = 0;  // open, max 3 words
    std::int64_t rating = 0;     // open, scale 5, results hidden
    std::int64_t draft = 0;      // single choice, still a draft
    std::int64_t closed = 0;     // rating 1..10, closed, results after_close
};

class Fixture {
  public:
    static constexpr std::string_view kCode = "FUZZ";

    Fixture();
    ~Fixture();

    App& app() { return *app_; }
    const std::shared_ptr<Event>& event() const { return event_; }
    const std::string& moderator_token() const { return moderator_token_; }
    const std::string& participant_token() const { return participant_token_; }
    std::int64_t participant_id() const { return participant_id_; }
    const FixturePolls& polls() const { return polls_; }
    std::int64_t question_id() const { return question_id_; }

    // The web root (created once per process) and a file outside it that nothing may
    // ever serve; `kSecret` is its content.
    static const std::filesystem::path& web_root();
    static constexpr std::string_view kSecret = "VOXPOP-FUZZ-SECRET-OUTSIDE-THE-WEB-ROOT";

    // Runs `start(done)` (a service call taking a Done) and waits for the writer's answer:
    // the refusal, if any, and the body.
    using Result = std::pair<Writer::Outcome, nlohmann::json>;
    template <typename Start>
    static Result wait(Start&& start);

  private:
    struct Build {};
    // Creates the event, its polls, participant and question through the services.
    Fixture(Build, const std::string& db);
    void populate();

    std::unique_ptr<App> app_;
    std::shared_ptr<Event> event_;
    std::string moderator_token_;
    std::string participant_token_;
    std::int64_t participant_id_ = 0;
    FixturePolls polls_;
    std::int64_t question_id_ = 0;
};

// Quiets logging and sets up the process once; call from LLVMFuzzerInitialize.
void init_process();

// `db`: ":memory:" or a file.
Config fuzz_config(const std::string& db = ":memory:");

// Every write goes through the writer thread; this starts one and waits for its answer.
template <typename Start>
Fixture::Result Fixture::wait(Start&& start) {
    struct Slot {
        std::mutex mutex;
        std::condition_variable done;
        bool ready = false;
        Result result;
    };
    auto slot = std::make_shared<Slot>();
    start([slot](const Writer::Outcome& outcome, nlohmann::json body) {
        std::lock_guard lock(slot->mutex);
        FUZZ_CHECK(!slot->ready, "a Done callback ran twice");
        slot->result = {outcome, std::move(body)};
        slot->ready = true;
        slot->done.notify_all();
    });
    std::unique_lock lock(slot->mutex);
    if (!slot->done.wait_for(lock, std::chrono::seconds(10), [&] { return slot->ready; }))
        fail("a write was answered within 10 s");
    return slot->result;
}

}  // namespace voxpop::fuzz
