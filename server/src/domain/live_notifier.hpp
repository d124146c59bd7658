#pragma once

#include "domain/event.hpp"

#include <cstdint>
#include <memory>

namespace voxpop {

// What the live layer must hear about after a change is committed. Called on the writer
// thread; implementations hand the work to their own threads and return at once.
class LiveNotifier {
  public:
    virtual ~LiveNotifier() = default;
    virtual void poll_changed(const std::shared_ptr<Event>& event, std::int64_t poll_id) = 0;
    virtual void poll_deleted(const std::shared_ptr<Event>& event, std::int64_t poll_id) = 0;
    virtual void results_changed(const std::shared_ptr<Event>& event, std::int64_t poll_id) = 0;
    // Title or presented poll changed.
    virtual void event_changed(const std::shared_ptr<Event>& event) = 0;
};

}  // namespace voxpop
