#pragma once

#include "app/app.hpp"
#include "app/service_context.hpp"
#include "http/router.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace voxpop {

// The body as a JSON object; invalid_json otherwise.
nlohmann::json json_body(const HttpRequest& request);

std::shared_ptr<Event> require_event(App& app, std::string_view code);
std::shared_ptr<Event> require_event_of_poll(App& app, std::int64_t poll_id);

// "Authorization: Bearer <token>" of the request, or empty.
std::string bearer_token(const HttpRequest& request);
// The value of cookie `name`, or empty.
std::string cookie_value(const HttpRequest& request, std::string_view name);
std::string participant_cookie_name(const std::string& event_code);

bool is_moderator(const Event& event, const HttpRequest& request);
// 401 without a valid moderator token; 403 for a state-changing request from another site.
void require_moderator(App& app, const Event& event, const HttpRequest& request);
// 403 for a state-changing request that a page on another site (or Origin) sent.
void require_same_site(App& app, const HttpRequest& request);
// The participant id from X-Participant-Token or the event's cookie; 401 otherwise.
std::int64_t require_participant(const Event& event, const HttpRequest& request);

// Whether `origin` may act on this server: listed in allowed_origins, or (when the list is
// empty) the same host as the request.
bool origin_allowed(const Config& config, std::string_view origin, std::string_view host);

// A Done that answers the request: the error shape on refusal, else `status` with the body.
Done reply_with(Reply reply, http::status status, unsigned version);

}  // namespace voxpop
