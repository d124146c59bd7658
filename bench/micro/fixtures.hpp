#pragma once

#include "domain/event.hpp"

#include <memory>
#include <string>
#include <vector>

namespace voxpop::bench {

// A poll of `type` in memory with `respondents` answers already counted (choice polls
// spread over `options` options; word clouds draw 3 words each from `distinct` words).
std::unique_ptr<Poll> make_poll(PollType type, int options, int respondents, int distinct = 2000);

// The `results` message an attendee gets for `poll` (top 100 words), serialised.
std::string results_message(const Poll& poll);

// An event holding `polls` such polls, for exports.
std::unique_ptr<Event> make_event(int polls, PollType type, int respondents);

// Realistic word-cloud entries: mixed case, accents, full-width forms, extra spaces.
const std::vector<std::string>& sample_words();

}  // namespace voxpop::bench
