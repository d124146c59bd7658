#include "app/question_service.hpp"

#include "domain/errors.hpp"
#include "domain/parse.hpp"
#include "domain/serialize.hpp"
#include "util/clock.hpp"

#include <mutex>

namespace voxpop {

using nlohmann::json;

namespace {

Question& require_question(Event& event, std::int64_t question_id) {
    Question* question = event.find_question(question_id);
    if (!question || question->state == QuestionState::merged)
        throw not_found("Question " + std::to_string(question_id));
    return *question;
}

// Completes a question write: announces it and replies with the question as the
// moderator sees it.
std::function<void(const Writer::Outcome&)> reply_question(const std::shared_ptr<Event>& event,
                                                           std::shared_ptr<std::int64_t> id,
                                                           Done done, LiveNotifier& live,
                                                           Audience audience) {
    return [event, id, done = std::move(done), &live, audience](const Writer::Outcome& outcome) {
        if (outcome) return done(outcome, {});
        live.question_changed(event, *id);
        json body;
        {
            std::shared_lock lock(event->mutex);
            const Question* question = event->find_question(*id);
            if (question)
                body = question_json(*question, event->code, audience,
                                     event->blocked.matches(question->text));
        }
        done(outcome, std::move(body));
    };
}

}  // namespace

json visible_questions(const Event& event, std::optional<std::int64_t> participant, bool moderator,
                       QuestionSort sort) {
    std::vector<const Question*> shown;
    for (const auto& question : event.questions) {
        if (question->state == QuestionState::merged) continue;
        bool blocked = event.blocked.matches(question->text);
        if (moderator || attendee_may_see(*question, participant, blocked))
            shown.push_back(question.get());
    }
    sort_questions(shown, sort);
    json list = json::array();
    for (const Question* question : shown)
        list.push_back(question_json(*question, event.code,
                                     moderator ? Audience::moderator : Audience::attendee,
                                     event.blocked.matches(question->text)));
    return list;
}

json my_upvotes(const Event& event, std::int64_t participant) {
    json ids = json::array();
    for (const auto& question : event.questions)
        if (question->upvoters.contains(participant)) ids.push_back(question->id);
    return ids;
}

json my_questions(const Event& event, std::int64_t participant) {
    json ids = json::array();
    for (const auto& question : event.questions)
        if (question->participant_id == participant) ids.push_back(question->id);
    return ids;
}

json QuestionService::list(const Event& event, std::optional<std::int64_t> participant,
                           bool moderator, QuestionSort sort) const {
    std::shared_lock lock(event.mutex);
    json body = {{"questions", visible_questions(event, participant, moderator, sort)},
                 {"my_upvotes", json::array()},
                 {"my_questions", json::array()}};
    if (participant) {
        body["my_upvotes"] = my_upvotes(event, *participant);
        body["my_questions"] = my_questions(event, *participant);
    }
    return body;
}

void QuestionService::ask(std::shared_ptr<Event> event, std::int64_t participant, const json& body,
                          Done done) {
    {
        std::shared_lock lock(event->mutex);
        if (!event->qa_enabled)
            throw ApiError(403, "qa_disabled", "Questions are turned off for this event.");
    }
    std::string text = require_text(body, "text", QuestionLimits::kMaxText);
    std::string name;
    if (auto it = body.find("name");
        it != body.end() && !it->is_null() &&
        !(it->is_string() && it->get_ref<const std::string&>().empty()))
        name = require_text(body, "name", QuestionLimits::kMaxName);
    if (int retry_after = limiter_.acquire(participant))
        throw ApiError(429, "rate_limited",
                       "Too many questions; try again in " + std::to_string(retry_after) + " s.")
            .with_retry_after(retry_after);
    auto id = std::make_shared<std::int64_t>(0);
    ctx_.writer.submit(
        {[event, participant, text, name, id](Repository& repo) {
             // As for votes: read without the lock (only this thread changes events), write
             // the row, and hold the exclusive lock just for the change in memory.
             if (!event->qa_enabled)
                 throw ApiError(403, "qa_disabled", "Questions are turned off for this event.");
             auto question = std::make_unique<Question>();
             question->event_id = event->id;
             question->participant_id = participant;
             question->name = name;
             question->text = text;
             question->state =
                 event->qa_moderated ? QuestionState::pending : QuestionState::visible;
             question->created_at = now_ms();
             repo.insert_question(*question);
             *id = question->id;
             auto lock = event->write_lock();
             event->questions.push_back(std::move(question));
         },
         [this, event, id,
          reply = reply_question(event, id, std::move(done), ctx_.live, Audience::attendee)](
             const Writer::Outcome& outcome) {
             if (!outcome) ctx_.registry.index_question(*id, event);
             reply(outcome);
         }});
}

void QuestionService::upvote(std::shared_ptr<Event> event, std::int64_t question_id,
                             std::int64_t participant, bool on, Done done) {
    auto id = std::make_shared<std::int64_t>(question_id);
    ctx_.writer.submit(
        {[event, question_id, participant, on](Repository& repo) {
             Question& question = require_question(*event, question_id);
             if (!attendee_may_see(question, participant, event->blocked.matches(question.text)))
                 throw not_found("Question " + std::to_string(question_id));
             if (question.state != QuestionState::visible)
                 throw ApiError(409, "question_closed", "This question cannot be upvoted now.");
             if (question.upvoters.contains(participant) == on) return;  // idempotent
             repo.set_upvote(question_id, participant, on);
             auto lock = event->write_lock();
             if (on)
                 question.upvoters.insert(participant);
             else
                 question.upvoters.erase(participant);
         },
         reply_question(event, id, std::move(done), ctx_.live, Audience::attendee)});
}

void QuestionService::moderate(std::shared_ptr<Event> event, std::int64_t question_id, json patch,
                               Done done) {
    if (!patch.is_object()) throw invalid_field("body", "must be an object");
    for (const auto& [key, value] : patch.items())
        if (key != "state" && key != "answered" && key != "pinned" && key != "answer" &&
            key != "merge_into")
            throw invalid_field(key, "is not a field a moderator can change");
    std::optional<QuestionState> state;
    if (auto it = patch.find("state"); it != patch.end()) {
        state = it->is_string() ? parse_question_state(it->get<std::string>()) : std::nullopt;
        if (!state || *state == QuestionState::merged || *state == QuestionState::pending)
            throw invalid_field("state", "must be visible, dismissed, hidden or archived");
    }
    auto flag = [&](const char* key) -> std::optional<bool> {
        auto it = patch.find(key);
        if (it == patch.end()) return std::nullopt;
        if (!it->is_boolean()) throw invalid_field(key, "must be true or false");
        return it->get<bool>();
    };
    auto answered = flag("answered");
    auto pinned = flag("pinned");
    std::optional<std::optional<std::string>> answer;
    if (auto it = patch.find("answer"); it != patch.end()) {
        if (it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty()))
            answer = std::optional<std::string>();
        else
            answer = require_text(patch, "answer", QuestionLimits::kMaxAnswer);
    }
    std::int64_t merge_into = 0;
    if (auto it = patch.find("merge_into"); it != patch.end()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() == question_id)
            throw invalid_field("merge_into", "must be the id of another question");
        merge_into = it->get<std::int64_t>();
    }

    auto changed = std::make_shared<std::vector<std::int64_t>>();
    ctx_.writer.submit(
        {[event, question_id, state, answered, pinned, answer, merge_into,
          changed](Repository& repo) {
             auto lock = event->write_lock();
             Question& question = require_question(*event, question_id);
             Question* target = nullptr;
             if (merge_into) {
                 target = event->find_question(merge_into);
                 if (!target || target->state == QuestionState::merged)
                     throw invalid_field("merge_into", "names no question of this event");
             }
             // Stage on copies, write them, then apply: a refused write changes nothing.
             Question staged = question;
             if (state) staged.state = *state;
             if (answered) staged.answered = *answered;
             if (answer) {
                 staged.answer = *answer;
                 if (*answer) staged.answered = true;  // a written reply answers it
             }
             if (pinned) staged.pinned = *pinned;
             if (target) {
                 staged.state = QuestionState::merged;
                 staged.merged_into = target->id;
                 staged.pinned = false;
             }
             std::vector<Question*> unpinned;
             if (staged.pinned && !question.pinned)
                 for (auto& other : event->questions)
                     if (other->pinned && other->id != question_id) unpinned.push_back(other.get());
             repo.update_question(staged);
             for (Question* other : unpinned) {
                 Question copy = *other;
                 copy.pinned = false;
                 repo.update_question(copy);
             }
             if (target) repo.move_upvotes(question_id, target->id);

             for (Question* other : unpinned) {
                 other->pinned = false;
                 changed->push_back(other->id);
             }
             if (target) {
                 // Upvoters carry over, each counted once.
                 target->upvoters.insert(question.upvoters.begin(), question.upvoters.end());
                 staged.upvoters.clear();
                 changed->push_back(target->id);
             }
             question = std::move(staged);
         },
         [this, event, question_id, changed,
          done = std::move(done)](const Writer::Outcome& outcome) {
             if (!outcome)
                 for (auto id : *changed) ctx_.live.question_changed(event, id);
             auto id = std::make_shared<std::int64_t>(question_id);
             reply_question(event, id, done, ctx_.live, Audience::moderator)(outcome);
         }});
}

}  // namespace voxpop
