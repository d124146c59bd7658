#pragma once

#include "domain/event.hpp"
#include "realtime/protocol.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace voxpop {

class WsSession;

// The live side of one event: its connected sessions, who is online, and which polls have
// results waiting to be pushed.
//
// Sessions are spread over the I/O threads, and each thread's share of them is touched only
// on that thread: a broadcast posts one task per thread, which walks its own sessions and
// queues the frame on each directly, 64 sessions per handler. No lock is held and no handler
// is allocated per session: a push to 10,000 phones on two threads costs ~160 posts, not
// 10,000, and the threads share the fan-out. Each thread walks one broadcast at a time, in
// the order they were made.
class EventChannel : public std::enable_shared_from_this<EventChannel> {
  public:
    explicit EventChannel(std::shared_ptr<Event> event) : event_(std::move(event)) {}

    const std::shared_ptr<Event>& event() const { return event_; }

    // Both on the session's own thread.
    void add(const std::shared_ptr<WsSession>& session);
    void remove(WsSession& session);
    std::size_t connections() const { return connections_.load(std::memory_order_relaxed); }

    // Calls `visit` for every session, on that session's thread, some time after this call
    // returns, then `done` (on one of those threads). Visits of one session keep the order
    // of the calls.
    using Visitor = std::function<void(WsSession&)>;
    void for_each_session(Visitor visit, std::function<void()> done = {});
    // The same, a chunk of one thread's sessions per call (64 at most), so a long walk can
    // refresh what it sends between chunks (ResultsPush).
    using Sessions = std::span<const std::shared_ptr<WsSession>>;
    using ChunkVisitor = std::function<void(Sessions)>;
    void for_each_chunk(ChunkVisitor visit, std::function<void()> done = {});

    // Queues `message` for one session from any thread (the writer's acks after a group
    // commit). Messages for one thread's sessions travel together: a group of 70 acks costs
    // that thread one handler, not 70 posts each with its own allocation and wake-up.
    // Messages to one session keep their order.
    void send_to(std::shared_ptr<WsSession> session, SharedMessage message,
                 std::int64_t coalesce_key);

    // Presence counts people, not tabs: a participant with two tabs is online once.
    void participant_online(std::int64_t participant_id);
    void participant_offline(std::int64_t participant_id);
    std::int64_t online() const;
    // The online count when it changed since the last call, else -1.
    std::int64_t take_online_change();

    void mark_dirty(std::int64_t poll_id);
    // Polls whose results changed, whose last push began at least `interval` ago and has
    // reached every session (push_done); each gets its next sequence number. A poll is never
    // in two pushes at once: when fan-out runs slower than the interval (a saturated
    // machine), pushes space out instead of piling up and slowing each other down.
    struct Due {
        std::int64_t id;  // of the poll, or of the question
        std::uint64_t seq;
        std::uint64_t changes;  // how many mark_dirty calls the poll has had
    };
    std::vector<Due> take_due(std::chrono::steady_clock::time_point now,
                              std::chrono::milliseconds interval);
    // For a push under way: when the poll has changed since it had `changes_seen`, its change
    // count now and the next sequence number. It stays due for the next push all the same:
    // the sessions this push has already visited have not seen the change.
    struct Revision {
        std::uint64_t seq;
        std::uint64_t changes;
    };
    std::optional<Revision> take_revision(std::int64_t poll_id, std::uint64_t changes_seen);
    // The same for questions (created, moderated, upvoted).
    void mark_question_dirty(std::int64_t question_id);
    std::vector<Due> take_due_questions(std::chrono::steady_clock::time_point now,
                                        std::chrono::milliseconds interval);
    void push_done(std::int64_t poll_id);
    // A deleted poll: no more pushes, and no bookkeeping left behind for it.
    void forget_poll(std::int64_t poll_id);
    void question_push_done(std::int64_t question_id);

  private:
    struct Completion;  // runs a broadcast's `done` when its last walk has ended
    struct Broadcast {
        std::shared_ptr<const ChunkVisitor> visit;
        std::shared_ptr<Completion> completion;
    };
    struct Letter {  // a send_to waiting in an outbox
        std::shared_ptr<WsSession> session;
        SharedMessage message;
        std::int64_t coalesce_key;
    };
    // The sessions of one I/O thread and the broadcasts waiting to walk them. All but
    // `executor` and the outbox (other threads fill it, under outbox_mutex) is only read or
    // changed on that thread; finding or creating the shard takes shards_mutex_.
    struct Shard {
        boost::asio::any_io_executor executor;
        std::vector<std::shared_ptr<WsSession>> sessions;
        std::deque<Broadcast> broadcasts;                 // the front one is being walked
        std::vector<std::shared_ptr<WsSession>> walking;  // its sessions, from its start
        std::size_t next = 0;                             // the next of them to visit
        std::mutex outbox_mutex;
        std::vector<Letter> outbox;      // filled by send_to; a delivery is posted when
                                         // the first letter arrives
        std::vector<Letter> delivering;  // taken from the outbox, on the shard's thread
    };
    Shard& shard_of(WsSession& session);
    void start_walk(Shard& shard);
    void step_walk(Shard& shard);
    void deliver_outbox(Shard& shard);

    std::shared_ptr<Event> event_;
    std::mutex shards_mutex_;
    std::vector<std::unique_ptr<Shard>> shards_;  // a handful: one per I/O thread
    std::atomic<std::size_t> connections_{0};

    mutable std::mutex mutex_;                      // presence and pending pushes
    std::unordered_map<std::int64_t, int> online_;  // participant -> open connections
    std::int64_t last_online_sent_ = -1;
    struct PollPush {
        bool dirty = false;
        bool in_flight = false;
        std::uint64_t changes = 0;
        std::chrono::steady_clock::time_point last_sent{};
    };
    using Pushes = std::unordered_map<std::int64_t, PollPush>;
    std::vector<Due> take(Pushes& pushes, std::chrono::steady_clock::time_point now,
                          std::chrono::milliseconds interval);
    Pushes pushes_;
    Pushes question_pushes_;
    // One sequence for the whole channel, so it grows per poll even across forget_poll: SQLite
    // may give a new poll the id of a deleted one, and a page still holding the old poll's
    // last seq would otherwise drop the new poll's results as stale.
    std::uint64_t seq_ = 0;
};

}  // namespace voxpop
