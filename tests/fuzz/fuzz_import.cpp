// Deck import and CSV export. The input is a deck as POSTed to
// /api/events/{code}/polls/import ({"polls":[...]}); two extra top-level fields steer the
// export side: "words" (an answer to every imported word cloud) and "ask" (a question
// body). The raw input also goes through csv_field as an arbitrary string.
//
// Properties (abort on violation):
// - csv_field quotes every value, doubles its quotes and neutralises a leading
//   = + - @ TAB CR LF NUL with an apostrophe; decoding gives back exactly that;
// - import_deck refuses with invalid_field (400) only, naming the field, and changes
//   nothing then; or it adds every poll as a draft, exactly as parse_poll_spec read it;
// - parse_poll_spec is stable: an exported deck re-imports as the same polls;
// - results_csv and questions_csv are RFC 4180 (every field quoted, quotes doubled, CRLF
//   records, a fixed column count) and no cell starts a formula; the option texts come
//   back intact; export_json serialises (strict UTF-8) and parses back.

#include "fixture.hpp"

#include "app/export.hpp"
#include "domain/parse.hpp"

#include <limits>

namespace {

using namespace voxpop;
using nlohmann::json;
using voxpop::fuzz::Fixture;

bool starts_formula(std::string_view value) {
    if (value.empty()) return false;
    char c = value.front();
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\n' ||
           c == '\0';
}

// Reads one quoted field at `pos` (strict RFC 4180); aborts on anything else.
std::string read_field(std::string_view csv, std::size_t& pos) {
    FUZZ_CHECK(pos < csv.size() && csv[pos] == '"', "every CSV field is quoted");
    ++pos;
    std::string field;
    for (;;) {
        FUZZ_CHECK(pos < csv.size(), "every quoted CSV field is closed");
        char c = csv[pos++];
        if (c != '"') {
            field.push_back(c);
        } else if (pos < csv.size() && csv[pos] == '"') {
            field.push_back('"');
            ++pos;
        } else {
            return field;
        }
    }
}

std::vector<std::vector<std::string>> parse_csv(std::string_view csv, std::size_t columns) {
    std::vector<std::vector<std::string>> rows;
    std::size_t pos = 0;
    while (pos < csv.size()) {
        std::vector<std::string> row;
        for (;;) {
            row.push_back(read_field(csv, pos));
            if (pos < csv.size() && csv[pos] == ',') {
                ++pos;
                continue;
            }
            FUZZ_CHECK(csv.substr(pos, 2) == "\r\n", "every CSV record ends with CRLF");
            pos += 2;
            break;
        }
        FUZZ_CHECK(row.size() == columns, "every CSV record has the header's column count");
        for (const auto& cell : row)
            FUZZ_CHECK(!starts_formula(cell), "no CSV cell starts a formula: " + cell);
        rows.push_back(std::move(row));
    }
    FUZZ_CHECK(!rows.empty(), "a CSV export has a header");
    return rows;
}

void check_csv_field(std::string_view value) {
    const std::string out = csv_field(value);
    std::size_t pos = 0;
    const std::string decoded = read_field(out, pos);
    FUZZ_CHECK(pos == out.size(), "csv_field makes exactly one quoted field");
    const std::string expected = (starts_formula(value) ? "'" : "") + std::string(value);
    FUZZ_CHECK(decoded == expected, "csv_field decodes to the (neutralised) value");
}

json spec_json(const PollSpec& spec) {
    return {{"type", to_string(spec.type)},
            {"question", spec.question},
            {"options", spec.options},
            {"max_choices", spec.max_choices},
            {"max_words", spec.max_words},
            {"scale", spec.scale},
            {"results", to_string(spec.results)},
            {"allow_change", spec.allow_change}};
}

std::string neutralised(const std::string& value) {
    return (starts_formula(value) ? "'" : "") + value;
}

App& shared_app() {
    // One App for the process; each input gets its own event, deleted afterwards.
    static App app(voxpop::fuzz::fuzz_config());
    return app;
}

void ok(const Fixture::Result& result, const char* what) {
    if (result.first) voxpop::fuzz::fail(what, result.first->what());
}

void check_exports(App& app, const std::shared_ptr<Event>& event) {
    auto results = parse_csv(results_csv(*event), 10);
    {
        std::shared_lock lock(event->mutex);
        std::size_t row = 1;
        for (const auto& poll : event->polls) {
            if (poll->type != PollType::single && poll->type != PollType::multiple) {
                while (row < results.size() && results[row][1] == std::to_string(poll->id)) ++row;
                continue;
            }
            for (const auto& option : poll->options) {
                FUZZ_CHECK(row < results.size(), "results_csv has a row per option");
                FUZZ_CHECK(results[row][2] == neutralised(poll->question) &&
                               results[row][6] == neutralised(option.text),
                           "results_csv keeps the question and option texts: " + option.text);
                ++row;
            }
        }
        FUZZ_CHECK(row == results.size(), "results_csv has no stray rows");
    }
    auto questions = parse_csv(questions_csv(*event), 9);
    {
        std::shared_lock lock(event->mutex);
        FUZZ_CHECK(questions.size() == event->questions.size() + 1,
                   "questions_csv has a row per question");
    }
    auto text = export_json(*event).dump(2);  // strict: throws on invalid UTF-8
    FUZZ_CHECK(!json::parse(text, nullptr, false).is_discarded(), "export_json parses back");
    (void)app;
}

void answer_and_ask(App& app, const std::shared_ptr<Event>& event, const json& deck,
                    const std::vector<std::int64_t>& poll_ids) {
    auto joined = Fixture::wait([&](Done done) { app.events().join(event, std::move(done)); });
    ok(joined, "a participant joins");
    const auto participant = joined.second["participant_id"].get<std::int64_t>();
    constexpr std::size_t kAnswered = 4;
    for (std::size_t i = 0; i < poll_ids.size() && i < kAnswered; ++i) {
        ok(Fixture::wait([&](Done done) {
               app.polls().update(event, poll_ids[i], {{"state", "open"}}, std::move(done));
           }),
           "an imported poll opens");
        json body;
        {
            std::shared_lock lock(event->mutex);
            const Poll* poll = event->find_poll(poll_ids[i]);
            if (poll->type == PollType::wordcloud)
                body = {{"words", deck.value("words", json::array())}};
            else if (poll->type == PollType::rating)
                body = {{"rating", poll->scale}};
            else
                body = {{"options", json::array({poll->options.back().id})}};
        }
        try {
            Fixture::wait([&](Done done) {
                app.responses().respond(event, poll_ids[i], participant, answer_fields(body),
                                        [done = std::move(done)](const Writer::Outcome& outcome) {
                                            done(outcome, {});
                                        });
            });
        } catch (const ApiError&) {
            // fuzzed words may be refused; the exports are checked either way
        }
    }
    if (auto ask = deck.find("ask"); ask != deck.end()) {
        try {
            Fixture::wait(
                [&](Done done) { app.questions().ask(event, participant, *ask, std::move(done)); });
        } catch (const ApiError&) {
        }
    }
}

void import_and_export(App& app, const std::shared_ptr<Event>& event, const json& deck) {
    Fixture::Result imported;
    try {
        imported = Fixture::wait(
            [&](Done done) { app.polls().import_deck(event, deck, std::move(done)); });
    } catch (const ApiError& error) {
        FUZZ_CHECK(error.status() == 400 && error.code() == "invalid_field",
                   "import_deck refuses with invalid_field: " + error.code());
        FUZZ_CHECK(std::string_view(error.what()).starts_with("Field '"),
                   "the refusal names the field");
        std::shared_lock lock(event->mutex);
        FUZZ_CHECK(event->polls.empty(), "a refused import adds nothing");
        return;
    }
    ok(imported, "a valid deck is imported");
    const auto& input = deck["polls"];
    std::vector<std::int64_t> poll_ids;
    {
        std::shared_lock lock(event->mutex);
        FUZZ_CHECK(
            event->polls.size() == input.size() && imported.second["polls"].size() == input.size(),
            "every poll of the deck is imported");
        for (std::size_t i = 0; i < input.size(); ++i) {
            const Poll& poll = *event->polls[i];
            FUZZ_CHECK(poll.state == PollState::draft, "imported polls are drafts");
            FUZZ_CHECK(spec_json(poll.spec()) == spec_json(parse_poll_spec(input[i])),
                       "a poll is imported as parse_poll_spec read it");
            poll_ids.push_back(poll.id);
        }
    }
    const auto exported = app.polls().export_deck(*event)["polls"];
    for (std::size_t i = 0; i < exported.size(); ++i) {
        std::shared_lock lock(event->mutex);
        FUZZ_CHECK(spec_json(parse_poll_spec(exported[i])) == spec_json(event->polls[i]->spec()),
                   "an exported deck re-imports as the same polls: " + exported[i].dump());
    }
    answer_and_ask(app, event, deck, poll_ids);
    check_exports(app, event);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    voxpop::fuzz::init_process();
    // One complete run first: OpenSSL sets up per-thread state on the long-lived writer
    // thread the first time it hashes there, which LeakSanitizer would otherwise blame on
    // the first input that gets that far.
    constexpr std::string_view kWarmUp =
        R"({"polls":[{"type":"wordcloud","question":"q"},{"type":"single","question":"q",)"
        R"("options":["a","b"]}],"words":["w"],"ask":{"text":"t"}})";
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(kWarmUp.data()), kWarmUp.size());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_csv_field(input);
    auto deck = json::parse(input, nullptr, false);
    if (deck.is_discarded()) return 0;

    App& app = shared_app();
    auto created = Fixture::wait(
        [&](Done done) { app.events().create("Import", std::string(), std::move(done)); });
    ok(created, "an event is created");
    auto event = app.registry().find_event(created.second["code"].get<std::string>());
    FUZZ_CHECK(event != nullptr, "the new event is registered");
    import_and_export(app, event, deck);
    ok(Fixture::wait([&](Done done) { app.events().remove(event, std::move(done)); }),
       "the event is deleted");
    return 0;
}
