#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace voxpop {

enum class PollType { single, multiple, wordcloud, rating };
enum class PollState { draft, open, closed };
enum class Visibility { live, after_vote, after_close, hidden };

std::string_view to_string(PollType type);
std::string_view to_string(PollState state);
std::string_view to_string(Visibility visibility);
std::optional<PollType> parse_poll_type(std::string_view text);
std::optional<PollState> parse_poll_state(std::string_view text);
std::optional<Visibility> parse_visibility(std::string_view text);

struct PollOption {
    std::int64_t id = 0;
    std::string text;
};

// What a moderator prepares: everything of a poll except identity, order and state.
struct PollSpec {
    PollType type = PollType::single;
    std::string question;
    std::vector<std::string> options;
    int max_choices = 1;
    int max_words = 3;
    int scale = 5;
    Visibility results = Visibility::live;
    bool allow_change = true;
};

// One participant's answer to one poll. Exactly one member is used, chosen by the poll type.
struct Answer {
    std::vector<std::int64_t> options;  // single / multiple: option ids, sorted, distinct
    std::vector<std::string> words;     // wordcloud: tidied original spellings
    int rating = 0;                     // rating: 1..scale

    bool operator==(const Answer&) const = default;
};

// Limits from the product description; shared by validation and the docs.
struct PollLimits {
    static constexpr int kMinOptions = 2;
    static constexpr int kMaxOptions = 30;
    static constexpr std::size_t kMaxOptionLength = 200;
    static constexpr std::size_t kMaxQuestionLength = 500;
    static constexpr std::size_t kMaxWordLength = 40;
    static constexpr int kMaxWords = 10;
    static constexpr int kMinScale = 2;
    static constexpr int kMaxScale = 10;
    static constexpr std::size_t kMaxTitleLength = 200;
};

}  // namespace voxpop
