#pragma once

#include "domain/event.hpp"

#include <nlohmann/json.hpp>

namespace voxpop {

// Who is looking decides what a results body holds (moderators also see hidden words).
enum class Audience { attendee, moderator };

nlohmann::json poll_json(const Poll& poll, const std::string& event_code);
nlohmann::json results_json(const Poll& poll, Audience audience, std::size_t words_top_n,
                            const BlockList* blocked = nullptr);
// `blocked`: whether the text matches the event's block list (sent to moderators only).
nlohmann::json question_json(const Question& question, const std::string& event_code,
                             Audience audience, bool blocked);
nlohmann::json answer_json(const Answer& answer, PollType type);

}  // namespace voxpop
