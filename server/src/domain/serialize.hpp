#pragma once

#include "domain/event.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace voxpop {

// Who is looking decides what a results body holds (moderators also see hidden words).
enum class Audience { attendee, moderator };

nlohmann::json poll_json(const Poll& poll, const std::string& event_code);
nlohmann::json results_json(const Poll& poll, Audience audience, std::size_t words_top_n,
                            const BlockList* blocked = nullptr);
// results_json() serialised, made at most once per event revision and audience and shared
// by GET /api/polls/{id}/results and the WebSocket `results` pushes. Caller holds the
// event lock (shared).
std::shared_ptr<const std::string> results_body(const Event& event, const Poll& poll,
                                                Audience audience, std::size_t words_top_n);
// `blocked`: whether the text matches the event's block list (sent to moderators only).
nlohmann::json question_json(const Question& question, const std::string& event_code,
                             Audience audience, bool blocked);
nlohmann::json answer_json(const Answer& answer, PollType type);

}  // namespace voxpop
