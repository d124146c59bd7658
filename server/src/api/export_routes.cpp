#include "api/request_helpers.hpp"
#include "api/routes.hpp"
#include "app/export.hpp"
#include "http/responses.hpp"

namespace voxpop {
namespace {

HttpResponse download(std::string body, std::string_view type, const std::string& filename,
                      unsigned version) {
    auto response = body_response(http::status::ok, std::move(body), type, version);
    response.set(http::field::content_disposition, "attachment; filename=\"" + filename + "\"");
    return response;
}

}  // namespace

void add_export_routes(Router& router, App& app) {
    router.add(http::verb::get, "/api/events/{code}/export.json", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        require_moderator(app, *event, ctx.request);
        ctx.reply(download(export_json(*event).dump(2), "application/json; charset=utf-8",
                           "voxpop-" + event->code + ".json", ctx.request.version()));
    });

    router.add(http::verb::get, "/api/events/{code}/export.csv", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        require_moderator(app, *event, ctx.request);
        ctx.reply(download(results_csv(*event), "text/csv; charset=utf-8",
                           "voxpop-" + event->code + ".csv", ctx.request.version()));
    });

    router.add(http::verb::get, "/api/polls/{id}/export.csv", [&app](RequestContext& ctx) {
        auto poll_id = ctx.id_param(0, "Poll");
        auto event = require_event_of_poll(app, poll_id);
        require_moderator(app, *event, ctx.request);
        ctx.reply(download(results_csv(*event, poll_id), "text/csv; charset=utf-8",
                           "voxpop-" + event->code + "-poll-" + std::to_string(poll_id) + ".csv",
                           ctx.request.version()));
    });
}

}  // namespace voxpop
