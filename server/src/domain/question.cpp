#include "domain/question.hpp"

#include "domain/words.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace voxpop {
namespace {

constexpr std::array<std::pair<QuestionState, std::string_view>, 6> kStates{{
    {QuestionState::pending, "pending"},
    {QuestionState::visible, "visible"},
    {QuestionState::dismissed, "dismissed"},
    {QuestionState::hidden, "hidden"},
    {QuestionState::archived, "archived"},
    {QuestionState::merged, "merged"},
}};

bool is_word_byte(unsigned char c) {
    return c >= 0x80 || std::isalnum(c);
}

}  // namespace

std::string_view to_string(QuestionState state) {
    for (const auto& [value, name] : kStates)
        if (value == state) return name;
    return "visible";
}

std::optional<QuestionState> parse_question_state(std::string_view text) {
    for (const auto& [value, name] : kStates)
        if (name == text) return value;
    return std::nullopt;
}

bool BlockList::set(const std::vector<std::string>& words) {
    std::vector<std::string> tidied, keys;
    for (const auto& word : words) {
        auto tidy = tidy_text(word);
        auto key = normalize_word(word);
        if (!tidy || !key) return false;
        if (key->empty()) continue;
        tidied.push_back(*tidy);
        keys.push_back(*key);
    }
    words_ = std::move(tidied);
    keys_ = std::move(keys);
    return true;
}

bool BlockList::matches(std::string_view text) const {
    if (keys_.empty()) return false;
    auto key = normalize_word(text);
    return key && matches_normalized(*key);
}

bool BlockList::matches_normalized(std::string_view text) const {
    for (const auto& key : keys_) {
        for (std::size_t at = text.find(key); at != std::string_view::npos;
             at = text.find(key, at + 1)) {
            // Whole words only: "class" must not block "classification". Non-ASCII bytes
            // count as word characters, so this errs towards not blocking.
            bool starts = at == 0 || !is_word_byte(static_cast<unsigned char>(text[at - 1]));
            std::size_t end = at + key.size();
            bool ends = end == text.size() || !is_word_byte(static_cast<unsigned char>(text[end]));
            if (starts && ends) return true;
        }
    }
    return false;
}

void sort_questions(std::vector<const Question*>& questions, QuestionSort sort) {
    std::sort(questions.begin(), questions.end(), [sort](const Question* a, const Question* b) {
        if (sort == QuestionSort::top && a->upvotes() != b->upvotes())
            return a->upvotes() > b->upvotes();
        if (a->created_at != b->created_at) return a->created_at > b->created_at;
        return a->id > b->id;
    });
}

bool attendee_may_see(const Question& question, std::optional<std::int64_t> viewer, bool blocked) {
    bool own = viewer && *viewer == question.participant_id;
    if (own)
        return question.state == QuestionState::pending || question.state == QuestionState::visible;
    return question.state == QuestionState::visible && !blocked;
}

}  // namespace voxpop
