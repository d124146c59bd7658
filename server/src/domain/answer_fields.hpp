#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace voxpop {

// The answer members of a request ("options", "words", "rating") as the client sent them,
// before parse_answer checks them against a poll. REST reads them from its JSON tree;
// a WebSocket vote from the text itself (realtime/client_message), without building a tree.
struct AnswerFields {
    // A JSON value as far as an answer cares: an integer, a string, or something else.
    using Value = std::variant<std::monostate, std::int64_t, std::string>;
    struct Member {
        bool present = false;
        bool is_array = false;
        Value value;                  // when present and not an array
        std::vector<Value> elements;  // when an array, in order

        bool operator==(const Member&) const = default;
    };
    Member options, words, rating;

    bool operator==(const AnswerFields&) const = default;
};

// The answer members of a request body. Throws invalid_field("body") when it is not an
// object.
AnswerFields answer_fields(const nlohmann::json& body);

}  // namespace voxpop
