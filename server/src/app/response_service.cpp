#include "app/response_service.hpp"

#include "domain/errors.hpp"
#include "domain/parse.hpp"
#include "util/clock.hpp"

#include <mutex>

namespace voxpop {
namespace {

ApiError poll_not_open(std::int64_t poll_id) {
    return ApiError(409, "poll_not_open",
                    "Poll " + std::to_string(poll_id) + " is not open for responses.");
}

}  // namespace

void ResponseService::respond(const std::shared_ptr<Event>& event, std::int64_t poll_id,
                              std::int64_t participant_id, const AnswerFields& fields,
                              Acknowledge acknowledge) {
    if (int retry_after = limiter_.acquire(participant_id))
        throw ApiError(429, "rate_limited",
                       "Too many responses; try again in " + std::to_string(retry_after) + " s.")
            .with_retry_after(retry_after);
    Answer answer;
    {
        std::shared_lock lock(event->mutex);
        const Poll* poll = event->find_poll(poll_id);
        if (!poll || poll->state == PollState::draft)
            throw not_found("Poll " + std::to_string(poll_id));
        if (poll->state != PollState::open) throw poll_not_open(poll_id);
        answer = parse_answer(fields, *poll);
    }
    ctx_.writer.submit(
        {[event, poll_id, participant_id, answer = std::move(answer)](Repository& repo) mutable {
             // Only this thread changes events, so it reads them without a lock and holds
             // the exclusive one just while memory changes, not across the SQL write that
             // the I/O threads validating the next votes would otherwise sleep behind.
             Poll* poll = event->find_poll(poll_id);
             // The poll may have changed since validation: check again on the writer.
             if (!poll) throw not_found("Poll " + std::to_string(poll_id));
             if (poll->state != PollState::open) throw poll_not_open(poll_id);
             auto previous = poll->responses.find(participant_id);
             if (previous != poll->responses.end()) {
                 // A retry of the same answer (a resend after a dropped connection) is a
                 // success that changes nothing: acks stay idempotent.
                 if (previous->second == answer) return;
                 if (!poll->allow_change)
                     throw ApiError(409, "change_not_allowed",
                                    "This poll does not allow changing an answer.");
             }
             repo.upsert_response(poll_id, participant_id, answer, poll->type, now_ms());
             auto lock = event->write_lock();
             const Answer* stored = nullptr;
             if (previous != poll->responses.end()) {
                 poll->tally.remove(previous->second);
                 previous->second = std::move(answer);
                 stored = &previous->second;
             } else {
                 stored = &poll->responses.emplace(participant_id, std::move(answer)).first->second;
             }
             poll->tally.add(*stored);
         },
         [this, event, poll_id,
          acknowledge = std::move(acknowledge)](const Writer::Outcome& outcome) {
             if (!outcome) ctx_.live.results_changed(event, poll_id);
             acknowledge(outcome);
         }});
}

}  // namespace voxpop
