#include "domain/registry.hpp"

#include "util/crypto.hpp"

#include <cctype>
#include <mutex>

namespace voxpop {

std::string Registry::normalize_code(std::string_view code) {
    std::string upper(code);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper;
}

void Registry::add_event(std::shared_ptr<Event> event) {
    std::unique_lock lock(mutex_);
    for (const auto& poll : event->polls) by_poll_[poll->id] = event;
    for (const auto& question : event->questions) by_question_[question->id] = event;
    by_code_[normalize_code(event->code)] = std::move(event);
}

void Registry::remove_event(const Event& event) {
    std::unique_lock lock(mutex_);
    std::erase_if(by_poll_, [&](const auto& entry) { return entry.second.get() == &event; });
    std::erase_if(by_question_, [&](const auto& entry) { return entry.second.get() == &event; });
    by_code_.erase(normalize_code(event.code));
}

void Registry::index_poll(std::int64_t poll_id, const std::shared_ptr<Event>& event) {
    std::unique_lock lock(mutex_);
    by_poll_[poll_id] = event;
}

void Registry::unindex_poll(std::int64_t poll_id) {
    std::unique_lock lock(mutex_);
    by_poll_.erase(poll_id);
}

std::shared_ptr<Event> Registry::find_event(std::string_view code) const {
    std::shared_lock lock(mutex_);
    auto it = by_code_.find(normalize_code(code));
    return it == by_code_.end() ? nullptr : it->second;
}

void Registry::index_question(std::int64_t question_id, const std::shared_ptr<Event>& event) {
    std::unique_lock lock(mutex_);
    by_question_[question_id] = event;
}

std::shared_ptr<Event> Registry::find_event_by_question(std::int64_t question_id) const {
    std::shared_lock lock(mutex_);
    auto it = by_question_.find(question_id);
    return it == by_question_.end() ? nullptr : it->second;
}

std::shared_ptr<Event> Registry::find_event_by_poll(std::int64_t poll_id) const {
    std::shared_lock lock(mutex_);
    auto it = by_poll_.find(poll_id);
    return it == by_poll_.end() ? nullptr : it->second;
}

bool Registry::code_taken(std::string_view code) const {
    return find_event(code) != nullptr;
}

std::vector<std::shared_ptr<Event>> Registry::all_events() const {
    std::shared_lock lock(mutex_);
    std::vector<std::shared_ptr<Event>> events;
    for (const auto& [code, event] : by_code_) events.push_back(event);
    return events;
}

std::optional<std::int64_t> Registry::participant(const Event& event, std::string_view token) {
    if (token.empty()) return std::nullopt;
    std::string hash = sha256_hex(token);
    std::shared_lock lock(event.mutex);
    auto it = event.participants_by_hash.find(hash);
    if (it == event.participants_by_hash.end()) return std::nullopt;
    return it->second;
}

bool Registry::is_moderator(const Event& event, std::string_view token) {
    if (token.empty()) return false;
    return constant_time_equal(sha256_hex(token), event.moderator_hash);
}

}  // namespace voxpop
