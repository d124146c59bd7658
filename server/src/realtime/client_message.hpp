#pragma once

#include "domain/answer_fields.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace voxpop {

// A message from a WebSocket client, read in one pass over its text (nlohmann's SAX
// interface) into the few members the protocol uses. Votes arrive by the ten thousand per
// second, and a JSON tree would cost each one about twenty allocations before it is even
// looked at. Duplicate members keep the last value, as a tree would.
struct ClientMessage {
    std::optional<std::string> type;      // when a string
    std::string ref_json = "null";        // `ref`, any JSON, as text to echo in the ack
    std::optional<std::int64_t> poll_id;  // when an integer
    std::optional<std::string> participant_token, moderator_token;  // when strings
    AnswerFields answer;
};

// nullopt when `text` is not one JSON object.
std::optional<ClientMessage> read_client_message(std::string_view text);

}  // namespace voxpop
