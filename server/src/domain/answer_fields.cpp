#include "domain/answer_fields.hpp"

#include "domain/errors.hpp"

#include <nlohmann/json.hpp>

namespace voxpop {
namespace {

AnswerFields::Value value_of(const nlohmann::json& json) {
    if (json.is_number_integer()) return json.get<std::int64_t>();  // unsigned ones too
    if (json.is_string()) return json.get<std::string>();
    return {};
}

AnswerFields::Member member_of(const nlohmann::json& body, const char* key) {
    AnswerFields::Member member;
    auto it = body.find(key);
    if (it == body.end()) return member;
    member.present = true;
    if (!it->is_array()) {
        member.value = value_of(*it);
        return member;
    }
    member.is_array = true;
    for (const auto& element : *it) member.elements.push_back(value_of(element));
    return member;
}

}  // namespace

AnswerFields answer_fields(const nlohmann::json& body) {
    if (!body.is_object()) throw invalid_field("body", "must be an object");
    return {member_of(body, "options"), member_of(body, "words"), member_of(body, "rating")};
}

}  // namespace voxpop
