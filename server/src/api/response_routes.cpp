#include "api/request_helpers.hpp"
#include "api/routes.hpp"
#include "domain/errors.hpp"
#include "domain/serialize.hpp"
#include "http/responses.hpp"

#include <mutex>

namespace voxpop {

void add_response_routes(Router& router, App& app) {
    router.add(http::verb::post, "/api/polls/{id}/responses", [&app](RequestContext& ctx) {
        auto poll_id = ctx.id_param(0, "Poll");
        auto event = require_event_of_poll(app, poll_id);
        auto participant = require_participant(*event, ctx.request);
        app.responses().respond(
            event, poll_id, participant, answer_fields(json_body(ctx.request)),
            [reply = reply_with(ctx.reply, http::status::ok, ctx.request.version())](
                const Writer::Outcome& outcome) {
                reply(outcome, {{"accepted", true}});
            });
    });

    router.add(http::verb::get, "/api/polls/{id}/results", [&app](RequestContext& ctx) {
        auto poll_id = ctx.id_param(0, "Poll");
        auto event = require_event_of_poll(app, poll_id);
        bool moderator = is_moderator(*event, ctx.request);
        std::optional<std::int64_t> participant;
        if (!moderator) {
            std::string token(ctx.request["X-Participant-Token"]);
            if (token.empty())
                token = cookie_value(ctx.request, participant_cookie_name(event->code));
            participant = Registry::participant(*event, token);
        }
        std::shared_lock lock(event->mutex);
        const Poll* poll = event->find_poll(poll_id);
        if (!poll || (poll->state == PollState::draft && !moderator))
            throw not_found("Poll " + std::to_string(poll_id));
        if (!moderator) {
            bool responded = participant && poll->responses.contains(*participant);
            if (!attendee_may_see_results(*poll, responded))
                throw ApiError(403, "results_hidden",
                               "The moderator has not released these results yet.");
        }
        auto body =
            results_body(*event, *poll, moderator ? Audience::moderator : Audience::attendee,
                         static_cast<std::size_t>(app.config().words_top_n));
        ctx.reply(
            body_response(http::status::ok, *body, "application/json", ctx.request.version()));
    });
}

}  // namespace voxpop
