#include "app/export.hpp"

#include "domain/serialize.hpp"

#include <cstdio>
#include <limits>
#include <map>
#include <mutex>

namespace voxpop {
namespace {

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

struct CsvWriter {
    std::string out;
    void row(std::initializer_list<std::string_view> fields) {
        bool first = true;
        for (auto field : fields) {
            if (!first) out.push_back(',');
            first = false;
            out += csv_field(field);
        }
        out += "\r\n";
    }
};

void poll_rows(CsvWriter& csv, const Poll& poll, const BlockList* blocked) {
    const auto respondents = poll.tally.respondents();
    const std::string position = std::to_string(poll.position + 1);
    const std::string id = std::to_string(poll.id);
    const std::string respondents_text = std::to_string(respondents);
    auto row = [&](std::string_view answer, std::int64_t votes, bool hidden) {
        csv.row({position, id, poll.question, to_string(poll.type), to_string(poll.state),
                 respondents_text, answer, std::to_string(votes),
                 number(Tally::percent(votes, respondents)), hidden ? "true" : "false"});
    };
    switch (poll.type) {
        case PollType::single:
        case PollType::multiple:
            for (const auto& option : poll.options)
                row(option.text, poll.tally.votes(option.id), false);
            break;
        case PollType::wordcloud:
            for (const auto& word :
                 poll.tally.words().top(std::numeric_limits<std::size_t>::max(), true, blocked))
                row(word.display, word.count, word.hidden);
            break;
        case PollType::rating: {
            const auto& counts = poll.tally.rating_counts();
            for (std::size_t i = 0; i < counts.size(); ++i)
                row(std::to_string(i + 1), counts[i], false);
            break;
        }
    }
}

}  // namespace

std::string csv_field(std::string_view value) {
    std::string out = "\"";
    if (!value.empty()) {
        char first = value.front();
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
            first == '\r' || first == '\n' || first == '\0')
            out.push_back('\'');
    }
    for (char c : value) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string results_csv(const Event& event, std::optional<std::int64_t> only_poll) {
    CsvWriter csv;
    csv.row({"poll_position", "poll_id", "question", "type", "state", "respondents", "answer",
             "votes", "percent", "hidden"});
    std::shared_lock lock(event.mutex);
    for (const auto& poll : event.polls)
        if (!only_poll || poll->id == *only_poll) poll_rows(csv, *poll, &event.blocked);
    return std::move(csv.out);
}

std::string questions_csv(const Event& event) {
    CsvWriter csv;
    csv.row(
        {"id", "state", "answered", "pinned", "upvotes", "name", "text", "answer", "created_at"});
    std::shared_lock lock(event.mutex);
    for (const auto& question : event.questions)
        csv.row({std::to_string(question->id), to_string(question->state),
                 question->answered ? "true" : "false", question->pinned ? "true" : "false",
                 std::to_string(question->upvotes()), question->name, question->text,
                 question->answer.value_or(""), std::to_string(question->created_at)});
    return std::move(csv.out);
}

nlohmann::json export_json(const Event& event) {
    std::shared_lock lock(event.mutex);
    std::map<std::int64_t, std::int64_t> anonymous;  // participant id -> export number
    for (const auto& poll : event.polls)
        for (const auto& [participant, answer] : poll->responses) anonymous.emplace(participant, 0);
    std::int64_t next = 1;
    for (auto& [participant, number] : anonymous) number = next++;

    nlohmann::json polls = nlohmann::json::array();
    for (const auto& poll : event.polls) {
        nlohmann::json entry = poll_json(*poll, event.code);
        entry["tally"] = results_json(*poll, Audience::moderator,
                                      std::numeric_limits<std::size_t>::max(), &event.blocked);
        std::map<std::int64_t, const Answer*> ordered;
        for (const auto& [participant, answer] : poll->responses)
            ordered[anonymous[participant]] = &answer;
        nlohmann::json responses = nlohmann::json::array();
        for (const auto& [number, answer] : ordered) {
            nlohmann::json response = answer_json(*answer, poll->type);
            response["participant"] = number;
            responses.push_back(std::move(response));
        }
        entry["responses"] = std::move(responses);
        polls.push_back(std::move(entry));
    }
    nlohmann::json questions = nlohmann::json::array();
    for (const auto& question : event.questions)
        questions.push_back(question_json(*question, event.code, Audience::moderator,
                                          event.blocked.matches(question->text)));
    return {{"voxpop_export", 1},
            {"event",
             {{"code", event.code},
              {"title", event.title},
              {"created_at", event.created_at},
              {"participants_joined", event.participants_by_hash.size()},
              {"peak_online", event.peak_online}}},
            {"polls", std::move(polls)},
            {"questions", std::move(questions)}};
}

}  // namespace voxpop
