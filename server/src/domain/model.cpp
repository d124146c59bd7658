#include "domain/model.hpp"

#include <array>
#include <utility>

namespace voxpop {
namespace {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<PollType, 4> kTypes{{{PollType::single, "single"},
                                         {PollType::multiple, "multiple"},
                                         {PollType::wordcloud, "wordcloud"},
                                         {PollType::rating, "rating"}}};
constexpr NameTable<PollState, 3> kStates{
    {{PollState::draft, "draft"}, {PollState::open, "open"}, {PollState::closed, "closed"}}};
constexpr NameTable<Visibility, 4> kVisibilities{{{Visibility::live, "live"},
                                                  {Visibility::after_vote, "after_vote"},
                                                  {Visibility::after_close, "after_close"},
                                                  {Visibility::hidden, "hidden"}}};

template <typename Enum, std::size_t N>
std::string_view name_of(const NameTable<Enum, N>& table, Enum value) {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return "?";
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse(const NameTable<Enum, N>& table, std::string_view text) {
    for (const auto& [v, name] : table)
        if (name == text) return v;
    return std::nullopt;
}

}  // namespace

std::string_view to_string(PollType type) {
    return name_of(kTypes, type);
}
std::string_view to_string(PollState state) {
    return name_of(kStates, state);
}
std::string_view to_string(Visibility visibility) {
    return name_of(kVisibilities, visibility);
}
std::optional<PollType> parse_poll_type(std::string_view text) {
    return parse(kTypes, text);
}
std::optional<PollState> parse_poll_state(std::string_view text) {
    return parse(kStates, text);
}
std::optional<Visibility> parse_visibility(std::string_view text) {
    return parse(kVisibilities, text);
}

}  // namespace voxpop
