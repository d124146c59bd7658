#pragma once

#include "domain/event.hpp"

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace voxpop {

// Finds events by code and by poll id. Lookups come from every I/O thread; additions and
// removals come from the writer thread.
class Registry {
  public:
    void add_event(std::shared_ptr<Event> event);
    void remove_event(const Event& event);
    void index_poll(std::int64_t poll_id, const std::shared_ptr<Event>& event);
    void unindex_poll(std::int64_t poll_id);
    void index_question(std::int64_t question_id, const std::shared_ptr<Event>& event);

    // Codes are case-insensitive.
    std::shared_ptr<Event> find_event(std::string_view code) const;
    std::shared_ptr<Event> find_event_by_poll(std::int64_t poll_id) const;
    std::shared_ptr<Event> find_event_by_question(std::int64_t question_id) const;
    bool code_taken(std::string_view code) const;
    std::vector<std::shared_ptr<Event>> all_events() const;

    // The participant id of `token` in `event`, or nullopt.
    static std::optional<std::int64_t> participant(const Event& event, std::string_view token);
    // Constant-time check of a moderator token against the stored hash.
    static bool is_moderator(const Event& event, std::string_view token);

    static std::string normalize_code(std::string_view code);

  private:
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<Event>> by_code_;
    std::unordered_map<std::int64_t, std::shared_ptr<Event>> by_poll_;
    std::unordered_map<std::int64_t, std::shared_ptr<Event>> by_question_;
};

}  // namespace voxpop
