#include "api/request_helpers.hpp"
#include "api/routes.hpp"
#include "domain/errors.hpp"
#include "domain/parse.hpp"
#include "domain/serialize.hpp"
#include "http/responses.hpp"

#include <mutex>

namespace voxpop {
namespace {

// The moderator's event of poll {id}, after checking the token.
std::shared_ptr<Event> moderated_event_of_poll(App& app, RequestContext& ctx) {
    auto event = require_event_of_poll(app, ctx.id_param(0, "Poll"));
    require_moderator(app, *event, ctx.request);
    return event;
}

// Word curation answers with the poll's fresh results.
Done reply_with_results(App& app, std::shared_ptr<Event> event, std::int64_t poll_id,
                        RequestContext& ctx) {
    return [&app, event, poll_id, reply = ctx.reply, version = ctx.request.version()](
               const Writer::Outcome& outcome, nlohmann::json) {
        if (outcome) return reply(error_response(*outcome, version));
        std::shared_lock lock(event->mutex);
        const Poll* poll = event->find_poll(poll_id);
        if (!poll) return reply(error_response(not_found("Poll"), version));
        reply(json_response(
            http::status::ok,
            results_json(*poll, Audience::moderator,
                         static_cast<std::size_t>(app.config().words_top_n), &event->blocked),
            version));
    };
}

}  // namespace

void add_poll_routes(Router& router, App& app) {
    router.add(http::verb::get, "/api/events/{code}/polls", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        auto described = app.events().describe(*event, is_moderator(*event, ctx.request));
        ctx.reply(json_response(http::status::ok, {{"polls", described["polls"]}},
                                ctx.request.version()));
    });

    router.add(http::verb::post, "/api/events/{code}/polls", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        require_moderator(app, *event, ctx.request);
        app.polls().create(event, parse_poll_spec(json_body(ctx.request)),
                           reply_with(ctx.reply, http::status::created, ctx.request.version()));
    });

    router.add(http::verb::get, "/api/polls/{id}", [&app](RequestContext& ctx) {
        auto poll_id = ctx.id_param(0, "Poll");
        auto event = require_event_of_poll(app, poll_id);
        bool moderator = is_moderator(*event, ctx.request);
        std::shared_lock lock(event->mutex);
        const Poll* poll = event->find_poll(poll_id);
        if (!poll || (poll->state == PollState::draft && !moderator))
            throw not_found("Poll " + std::to_string(poll_id));
        ctx.reply(
            json_response(http::status::ok, poll_json(*poll, event->code), ctx.request.version()));
    });

    router.add(http::verb::patch, "/api/polls/{id}", [&app](RequestContext& ctx) {
        auto event = moderated_event_of_poll(app, ctx);
        app.polls().update(event, ctx.id_param(0, "Poll"), json_body(ctx.request),
                           reply_with(ctx.reply, http::status::ok, ctx.request.version()));
    });

    router.add(http::verb::delete_, "/api/polls/{id}", [&app](RequestContext& ctx) {
        auto event = moderated_event_of_poll(app, ctx);
        app.polls().remove(event, ctx.id_param(0, "Poll"),
                           reply_with(ctx.reply, http::status::no_content, ctx.request.version()));
    });

    router.add(http::verb::get, "/api/events/{code}/polls/export", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        require_moderator(app, *event, ctx.request);
        auto response =
            json_response(http::status::ok, app.polls().export_deck(*event), ctx.request.version());
        response.set(http::field::content_disposition,
                     "attachment; filename=\"voxpop-" + event->code + "-deck.json\"");
        ctx.reply(std::move(response));
    });

    router.add(http::verb::post, "/api/events/{code}/polls/import", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        require_moderator(app, *event, ctx.request);
        app.polls().import_deck(
            event, json_body(ctx.request),
            reply_with(ctx.reply, http::status::created, ctx.request.version()));
    });

    router.add(http::verb::post, "/api/polls/{id}/words/hide", [&app](RequestContext& ctx) {
        auto event = moderated_event_of_poll(app, ctx);
        auto body = json_body(ctx.request);
        std::string key = require_text(body, "key", 200);
        bool hidden = true;
        if (auto it = body.find("hidden"); it != body.end()) {
            if (!it->is_boolean()) throw invalid_field("hidden", "must be true or false");
            hidden = it->get<bool>();
        }
        auto poll_id = ctx.id_param(0, "Poll");
        app.polls().set_word_hidden(event, poll_id, key, hidden,
                                    reply_with_results(app, event, poll_id, ctx));
    });

    router.add(http::verb::post, "/api/polls/{id}/words/merge", [&app](RequestContext& ctx) {
        auto event = moderated_event_of_poll(app, ctx);
        auto body = json_body(ctx.request);
        auto poll_id = ctx.id_param(0, "Poll");
        app.polls().merge_words(event, poll_id, require_text(body, "from", 200),
                                require_text(body, "into", 200),
                                reply_with_results(app, event, poll_id, ctx));
    });
}

}  // namespace voxpop
