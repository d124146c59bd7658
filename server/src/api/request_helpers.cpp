#include "api/request_helpers.hpp"

#include "domain/errors.hpp"
#include "http/responses.hpp"

#include <algorithm>

namespace voxpop {

nlohmann::json json_body(const HttpRequest& request) {
    auto body = nlohmann::json::parse(request.body(), nullptr, false);
    if (body.is_discarded())
        throw ApiError(400, "invalid_json", "The request body is not valid JSON.");
    if (!body.is_object())
        throw ApiError(400, "invalid_json", "The request body must be a JSON object.");
    return body;
}

std::shared_ptr<Event> require_event(App& app, std::string_view code) {
    auto event = app.registry().find_event(code);
    if (!event) throw not_found("Event " + std::string(code));
    return event;
}

std::shared_ptr<Event> require_event_of_poll(App& app, std::int64_t poll_id) {
    auto event = app.registry().find_event_by_poll(poll_id);
    if (!event) throw not_found("Poll " + std::to_string(poll_id));
    return event;
}

std::string bearer_token(const HttpRequest& request) {
    std::string_view value = request[http::field::authorization];
    constexpr std::string_view kPrefix = "Bearer ";
    if (value.size() <= kPrefix.size() || value.substr(0, kPrefix.size()) != kPrefix) return {};
    return std::string(value.substr(kPrefix.size()));
}

std::string cookie_value(const HttpRequest& request, std::string_view name) {
    std::string_view cookies = request[http::field::cookie];
    while (!cookies.empty()) {
        auto end = cookies.find(';');
        std::string_view pair = cookies.substr(0, end);
        cookies = end == std::string_view::npos ? std::string_view{} : cookies.substr(end + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name)
            return std::string(pair.substr(eq + 1));
    }
    return {};
}

std::string participant_cookie_name(const std::string& event_code) {
    return "vp_p_" + event_code;
}

bool is_moderator(const Event& event, const HttpRequest& request) {
    return Registry::is_moderator(event, bearer_token(request));
}

bool origin_allowed(const Config& config, std::string_view origin, std::string_view host) {
    if (!config.allowed_origins.empty())
        return std::find(config.allowed_origins.begin(), config.allowed_origins.end(), origin) !=
               config.allowed_origins.end();
    for (std::string_view scheme : {"http://", "https://"})
        if (origin.substr(0, scheme.size()) == scheme && origin.substr(scheme.size()) == host)
            return true;
    return false;
}

void require_moderator(App& app, const Event& event, const HttpRequest& request) {
    if (!is_moderator(event, request))
        throw unauthorized("This needs the event's moderator token (Authorization: Bearer …).");
    require_same_site(app, request);
}

void require_same_site(App& app, const HttpRequest& request) {
    if (request.method() == http::verb::get || request.method() == http::verb::head) return;
    // A page on another site must not drive a moderator's browser, token or not.
    if (request[http::field::sec_fetch_site] == "cross-site")
        throw ApiError(403, "forbidden", "Cross-site moderator requests are refused.");
    std::string_view origin = request[http::field::origin];
    if (!origin.empty() && !origin_allowed(app.config(), origin, request[http::field::host]))
        throw ApiError(403, "forbidden", "Requests from this Origin are refused.");
}

std::int64_t require_participant(const Event& event, const HttpRequest& request) {
    std::string token(request["X-Participant-Token"]);
    if (token.empty()) token = cookie_value(request, participant_cookie_name(event.code));
    auto participant = Registry::participant(event, token);
    if (!participant)
        throw unauthorized(
            "Join the event first (POST /api/events/{code}/join) and send its token.");
    return *participant;
}

Done reply_with(Reply reply, http::status status, unsigned version) {
    return [reply = std::move(reply), status, version](const Writer::Outcome& outcome,
                                                       nlohmann::json body) {
        if (outcome) return reply(error_response(*outcome, version));
        if (status == http::status::no_content) {
            HttpResponse response{status, version};
            return reply(std::move(response));
        }
        reply(json_response(status, body, version));
    };
}

}  // namespace voxpop
