// Loading events from the database into memory: at start, and to undo a failed commit.
#include "storage/repository.hpp"

#include <nlohmann/json.hpp>

#include <unordered_map>

namespace voxpop {

void Repository::load_questions(Event& event) {
    event.questions.clear();
    std::unordered_map<std::int64_t, Question*> by_id;
    auto rows = db_.prepare(
        "SELECT id, participant_id, name, text, state, answered, pinned, answer, merged_into, "
        "created_at FROM questions WHERE event_id = ?1 ORDER BY id");
    rows.bind(1, event.id);
    while (rows.step()) {
        auto question = std::make_unique<Question>();
        question->id = rows.column_int(0);
        question->event_id = event.id;
        question->participant_id = rows.column_int(1);
        question->name = rows.column_text(2);
        question->text = rows.column_text(3);
        question->state = parse_question_state(rows.column_text(4)).value_or(QuestionState::hidden);
        question->answered = rows.column_int(5) != 0;
        question->pinned = rows.column_int(6) != 0;
        if (!rows.column_is_null(7)) question->answer = rows.column_text(7);
        question->merged_into = rows.column_is_null(8) ? 0 : rows.column_int(8);
        question->created_at = rows.column_int(9);
        by_id[question->id] = question.get();
        event.questions.push_back(std::move(question));
    }
    auto upvotes = db_.prepare(
        "SELECT u.question_id, u.participant_id FROM question_upvotes u "
        "JOIN questions q ON q.id = u.question_id WHERE q.event_id = ?1");
    upvotes.bind(1, event.id);
    while (upvotes.step())
        if (auto it = by_id.find(upvotes.column_int(0)); it != by_id.end())
            it->second->upvoters.insert(upvotes.column_int(1));
}

void Repository::load_polls(Event& event) {
    event.polls.clear();
    std::unordered_map<std::int64_t, Poll*> by_id;
    auto polls = db_.prepare(
        "SELECT id, position, type, question, max_choices, max_words, scale, state, results, "
        "allow_change, created_at FROM polls WHERE event_id = ?1 ORDER BY position, id");
    polls.bind(1, event.id);
    while (polls.step()) {
        auto poll = std::make_unique<Poll>();
        poll->id = polls.column_int(0);
        poll->event_id = event.id;
        poll->position = static_cast<int>(polls.column_int(1));
        poll->type = parse_poll_type(polls.column_text(2)).value_or(PollType::single);
        poll->question = polls.column_text(3);
        poll->max_choices = static_cast<int>(polls.column_int(4));
        poll->max_words = static_cast<int>(polls.column_int(5));
        poll->scale = static_cast<int>(polls.column_int(6));
        poll->state = parse_poll_state(polls.column_text(7)).value_or(PollState::draft);
        poll->results = parse_visibility(polls.column_text(8)).value_or(Visibility::hidden);
        poll->allow_change = polls.column_int(9) != 0;
        poll->created_at = polls.column_int(10);
        by_id[poll->id] = poll.get();
        event.polls.push_back(std::move(poll));
    }
    auto options = db_.prepare(
        "SELECT o.poll_id, o.id, o.text FROM poll_options o JOIN polls p ON p.id = o.poll_id "
        "WHERE p.event_id = ?1 ORDER BY o.poll_id, o.position");
    options.bind(1, event.id);
    while (options.step())
        if (auto it = by_id.find(options.column_int(0)); it != by_id.end())
            it->second->options.push_back({options.column_int(1), options.column_text(2)});

    for (auto& poll : event.polls) poll->tally = Tally(poll->type, poll->options, poll->scale);

    auto overrides = db_.prepare(
        "SELECT w.poll_id, w.key, w.hidden, w.merged_into FROM word_overrides w "
        "JOIN polls p ON p.id = w.poll_id WHERE p.event_id = ?1");
    overrides.bind(1, event.id);
    while (overrides.step()) {
        auto it = by_id.find(overrides.column_int(0));
        if (it == by_id.end()) continue;
        auto& words = it->second->tally.words();
        std::string key = overrides.column_text(1);
        if (overrides.column_int(2) != 0) words.set_hidden(key, true);
        if (!overrides.column_is_null(3)) words.merge(key, overrides.column_text(3));
    }

    auto responses = db_.prepare(
        "SELECT r.poll_id, r.participant_id, r.answer FROM responses r "
        "JOIN polls p ON p.id = r.poll_id WHERE p.event_id = ?1");
    responses.bind(1, event.id);
    while (responses.step()) {
        auto it = by_id.find(responses.column_int(0));
        if (it == by_id.end()) continue;
        Poll& poll = *it->second;
        Answer answer = decode_answer(responses.column_text(2), poll.type);
        poll.tally.add(answer);
        poll.responses.emplace(responses.column_int(1), std::move(answer));
    }
}

void Repository::reload(Event& event) {
    auto row = db_.prepare(
        "SELECT title, peak_online, presented_poll_id, qa_enabled, qa_moderated, blocked_words "
        "FROM events WHERE id = ?1");
    row.bind(1, event.id);
    if (row.step()) {
        event.title = row.column_text(0);
        event.peak_online = row.column_int(1);
        event.presented_poll_id = row.column_is_null(2) ? 0 : row.column_int(2);
        event.qa_enabled = row.column_int(3) != 0;
        event.qa_moderated = row.column_int(4) != 0;
        std::vector<std::string> words;
        auto parsed = nlohmann::json::parse(row.column_text(5), nullptr, false);
        if (parsed.is_array())
            for (const auto& word : parsed)
                if (word.is_string()) words.push_back(word.get<std::string>());
        event.blocked.set(words);
    }
    event.participants_by_hash.clear();
    auto participants = db_.prepare("SELECT id, token_hash FROM participants WHERE event_id = ?1");
    participants.bind(1, event.id);
    while (participants.step())
        event.participants_by_hash[participants.column_text(1)] = participants.column_int(0);
    load_polls(event);
    load_questions(event);
}

std::vector<std::unique_ptr<Event>> Repository::load_all() {
    std::vector<std::unique_ptr<Event>> events;
    auto rows = db_.prepare(
        "SELECT id, code, title, moderator_hash, created_at, peak_online FROM events ORDER BY id");
    while (rows.step()) {
        auto event = std::make_unique<Event>();
        event->id = rows.column_int(0);
        event->code = rows.column_text(1);
        event->title = rows.column_text(2);
        event->moderator_hash = rows.column_text(3);
        event->created_at = rows.column_int(4);
        event->peak_online = rows.column_int(5);
        reload(*event);
        events.push_back(std::move(event));
    }
    return events;
}

}  // namespace voxpop
