// Server-wide operations for whoever runs the server (not for moderators of one event).
// Off unless admin_token_sha256 is configured: then the routes answer 404 like any
// unknown path.
#include "api/request_helpers.hpp"
#include "api/routes.hpp"
#include "domain/errors.hpp"
#include "http/responses.hpp"
#include "storage/backup.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <thread>

namespace voxpop {

namespace {

void require_admin(App& app, const HttpRequest& request) {
    const std::string& expected = app.config().admin_token_sha256;
    if (expected.empty()) throw ApiError(404, "not_found", "No such route.");
    std::string token = bearer_token(request);
    if (token.empty() || !constant_time_equal(sha256_hex(token), expected))
        throw ApiError(401, "unauthorized",
                       "This needs the admin token (Authorization: Bearer …).");
    require_same_site(app, request);
}

}  // namespace

void add_admin_routes(Router& router, App& app) {
    // The server's own counters since it started (bench/loadgen reads them around a load).
    router.add(http::verb::get, "/api/admin/stats", [&app](RequestContext& ctx) {
        require_admin(app, ctx.request);
        const auto writer = app.writer().stats();
        ctx.reply(json_response(http::status::ok,
                                {{"writer",
                                  {{"jobs", writer.jobs},
                                   {"commits", writer.commits},
                                   {"failed_commits", writer.failed_commits}}}},
                                ctx.request.version()));
    });

    // A consistent copy of the whole database as a file download, taken while the server
    // keeps serving. One at a time: each holds a copy of the database in memory.
    auto running = std::make_shared<std::atomic<bool>>(false);
    router.add(http::verb::post, "/api/admin/backup", [&app, running](RequestContext& ctx) {
        require_admin(app, ctx.request);
        if (running->exchange(true))
            throw ApiError(409, "backup_in_progress", "A backup is already being made.");
        // The copy reads the whole database: off the I/O threads.
        std::thread([db = app.config().db, reply = ctx.reply, version = ctx.request.version(),
                     running] {
            HttpResponse response;
            try {
                response = body_response(http::status::ok, backup_database_bytes(db),
                                         "application/vnd.sqlite3", version);
                response.set(http::field::content_disposition,
                             "attachment; filename=\"voxpop-backup-" +
                                 std::to_string(now_ms() / 1000) + ".db\"");
                response.set(http::field::cache_control, "no-store");
            } catch (const std::exception& error) {
                spdlog::error("admin backup failed: {}", error.what());
                response = error_response(http::status::service_unavailable, "storage_unavailable",
                                          "The backup failed.", version);
            }
            running->store(false);
            reply(std::move(response));
        }).detach();
    });
}

}  // namespace voxpop
