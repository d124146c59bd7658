#pragma once

#include "domain/model.hpp"
#include "domain/question.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace voxpop {

struct WordCount {
    std::string key;      // normalised form
    std::string display;  // most frequent original spelling
    std::int64_t count = 0;
    bool hidden = false;
};

// Word-cloud counts with the moderator's curation (hidden keys, merges). Each participant
// counts at most once per key, however many spellings of it they entered.
class WordTally {
  public:
    void add(const std::vector<std::string>& words, int delta);
    // Entries of `from` count under `into` from now on. The caller recounts the responses
    // (Tally::clear_counts, then add each) so a participant who wrote both still counts once.
    // Returns false when that would make a cycle or from == into.
    bool merge(const std::string& from, const std::string& into);
    void set_hidden(const std::string& key, bool hidden);
    bool is_hidden(const std::string& key) const { return hidden_.contains(key); }

    // Sorted by count (descending), then key; at most `limit` entries; hidden ones only
    // when `include_hidden`.
    // Entries matching `blocked` count as hidden.
    std::vector<WordCount> top(std::size_t limit, bool include_hidden,
                               const BlockList* blocked = nullptr) const;
    std::size_t distinct() const { return entries_.size(); }
    std::string resolve(const std::string& key) const;
    void clear_counts() { entries_.clear(); }

  private:
    struct Entry {
        std::int64_t count = 0;
        std::unordered_map<std::string, std::int64_t> spellings;
    };
    std::unordered_map<std::string, Entry> entries_;
    std::unordered_map<std::string, std::string> merged_into_;
    std::unordered_set<std::string> hidden_;
};

struct RatingStats {
    std::optional<double> mean;
    std::optional<double> median;
};

// Exact results of one poll, updated response by response (add the new answer, remove the
// one it replaces). Never touches the database.
class Tally {
  public:
    Tally() = default;
    Tally(PollType type, const std::vector<PollOption>& options, int scale);

    void add(const Answer& answer) { apply(answer, +1); }
    void remove(const Answer& answer) { apply(answer, -1); }
    // Zero every count but keep the word curation, for a recount from the responses.
    void clear_counts();

    std::int64_t respondents() const { return respondents_; }
    std::int64_t votes(std::int64_t option_id) const;
    const std::vector<std::int64_t>& rating_counts() const { return rating_counts_; }
    RatingStats rating_stats() const;
    WordTally& words() { return words_; }
    const WordTally& words() const { return words_; }

    // 100 * votes / respondents with one decimal, 0 without respondents.
    static double percent(std::int64_t votes, std::int64_t respondents);

  private:
    void apply(const Answer& answer, int delta);

    PollType type_ = PollType::single;
    std::int64_t respondents_ = 0;
    std::unordered_map<std::int64_t, std::int64_t> option_votes_;
    std::vector<std::int64_t> rating_counts_;
    WordTally words_;
};

}  // namespace voxpop
