#pragma once

#include "domain/model.hpp"
#include "domain/question.hpp"
#include "domain/tally.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace voxpop {

// Serialised results bodies of one poll, one per audience, each tagged with the event
// revision it was made at. GET /api/polls/{id}/results is the hottest read route; with
// this, a thousand reads between two votes serialise once.
class ResultsBodyCache {
  public:
    // The body for `slot` (0: attendees, 1: moderators) at `revision`; `render()` makes it
    // when the cached one is missing or older. Call under the event's shared lock.
    template <typename Render>
    std::shared_ptr<const std::string> get(std::uint64_t revision, std::size_t slot,
                                           Render&& render) {
        std::lock_guard lock(mutex_);
        auto& entry = entries_[slot];
        if (!entry.body || entry.revision != revision) {
            entry.body = std::make_shared<const std::string>(render());
            entry.revision = revision;
        }
        return entry.body;
    }

  private:
    struct Entry {
        std::uint64_t revision = 0;
        std::shared_ptr<const std::string> body;
    };
    std::mutex mutex_;
    Entry entries_[2];
};

struct Poll {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
    int position = 0;
    PollType type = PollType::single;
    std::string question;
    std::vector<PollOption> options;
    int max_choices = 1;
    int max_words = 3;
    int scale = 5;
    PollState state = PollState::draft;
    Visibility results = Visibility::live;
    bool allow_change = true;
    std::int64_t created_at = 0;

    Tally tally;
    std::unordered_map<std::int64_t, Answer> responses;  // participant id -> current answer
    std::shared_ptr<ResultsBodyCache> results_cache = std::make_shared<ResultsBodyCache>();

    PollSpec spec() const;
    // Zero the tally and count every stored response again (after a word merge, a load).
    void recount();
    bool has_option(std::int64_t option_id) const;
};

// Whether an attendee (not a moderator) may see the results of `poll` right now.
bool attendee_may_see_results(const Poll& poll, bool has_responded);

// An event and everything in it, held in memory. The writer thread is the only one that
// changes it (under `mutex`, exclusively); readers take the mutex shared.
struct Event {
    std::int64_t id = 0;
    std::string code;
    std::string title;
    std::string moderator_hash;
    std::int64_t created_at = 0;
    std::int64_t peak_online = 0;
    std::int64_t presented_poll_id = 0;  // 0: none chosen
    bool qa_enabled = true;
    bool qa_moderated = false;
    BlockList blocked;

    std::vector<std::unique_ptr<Poll>> polls;  // in position order
    std::unordered_map<std::string, std::int64_t> participants_by_hash;
    std::vector<std::unique_ptr<Question>> questions;  // in creation order

    // Readers take it shared. Writers (the writer thread only) go through write_lock();
    // being the only thread that changes events, the writer may read them without it.
    mutable std::shared_mutex mutex;
    // Bumped by every write_lock(): what was derived from the event under a shared lock
    // (cached results bodies) is current while the revision is unchanged.
    std::uint64_t revision = 0;

    // The exclusive lock, for any change to the event or anything in it.
    std::unique_lock<std::shared_mutex> write_lock() {
        std::unique_lock lock(mutex);
        ++revision;
        return lock;
    }

    Poll* find_poll(std::int64_t poll_id);
    const Poll* find_poll(std::int64_t poll_id) const;
    Question* find_question(std::int64_t question_id);
    const Question* find_question(std::int64_t question_id) const;
    // Renumber positions 0..n-1 after an insert, move or delete.
    void renumber();
};

}  // namespace voxpop
