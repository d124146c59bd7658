// WebSocket message handling: each line of the input is one text frame from one client,
// handled as WsSession::handle_message does (parse, hello, respond, ping, anything else),
// against the fixture event with a poll of every type. "$MOD" and "$PT" stand for the
// moderator and participant tokens.
//
// Properties (abort on violation):
// - the server's one-pass reader (read_client_message) sees what a JSON tree holds: the
//   same inputs are objects, with the same type, tokens, poll id, ref and answer members;
// - every outgoing message survives its serialisation: share() yields JSON that parses
//   back to the same value; acks echo `ref` unchanged and say ok exactly when accepted;
// - parse_answer, tried against every poll, throws only invalid_field (400) and otherwise
//   returns an answer within the poll's rules (known distinct sorted options within
//   max_choices; 1..max_words tidy words of at most 40 characters; 1..scale);
// - an accepted response is stored exactly as parsed; refusals carry a documented status;
//   draft and closed polls never change; a poll without allow_change keeps its first answer;
// - every poll's results equal a recount from its stored responses;
// - a snapshot shows attendees no draft and no results they may not see yet; a hello with
//   a wrong token changes nothing.

#include "fixture.hpp"

#include "domain/parse.hpp"
#include "domain/serialize.hpp"
#include "domain/words.hpp"
#include "realtime/client_message.hpp"
#include "realtime/protocol.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace {

using namespace voxpop;
using nlohmann::json;
using voxpop::fuzz::Fixture;

constexpr int kMaxMessages = 16;

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// An outgoing message as the client parses it, checked to be valid JSON.
json sent(const SharedMessage& wire) {
    auto back = json::parse(*wire, nullptr, false);
    FUZZ_CHECK(!back.is_discarded(), "an outgoing message is valid JSON: " + *wire);
    return back;
}

// The wire form of `message`, checked to parse back to the same value.
json sent(const json& message) {
    auto back = sent(share(message));
    FUZZ_CHECK(back == message, "an outgoing message survives serialisation: " + back.dump());
    return back;
}

void check_ack(const json& ack, const json& ref, const std::optional<ApiError>& error) {
    FUZZ_CHECK(ack["type"] == "ack", "an ack is typed ack");
    FUZZ_CHECK(ack["ref"] == ref, "an ack echoes ref unchanged: " + ack.dump());
    FUZZ_CHECK(ack["ok"] == !error, "ack.ok says whether it was accepted: " + ack.dump());
    if (error)
        FUZZ_CHECK(ack["error"]["code"].is_string() && !ack["error"]["code"].empty(),
                   "a refused ack names the error: " + ack.dump());
}

void check_answer(const Answer& answer, const Poll& poll, const json& body) {
    const std::string what = std::string(to_string(poll.type)) + " " + body.dump();
    switch (poll.type) {
        case PollType::single:
        case PollType::multiple:
            FUZZ_CHECK(!answer.options.empty(), "an answer chooses an option: " + what);
            FUZZ_CHECK(static_cast<int>(answer.options.size()) <= poll.max_choices,
                       "an answer stays within max_choices: " + what);
            FUZZ_CHECK(std::is_sorted(answer.options.begin(), answer.options.end()) &&
                           std::adjacent_find(answer.options.begin(), answer.options.end()) ==
                               answer.options.end(),
                       "chosen options are sorted and distinct: " + what);
            for (auto id : answer.options)
                FUZZ_CHECK(poll.has_option(id), "chosen options exist: " + what);
            FUZZ_CHECK(answer.words.empty() && answer.rating == 0, "one kind of answer: " + what);
            break;
        case PollType::wordcloud:
            FUZZ_CHECK(
                !answer.words.empty() && static_cast<int>(answer.words.size()) <= poll.max_words,
                "1..max_words words: " + what);
            for (const auto& word : answer.words) {
                auto tidy = tidy_text(word);
                FUZZ_CHECK(tidy && *tidy == word && !word.empty(), "words are tidy: " + what);
                FUZZ_CHECK(*utf8_length(word) <= PollLimits::kMaxWordLength,
                           "words have at most 40 characters: " + what);
            }
            FUZZ_CHECK(answer.options.empty() && answer.rating == 0, "one kind of answer: " + what);
            break;
        case PollType::rating:
            FUZZ_CHECK(answer.rating >= 1 && answer.rating <= poll.scale,
                       "a rating is within 1..scale: " + what);
            FUZZ_CHECK(answer.options.empty() && answer.words.empty(),
                       "one kind of answer: " + what);
            break;
    }
}

// The server reads a message without a JSON tree: it must see what the tree holds.
void check_read(const json& tree, const std::optional<ClientMessage>& read) {
    const bool object = !tree.is_discarded() && tree.is_object();
    FUZZ_CHECK(read.has_value() == object, "the reader takes exactly the JSON objects");
    if (!object) return;
    auto string_member = [&](const char* key) -> std::optional<std::string> {
        auto it = tree.find(key);
        if (it == tree.end() || !it->is_string()) return std::nullopt;
        return it->get<std::string>();
    };
    FUZZ_CHECK(read->type == string_member("type"), "the reader sees the type");
    FUZZ_CHECK(read->participant_token == string_member("participant_token") &&
                   read->moderator_token == string_member("moderator_token"),
               "the reader sees the tokens");
    auto poll_id = tree.find("poll_id");
    std::optional<std::int64_t> expected_poll;
    if (poll_id != tree.end() && poll_id->is_number_integer())
        expected_poll = poll_id->get<std::int64_t>();
    FUZZ_CHECK(read->poll_id == expected_poll, "the reader sees the poll id");
    auto ref = json::parse(read->ref_json, nullptr, false);
    FUZZ_CHECK(ref == tree.value("ref", json(nullptr)),
               "the reader keeps ref as sent: " + read->ref_json);
    FUZZ_CHECK(read->answer == answer_fields(tree), "the reader sees the answer fields");
}

// parse_answer against every poll of the event.
void check_parse_answer(const Event& event, const json& body) {
    std::shared_lock lock(event.mutex);
    for (const auto& poll : event.polls) {
        try {
            check_answer(parse_answer(body, *poll), *poll, body);
        } catch (const ApiError& error) {
            FUZZ_CHECK(error.status() == 400 && error.code() == "invalid_field",
                       "parse_answer refuses with invalid_field: " + error.code());
        }
    }
}

void check_tallies(const Event& event) {
    std::shared_lock lock(event.mutex);
    for (const auto& poll : event.polls) {
        Poll recounted = *poll;
        recounted.tally = Tally(poll->type, poll->options, poll->scale);
        for (const auto& [participant, answer] : poll->responses) recounted.tally.add(answer);
        const auto limit = std::numeric_limits<std::size_t>::max();
        auto live = results_json(*poll, Audience::moderator, limit, &event.blocked);
        auto fresh = results_json(recounted, Audience::moderator, limit, &event.blocked);
        FUZZ_CHECK(live == fresh, "results equal a recount of the responses: " + live.dump() +
                                      " vs " + fresh.dump());
    }
}

void check_snapshot(const json& snapshot, const Viewer& viewer, const Fixture& fixture) {
    FUZZ_CHECK(snapshot["type"] == "snapshot", "a snapshot is typed snapshot");
    std::set<std::int64_t> polls;
    for (const auto& poll : snapshot["polls"]) polls.insert(poll["id"].get<std::int64_t>());
    const auto& ids = fixture.polls();
    auto shows_results = [&](std::int64_t id) {
        return snapshot["results"].contains(std::to_string(id));
    };
    if (viewer.role == Role::moderator) {
        FUZZ_CHECK(polls.contains(ids.draft) && shows_results(ids.rating),
                   "a moderator sees every poll and every result");
        return;
    }
    FUZZ_CHECK(!polls.contains(ids.draft), "attendees never see a draft");
    FUZZ_CHECK(!shows_results(ids.draft), "attendees never see a draft's results");
    FUZZ_CHECK(!shows_results(ids.rating), "attendees never see hidden results");
    FUZZ_CHECK(shows_results(ids.single) && shows_results(ids.closed),
               "attendees see live results and those of closed polls");
    const bool responded =
        viewer.participant_id &&
        fixture.event()->find_poll(ids.multiple)->responses.contains(*viewer.participant_id);
    FUZZ_CHECK(shows_results(ids.multiple) == responded,
               "after_vote results show exactly once the viewer has voted");
    if (!viewer.participant_id)
        FUZZ_CHECK(snapshot["responses"].empty(), "an anonymous viewer has no responses");
}

struct Client {
    Fixture& fixture;
    Viewer viewer;

    void complain(std::string_view code, std::string_view message, const json& ref = nullptr) {
        auto out = sent(error_message(code, message, ref));
        FUZZ_CHECK(out["type"] == "error" && out["code"] == code, "an error names its code");
        if (!ref.is_null()) FUZZ_CHECK(out["ref"] == ref, "an error echoes ref");
    }

    void snapshot() {
        const auto& event = *fixture.event();
        json message;
        {
            std::shared_lock lock(event.mutex);
            message = snapshot_message(
                event, viewer, 1, static_cast<std::size_t>(fixture.app().config().words_top_n));
        }
        check_snapshot(sent(message), viewer, fixture);
    }

    void hello(const json& message) {
        const auto& event = *fixture.event();
        auto token = [&](const char* key) -> std::string {
            auto it = message.find(key);
            return it != message.end() && it->is_string() ? it->get<std::string>() : std::string{};
        };
        Viewer next = viewer;
        if (auto moderator = token("moderator_token"); !moderator.empty()) {
            const bool valid = Registry::is_moderator(event, moderator);
            FUZZ_CHECK(valid == (moderator == fixture.moderator_token()),
                       "only the moderator token makes a moderator");
            if (!valid) return complain("unauthorized", "That moderator token is not valid.");
            next.role = Role::moderator;
        } else if (auto participant = token("participant_token"); !participant.empty()) {
            auto id = Registry::participant(event, participant);
            FUZZ_CHECK(id.has_value() == (participant == fixture.participant_token()),
                       "only the participant token makes a participant");
            if (!id) return complain("unauthorized", "That participant token is not valid.");
            if (next.role != Role::moderator) next.role = Role::participant;
            next.participant_id = id;
        } else {
            return complain("invalid_message", "hello needs a token.");
        }
        viewer = next;
        snapshot();
    }

    void respond(const json& message, const ClientMessage& read) {
        json ref = message.value("ref", json(nullptr));
        const std::string& ref_text = read.ref_json;
        auto refuse = [&](const ApiError& error) {
            static const std::set<int> kStatuses = {400, 401, 404, 409, 429};
            FUZZ_CHECK(kStatuses.contains(error.status()),
                       "a refused response has a documented status: " + error.code());
            check_ack(sent(ack_message(ref_text, error)), ref, error);
        };
        if (!viewer.participant_id) return refuse(unauthorized("Send hello first."));
        auto poll_id = message.find("poll_id");
        if (poll_id == message.end() || !poll_id->is_number_integer())
            return refuse(invalid_field("poll_id", "must be an integer"));

        const auto& event = fixture.event();
        const auto id = poll_id->get<std::int64_t>();
        std::optional<Answer> before;
        {
            std::shared_lock lock(event->mutex);
            if (const Poll* poll = event->find_poll(id))
                if (auto it = poll->responses.find(*viewer.participant_id);
                    it != poll->responses.end())
                    before = it->second;
        }
        std::optional<ApiError> refused;
        try {
            auto [outcome, body] = Fixture::wait([&](Done done) {
                fixture.app().responses().respond(
                    event, id, *viewer.participant_id, read.answer,
                    [done = std::move(done)](const Writer::Outcome& outcome) {
                        done(outcome, {});
                    });
            });
            refused = outcome;
        } catch (const ApiError& error) {
            refused = error;
        }
        if (refused) return refuse(*refused);
        check_ack(sent(ack_message(ref_text, std::nullopt)), ref, std::nullopt);

        std::shared_lock lock(event->mutex);
        const Poll* poll = event->find_poll(id);
        FUZZ_CHECK(poll && poll->state == PollState::open, "only open polls take responses");
        auto stored = poll->responses.find(*viewer.participant_id);
        FUZZ_CHECK(stored != poll->responses.end(), "an accepted response is stored");
        FUZZ_CHECK(stored->second == parse_answer(message, *poll),
                   "an accepted response is stored as parsed: " + message.dump());
        if (!poll->allow_change && before)
            FUZZ_CHECK(stored->second == *before, "a poll without allow_change keeps its answer");
    }

    void handle(std::string_view text) {
        auto message = json::parse(text, nullptr, false);
        auto read = read_client_message(text);
        check_read(message, read);
        if (message.is_discarded() || !message.is_object())
            return complain("invalid_json", "The message is not a JSON object.");
        check_parse_answer(*fixture.event(), message);
        auto type = message.find("type");
        if (type == message.end() || !type->is_string())
            return complain("invalid_message", "The message needs a string field 'type'.");
        const auto& name = type->get_ref<const std::string&>();
        if (name == "ping") return (void)sent({{"type", "pong"}});
        if (name == "hello") return hello(message);
        if (name == "respond") return respond(message, *read);
        complain("unknown_type", "Unknown message type '" + name + "'.");
    }
};

json frozen_polls(const Fixture& fixture) {
    const auto& event = *fixture.event();
    std::shared_lock lock(event.mutex);
    json out = json::array();
    for (auto id : {fixture.polls().draft, fixture.polls().closed}) {
        const Poll* poll = event.find_poll(id);
        out.push_back({{"state", to_string(poll->state)},
                       {"responses", poll->responses.size()},
                       {"results", results_json(*poll, Audience::moderator, 100)}});
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    voxpop::fuzz::init_process();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    Fixture fixture;
    replace_all(input, "$MOD", fixture.moderator_token());
    replace_all(input, "$PT", fixture.participant_token());
    const auto frozen = frozen_polls(fixture);
    const auto max_frame = static_cast<std::size_t>(fixture.app().config().ws_max_frame_bytes);

    Client client{fixture, {}};
    std::string_view rest = input;
    for (int i = 0; i < kMaxMessages && !rest.empty(); ++i) {
        auto end = rest.find('\n');
        std::string_view frame = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        if (frame.size() > max_frame) break;  // Beast closes with 1009 before we see it
        client.handle(frame);
        check_tallies(*fixture.event());
    }
    FUZZ_CHECK(frozen_polls(fixture) == frozen, "draft and closed polls never change");
    return 0;
}
