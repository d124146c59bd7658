#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace voxpop {

// The counting key of a word-cloud entry: Unicode NFKC, case-folded, trimmed, inner white
// space collapsed to one space. Returns nullopt for invalid UTF-8 or control characters.
std::optional<std::string> normalize_word(std::string_view text);

// The display form: trimmed and inner white space collapsed, case kept. nullopt as above.
std::optional<std::string> tidy_text(std::string_view text);

// Number of Unicode code points, or nullopt when `text` is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

}  // namespace voxpop
