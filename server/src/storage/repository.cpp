#include "storage/repository.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <unordered_map>

namespace voxpop {

std::string encode_answer(const Answer& answer, PollType type) {
    switch (type) {
        case PollType::single:
        case PollType::multiple: {
            std::string text;
            for (auto id : answer.options) {
                if (!text.empty()) text.push_back(',');
                text += std::to_string(id);
            }
            return text;
        }
        case PollType::rating:
            return std::to_string(answer.rating);
        case PollType::wordcloud:
            return nlohmann::json(answer.words).dump();
    }
    return {};
}

Answer decode_answer(const std::string& text, PollType type) {
    Answer answer;
    switch (type) {
        case PollType::single:
        case PollType::multiple: {
            const char* p = text.data();
            const char* end = p + text.size();
            while (p < end) {
                std::int64_t id = 0;
                auto [next, ec] = std::from_chars(p, end, id);
                if (ec != std::errc{}) break;
                answer.options.push_back(id);
                p = next < end ? next + 1 : next;
            }
            break;
        }
        case PollType::rating:
            std::from_chars(text.data(), text.data() + text.size(), answer.rating);
            break;
        case PollType::wordcloud: {
            auto words = nlohmann::json::parse(text, nullptr, false);
            if (words.is_array())
                for (const auto& word : words)
                    if (word.is_string()) answer.words.push_back(word.get<std::string>());
            break;
        }
    }
    return answer;
}

Repository::Repository(sqlite::Database& db)
    : db_(db),
      code_exists_(db.prepare("SELECT 1 FROM events WHERE code = ?1")),
      insert_event_(db.prepare(
          "INSERT INTO events (code, title, moderator_hash, created_at) VALUES (?1, ?2, ?3, ?4)")),
      update_peak_(db.prepare("UPDATE events SET peak_online = ?2 WHERE id = ?1")),
      update_presented_(db.prepare("UPDATE events SET presented_poll_id = ?2 WHERE id = ?1")),
      update_qa_(db.prepare("UPDATE events SET qa_enabled = ?2, qa_moderated = ?3, "
                            "blocked_words = ?4 WHERE id = ?1")),
      insert_question_(db.prepare(
          "INSERT INTO questions (event_id, participant_id, name, text, state, created_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")),
      update_question_(db.prepare("UPDATE questions SET state = ?2, answered = ?3, pinned = ?4, "
                                  "answer = ?5, merged_into = ?6 WHERE id = ?1")),
      add_upvote_(db.prepare("INSERT OR IGNORE INTO question_upvotes (question_id, participant_id) "
                             "VALUES (?1, ?2)")),
      remove_upvote_(db.prepare(
          "DELETE FROM question_upvotes WHERE question_id = ?1 AND participant_id = ?2")),
      copy_upvotes_(
          db.prepare("INSERT OR IGNORE INTO question_upvotes (question_id, participant_id) "
                     "SELECT ?2, participant_id FROM question_upvotes WHERE question_id = ?1")),
      drop_upvotes_(db.prepare("DELETE FROM question_upvotes WHERE question_id = ?1")),
      insert_participant_(db.prepare(
          "INSERT INTO participants (event_id, token_hash, created_at) VALUES (?1, ?2, ?3)")),
      insert_poll_(db.prepare(
          "INSERT INTO polls (event_id, position, type, question, max_choices, max_words, scale, "
          "state, results, allow_change, created_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")),
      insert_option_(
          db.prepare("INSERT INTO poll_options (poll_id, position, text) VALUES (?1, ?2, ?3)")),
      delete_options_(db.prepare("DELETE FROM poll_options WHERE poll_id = ?1")),
      update_poll_(db.prepare(
          "UPDATE polls SET position = ?2, question = ?3, max_choices = ?4, max_words = ?5, "
          "scale = ?6, state = ?7, results = ?8, allow_change = ?9 WHERE id = ?1")),
      delete_poll_(db.prepare("DELETE FROM polls WHERE id = ?1")),
      upsert_response_(
          db.prepare("INSERT INTO responses (poll_id, participant_id, answer, updated_at) "
                     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (poll_id, participant_id) DO UPDATE SET "
                     "answer = excluded.answer, updated_at = excluded.updated_at")),
      set_hidden_(
          db.prepare("INSERT INTO word_overrides (poll_id, key, hidden) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT (poll_id, key) DO UPDATE SET hidden = excluded.hidden")),
      set_merge_(db.prepare(
          "INSERT INTO word_overrides (poll_id, key, merged_into) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (poll_id, key) DO UPDATE SET merged_into = excluded.merged_into")),
      health_probe_(db.prepare("INSERT INTO health_probe (id, checked_at) VALUES (1, ?1) "
                               "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at")) {
}

void Repository::touch_health_probe(std::int64_t now) {
    health_probe_.bind(1, now).run();
}

bool Repository::event_code_exists(const std::string& code) {
    code_exists_.bind(1, code);
    bool exists = code_exists_.step();
    code_exists_.reset();
    return exists;
}

std::int64_t Repository::insert_event(const Event& event) {
    insert_event_.bind(1, event.code)
        .bind(2, event.title)
        .bind(3, event.moderator_hash)
        .bind(4, event.created_at)
        .run();
    return db_.last_insert_rowid();
}

void Repository::update_peak_online(std::int64_t event_id, std::int64_t peak) {
    update_peak_.bind(1, event_id).bind(2, peak).run();
}

void Repository::update_qa_settings(const Event& event) {
    update_qa_.bind(1, event.id)
        .bind(2, event.qa_enabled ? 1 : 0)
        .bind(3, event.qa_moderated ? 1 : 0)
        .bind(4, nlohmann::json(event.blocked.words()).dump())
        .run();
}

void Repository::update_moderator_hash(std::int64_t event_id, const std::string& hash) {
    auto statement = db_.prepare("UPDATE events SET moderator_hash = ?2 WHERE id = ?1");
    statement.bind(1, event_id).bind(2, hash).run();
}

void Repository::delete_event(std::int64_t event_id) {
    auto statement = db_.prepare("DELETE FROM events WHERE id = ?1");
    statement.bind(1, event_id).run();
}

std::vector<std::int64_t> Repository::events_inactive_since(std::int64_t cutoff_ms) {
    auto statement = db_.prepare(R"sql(
        SELECT e.id FROM events e WHERE max(
            e.created_at,
            coalesce((SELECT max(p.created_at) FROM polls p WHERE p.event_id = e.id), 0),
            coalesce((SELECT max(pa.created_at) FROM participants pa
                      WHERE pa.event_id = e.id), 0),
            coalesce((SELECT max(r.updated_at) FROM responses r JOIN polls p ON p.id = r.poll_id
                      WHERE p.event_id = e.id), 0),
            coalesce((SELECT max(q.created_at) FROM questions q WHERE q.event_id = e.id), 0)
        ) < ?1)sql");
    statement.bind(1, cutoff_ms);
    std::vector<std::int64_t> ids;
    while (statement.step()) ids.push_back(statement.column_int(0));
    return ids;
}

void Repository::insert_question(Question& question) {
    insert_question_.bind(1, question.event_id).bind(2, question.participant_id);
    if (question.name.empty())
        insert_question_.bind_null(3);
    else
        insert_question_.bind(3, question.name);
    insert_question_.bind(4, question.text)
        .bind(5, to_string(question.state))
        .bind(6, question.created_at)
        .run();
    question.id = db_.last_insert_rowid();
}

void Repository::update_question(const Question& question) {
    update_question_.bind(1, question.id)
        .bind(2, to_string(question.state))
        .bind(3, question.answered ? 1 : 0)
        .bind(4, question.pinned ? 1 : 0);
    if (question.answer)
        update_question_.bind(5, *question.answer);
    else
        update_question_.bind_null(5);
    if (question.merged_into)
        update_question_.bind(6, question.merged_into);
    else
        update_question_.bind_null(6);
    update_question_.run();
}

void Repository::set_upvote(std::int64_t question_id, std::int64_t participant_id, bool on) {
    auto& statement = on ? add_upvote_ : remove_upvote_;
    statement.bind(1, question_id).bind(2, participant_id).run();
}

void Repository::move_upvotes(std::int64_t from, std::int64_t into) {
    copy_upvotes_.bind(1, from).bind(2, into).run();
    drop_upvotes_.bind(1, from).run();
}

void Repository::update_presented_poll(std::int64_t event_id, std::int64_t poll_id) {
    update_presented_.bind(1, event_id);
    if (poll_id == 0)
        update_presented_.bind_null(2);
    else
        update_presented_.bind(2, poll_id);
    update_presented_.run();
}

std::int64_t Repository::insert_participant(std::int64_t event_id, const std::string& token_hash,
                                            std::int64_t created_at) {
    insert_participant_.bind(1, event_id).bind(2, token_hash).bind(3, created_at).run();
    return db_.last_insert_rowid();
}

void Repository::insert_poll(Poll& poll) {
    insert_poll_.bind(1, poll.event_id)
        .bind(2, poll.position)
        .bind(3, to_string(poll.type))
        .bind(4, poll.question)
        .bind(5, poll.max_choices)
        .bind(6, poll.max_words)
        .bind(7, poll.scale)
        .bind(8, to_string(poll.state))
        .bind(9, to_string(poll.results))
        .bind(10, poll.allow_change ? 1 : 0)
        .bind(11, poll.created_at)
        .run();
    poll.id = db_.last_insert_rowid();
    replace_options(poll);
}

void Repository::replace_options(Poll& poll) {
    delete_options_.bind(1, poll.id).run();
    for (std::size_t i = 0; i < poll.options.size(); ++i) {
        insert_option_.bind(1, poll.id)
            .bind(2, static_cast<std::int64_t>(i))
            .bind(3, poll.options[i].text)
            .run();
        poll.options[i].id = db_.last_insert_rowid();
    }
}

void Repository::update_poll(const Poll& poll) {
    update_poll_.bind(1, poll.id)
        .bind(2, poll.position)
        .bind(3, poll.question)
        .bind(4, poll.max_choices)
        .bind(5, poll.max_words)
        .bind(6, poll.scale)
        .bind(7, to_string(poll.state))
        .bind(8, to_string(poll.results))
        .bind(9, poll.allow_change ? 1 : 0)
        .run();
}

void Repository::delete_poll(std::int64_t poll_id) {
    delete_poll_.bind(1, poll_id).run();
}

void Repository::upsert_response(std::int64_t poll_id, std::int64_t participant_id,
                                 const Answer& answer, PollType type, std::int64_t updated_at) {
    upsert_response_.bind(1, poll_id)
        .bind(2, participant_id)
        .bind(3, encode_answer(answer, type))
        .bind(4, updated_at)
        .run();
}

void Repository::set_word_hidden(std::int64_t poll_id, const std::string& key, bool hidden) {
    set_hidden_.bind(1, poll_id).bind(2, key).bind(3, hidden ? 1 : 0).run();
}

void Repository::set_word_merge(std::int64_t poll_id, const std::string& from,
                                const std::string& into) {
    set_merge_.bind(1, poll_id).bind(2, from).bind(3, into).run();
}

}  // namespace voxpop
