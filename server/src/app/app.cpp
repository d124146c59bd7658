#include "app/app.hpp"

#include "storage/open_database.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>
#include "util/clock.hpp"

namespace voxpop {

App::App(Config config)
    : config_(std::move(config)),
      db_(open_database(config_)),
      // The writer's thread idles until the first job, so loading below may still use db_.
      writer_(std::make_unique<Writer>(db_, config_.commit_max_batch,
                                       [this](Repository& repo) { reload_all(repo); })),
      context_{config_, registry_, *writer_, live_},
      events_(context_),
      polls_(context_),
      responses_(context_),
      questions_(context_) {
    auto started = std::chrono::steady_clock::now();
    Repository loader(db_);
    std::size_t responses = 0;
    for (auto& event : loader.load_all()) {
        for (const auto& poll : event->polls) responses += poll->responses.size();
        registry_.add_event(std::shared_ptr<Event>(std::move(event)));
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    spdlog::info("loaded {} events and {} responses from {} in {} ms",
                 registry_.all_events().size(), responses, config_.db, elapsed.count());
}

void App::reload_all(Repository& repo) {
    // A group failed to commit: memory may hold its changes, so reread every event.
    for (const auto& event : registry_.all_events()) {
        auto lock = event->write_lock();
        repo.reload(*event);
    }
}

App::~App() {
    writer_->stop();
}

void App::check_database(std::function<void(bool)> done) {
    writer_->submit({[](Repository& repo) { repo.touch_health_probe(now_ms()); },
                     [done = std::move(done)](const Writer::Outcome& outcome) { done(!outcome); }});
}

}  // namespace voxpop
