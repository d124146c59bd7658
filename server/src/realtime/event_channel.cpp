#include "realtime/event_channel.hpp"

namespace voxpop {

void EventChannel::add(const std::shared_ptr<WsSession>& session) {
    std::lock_guard lock(mutex_);
    sessions_[session.get()] = session;
}

void EventChannel::remove(const WsSession* session) {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
}

std::vector<std::shared_ptr<WsSession>> EventChannel::sessions() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<WsSession>> list;
    list.reserve(sessions_.size());
    for (const auto& [key, session] : sessions_) list.push_back(session);
    return list;
}

std::size_t EventChannel::connections() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
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
        if (!push.dirty || now - push.last_sent < interval) continue;
        push.dirty = false;
        push.last_sent = now;
        due.push_back({id, ++push.seq});
    }
    return due;
}

}  // namespace voxpop
