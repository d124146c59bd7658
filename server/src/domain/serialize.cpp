#include "domain/serialize.hpp"

namespace voxpop {

using nlohmann::json;

json poll_json(const Poll& poll, const std::string& event_code) {
    json options = json::array();
    for (const auto& option : poll.options)
        options.push_back({{"id", option.id}, {"text", option.text}});
    return {{"id", poll.id},
            {"event_code", event_code},
            {"position", poll.position},
            {"type", to_string(poll.type)},
            {"question", poll.question},
            {"options", std::move(options)},
            {"max_choices", poll.max_choices},
            {"max_words", poll.max_words},
            {"scale", poll.scale},
            {"state", to_string(poll.state)},
            {"results", to_string(poll.results)},
            {"allow_change", poll.allow_change}};
}

json question_json(const Question& question, const std::string& event_code, Audience audience,
                   bool blocked) {
    json body = {
        {"id", question.id},
        {"event_code", event_code},
        {"text", question.text},
        {"name", question.name.empty() ? json(nullptr) : json(question.name)},
        {"state", to_string(question.state)},
        {"answered", question.answered},
        {"pinned", question.pinned},
        {"answer", question.answer ? json(*question.answer) : json(nullptr)},
        {"upvotes", question.upvotes()},
        {"created_at", question.created_at},
        {"merged_into", question.merged_into ? json(question.merged_into) : json(nullptr)}};
    if (audience == Audience::moderator) body["blocked"] = blocked;
    return body;
}

std::shared_ptr<const std::string> results_body(const Event& event, const Poll& poll,
                                                Audience audience, std::size_t words_top_n) {
    // Only word clouds differ by audience (hidden words): the rest shares one body.
    const bool per_audience = poll.type == PollType::wordcloud;
    const std::size_t slot = per_audience && audience == Audience::moderator ? 1 : 0;
    return poll.results_cache->get(event.revision, slot, [&] {
        return results_json(poll, per_audience ? audience : Audience::attendee, words_top_n,
                            &event.blocked)
            .dump(-1, ' ', false, json::error_handler_t::replace);
    });
}

json results_json(const Poll& poll, Audience audience, std::size_t words_top_n,
                  const BlockList* blocked) {
    const auto& tally = poll.tally;
    json body = {{"poll_id", poll.id},
                 {"question", poll.question},
                 {"type", to_string(poll.type)},
                 {"state", to_string(poll.state)},
                 {"respondents", tally.respondents()}};
    switch (poll.type) {
        case PollType::single:
        case PollType::multiple: {
            json options = json::array();
            for (const auto& option : poll.options) {
                auto votes = tally.votes(option.id);
                options.push_back({{"id", option.id},
                                   {"text", option.text},
                                   {"votes", votes},
                                   {"percent", Tally::percent(votes, tally.respondents())}});
            }
            body["options"] = std::move(options);
            break;
        }
        case PollType::wordcloud: {
            // Attendees get text and count only: the key and the hidden flag serve the
            // moderator's hide and merge, and leaving them out halves the largest message
            // pushed to every phone (100 words: 5.7 KB -> 3 KB).
            const bool moderator = audience == Audience::moderator;
            json words = json::array();
            for (const auto& word : tally.words().top(words_top_n, moderator, blocked)) {
                json entry = {{"text", word.display}, {"count", word.count}};
                if (moderator) {
                    entry["key"] = word.key;
                    entry["hidden"] = word.hidden;
                }
                words.push_back(std::move(entry));
            }
            body["words"] = std::move(words);
            body["distinct_words"] = tally.words().distinct();
            break;
        }
        case PollType::rating: {
            auto stats = tally.rating_stats();
            body["rating"] = {{"scale", poll.scale},
                              {"counts", tally.rating_counts()},
                              {"mean", stats.mean ? json(*stats.mean) : json(nullptr)},
                              {"median", stats.median ? json(*stats.median) : json(nullptr)}};
            break;
        }
    }
    return body;
}

json answer_json(const Answer& answer, PollType type) {
    switch (type) {
        case PollType::single:
        case PollType::multiple:
            return {{"options", answer.options}};
        case PollType::wordcloud:
            return {{"words", answer.words}};
        case PollType::rating:
            return {{"rating", answer.rating}};
    }
    return json::object();
}

}  // namespace voxpop
