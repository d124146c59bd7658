#include "domain/tally.hpp"

#include "domain/words.hpp"

#include <algorithm>
#include <cmath>

namespace voxpop {

std::string WordTally::resolve(const std::string& key) const {
    std::string current = key;
    // Merges never form cycles (merge() refuses them), so this ends; the bound is a guard.
    for (std::size_t hops = 0; hops <= merged_into_.size(); ++hops) {
        auto it = merged_into_.find(current);
        if (it == merged_into_.end()) break;
        current = it->second;
    }
    return current;
}

void WordTally::add(const std::vector<std::string>& words, int delta) {
    std::unordered_set<std::string> seen;
    for (const auto& word : words) {
        auto key = normalize_word(word);
        if (!key || key->empty()) continue;
        std::string target = resolve(*key);
        if (!seen.insert(target).second) continue;
        Entry& entry = entries_[target];
        entry.count += delta;
        std::int64_t& spelling = entry.spellings[word];
        spelling += delta;
        if (spelling <= 0) entry.spellings.erase(word);
        if (entry.count <= 0) entries_.erase(target);
    }
}

bool WordTally::merge(const std::string& from, const std::string& into) {
    std::string target = resolve(into);
    if (from == into || target == from) return false;
    merged_into_[from] = target;
    return true;
}

void WordTally::set_hidden(const std::string& key, bool hidden) {
    if (hidden)
        hidden_.insert(key);
    else
        hidden_.erase(key);
}

std::vector<WordCount> WordTally::top(std::size_t limit, bool include_hidden,
                                      const BlockList* blocked) const {
    std::vector<WordCount> all;
    all.reserve(entries_.size());
    for (const auto& [key, entry] : entries_) {
        bool hidden = hidden_.contains(key) || (blocked && blocked->matches_normalized(key));
        if (hidden && !include_hidden) continue;
        const std::string* display = &key;
        std::int64_t best = -1;
        for (const auto& [spelling, count] : entry.spellings) {
            if (count > best || (count == best && spelling < *display)) {
                best = count;
                display = &spelling;
            }
        }
        all.push_back({key, *display, entry.count, hidden});
    }
    auto order = [](const WordCount& a, const WordCount& b) {
        return a.count != b.count ? a.count > b.count : a.key < b.key;
    };
    if (all.size() > limit) {
        std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(limit), all.end(),
                          order);
        all.resize(limit);
    } else {
        std::sort(all.begin(), all.end(), order);
    }
    return all;
}

Tally::Tally(PollType type, const std::vector<PollOption>& options, int scale) : type_(type) {
    for (const auto& option : options) option_votes_[option.id] = 0;
    if (type == PollType::rating) rating_counts_.assign(static_cast<std::size_t>(scale), 0);
}

void Tally::clear_counts() {
    respondents_ = 0;
    for (auto& [id, votes] : option_votes_) votes = 0;
    std::fill(rating_counts_.begin(), rating_counts_.end(), 0);
    words_.clear_counts();
}

void Tally::apply(const Answer& answer, int delta) {
    respondents_ += delta;
    switch (type_) {
        case PollType::single:
        case PollType::multiple:
            for (auto id : answer.options) option_votes_[id] += delta;
            break;
        case PollType::rating:
            if (answer.rating >= 1 &&
                static_cast<std::size_t>(answer.rating) <= rating_counts_.size())
                rating_counts_[static_cast<std::size_t>(answer.rating - 1)] += delta;
            break;
        case PollType::wordcloud:
            words_.add(answer.words, delta);
            break;
    }
}

std::int64_t Tally::votes(std::int64_t option_id) const {
    auto it = option_votes_.find(option_id);
    return it == option_votes_.end() ? 0 : it->second;
}

double Tally::percent(std::int64_t votes, std::int64_t respondents) {
    if (respondents <= 0) return 0.0;
    return std::round(1000.0 * static_cast<double>(votes) / static_cast<double>(respondents)) /
           10.0;
}

RatingStats Tally::rating_stats() const {
    std::int64_t total = 0;
    double sum = 0;
    for (std::size_t i = 0; i < rating_counts_.size(); ++i) {
        total += rating_counts_[i];
        sum += static_cast<double>(rating_counts_[i]) * static_cast<double>(i + 1);
    }
    if (total == 0) return {};
    // The value at a 0-based rank of the sorted responses.
    auto value_at = [&](std::int64_t rank) {
        std::int64_t seen = 0;
        for (std::size_t i = 0; i < rating_counts_.size(); ++i) {
            seen += rating_counts_[i];
            if (rank < seen) return static_cast<double>(i + 1);
        }
        return static_cast<double>(rating_counts_.size());
    };
    double median = total % 2 == 1 ? value_at(total / 2)
                                   : (value_at(total / 2 - 1) + value_at(total / 2)) / 2.0;
    return {std::round(100.0 * sum / static_cast<double>(total)) / 100.0, median};
}

}  // namespace voxpop
