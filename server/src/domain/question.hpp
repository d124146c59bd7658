#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace voxpop {

enum class QuestionState { pending, visible, dismissed, hidden, archived, merged };
enum class QuestionSort { top, recent };

std::string_view to_string(QuestionState state);
std::optional<QuestionState> parse_question_state(std::string_view text);

struct Question {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
    std::int64_t participant_id = 0;  // the author
    std::string name;                 // empty: anonymous
    std::string text;
    QuestionState state = QuestionState::visible;
    bool answered = false;
    bool pinned = false;
    std::optional<std::string> answer;
    std::int64_t merged_into = 0;
    std::int64_t created_at = 0;
    std::unordered_set<std::int64_t> upvoters;

    std::int64_t upvotes() const { return static_cast<std::int64_t>(upvoters.size()); }
};

struct QuestionLimits {
    static constexpr std::size_t kMaxText = 300;
    static constexpr std::size_t kMaxName = 40;
    static constexpr std::size_t kMaxAnswer = 1000;
    static constexpr std::size_t kMaxBlockedWords = 200;
};

// Words that hide (never delete) questions and word-cloud entries containing them. Both
// sides are compared in the word-cloud normal form, as whole words.
class BlockList {
  public:
    // Returns false when a word is not valid text.
    bool set(const std::vector<std::string>& words);
    const std::vector<std::string>& words() const { return words_; }
    // `text` in any form; it is normalised here.
    bool matches(std::string_view text) const;
    // `key` already normalised (a word-cloud key).
    bool matches_normalized(std::string_view key) const;

  private:
    std::vector<std::string> words_;  // as the moderator typed them (tidied)
    std::vector<std::string> keys_;   // normalised
};

// Top: most upvotes, then newest. Recent: newest. Ties broken by id for stable order.
void sort_questions(std::vector<const Question*>& questions, QuestionSort sort);

// Whether an attendee (participant `viewer`, or none) sees `question`; `blocked` is
// whether its text matches the event's block list (computed once per question).
bool attendee_may_see(const Question& question, std::optional<std::int64_t> viewer, bool blocked);

}  // namespace voxpop
