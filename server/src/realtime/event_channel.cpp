#include "realtime/event_channel.hpp"

#include "realtime/ws_session.hpp"

#include <boost/asio/execution/context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>

namespace voxpop {

EventChannel::Shard& EventChannel::shard_of(WsSession& session) {
    auto executor = session.executor();
    auto& context = boost::asio::query(executor, boost::asio::execution::context);
    std::lock_guard lock(shards_mutex_);
    for (const auto& shard : shards_)
        if (&boost::asio::query(shard->executor, boost::asio::execution::context) == &context)
            return *shard;
    shards_.push_back(std::make_unique<Shard>());
    shards_.back()->executor = std::move(executor);
    return *shards_.back();
}

void EventChannel::add(const std::shared_ptr<WsSession>& session) {
    auto& sessions = shard_of(*session).sessions;
    session->channel_index_ = sessions.size();
    sessions.push_back(session);
    connections_.fetch_add(1, std::memory_order_relaxed);
}

void EventChannel::remove(WsSession& session) {
    auto& sessions = shard_of(session).sessions;
    const std::size_t index = session.channel_index_;
    if (index >= sessions.size() || sessions[index].get() != &session) return;
    // Swap with the last one: O(1), and the order of sessions does not matter.
    if (index + 1 != sessions.size()) {
        sessions[index] = std::move(sessions.back());
        sessions[index]->channel_index_ = index;
    }
    sessions.pop_back();
    connections_.fetch_sub(1, std::memory_order_relaxed);
}

namespace {

// Writing a frame to a socket costs ~10-20 µs, so walking 5,000 sessions in one go would keep
// that thread from reading votes and sending acks for 50-100 ms. A walk does this many, then
// lets the thread's other queued handlers run.
constexpr std::size_t kWalkChunk = 64;

}  // namespace

// Runs the broadcast's `done` once the walks of every thread have ended, whichever ends last.
struct EventChannel::Completion {
    std::function<void()> done;
    ~Completion() {
        if (done) done();
    }
};

void EventChannel::for_each_session(Visitor visit, std::function<void()> done) {
    for_each_chunk(
        [visit = std::move(visit)](Sessions sessions) {
            for (const auto& session : sessions) visit(*session);
        },
        std::move(done));
}

void EventChannel::for_each_chunk(ChunkVisitor visit, std::function<void()> done) {
    std::vector<Shard*> shards;
    {
        std::lock_guard lock(shards_mutex_);
        for (const auto& shard : shards_) shards.push_back(shard.get());
    }
    Broadcast broadcast{std::make_shared<const ChunkVisitor>(std::move(visit)),
                        std::make_shared<Completion>(Completion{std::move(done)})};
    for (Shard* shard : shards)
        boost::asio::post(shard->executor, [self = shared_from_this(), shard, broadcast] {
            // One walk at a time per thread, in the order of the calls, so every session
            // sees broadcasts in the order they were made (a poll's update before its
            // deletion), even when walks of a large audience take longer than the gap.
            shard->broadcasts.push_back(broadcast);
            if (shard->broadcasts.size() == 1) self->start_walk(*shard);
        });
}

void EventChannel::start_walk(Shard& shard) {
    // A copy of the list: sessions that leave during the walk are still safe to visit (they
    // ignore frames once finished), and none is skipped when a removal reorders the list.
    shard.walking = shard.sessions;
    shard.next = 0;
    step_walk(shard);
}

void EventChannel::step_walk(Shard& shard) {
    const auto& visit = *shard.broadcasts.front().visit;
    const std::size_t count = std::min(kWalkChunk, shard.walking.size() - shard.next);
    visit(Sessions(shard.walking).subspan(shard.next, count));
    shard.next += count;
    if (shard.next < shard.walking.size()) {
        boost::asio::post(shard.executor,
                          [self = shared_from_this(), &shard] { self->step_walk(shard); });
        return;
    }
    shard.walking.clear();
    shard.broadcasts.pop_front();  // the last thread to get here runs the broadcast's `done`
    if (!shard.broadcasts.empty())
        boost::asio::post(shard.executor,
                          [self = shared_from_this(), &shard] { self->start_walk(shard); });
}

void EventChannel::send_to(std::shared_ptr<WsSession> session, SharedMessage message,
                           std::int64_t coalesce_key) {
    auto& shard = shard_of(*session);
    bool first = false;
    {
        std::lock_guard lock(shard.outbox_mutex);
        first = shard.outbox.empty();
        shard.outbox.push_back({std::move(session), std::move(message), coalesce_key});
    }
    if (first)
        boost::asio::post(shard.executor,
                          [self = shared_from_this(), &shard] { self->deliver_outbox(shard); });
}

void EventChannel::deliver_outbox(Shard& shard) {
    {
        std::lock_guard lock(shard.outbox_mutex);
        shard.delivering.swap(shard.outbox);
    }
    for (auto& letter : shard.delivering)
        letter.session->deliver(std::move(letter.message), letter.coalesce_key);
    shard.delivering.clear();
}

void EventChannel::participant_online(std::int64_t participant_id) {
    std::lock_guard lock(mutex_);
    ++online_[participant_id];
}

void EventChannel::participant_offline(std::int64_t participant_id) {
    std::lock_guard lock(mutex_);
    auto it = online_.find(participant_id);
    if (it != online_.end() && --it->second <= 0) online_.erase(it);
}

std::int64_t EventChannel::online() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(online_.size());
}

std::int64_t EventChannel::take_online_change() {
    std::lock_guard lock(mutex_);
    auto now = static_cast<std::int64_t>(online_.size());
    if (now == last_online_sent_) return -1;
    last_online_sent_ = now;
    return now;
}

void EventChannel::mark_dirty(std::int64_t poll_id) {
    std::lock_guard lock(mutex_);
    auto& push = pushes_[poll_id];
    push.dirty = true;
    ++push.changes;
}

std::optional<EventChannel::Revision> EventChannel::take_revision(std::int64_t poll_id,
                                                                  std::uint64_t changes_seen) {
    std::lock_guard lock(mutex_);
    auto it = pushes_.find(poll_id);
    if (it == pushes_.end() || it->second.changes == changes_seen) return std::nullopt;
    return Revision{++seq_, it->second.changes};
}

void EventChannel::mark_question_dirty(std::int64_t question_id) {
    std::lock_guard lock(mutex_);
    auto& push = question_pushes_[question_id];
    push.dirty = true;
    ++push.changes;
}

std::vector<EventChannel::Due> EventChannel::take_due(std::chrono::steady_clock::time_point now,
                                                      std::chrono::milliseconds interval) {
    std::lock_guard lock(mutex_);
    return take(pushes_, now, interval);
}

std::vector<EventChannel::Due> EventChannel::take_due_questions(
    std::chrono::steady_clock::time_point now, std::chrono::milliseconds interval) {
    std::lock_guard lock(mutex_);
    return take(question_pushes_, now, interval);
}

std::vector<EventChannel::Due> EventChannel::take(Pushes& pushes,
                                                  std::chrono::steady_clock::time_point now,
                                                  std::chrono::milliseconds interval) {
    std::vector<Due> due;
    for (auto& [id, push] : pushes) {
        if (!push.dirty || push.in_flight || now - push.last_sent < interval) continue;
        push.dirty = false;
        push.in_flight = true;
        push.last_sent = now;
        due.push_back({id, ++seq_, push.changes});
    }
    return due;
}

void EventChannel::push_done(std::int64_t poll_id) {
    std::lock_guard lock(mutex_);
    // find, not []: a push that ends after its poll was deleted must not bring it back.
    if (auto it = pushes_.find(poll_id); it != pushes_.end()) it->second.in_flight = false;
}

void EventChannel::forget_poll(std::int64_t poll_id) {
    std::lock_guard lock(mutex_);
    pushes_.erase(poll_id);
}

void EventChannel::question_push_done(std::int64_t question_id) {
    std::lock_guard lock(mutex_);
    question_pushes_[question_id].in_flight = false;
}

}  // namespace voxpop
