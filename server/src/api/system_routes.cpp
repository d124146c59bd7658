#include "api/request_helpers.hpp"
#include "api/routes.hpp"
#include "domain/errors.hpp"
#include "http/responses.hpp"
#include "util/version.hpp"

#include <qrcodegen.hpp>

#include <sstream>

namespace voxpop {
namespace {

// The QR code as SVG: qrcodegen does the encoding, this only draws its modules.
std::string qr_svg(const std::string& text) {
    auto qr = qrcodegen::QrCode::encodeText(text.c_str(), qrcodegen::QrCode::Ecc::MEDIUM);
    const int border = 2;
    const int size = qr.getSize() + 2 * border;
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << size << ' ' << size
        << "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
           "fill=\"#fff\"/><path fill=\"#000\" d=\"";
    for (int y = 0; y < qr.getSize(); ++y)
        for (int x = 0; x < qr.getSize(); ++x)
            if (qr.getModule(x, y)) svg << 'M' << x + border << ',' << y + border << "h1v1h-1z";
    svg << "\"/></svg>";
    return svg.str();
}

bool looks_like_code(std::string_view segment) {
    if (segment.size() < 4 || segment.size() > 16) return false;
    for (char c : segment)
        if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

void add_system_routes(Router& router, App& app) {
    router.add(http::verb::get, "/healthz", [&app](RequestContext& ctx) {
        app.check_database([reply = ctx.reply, version = ctx.request.version()](bool ok) {
            reply(json_response(ok ? http::status::ok : http::status::service_unavailable,
                                {{"status", ok ? "ok" : "degraded"},
                                 {"version", kVersion},
                                 {"db", ok ? "ok" : "failing"}},
                                version));
        });
    });

    router.add(http::verb::get, "/api/events/{code}/qr.svg", [&app](RequestContext& ctx) {
        auto event = require_event(app, ctx.params[0]);
        std::string base = app.config().public_url;
        if (base.empty()) base = "http://" + std::string(ctx.request[http::field::host]);
        while (!base.empty() && base.back() == '/') base.pop_back();
        std::string url = base + "/" + event->code;
        // A QR code holds a few hundred characters at this error-correction level; a
        // longer URL can only come from a forged Host header.
        if (url.size() > 512) throw ApiError(400, "bad_request", "The Host header is too long.");
        auto response =
            body_response(http::status::ok, qr_svg(url), "image/svg+xml", ctx.request.version());
        response.set(http::field::cache_control, "no-cache");
        ctx.reply(std::move(response));
    });

    // Short links printed on slides: /MAELSTROM -> the attendee page.
    router.add(http::verb::get, "/{code}", [&app, &router](RequestContext& ctx) {
        if (looks_like_code(ctx.params[0])) {
            if (auto event = app.registry().find_event(ctx.params[0])) {
                HttpResponse response{http::status::found, ctx.request.version()};
                response.set(http::field::location, "/e/" + event->code);
                response.prepare_payload();
                return ctx.reply(std::move(response));
            }
        }
        router.fallback(ctx);
    });
}

void register_routes(Router& router, App& app, const StaticFiles& files) {
    add_system_routes(router, app);
    add_admin_routes(router, app);
    add_event_routes(router, app);
    add_poll_routes(router, app);
    add_response_routes(router, app);
    add_export_routes(router, app);
    add_question_routes(router, app);
    router.set_fallback(
        [&files](RequestContext& ctx) { ctx.reply(files.serve(ctx.request, ctx.path)); });
}

}  // namespace voxpop
