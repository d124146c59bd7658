#pragma once

#include "domain/errors.hpp"
#include "domain/event.hpp"
#include "domain/serialize.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

namespace voxpop {

// Messages are built once and shared, immutable, by every session that sends them.
using SharedMessage = std::shared_ptr<const std::string>;

enum class Role { anonymous, participant, moderator };
std::string_view to_string(Role role);

inline SharedMessage share(const nlohmann::json& message) {
    return std::make_shared<const std::string>(
        message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

struct Viewer {
    Role role = Role::anonymous;
    std::optional<std::int64_t> participant_id;
};

// Whether `viewer` may see `poll` at all, and its results. Caller holds the event lock.
bool may_see_poll(const Poll& poll, const Viewer& viewer);
bool may_see_results(const Poll& poll, const Viewer& viewer);

// The event header of snapshots and `event` messages. Caller holds the event lock.
nlohmann::json event_json(const Event& event);

// Caller holds the event lock (shared).
nlohmann::json snapshot_message(const Event& event, const Viewer& viewer, std::int64_t online,
                                std::size_t words_top_n);

// The answer to a `respond`: ok, or the refusal with the REST error code. `ref_json` is the
// client's `ref` as JSON text (ClientMessage::ref_json), echoed as it is.
SharedMessage ack_message(std::string_view ref_json, const std::optional<ApiError>& error);
nlohmann::json error_message(std::string_view code, std::string_view message,
                             const nlohmann::json& ref = nullptr);

}  // namespace voxpop
