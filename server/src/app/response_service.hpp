#pragma once

#include "app/service_context.hpp"
#include "domain/rate_limiter.hpp"

namespace voxpop {

// The hot path: one participant's answer to one poll, acknowledged after its group commit.
class ResponseService {
  public:
    explicit ResponseService(ServiceContext& context)
        : ctx_(context), limiter_(context.config.responses_per_minute) {}

    // Validates `body` against the poll, then queues the write. Throws ApiError for a request
    // that can be refused without the writer (unknown poll, bad shape).
    void respond(const std::shared_ptr<Event>& event, std::int64_t poll_id,
                 std::int64_t participant_id, const nlohmann::json& body, Done done);

  private:
    ServiceContext& ctx_;
    RateLimiter limiter_;  // per participant: button mashing and scripted ballot stuffing
};

}  // namespace voxpop
