#pragma once

#include "app/event_service.hpp"
#include "app/poll_service.hpp"
#include "app/question_service.hpp"
#include "app/response_service.hpp"
#include "config/config.hpp"
#include "domain/registry.hpp"
#include "storage/sqlite.hpp"
#include "storage/writer.hpp"

#include <atomic>
#include <memory>

namespace voxpop {

// Lets the live layer be attached after the App exists (it needs the App to build
// snapshots); until then changes are simply not announced.
class ForwardingNotifier : public LiveNotifier {
  public:
    void attach(LiveNotifier* target) { target_.store(target); }
    void poll_changed(const std::shared_ptr<Event>& e, std::int64_t id) override {
        if (auto* t = target_.load()) t->poll_changed(e, id);
    }
    void poll_deleted(const std::shared_ptr<Event>& e, std::int64_t id) override {
        if (auto* t = target_.load()) t->poll_deleted(e, id);
    }
    void results_changed(const std::shared_ptr<Event>& e, std::int64_t id) override {
        if (auto* t = target_.load()) t->results_changed(e, id);
    }
    void event_changed(const std::shared_ptr<Event>& e) override {
        if (auto* t = target_.load()) t->event_changed(e);
    }
    void question_changed(const std::shared_ptr<Event>& e, std::int64_t id) override {
        if (auto* t = target_.load()) t->question_changed(e, id);
    }
    void moderator_token_rotated(const std::shared_ptr<Event>& e) override {
        if (auto* t = target_.load()) t->moderator_token_rotated(e);
    }
    void event_deleted(const std::shared_ptr<Event>& e) override {
        if (auto* t = target_.load()) t->event_deleted(e);
    }

  private:
    std::atomic<LiveNotifier*> target_{nullptr};
};

// Everything but the network: the database, the in-memory state rebuilt from it at start,
// the writer and the services. Owned by main; the server and the tests borrow it.
class App {
  public:
    explicit App(Config config);
    ~App();

    const Config& config() const { return config_; }
    Registry& registry() { return registry_; }
    EventService& events() { return events_; }
    PollService& polls() { return polls_; }
    ResponseService& responses() { return responses_; }
    QuestionService& questions() { return questions_; }
    Writer& writer() { return *writer_; }
    void attach_live(LiveNotifier* live) { live_.attach(live); }

    // Proves the database takes a write now: commits a probe row through the writer and
    // reports the outcome (on the writer thread).
    void check_database(std::function<void(bool writable)> done);
    // Commits what is queued and stops the writer; later writes are refused.
    void stop_writes() { writer_->stop(); }

  private:
    void reload_all(Repository& repo);

    Config config_;
    sqlite::Database db_;
    Registry registry_;
    ForwardingNotifier live_;
    std::unique_ptr<Writer> writer_;
    ServiceContext context_;
    EventService events_;
    PollService polls_;
    ResponseService responses_;
    QuestionService questions_;
};

}  // namespace voxpop
