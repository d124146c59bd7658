#pragma once

#include "domain/answer_fields.hpp"
#include "domain/event.hpp"
#include "domain/model.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace voxpop {

// Request-body validation shared by REST, WebSocket and deck import. Each throws ApiError
// (invalid_field naming the field, prefixed by `field_prefix` such as "polls[2].").

std::string parse_title(const nlohmann::json& body);

// A complete poll description: create and import.
PollSpec parse_poll_spec(const nlohmann::json& body, const std::string& field_prefix = "");

// Checks a spec's cross-field rules (option count, max_choices <= options, ...).
void validate_poll_spec(const PollSpec& spec, const std::string& field_prefix = "");

// Checks the answer fields a client sent ("options" | "words" | "rating") against `poll`.
Answer parse_answer(const AnswerFields& fields, const Poll& poll);
// The same for a request body (throws when it is not an object).
Answer parse_answer(const nlohmann::json& body, const Poll& poll);

// Required string field, tidied (trimmed, white space collapsed), 1..max_length code points.
std::string require_text(const nlohmann::json& body, const std::string& key, std::size_t max_length,
                         const std::string& field_prefix = "");

}  // namespace voxpop
