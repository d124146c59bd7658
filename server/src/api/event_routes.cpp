#include "api/request_helpers.hpp"
#include "api/routes.hpp"
#include "domain/errors.hpp"
#include "domain/parse.hpp"
#include "http/responses.hpp"

namespace voxpop {

void add_event_routes(Router& router, App& app) {
    router.add(http::verb::post, "/api/events", [&app](RequestContext& ctx) {
        auto body = json_body(ctx.request);
        std::string title = parse_title(body);
        std::string code;
        if (auto it = body.find("code"); it != body.end() && !it->is_null()) {
            if (!it->is_string()) throw invalid_field("code", "must be a string");
            code = it->get<std::string>();
        }
        app.events().create(std::move(title), std::move(code),
                            reply_with(ctx.reply, http::status::created, ctx.request.version()));
    });

    router.add(http::verb::get, "/api/events/{code}", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        auto body = app.events().describe(*event, is_moderator(*event, ctx.request));
        body["join_url"] = app.events().join_url(*event, ctx.request[http::field::host]);
        ctx.reply(json_response(http::status::ok, body, ctx.request.version()));
    });

    router.add(http::verb::patch, "/api/events/{code}", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        require_moderator(app, *event, ctx.request);
        app.events().update(event, json_body(ctx.request),
                            reply_with(ctx.reply, http::status::ok, ctx.request.version()));
    });

    router.add(http::verb::post, "/api/events/{code}/join", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        const unsigned version = ctx.request.version();
        const std::string cookie_name = participant_cookie_name(event->code);
        app.events().join(event, [reply = ctx.reply, version, cookie_name](
                                     const Writer::Outcome& outcome, nlohmann::json body) {
            if (outcome) return reply(error_response(*outcome, version));
            auto response = json_response(http::status::created, body, version);
            response.set(http::field::set_cookie,
                         cookie_name + "=" + body["participant_token"].get<std::string>() +
                             "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");
            reply(std::move(response));
        });
    });

    router.add(http::verb::delete_, "/api/events/{code}", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        require_moderator(app, *event, ctx.request);
        app.events().remove(event,
                            reply_with(ctx.reply, http::status::no_content, ctx.request.version()));
    });

    router.add(http::verb::post, "/api/events/{code}/rotate-token", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        require_moderator(app, *event, ctx.request);
        app.events().rotate_token(event,
                                  reply_with(ctx.reply, http::status::ok, ctx.request.version()));
    });

    router.add(http::verb::get, "/api/events/{code}/summary", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        require_moderator(app, *event, ctx.request);
        ctx.reply(
            json_response(http::status::ok, app.events().summary(*event), ctx.request.version()));
    });
}

}  // namespace voxpop
