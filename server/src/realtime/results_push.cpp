#include "realtime/results_push.hpp"

#include "domain/serialize.hpp"
#include "realtime/ws_session.hpp"

#include <algorithm>
#include <shared_mutex>

namespace voxpop {

ResultsPush::ResultsPush(const std::shared_ptr<EventChannel>& channel, EventChannel::Due due,
                         std::size_t words_top_n, Clock::time_point now)
    : channel_(channel),
      event_(channel->event()),
      poll_id_(due.id),
      words_top_n_(words_top_n),
      frames_(build(due.seq, due.changes)),
      next_build_(now + kFreshness) {}

std::shared_ptr<const ResultsPush::Frames> ResultsPush::build(std::uint64_t seq,
                                                              std::uint64_t changes) const {
    auto frames = std::make_shared<Frames>();
    frames->changes = changes;
    std::shared_lock lock(event_->mutex);
    const Poll* poll = event_->find_poll(poll_id_);
    if (!poll) return nullptr;
    // The results body is the one GET /api/polls/{id}/results serves: spliced in, not
    // serialised again.
    const std::string head = R"({"type":"results","poll_id":)" + std::to_string(poll_id_) +
                             R"(,"seq":)" + std::to_string(seq) + R"(,"results":)";
    auto message = [&](Audience audience) {
        auto body = results_body(*event_, *poll, audience, words_top_n_);
        auto text = std::make_shared<std::string>();
        text->reserve(head.size() + body->size() + 1);
        text->append(head).append(*body).push_back('}');
        return SharedMessage(std::move(text));
    };
    frames->for_moderators = message(Audience::moderator);
    // Only word clouds differ by audience (hidden words); the rest share one buffer.
    frames->for_attendees =
        poll->type == PollType::wordcloud ? message(Audience::attendee) : frames->for_moderators;
    frames->attendees_see = attendee_may_see_results(*poll, false);
    frames->responders_see = attendee_may_see_results(*poll, true);
    return frames;
}

std::shared_ptr<const ResultsPush::Frames> ResultsPush::newest(Clock::time_point now) {
    std::shared_ptr<const Frames> current;
    {
        std::lock_guard lock(mutex_);
        if (!frames_ || rebuilding_ || now < next_build_) return frames_;
        rebuilding_ = true;
        current = frames_;
    }
    auto rebuilt = current;
    auto next_build = now;  // unchanged: look again at the next chunk
    if (auto channel = channel_.lock())
        if (auto revision = channel->take_revision(poll_id_, current->changes)) {
            const auto start = Clock::now();
            rebuilt = build(revision->seq, revision->changes);
            next_build = now + std::max<Clock::duration>(
                                   kFreshness, kRebuildCostFactor * (Clock::now() - start));
        }
    std::lock_guard lock(mutex_);
    rebuilding_ = false;
    frames_ = std::move(rebuilt);
    next_build_ = next_build;
    return frames_;
}

void ResultsPush::deliver(EventChannel::Sessions sessions) {
    const auto frames = newest(Clock::now());
    if (!frames) return;  // the poll was deleted: its poll_deleted follows this walk
    for (const auto& session : sessions) {
        const Viewer& viewer = session->viewer();
        if (viewer.role == Role::moderator) {
            session->deliver(frames->for_moderators, poll_id_);
            continue;
        }
        bool sees = frames->attendees_see;
        if (frames->responders_see != frames->attendees_see && viewer.participant_id) {
            // after_vote: only who answered. A short lock per such viewer, never one held
            // across the whole walk, so votes keep committing meanwhile.
            std::shared_lock lock(event_->mutex);
            const Poll* poll = event_->find_poll(poll_id_);
            sees = poll && poll->responses.contains(*viewer.participant_id);
        }
        if (sees) session->deliver(frames->for_attendees, poll_id_);
    }
}

}  // namespace voxpop
