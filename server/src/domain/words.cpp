#include "domain/words.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace voxpop {
namespace {

bool is_space(utf8proc_int32_t cp) {
    if (cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r' || cp == ' ')
        return true;
    auto category = utf8proc_category(cp);
    return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
           category == UTF8PROC_CATEGORY_ZP;
}

bool is_control(utf8proc_int32_t cp) {
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_CC;
}

// Trims and collapses white space of valid UTF-8; nullopt on invalid input or controls.
std::optional<std::string> collapse_spaces(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    utf8proc_ssize_t remaining = static_cast<utf8proc_ssize_t>(text.size());
    while (remaining > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, remaining, &cp);
        if (n <= 0) return std::nullopt;
        if (is_space(cp)) {
            pending_space = !out.empty();
        } else {
            if (is_control(cp)) return std::nullopt;
            if (pending_space) out.push_back(' ');
            pending_space = false;
            out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        }
        p += n;
        remaining -= n;
    }
    return out;
}

}  // namespace

std::optional<std::string> tidy_text(std::string_view text) {
    return collapse_spaces(text);
}

std::optional<std::string> normalize_word(std::string_view text) {
    auto tidy = collapse_spaces(text);
    if (!tidy) return std::nullopt;
    utf8proc_uint8_t* mapped = nullptr;
    auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                                  UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(tidy->data()),
                     static_cast<utf8proc_ssize_t>(tidy->size()), &mapped, options);
    if (n < 0) return std::nullopt;
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped, &std::free);
    // Compatibility mapping can produce new spaces (e.g. from ideographic space): tidy again.
    return collapse_spaces(
        std::string_view(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n)));
}

std::optional<std::size_t> utf8_length(std::string_view text) {
    std::size_t count = 0;
    auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    utf8proc_ssize_t remaining = static_cast<utf8proc_ssize_t>(text.size());
    while (remaining > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, remaining, &cp);
        if (n <= 0) return std::nullopt;
        p += n;
        remaining -= n;
        ++count;
    }
    return count;
}

}  // namespace voxpop
