#pragma once

#include "app/service_context.hpp"
#include "domain/rate_limiter.hpp"

#include <optional>

namespace voxpop {

// Audience Q&A: asking, upvoting and the moderator's curation. Writes go through the
// writer; every change is announced live (coalesced like results).
class QuestionService {
  public:
    explicit QuestionService(ServiceContext& context)
        : ctx_(context), limiter_(context.config.questions_per_minute) {}

    // {"questions": [...], "my_upvotes": [...], "my_questions": [...]} for this viewer.
    nlohmann::json list(const Event& event, std::optional<std::int64_t> participant, bool moderator,
                        QuestionSort sort) const;

    void ask(std::shared_ptr<Event> event, std::int64_t participant, const nlohmann::json& body,
             Done done);
    void upvote(std::shared_ptr<Event> event, std::int64_t question_id, std::int64_t participant,
                bool on, Done done);
    // state, answered, pinned, answer, merge_into; see docs/API.md.
    void moderate(std::shared_ptr<Event> event, std::int64_t question_id, nlohmann::json patch,
                  Done done);

  private:
    ServiceContext& ctx_;
    RateLimiter limiter_;
};

// The question list parts of a snapshot or GET, for one viewer. Caller holds the lock.
nlohmann::json visible_questions(const Event& event, std::optional<std::int64_t> participant,
                                 bool moderator, QuestionSort sort);
nlohmann::json my_upvotes(const Event& event, std::int64_t participant);
nlohmann::json my_questions(const Event& event, std::int64_t participant);

}  // namespace voxpop
