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
    shards_.push_back(std::make_unique<Shard>(Shard{std::move(executor), {}}));
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

// Runs the broadcast's `done` once the walks of every thread have ended, whichever ends last.
struct Completion {
    std::function<void()> done;
    ~Completion() {
        if (done) done();
    }
};

// One broadcast's walk over one thread's sessions, in chunks: writing a frame to a socket
// costs ~10 µs, so 5,000 sessions in one go would keep that thread from reading votes and
// sending acks for 50 ms. Between chunks the thread's queued handlers run.
struct Walk : std::enable_shared_from_this<Walk> {
    static constexpr std::size_t kChunk = 64;

    Walk(boost::asio::any_io_executor executor, std::vector<std::shared_ptr<WsSession>> sessions,
         std::shared_ptr<const EventChannel::Visitor> visit, std::shared_ptr<Completion> completion)
        : executor(std::move(executor)),
          sessions(std::move(sessions)),
          visit(std::move(visit)),
          completion(std::move(completion)) {}

    boost::asio::any_io_executor executor;
    std::vector<std::shared_ptr<WsSession>> sessions;  // as they were when the walk began
    std::shared_ptr<const EventChannel::Visitor> visit;
    std::shared_ptr<Completion> completion;
    std::size_t next = 0;

    void step() {
        const std::size_t end = std::min(next + kChunk, sessions.size());
        for (; next < end; ++next) (*visit)(*sessions[next]);
        if (next < sessions.size())
            boost::asio::post(executor, [self = shared_from_this()] { self->step(); });
    }
};

}  // namespace

void EventChannel::for_each_session(Visitor visit, std::function<void()> done) {
    std::vector<Shard*> shards;
    {
        std::lock_guard lock(shards_mutex_);
        for (const auto& shard : shards_) shards.push_back(shard.get());
    }
    auto shared_visit = std::make_shared<const Visitor>(std::move(visit));
    auto completion = std::make_shared<Completion>(Completion{std::move(done)});
    for (Shard* shard : shards)
        boost::asio::post(shard->executor,
                          [self = shared_from_this(), shard, shared_visit, completion] {
                              // A copy of the list: sessions that leave during the walk are still
                              // safe to visit (they ignore frames once finished), and none is
                              // skipped when the list is reordered by a removal.
                              auto walk = std::make_shared<Walk>(shard->executor, shard->sessions,
                                                                 shared_visit, completion);
                              walk->step();
                          });
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
    pushes_[poll_id].dirty = true;
}

void EventChannel::mark_question_dirty(std::int64_t question_id) {
    std::lock_guard lock(mutex_);
    question_pushes_[question_id].dirty = true;
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
        due.push_back({id, ++push.seq});
    }
    return due;
}

void EventChannel::push_done(std::int64_t poll_id) {
    std::lock_guard lock(mutex_);
    pushes_[poll_id].in_flight = false;
}

void EventChannel::question_push_done(std::int64_t question_id) {
    std::lock_guard lock(mutex_);
    question_pushes_[question_id].in_flight = false;
}

}  // namespace voxpop
