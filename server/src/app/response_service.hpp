#pragma once

#include "app/service_context.hpp"
#include "domain/answer_fields.hpp"
#include "domain/rate_limiter.hpp"

namespace voxpop {

// The hot path: one participant's answer to one poll, acknowledged after its group commit.
class ResponseService {
  public:
    explicit ResponseService(ServiceContext& context)
        : ctx_(context), limiter_(context.config.responses_per_minute) {}

    // Called on the writer thread after the commit: nullopt, or the refusal. Not a Done: a
    // vote's ack has no body to build.
    using Acknowledge = std::function<void(const Writer::Outcome&)>;

    // Checks the answer against the poll, then queues the write. Throws ApiError for a
    // request that can be refused without the writer (unknown poll, bad shape).
    void respond(const std::shared_ptr<Event>& event, std::int64_t poll_id,
                 std::int64_t participant_id, const AnswerFields& fields, Acknowledge acknowledge);

  private:
    ServiceContext& ctx_;
    RateLimiter limiter_;  // per participant: button mashing and scripted ballot stuffing
};

}  // namespace voxpop
