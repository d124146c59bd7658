#pragma once

#include "app/service_context.hpp"

namespace voxpop {

// Moderator work on polls: create, edit, open/close, move, delete, deck import/export and
// word-cloud curation. Every change goes through the writer and is announced live.
class PollService {
  public:
    explicit PollService(ServiceContext& context) : ctx_(context) {}

    void create(std::shared_ptr<Event> event, PollSpec spec, Done done);
    // `patch` is the request body; see docs/API.md for which fields apply when.
    void update(std::shared_ptr<Event> event, std::int64_t poll_id, nlohmann::json patch,
                Done done);
    void remove(std::shared_ptr<Event> event, std::int64_t poll_id, Done done);
    void import_deck(std::shared_ptr<Event> event, const nlohmann::json& deck, Done done);
    nlohmann::json export_deck(const Event& event) const;

    void set_word_hidden(std::shared_ptr<Event> event, std::int64_t poll_id, std::string key,
                         bool hidden, Done done);
    void merge_words(std::shared_ptr<Event> event, std::int64_t poll_id, std::string from,
                     std::string into, Done done);

  private:
    ServiceContext& ctx_;
};

}  // namespace voxpop
