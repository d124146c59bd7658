#pragma once

#include "stats.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace loadgen {

// The client-side part of the JSON result: connections, load, acks, messages, pings.
nlohmann::json client_report(ShardStats& stats, double load_seconds);
nlohmann::json vote_to_screen_report(VoteToScreen& figures, const std::string& method);

// A few lines a person reads at the end of a run.
std::string human_summary(const nlohmann::json& result);

// Throws std::runtime_error when the file cannot be written.
void write_json(const std::string& path, const nlohmann::json& result);

}  // namespace loadgen
