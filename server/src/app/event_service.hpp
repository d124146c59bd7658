#pragma once

#include "app/service_context.hpp"

#include <optional>
#include <string>

namespace voxpop {

// Events and anonymous participants.
class EventService {
  public:
    explicit EventService(ServiceContext& context) : ctx_(context) {}

    // Body: {code, title, moderator_token, moderator_url}. `code` empty: generated.
    void create(std::string title, std::string code, Done done);
    // Body: {participant_token, participant_id}.
    void join(std::shared_ptr<Event> event, Done done);
    // Moderator settings: presented_poll_id, qa_enabled, qa_moderated, blocked_words.
    // Throws ApiError for a malformed patch. Body: the event view.
    void update(std::shared_ptr<Event> event, const nlohmann::json& patch, Done done);
    // A new moderator token; the old one stops working at once. Body: {moderator_token,
    // moderator_url}.
    void rotate_token(std::shared_ptr<Event> event, Done done);
    // Deletes the event with its polls, responses, participants and questions.
    void remove(std::shared_ptr<Event> event, Done done);
    // Deletes, like remove(), every event inactive since `cutoff_ms` (see
    // Repository::events_inactive_since); `done` gets how many went.
    void expire_inactive(std::int64_t cutoff_ms, std::function<void(std::size_t)> done);
    // Persists a new peak of people online (only when higher than the stored one).
    void record_peak_online(const std::shared_ptr<Event>& event, std::int64_t online);

    // Public info and polls (drafts only for moderators).
    nlohmann::json describe(const Event& event, bool moderator) const;
    // The address attendees type or scan: public_url from the config, else from `host`.
    std::string join_url(const Event& event, std::string_view host) const;
    nlohmann::json summary(const Event& event) const;

    // Checks a custom code's shape; throws invalid_field.
    static std::string validate_custom_code(const std::string& code);
    static std::string generate_code();

  private:
    // After a committed deletion: out of the registry, and every live client told.
    void forget(const std::shared_ptr<Event>& event);

    ServiceContext& ctx_;
};

}  // namespace voxpop
