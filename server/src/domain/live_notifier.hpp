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
    // Title, presented poll or Q&A settings changed.
    virtual void event_changed(const std::shared_ptr<Event>& event) = 0;
    // The moderator token changed: moderator connections must end now.
    virtual void moderator_token_rotated(const std::shared_ptr<Event>& event) = 0;
    // The event and everything in it is gone: every connection ends.
    virtual void event_deleted(const std::shared_ptr<Event>& event) = 0;
    // Created, moderated or upvoted (pushes are coalesced like results).
    virtual void question_changed(const std::shared_ptr<Event>& event,
                                  std::int64_t question_id) = 0;
};

}  // namespace voxpop
