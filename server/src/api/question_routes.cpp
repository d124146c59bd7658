#include "api/request_helpers.hpp"
#include "api/routes.hpp"
#include "app/export.hpp"
#include "domain/errors.hpp"
#include "http/responses.hpp"

namespace voxpop {
namespace {

std::shared_ptr<Event> event_of_question(App& app, std::int64_t question_id) {
    auto event = app.registry().find_event_by_question(question_id);
    if (!event) throw not_found("Question " + std::to_string(question_id));
    return event;
}

std::optional<std::int64_t> optional_participant(const Event& event, const HttpRequest& request) {
    std::string token(request["X-Participant-Token"]);
    if (token.empty()) token = cookie_value(request, participant_cookie_name(event.code));
    return Registry::participant(event, token);
}

void upvote_route(App& app, RequestContext& ctx, bool on) {
    auto question_id = ctx.id_param(0, "Question");
    auto event = event_of_question(app, question_id);
    auto participant = require_participant(*event, ctx.request);
    app.questions().upvote(event, question_id, participant, on,
                           reply_with(ctx.reply, http::status::ok, ctx.request.version()));
}

}  // namespace

void add_question_routes(Router& router, App& app) {
    router.add(http::verb::get, "/api/events/{code}/questions", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        auto sort = ctx.query.find("sort=recent") != std::string_view::npos ? QuestionSort::recent
                                                                            : QuestionSort::top;
        ctx.reply(
            json_response(http::status::ok,
                          app.questions().list(*event, optional_participant(*event, ctx.request),
                                               is_moderator(*event, ctx.request), sort),
                          ctx.request.version()));
    });

    router.add(http::verb::post, "/api/events/{code}/questions", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        auto participant = require_participant(*event, ctx.request);
        app.questions().ask(event, participant, json_body(ctx.request),
                            reply_with(ctx.reply, http::status::created, ctx.request.version()));
    });

    router.add(http::verb::post, "/api/questions/{id}/upvote",
               [&app](RequestContext& ctx) { upvote_route(app, ctx, true); });
    router.add(http::verb::delete_, "/api/questions/{id}/upvote",
               [&app](RequestContext& ctx) { upvote_route(app, ctx, false); });

    router.add(http::verb::patch, "/api/questions/{id}", [&app](RequestContext& ctx) {
        auto question_id = ctx.id_param(0, "Question");
        auto event = event_of_question(app, question_id);
        require_moderator(app, *event, ctx.request);
        app.questions().moderate(event, question_id, json_body(ctx.request),
                                 reply_with(ctx.reply, http::status::ok, ctx.request.version()));
    });

    router.add(http::verb::get, "/api/events/{code}/questions.csv", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        require_moderator(app, *event, ctx.request);
        auto response = body_response(http::status::ok, questions_csv(*event),
                                      "text/csv; charset=utf-8", ctx.request.version());
        response.set(http::field::content_disposition,
                     "attachment; filename=\"voxpop-" + event->code + "-questions.csv\"");
        ctx.reply(std::move(response));
    });
}

}  // namespace voxpop
