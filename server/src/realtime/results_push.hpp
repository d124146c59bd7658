#pragma once

#include "realtime/event_channel.hpp"
#include "realtime/protocol.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

namespace voxpop {

// One push of a poll's results to every session of its channel (EventChannel::for_each_chunk).
//
// Walking 10,000 sessions takes 100-200 ms. Frames built once at the start would make a vote
// that commits just after the walk began wait for the next push (one results interval, T)
// and then for that push's walk to reach the last phone (W): T + W. So between chunks of the
// walk the frames are rebuilt whenever the poll has changed (see kFreshness for how often): the
// sessions still ahead in this walk get the vote now, the ones behind get it from the next
// push, and no screen waits more than about T. One serialisation per rebuild is shared by
// every session the rebuild reaches, and each session still gets at most one frame per push.
class ResultsPush {
  public:
    using Clock = std::chrono::steady_clock;

    // Builds the first frames; ready() is false when the poll no longer exists.
    ResultsPush(const std::shared_ptr<EventChannel>& channel, EventChannel::Due due,
                std::size_t words_top_n, Clock::time_point now = Clock::now());

    bool ready() const { return frames_ != nullptr; }  // before the walk starts
    // Queues the newest frames on each of `sessions` that may see them. On their I/O thread;
    // the two threads' walks share the rebuilt frames.
    void deliver(EventChannel::Sessions sessions);

    // Rebuilds are at least this far apart, and ten times as far as the last one took: a
    // choice poll serialises in a few µs, a word cloud of 20,000 words in ~1.5 ms (both
    // audiences), so rebuilding never takes more than a tenth of a walking thread.
    static constexpr std::chrono::milliseconds kFreshness{5};
    static constexpr int kRebuildCostFactor = 10;

    struct Frames {
        SharedMessage for_moderators;
        SharedMessage for_attendees;  // the same buffer unless the poll is a word cloud
        bool attendees_see = false;
        bool responders_see = false;  // after_vote: only those who answered
        std::uint64_t changes = 0;    // the poll's change count they were built after
    };
    // What a chunk sends now: the frames, rebuilt first when the poll changed since they were
    // built and the gap after the last rebuild has passed; null once the poll is gone.
    std::shared_ptr<const Frames> newest(Clock::time_point now);

  private:
    std::shared_ptr<const Frames> build(std::uint64_t seq, std::uint64_t changes) const;

    // Weak: the push waits in the channel's own queue, and a strong pointer there would
    // keep the channel alive for ever if the server stops before the walk ends.
    std::weak_ptr<EventChannel> channel_;
    std::shared_ptr<Event> event_;
    std::int64_t poll_id_;
    std::size_t words_top_n_;

    std::mutex mutex_;                      // for the three below; never held while building
    std::shared_ptr<const Frames> frames_;  // null once the poll is gone
    Clock::time_point next_build_;
    bool rebuilding_ = false;  // one thread rebuilds; the other keeps sending what it has
};

}  // namespace voxpop
