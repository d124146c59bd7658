#pragma once

#include "domain/event.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace voxpop {

// One RFC 4180 field, always quoted. A value a spreadsheet would run as a formula (leading
// = + - @, TAB, CR, LF or NUL) gets a leading apostrophe, per OWASP's CSV injection advice.
std::string csv_field(std::string_view value);

// Results of every poll of the event (or of `only_poll`) as CSV; see docs/API.md.
std::string results_csv(const Event& event, std::optional<std::int64_t> only_poll = std::nullopt);

// Every question (all states) with upvotes and answers, as CSV.
std::string questions_csv(const Event& event);

// The event, each poll with results and anonymised responses (participant ids replaced by
// numbers stable within this export).
nlohmann::json export_json(const Event& event);

}  // namespace voxpop
