#pragma once

#include "domain/event.hpp"
#include "storage/sqlite.hpp"

#include <memory>
#include <string>
#include <vector>

namespace voxpop {

// Storage format of an answer: "11,13" (option ids), "4" (rating), JSON array (words).
std::string encode_answer(const Answer& answer, PollType type);
Answer decode_answer(const std::string& text, PollType type);

// All SQL of voxpop, with statements prepared once and reused for every row. Owned by the
// writer thread (writes) or by a loader at start; never shared between threads.
class Repository {
  public:
    explicit Repository(sqlite::Database& db);

    sqlite::Database& db() { return db_; }

    bool event_code_exists(const std::string& code);
    std::int64_t insert_event(const Event& event);
    void update_peak_online(std::int64_t event_id, std::int64_t peak);
    void update_presented_poll(std::int64_t event_id, std::int64_t poll_id);  // 0: none
    void update_qa_settings(const Event& event);  // qa_enabled, qa_moderated, blocked words
    void update_moderator_hash(std::int64_t event_id, const std::string& hash);
    // Everything of the event goes with it (ON DELETE CASCADE).
    void delete_event(std::int64_t event_id);
    // Events where nothing happened (created, poll added, joined, answered, asked) since
    // `cutoff_ms` (Unix milliseconds).
    std::vector<std::int64_t> events_inactive_since(std::int64_t cutoff_ms);

    // Fills in question.id.
    void insert_question(Question& question);
    // Writes state, answered, pinned, answer and merged_into.
    void update_question(const Question& question);
    void set_upvote(std::int64_t question_id, std::int64_t participant_id, bool on);
    // Moves the upvotes of `from` to `into`; a participant who upvoted both keeps one.
    void move_upvotes(std::int64_t from, std::int64_t into);
    std::int64_t insert_participant(std::int64_t event_id, const std::string& token_hash,
                                    std::int64_t created_at);

    // Inserts the poll and its options; fills in poll.id and the option ids.
    void insert_poll(Poll& poll);
    // Writes every column of the poll (state, visibility, position, texts).
    void update_poll(const Poll& poll);
    // Replaces the option rows of a draft poll; fills in the new option ids.
    void replace_options(Poll& poll);
    void delete_poll(std::int64_t poll_id);
    void upsert_response(std::int64_t poll_id, std::int64_t participant_id, const Answer& answer,
                         PollType type, std::int64_t updated_at);
    void set_word_hidden(std::int64_t poll_id, const std::string& key, bool hidden);
    void set_word_merge(std::int64_t poll_id, const std::string& from, const std::string& into);

    // The /healthz write probe.
    void touch_health_probe(std::int64_t now);

    // Every event with polls, participants, responses and word curation, tallies counted.
    std::vector<std::unique_ptr<Event>> load_all();
    // The same for one event, into `event` (its id set); used to undo a failed commit.
    void reload(Event& event);

  private:
    void load_polls(Event& event);
    void load_questions(Event& event);

    sqlite::Database& db_;
    sqlite::Statement code_exists_;
    sqlite::Statement insert_event_;
    sqlite::Statement update_peak_;
    sqlite::Statement update_presented_;
    sqlite::Statement update_qa_;
    sqlite::Statement insert_question_;
    sqlite::Statement update_question_;
    sqlite::Statement add_upvote_;
    sqlite::Statement remove_upvote_;
    sqlite::Statement copy_upvotes_;
    sqlite::Statement drop_upvotes_;
    sqlite::Statement insert_participant_;
    sqlite::Statement insert_poll_;
    sqlite::Statement insert_option_;
    sqlite::Statement delete_options_;
    sqlite::Statement update_poll_;
    sqlite::Statement delete_poll_;
    sqlite::Statement upsert_response_;
    sqlite::Statement set_hidden_;
    sqlite::Statement set_merge_;
    sqlite::Statement health_probe_;
};

}  // namespace voxpop
