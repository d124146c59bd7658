#include "domain/event.hpp"

#include <algorithm>

namespace voxpop {

PollSpec Poll::spec() const {
    PollSpec spec;
    spec.type = type;
    spec.question = question;
    for (const auto& option : options) spec.options.push_back(option.text);
    spec.max_choices = max_choices;
    spec.max_words = max_words;
    spec.scale = scale;
    spec.results = results;
    spec.allow_change = allow_change;
    return spec;
}

void Poll::recount() {
    tally.clear_counts();
    for (const auto& [participant, answer] : responses) tally.add(answer);
}

bool Poll::has_option(std::int64_t option_id) const {
    return std::any_of(options.begin(), options.end(),
                       [&](const PollOption& option) { return option.id == option_id; });
}

bool attendee_may_see_results(const Poll& poll, bool has_responded) {
    if (poll.state == PollState::draft) return false;
    switch (poll.results) {
        case Visibility::live:
            return true;
        case Visibility::after_vote:
            return has_responded || poll.state == PollState::closed;
        case Visibility::after_close:
            return poll.state == PollState::closed;
        case Visibility::hidden:
            return false;
    }
    return false;
}

Poll* Event::find_poll(std::int64_t poll_id) {
    for (auto& poll : polls)
        if (poll->id == poll_id) return poll.get();
    return nullptr;
}

const Poll* Event::find_poll(std::int64_t poll_id) const {
    for (const auto& poll : polls)
        if (poll->id == poll_id) return poll.get();
    return nullptr;
}

Question* Event::find_question(std::int64_t question_id) {
    for (auto& question : questions)
        if (question->id == question_id) return question.get();
    return nullptr;
}

const Question* Event::find_question(std::int64_t question_id) const {
    for (const auto& question : questions)
        if (question->id == question_id) return question.get();
    return nullptr;
}

void Event::renumber() {
    for (std::size_t i = 0; i < polls.size(); ++i) polls[i]->position = static_cast<int>(i);
}

}  // namespace voxpop
