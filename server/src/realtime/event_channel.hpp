#pragma once

#include "domain/event.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace voxpop {

class WsSession;

// The live side of one event: its connected sessions, who is online, and which polls have
// results waiting to be pushed. Thread-safe.
class EventChannel {
  public:
    explicit EventChannel(std::shared_ptr<Event> event) : event_(std::move(event)) {}

    const std::shared_ptr<Event>& event() const { return event_; }

    void add(const std::shared_ptr<WsSession>& session);
    void remove(const WsSession* session);
    std::vector<std::shared_ptr<WsSession>> sessions() const;
    std::size_t connections() const;

    // Presence counts people, not tabs: a participant with two tabs is online once.
    void participant_online(std::int64_t participant_id);
    void participant_offline(std::int64_t participant_id);
    std::int64_t online() const;
    // The online count when it changed since the last call, else -1.
    std::int64_t take_online_change();

    void mark_dirty(std::int64_t poll_id);
    // Polls whose results changed and whose last push is at least `interval` ago; each
    // gets its next sequence number.
    struct Due {
        std::int64_t poll_id;
        std::uint64_t seq;
    };
    std::vector<Due> take_due(std::chrono::steady_clock::time_point now,
                              std::chrono::milliseconds interval);
    // The same for questions (created, moderated, upvoted).
    void mark_question_dirty(std::int64_t question_id);
    std::vector<Due> take_due_questions(std::chrono::steady_clock::time_point now,
                                        std::chrono::milliseconds interval);

  private:
    std::shared_ptr<Event> event_;
    mutable std::mutex mutex_;
    std::unordered_map<const WsSession*, std::shared_ptr<WsSession>> sessions_;
    std::unordered_map<std::int64_t, int> online_;  // participant -> open connections
    std::int64_t last_online_sent_ = -1;
    struct PollPush {
        bool dirty = false;
        std::uint64_t seq = 0;
        std::chrono::steady_clock::time_point last_sent{};
    };
    using Pushes = std::unordered_map<std::int64_t, PollPush>;
    static std::vector<Due> take(Pushes& pushes, std::chrono::steady_clock::time_point now,
                                 std::chrono::milliseconds interval);
    Pushes pushes_;
    Pushes question_pushes_;
};

}  // namespace voxpop
