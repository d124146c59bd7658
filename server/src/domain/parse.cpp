#include "domain/parse.hpp"

#include "domain/errors.hpp"
#include "domain/words.hpp"

#include <algorithm>

namespace voxpop {
namespace {

using nlohmann::json;

// `text` is null when the value was not a string.
std::string tidy_or_throw(const std::string* text, const std::string& field,
                          std::size_t max_length) {
    if (!text) throw invalid_field(field, "must be a string");
    auto tidy = tidy_text(*text);
    if (!tidy) throw invalid_field(field, "must be valid UTF-8 text without control characters");
    if (tidy->empty()) throw invalid_field(field, "must not be empty");
    if (*utf8_length(*tidy) > max_length)
        throw invalid_field(field, "must be at most " + std::to_string(max_length) + " characters");
    return *tidy;
}

std::string tidy_or_throw(const json& value, const std::string& field, std::size_t max_length) {
    return tidy_or_throw(value.is_string() ? &value.get_ref<const std::string&>() : nullptr, field,
                         max_length);
}

int optional_int(const json& body, const std::string& key, int fallback,
                 const std::string& prefix) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return fallback;
    if (!it->is_number_integer()) throw invalid_field(prefix + key, "must be an integer");
    auto value = it->get<std::int64_t>();
    if (value < -1'000'000 || value > 1'000'000)
        throw invalid_field(prefix + key, "is out of range");
    return static_cast<int>(value);
}

}  // namespace

std::string require_text(const json& body, const std::string& key, std::size_t max_length,
                         const std::string& field_prefix) {
    auto it = body.find(key);
    if (it == body.end()) throw invalid_field(field_prefix + key, "is required");
    return tidy_or_throw(*it, field_prefix + key, max_length);
}

std::string parse_title(const json& body) {
    return require_text(body, "title", PollLimits::kMaxTitleLength);
}

PollSpec parse_poll_spec(const json& body, const std::string& prefix) {
    if (!body.is_object())
        throw invalid_field(prefix.empty() ? "body" : prefix, "must be an object");
    PollSpec spec;
    auto type_it = body.find("type");
    if (type_it == body.end()) throw invalid_field(prefix + "type", "is required");
    auto type = type_it->is_string() ? parse_poll_type(type_it->get<std::string>()) : std::nullopt;
    if (!type)
        throw invalid_field(prefix + "type", "must be single, multiple, wordcloud or rating");
    spec.type = *type;
    spec.question = require_text(body, "question", PollLimits::kMaxQuestionLength, prefix);

    if (spec.type == PollType::single || spec.type == PollType::multiple) {
        auto options = body.find("options");
        if (options == body.end() || !options->is_array())
            throw invalid_field(prefix + "options", "must be an array of strings");
        for (std::size_t i = 0; i < options->size(); ++i)
            spec.options.push_back(tidy_or_throw((*options)[i],
                                                 prefix + "options[" + std::to_string(i) + "]",
                                                 PollLimits::kMaxOptionLength));
    } else if (auto options = body.find("options"); options != body.end() &&
                                                    !(options->is_array() && options->empty()) &&
                                                    !options->is_null()) {
        throw invalid_field(prefix + "options", "is only for single and multiple choice polls");
    }

    const int option_count = static_cast<int>(spec.options.size());
    spec.max_choices = optional_int(body, "max_choices",
                                    spec.type == PollType::multiple ? option_count : 1, prefix);
    spec.max_words = optional_int(body, "max_words", 3, prefix);
    spec.scale = optional_int(body, "scale", 5, prefix);
    if (auto it = body.find("results"); it != body.end()) {
        auto visibility = it->is_string() ? parse_visibility(it->get<std::string>()) : std::nullopt;
        if (!visibility)
            throw invalid_field(prefix + "results",
                                "must be live, after_vote, after_close or hidden");
        spec.results = *visibility;
    }
    if (auto it = body.find("allow_change"); it != body.end()) {
        if (!it->is_boolean())
            throw invalid_field(prefix + "allow_change", "must be true or false");
        spec.allow_change = it->get<bool>();
    }
    validate_poll_spec(spec, prefix);
    return spec;
}

void validate_poll_spec(const PollSpec& spec, const std::string& prefix) {
    const int option_count = static_cast<int>(spec.options.size());
    if (spec.type == PollType::single || spec.type == PollType::multiple) {
        if (option_count < PollLimits::kMinOptions || option_count > PollLimits::kMaxOptions)
            throw invalid_field(prefix + "options",
                                "must have between " + std::to_string(PollLimits::kMinOptions) +
                                    " and " + std::to_string(PollLimits::kMaxOptions) + " entries");
        if (spec.type == PollType::single && spec.max_choices != 1)
            throw invalid_field(prefix + "max_choices", "must be 1 for a single choice poll");
        if (spec.max_choices < 1 || spec.max_choices > option_count)
            throw invalid_field(prefix + "max_choices",
                                "must be between 1 and the number of options");
    }
    if (spec.max_words < 1 || spec.max_words > PollLimits::kMaxWords)
        throw invalid_field(prefix + "max_words",
                            "must be between 1 and " + std::to_string(PollLimits::kMaxWords));
    if (spec.scale < PollLimits::kMinScale || spec.scale > PollLimits::kMaxScale)
        throw invalid_field(prefix + "scale", "must be between " +
                                                  std::to_string(PollLimits::kMinScale) + " and " +
                                                  std::to_string(PollLimits::kMaxScale));
}

Answer parse_answer(const AnswerFields& fields, const Poll& poll) {
    using Member = AnswerFields::Member;
    Answer answer;
    auto only = [&](const char* key, const Member& member) -> const Member& {
        for (const auto& [other, other_member] : {std::pair{"options", &fields.options},
                                                  {"words", &fields.words},
                                                  {"rating", &fields.rating}})
            if (std::string_view(other) != key && other_member->present)
                throw invalid_field(other, std::string("does not apply to a ") +
                                               std::string(to_string(poll.type)) + " poll");
        if (!member.present) throw invalid_field(key, "is required");
        return member;
    };
    switch (poll.type) {
        case PollType::single:
        case PollType::multiple: {
            const auto& options = only("options", fields.options);
            if (!options.is_array) throw invalid_field("options", "must be an array of option ids");
            for (const auto& element : options.elements) {
                const auto* option_id = std::get_if<std::int64_t>(&element);
                if (!option_id) throw invalid_field("options", "must be an array of option ids");
                if (!poll.has_option(*option_id))
                    throw invalid_field("options",
                                        "contains unknown option id " + std::to_string(*option_id));
                answer.options.push_back(*option_id);
            }
            std::sort(answer.options.begin(), answer.options.end());
            if (std::adjacent_find(answer.options.begin(), answer.options.end()) !=
                answer.options.end())
                throw invalid_field("options", "contains the same option twice");
            if (answer.options.empty()) throw invalid_field("options", "must choose at least one");
            if (static_cast<int>(answer.options.size()) > poll.max_choices)
                throw invalid_field("options",
                                    "may choose at most " + std::to_string(poll.max_choices));
            break;
        }
        case PollType::wordcloud: {
            const auto& words = only("words", fields.words);
            if (!words.is_array) throw invalid_field("words", "must be an array of strings");
            if (words.elements.empty())
                throw invalid_field("words", "must hold at least one entry");
            if (static_cast<int>(words.elements.size()) > poll.max_words)
                throw invalid_field(
                    "words", "may hold at most " + std::to_string(poll.max_words) + " entries");
            for (std::size_t i = 0; i < words.elements.size(); ++i)
                answer.words.push_back(tidy_or_throw(std::get_if<std::string>(&words.elements[i]),
                                                     "words[" + std::to_string(i) + "]",
                                                     PollLimits::kMaxWordLength));
            break;
        }
        case PollType::rating: {
            const auto& rating = only("rating", fields.rating);
            const auto* value = std::get_if<std::int64_t>(&rating.value);
            if (!value) throw invalid_field("rating", "must be an integer");
            if (*value < 1 || *value > poll.scale)
                throw invalid_field("rating",
                                    "must be between 1 and " + std::to_string(poll.scale));
            answer.rating = static_cast<int>(*value);
            break;
        }
    }
    return answer;
}

Answer parse_answer(const json& body, const Poll& poll) {
    return parse_answer(answer_fields(body), poll);
}

}  // namespace voxpop
