// The REST API of events, polls, responses, results and exports, over real HTTP.
#include "test_server.hpp"

#include <gtest/gtest.h>

#include <set>

namespace voxpop::testing {
namespace {

std::string poll_path(const json& poll, const std::string& suffix = "") {
    return "/api/polls/" + std::to_string(poll["id"].get<long>()) + suffix;
}

json single_spec() {
    return {{"type", "single"},
            {"question", "What's the project's greatest idea for better forecasts?"},
            {"options",
             {"ML emulators", "Better data assimilation", "Higher resolution", "Ensembles",
              "Open data", "Yawn. None of that is great."}}};
}

class Api : public ::testing::Test {
  protected:
    TestServer server;
    HttpClient client{server.port()};
};

TEST_F(Api, CreateEventReturnsTokenOnceAndStoresOnlyItsHash) {
    auto result =
        client.post("/api/events", {{"title", "MAELSTROM workshop"}, {"code", "maelstrom"}});
    ASSERT_EQ(result.status, 201);
    auto body = result.json_body();
    EXPECT_EQ(body["code"], "MAELSTROM");
    std::string token = body["moderator_token"];
    EXPECT_EQ(body["moderator_url"], "/host/MAELSTROM#token=" + token);
    auto event = server.app().registry().find_event("maelstrom");
    ASSERT_TRUE(event);
    EXPECT_EQ(event->moderator_hash.find(token), std::string::npos);
    EXPECT_EQ(event->moderator_hash.size(), 64u);
    auto info = client.get("/api/events/MaElStRoM");
    EXPECT_EQ(info.status, 200);
    EXPECT_FALSE(info.json_body().contains("moderator_token"));
}

TEST_F(Api, GeneratedCodesUseTheUnambiguousAlphabet) {
    for (int i = 0; i < 20; ++i) {
        auto code =
            client.post("/api/events", {{"title", "t"}}).json_body()["code"].get<std::string>();
        EXPECT_EQ(code.size(), 6u);
        EXPECT_EQ(code.find_first_of("01ILO"), std::string::npos) << code;
    }
}

TEST_F(Api, EventErrors) {
    EXPECT_EQ(client.post("/api/events", json::object()).error_code(), "invalid_field");
    EXPECT_EQ(client.post("/api/events", {{"title", 5}}).error_code(), "invalid_field");
    EXPECT_EQ(client.post("/api/events", {{"title", "t"}, {"code", "ab"}}).error_code(),
              "invalid_field");
    EXPECT_EQ(client.post("/api/events", {{"title", "t"}, {"code", "bad code"}}).error_code(),
              "invalid_field");
    server.create_event("one", "TAKEN");
    auto taken = client.post("/api/events", {{"title", "two"}, {"code", "taken"}});
    EXPECT_EQ(taken.status, 409);
    EXPECT_EQ(taken.error_code(), "code_taken");
    EXPECT_EQ(client.get("/api/events/NOPE42").status, 404);
    EXPECT_EQ(client.post("/api/events/NOPE42/join", json::object()).status, 404);
}

TEST_F(Api, JoinSetsAnHttpOnlyCookieThatIdentifiesTheParticipant) {
    auto event = server.create_event("t", "COOKIE");
    auto joined = client.post("/api/events/COOKIE/join", json::object());
    ASSERT_EQ(joined.status, 201);
    std::string token = joined.json_body()["participant_token"];
    std::string cookie = joined.header("set-cookie");
    EXPECT_NE(cookie.find("vp_p_COOKIE=" + token), std::string::npos);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
    auto poll = server.create_poll(event, single_spec());
    auto option = poll["options"][0]["id"];
    auto vote = client.post(poll_path(poll, "/responses"), {{"options", {option}}},
                            {{"Cookie", "other=1; vp_p_COOKIE=" + token}});
    EXPECT_EQ(vote.status, 200);
    EXPECT_EQ(vote.json_body()["accepted"], true);
}

TEST_F(Api, ModeratorRoutesNeedTheToken) {
    auto event = server.create_event("t", "MODS");
    auto no_token = client.post("/api/events/MODS/polls", single_spec());
    EXPECT_EQ(no_token.status, 401);
    EXPECT_EQ(no_token.error_code(), "unauthorized");
    auto wrong = client.post("/api/events/MODS/polls", single_spec(),
                             {{"Authorization", "Bearer mt_wrong"}});
    EXPECT_EQ(wrong.status, 401);
    auto other = server.create_event("t", "OTHER");
    EXPECT_EQ(client.post("/api/events/MODS/polls", single_spec(), other.moderator()).status, 401);
    EXPECT_EQ(client.get("/api/events/MODS/summary").status, 401);
    EXPECT_EQ(client.get("/api/events/MODS/export.csv").status, 401);
    EXPECT_EQ(client.get("/api/events/MODS/export.json").status, 401);
    EXPECT_EQ(client.get("/api/events/MODS/polls/export").status, 401);
}

TEST_F(Api, CrossSiteModeratorWritesAreRefusedEvenWithTheToken) {
    auto event = server.create_event("t", "CSRF");
    auto headers = event.moderator();
    headers["Sec-Fetch-Site"] = "cross-site";
    EXPECT_EQ(client.post("/api/events/CSRF/polls", single_spec(), headers).status, 403);
    headers = event.moderator();
    headers["Origin"] = "https://evil.example";
    EXPECT_EQ(client.post("/api/events/CSRF/polls", single_spec(), headers).status, 403);
    headers["Origin"] = "http://127.0.0.1:" + std::to_string(server.port());
    EXPECT_EQ(client.post("/api/events/CSRF/polls", single_spec(), headers).status, 201);
}

TEST_F(Api, PollLifecycleAndDraftVisibility) {
    auto event = server.create_event("t", "LIFE");
    auto draft = server.create_poll(event, single_spec(), false);
    EXPECT_EQ(draft["state"], "draft");
    EXPECT_EQ(draft["options"].size(), 6u);
    EXPECT_EQ(client.get("/api/events/LIFE").json_body()["polls"].size(), 0u)
        << "drafts are private";
    EXPECT_EQ(client.get(poll_path(draft)).status, 404);
    EXPECT_EQ(client.get("/api/events/LIFE/polls", event.moderator()).json_body()["polls"].size(),
              1u);

    auto edited = client.patch(poll_path(draft), {{"question", "Edited?"}, {"options", {"A", "B"}}},
                               event.moderator());
    ASSERT_EQ(edited.status, 200) << edited.body;
    EXPECT_EQ(edited.json_body()["options"].size(), 2u);

    auto opened = client.patch(poll_path(draft), {{"state", "open"}}, event.moderator());
    EXPECT_EQ(opened.json_body()["state"], "open");
    auto locked = client.patch(poll_path(draft), {{"question", "Again?"}}, event.moderator());
    EXPECT_EQ(locked.status, 409);
    EXPECT_EQ(locked.error_code(), "poll_not_draft");
    EXPECT_EQ(client.patch(poll_path(draft), {{"state", "draft"}}, event.moderator()).status, 409);
    EXPECT_EQ(client.patch(poll_path(draft), {{"state", "closed"}}, event.moderator()).status, 200);
    EXPECT_EQ(
        client.patch(poll_path(draft), {{"state", "open"}}, event.moderator()).json_body()["state"],
        "open");
    EXPECT_EQ(client
                  .patch(poll_path(draft), {{"results", "hidden"}, {"allow_change", false}},
                         event.moderator())
                  .json_body()["results"],
              "hidden");
    EXPECT_EQ(client.patch(poll_path(draft), {{"colour", "red"}}, event.moderator()).error_code(),
              "invalid_field");
}

TEST_F(Api, SeveralPollsOpenAtOnceAndReorder) {
    auto event = server.create_event("t", "ORDER");
    auto a = server.create_poll(event, single_spec());
    auto b = server.create_poll(event, {{"type", "rating"}, {"question", "Rate it"}});
    auto c = server.create_poll(event, {{"type", "wordcloud"}, {"question", "ML method?"}});
    auto polls = client.get("/api/events/ORDER/polls").json_body()["polls"];
    ASSERT_EQ(polls.size(), 3u);
    for (const auto& poll : polls)
        EXPECT_EQ(poll["state"], "open") << "opening one closes no other";
    auto moved = client.patch(poll_path(c), {{"position", 0}}, event.moderator());
    EXPECT_EQ(moved.json_body()["position"], 0);
    polls = client.get("/api/events/ORDER/polls").json_body()["polls"];
    EXPECT_EQ(polls[0]["id"], c["id"]);
    EXPECT_EQ(polls[1]["id"], a["id"]);
    EXPECT_EQ(polls[2]["id"], b["id"]);
    EXPECT_EQ(client.request("DELETE", poll_path(a), "", event.moderator()).status, 204);
    polls = client.get("/api/events/ORDER/polls").json_body()["polls"];
    ASSERT_EQ(polls.size(), 2u);
    EXPECT_EQ(polls[1]["position"], 1);
    EXPECT_EQ(client.get(poll_path(a)).status, 404);
}

TEST_F(Api, PollValidation) {
    auto event = server.create_event("t", "VALID");
    auto bad = [&](const json& spec) {
        return client.post("/api/events/VALID/polls", spec, event.moderator());
    };
    EXPECT_EQ(bad({{"type", "single"}, {"question", "q"}, {"options", {"only one"}}}).error_code(),
              "invalid_field");
    EXPECT_EQ(bad({{"type", "single"}, {"question", ""}, {"options", {"a", "b"}}}).error_code(),
              "invalid_field");
    EXPECT_EQ(bad({{"type", "poll"}, {"question", "q"}}).error_code(), "invalid_field");
    EXPECT_EQ(
        bad({{"type", "multiple"}, {"question", "q"}, {"options", {"a", "b"}}, {"max_choices", 3}})
            .status,
        400);
    EXPECT_EQ(
        bad({{"type", "single"}, {"question", "q"}, {"options", {"a", std::string(201, 'x')}}})
            .status,
        400);
    json many = json::array();
    for (int i = 0; i < 31; ++i) many.push_back("o" + std::to_string(i));
    auto too_many = bad({{"type", "single"}, {"question", "q"}, {"options", many}});
    EXPECT_EQ(too_many.status, 400);
    EXPECT_NE(too_many.json_body()["error"]["message"].get<std::string>().find("options"),
              std::string::npos);
    EXPECT_EQ(bad({{"type", "rating"}, {"question", "q"}, {"scale", 11}}).status, 400);
    EXPECT_EQ(bad({{"type", "wordcloud"}, {"question", "q"}, {"max_words", 0}}).status, 400);
    EXPECT_EQ(client.get("/api/events/VALID/polls", event.moderator()).json_body()["polls"].size(),
              0u);
}

TEST_F(Api, VotingChangingAndResults) {
    auto event = server.create_event("t", "VOTE");
    auto poll = server.create_poll(event, single_spec());
    auto opt = [&](int i) { return poll["options"][i]["id"].get<long>(); };
    std::vector<std::string> people;
    for (int i = 0; i < 3; ++i) people.push_back(server.join("VOTE"));
    EXPECT_EQ(
        client.post(poll_path(poll, "/responses"), {{"options", {opt(0)}}}, participant(people[0]))
            .status,
        200);
    EXPECT_EQ(
        client.post(poll_path(poll, "/responses"), {{"options", {opt(0)}}}, participant(people[1]))
            .status,
        200);
    EXPECT_EQ(
        client.post(poll_path(poll, "/responses"), {{"options", {opt(5)}}}, participant(people[2]))
            .status,
        200);
    auto results = client.get(poll_path(poll, "/results")).json_body();
    EXPECT_EQ(results["respondents"], 3);
    EXPECT_EQ(results["options"][0]["votes"], 2);
    EXPECT_DOUBLE_EQ(results["options"][0]["percent"].get<double>(), 66.7);
    EXPECT_DOUBLE_EQ(results["options"][5]["percent"].get<double>(), 33.3);
    // Person 3 changes their mind: still three respondents.
    client.post(poll_path(poll, "/responses"), {{"options", {opt(1)}}}, participant(people[2]));
    results = client.get(poll_path(poll, "/results")).json_body();
    EXPECT_EQ(results["respondents"], 3);
    EXPECT_EQ(results["options"][5]["votes"], 0);
    EXPECT_EQ(results["options"][1]["votes"], 1);
}

TEST_F(Api, ResponseErrorsChangeNothing) {
    auto event = server.create_event("t", "ERRS");
    auto poll = server.create_poll(event, {{"type", "multiple"},
                                           {"question", "q"},
                                           {"options", {"a", "b", "c"}},
                                           {"max_choices", 2}});
    auto ids = std::vector<long>{poll["options"][0]["id"], poll["options"][1]["id"],
                                 poll["options"][2]["id"]};
    auto person = server.join("ERRS");
    auto post = [&](const json& body, const Headers& h) {
        return client.post(poll_path(poll, "/responses"), body, h);
    };
    EXPECT_EQ(post({{"options", {ids[0]}}}, {}).status, 401);
    EXPECT_EQ(post({{"options", {ids[0]}}}, participant("pt_forged")).status, 401);
    EXPECT_EQ(post({{"options", {999999}}}, participant(person)).error_code(), "invalid_field");
    EXPECT_EQ(post({{"options", {ids[0], ids[1], ids[2]}}}, participant(person)).error_code(),
              "invalid_field");
    EXPECT_EQ(post({{"options", {ids[0], ids[0]}}}, participant(person)).error_code(),
              "invalid_field");
    EXPECT_EQ(post({{"options", "a"}}, participant(person)).error_code(), "invalid_field");
    EXPECT_EQ(post({{"rating", 3}}, participant(person)).error_code(), "invalid_field");
    EXPECT_EQ(client.request("POST", poll_path(poll, "/responses"), "[1,2", participant(person))
                  .error_code(),
              "invalid_json");
    EXPECT_EQ(
        client.post("/api/polls/99999/responses", {{"options", {1}}}, participant(person)).status,
        404);
    EXPECT_EQ(client.get(poll_path(poll, "/results")).json_body()["respondents"], 0);

    auto words =
        server.create_poll(event, {{"type", "wordcloud"}, {"question", "w"}, {"max_words", 2}});
    auto wpost = [&](const json& body) {
        return client.post(poll_path(words, "/responses"), body, participant(person));
    };
    EXPECT_EQ(wpost({{"words", {"a", "b", "c"}}}).status, 400);
    EXPECT_EQ(wpost({{"words", {"   "}}}).status, 400);
    EXPECT_EQ(wpost({{"words", {std::string(41, 'x')}}}).status, 400);
    EXPECT_EQ(wpost({{"words", json::array()}}).status, 400);
    EXPECT_EQ(wpost({{"words", {std::string(40, 'x')}}}).status, 200);

    client.patch(poll_path(poll), {{"state", "closed"}}, event.moderator());
    auto closed = post({{"options", {ids[0]}}}, participant(person));
    EXPECT_EQ(closed.status, 409);
    EXPECT_EQ(closed.error_code(), "poll_not_open");
}

TEST_F(Api, AllowChangeFalseKeepsTheFirstAnswerButRetriesSucceed) {
    auto event = server.create_event("t", "ONCE");
    auto spec = single_spec();
    spec["allow_change"] = false;
    auto poll = server.create_poll(event, spec);
    auto person = server.join("ONCE");
    long first = poll["options"][0]["id"], second = poll["options"][1]["id"];
    EXPECT_EQ(
        client.post(poll_path(poll, "/responses"), {{"options", {first}}}, participant(person))
            .status,
        200);
    EXPECT_EQ(
        client.post(poll_path(poll, "/responses"), {{"options", {first}}}, participant(person))
            .status,
        200)
        << "resending the same answer is idempotent";
    auto change =
        client.post(poll_path(poll, "/responses"), {{"options", {second}}}, participant(person));
    EXPECT_EQ(change.status, 409);
    EXPECT_EQ(change.error_code(), "change_not_allowed");
    EXPECT_EQ(client.get(poll_path(poll, "/results")).json_body()["options"][0]["votes"], 1);
}

TEST_F(Api, ResultsVisibility) {
    auto event = server.create_event("t", "SEEME");
    auto spec = single_spec();
    spec["results"] = "after_vote";
    auto poll = server.create_poll(event, spec);
    auto person = server.join("SEEME");
    auto hidden = client.get(poll_path(poll, "/results"), participant(person));
    EXPECT_EQ(hidden.status, 403);
    EXPECT_EQ(hidden.error_code(), "results_hidden");
    EXPECT_EQ(client.get(poll_path(poll, "/results"), event.moderator()).status, 200);
    client.post(poll_path(poll, "/responses"), {{"options", {poll["options"][0]["id"]}}},
                participant(person));
    EXPECT_EQ(client.get(poll_path(poll, "/results"), participant(person)).status, 200);
    EXPECT_EQ(client.get(poll_path(poll, "/results")).status, 403) << "anonymous has not voted";

    client.patch(poll_path(poll), {{"results", "after_close"}}, event.moderator());
    EXPECT_EQ(client.get(poll_path(poll, "/results"), participant(person)).status, 403);
    client.patch(poll_path(poll), {{"state", "closed"}}, event.moderator());
    EXPECT_EQ(client.get(poll_path(poll, "/results")).status, 200);
    client.patch(poll_path(poll), {{"results", "hidden"}}, event.moderator());
    EXPECT_EQ(client.get(poll_path(poll, "/results"), participant(person)).status, 403);
    EXPECT_EQ(client.get(poll_path(poll, "/results"), event.moderator()).status, 200);
}

TEST_F(Api, RatingAndWordCloudResults) {
    auto event = server.create_event("t", "KINDS");
    auto rating =
        server.create_poll(event, {{"type", "rating"}, {"question", "How useful?"}, {"scale", 5}});
    auto cloud = server.create_poll(
        event, {{"type", "wordcloud"}, {"question", "What ML method will be most important?"}});
    std::vector<std::pair<int, std::vector<std::string>>> answers = {
        {5, {"GANs", "Transformers"}},
        {4, {"gans", "diffusion"}},
        {4, {"GAN"}},
        {1, {"Ｔｒａｎｓｆｏｒｍｅｒｓ"}}};
    for (const auto& [stars, words] : answers) {
        auto person = server.join("KINDS");
        ASSERT_EQ(
            client.post(poll_path(rating, "/responses"), {{"rating", stars}}, participant(person))
                .status,
            200);
        ASSERT_EQ(
            client.post(poll_path(cloud, "/responses"), {{"words", words}}, participant(person))
                .status,
            200);
    }
    auto r = client.get(poll_path(rating, "/results")).json_body();
    EXPECT_EQ(r["rating"]["counts"], json({1, 0, 0, 2, 1}));
    EXPECT_DOUBLE_EQ(r["rating"]["mean"].get<double>(), 3.5);
    EXPECT_DOUBLE_EQ(r["rating"]["median"].get<double>(), 4.0);
    auto w = client.get(poll_path(cloud, "/results")).json_body();
    EXPECT_EQ(w["words"][0]["count"], 2);
    EXPECT_EQ(w["words"][1]["count"], 2);
    // Attendees get text and count; the key and the hidden flag are the moderator's.
    EXPECT_EQ(w["words"][1]["text"], "Transformers");
    EXPECT_FALSE(w["words"][0].contains("key"));
    EXPECT_FALSE(w["words"][0].contains("hidden"));
    auto keyed = client.get(poll_path(cloud, "/results"), event.moderator()).json_body()["words"];
    EXPECT_EQ(keyed[0]["key"], "gans");
    EXPECT_EQ(keyed[1]["key"], "transformers");
    EXPECT_EQ(keyed[1]["hidden"], false);

    // The moderator merges GAN into GANs and hides "diffusion".
    auto merged = client.post(poll_path(cloud, "/words/merge"), {{"from", "GAN"}, {"into", "GANs"}},
                              event.moderator());
    ASSERT_EQ(merged.status, 200) << merged.body;
    EXPECT_EQ(merged.json_body()["words"][0]["count"], 3);
    client.post(poll_path(cloud, "/words/hide"), {{"key", "Diffusion"}}, event.moderator());
    auto public_words = client.get(poll_path(cloud, "/results")).json_body()["words"];
    for (const auto& word : public_words) EXPECT_NE(word["text"], "diffusion");
    auto moderator_words =
        client.get(poll_path(cloud, "/results"), event.moderator()).json_body()["words"];
    bool flagged = false;
    for (const auto& word : moderator_words)
        flagged |= word["key"] == "diffusion" && word["hidden"] == true;
    EXPECT_TRUE(flagged);
    auto csv = client.get("/api/events/KINDS/export.csv", event.moderator());
    EXPECT_NE(csv.body.find("\"diffusion\",\"1\",\"25.0\",\"true\""), std::string::npos)
        << csv.body;
    EXPECT_EQ(
        client.post(poll_path(rating, "/words/hide"), {{"key", "x"}}, event.moderator()).status,
        409);
}

TEST_F(Api, DeckExportImportRoundTrip) {
    auto event = server.create_event("t", "DECK");
    server.create_poll(event, single_spec(), false);
    server.create_poll(event, {{"type", "wordcloud"}, {"question", "Words?"}, {"max_words", 5}},
                       false);
    auto deck = client.get("/api/events/DECK/polls/export", event.moderator());
    ASSERT_EQ(deck.status, 200);
    EXPECT_NE(deck.header("content-disposition").find("attachment"), std::string::npos);
    auto other = server.create_event("t", "DECK2");
    auto imported =
        client.post("/api/events/DECK2/polls/import", deck.json_body(), other.moderator());
    ASSERT_EQ(imported.status, 201) << imported.body;
    auto again = client.get("/api/events/DECK2/polls/export", other.moderator()).json_body();
    EXPECT_EQ(again["polls"], deck.json_body()["polls"]);

    json broken = deck.json_body();
    broken["polls"][1]["max_words"] = 99;
    auto refused = client.post("/api/events/DECK2/polls/import", broken, other.moderator());
    EXPECT_EQ(refused.status, 400);
    EXPECT_NE(refused.body.find("polls[1].max_words"), std::string::npos);
    EXPECT_EQ(client.get("/api/events/DECK2/polls", other.moderator()).json_body()["polls"].size(),
              2u)
        << "all or nothing";
}

TEST_F(Api, ExportsAndSummary) {
    auto event = server.create_event("Workshop \"2026\"", "EXPORT");
    auto poll = server.create_poll(
        event, {{"type", "single"}, {"question", "=HYPERLINK(\"x\")"}, {"options", {"+1", "@me"}}});
    for (int i = 0; i < 4; ++i)
        client.post(poll_path(poll, "/responses"), {{"options", {poll["options"][i % 2]["id"]}}},
                    participant(server.join("EXPORT")));
    auto csv = client.get("/api/events/EXPORT/export.csv", event.moderator());
    EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_NE(csv.body.find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << csv.body;
    EXPECT_NE(csv.body.find("\"'+1\",\"2\",\"50.0\""), std::string::npos) << csv.body;
    auto one = client.get(poll_path(poll, "/export.csv"), event.moderator());
    EXPECT_EQ(one.body, csv.body);
    auto exported = client.get("/api/events/EXPORT/export.json", event.moderator()).json_body();
    EXPECT_EQ(exported["event"]["title"], "Workshop \"2026\"");
    auto responses = exported["polls"][0]["responses"];
    ASSERT_EQ(responses.size(), 4u);
    std::set<int> numbers;
    for (const auto& r : responses) numbers.insert(r["participant"].get<int>());
    EXPECT_EQ(numbers, (std::set<int>{1, 2, 3, 4})) << "participant ids replaced by export numbers";
    auto summary = client.get("/api/events/EXPORT/summary", event.moderator()).json_body();
    EXPECT_EQ(summary["participants_joined"], 4);
    EXPECT_EQ(summary["respondents_any_poll"], 4);
    EXPECT_EQ(summary["polls"][0]["respondents"], 4);
}

TEST_F(Api, RestartRebuildsIdenticalResults) {
    auto event = server.create_event("t", "AGAIN");
    auto single = server.create_poll(event, single_spec());
    auto cloud = server.create_poll(event, {{"type", "wordcloud"}, {"question", "w"}});
    for (int i = 0; i < 10; ++i) {
        auto person = server.join("AGAIN");
        client.post(poll_path(single, "/responses"),
                    {{"options", {single["options"][i % 3]["id"]}}}, participant(person));
        client.post(poll_path(cloud, "/responses"),
                    {{"words", {"w" + std::to_string(i % 4), "GAN"}}}, participant(person));
    }
    client.post(poll_path(cloud, "/words/merge"), {{"from", "w1"}, {"into", "w2"}},
                event.moderator());
    client.post(poll_path(cloud, "/words/hide"), {{"key", "w3"}}, event.moderator());
    auto before_single = client.get(poll_path(single, "/results"), event.moderator()).json_body();
    auto before_cloud = client.get(poll_path(cloud, "/results"), event.moderator()).json_body();
    auto before_export = client.get("/api/events/AGAIN/export.json", event.moderator()).json_body();
    server.restart();
    HttpClient after(server.port());
    EXPECT_EQ(after.get(poll_path(single, "/results"), event.moderator()).json_body(),
              before_single);
    EXPECT_EQ(after.get(poll_path(cloud, "/results"), event.moderator()).json_body(), before_cloud);
    EXPECT_EQ(after.get("/api/events/AGAIN/export.json", event.moderator()).json_body(),
              before_export);
}

TEST_F(Api, ModeratorChoosesThePresentedPoll) {
    auto event = server.create_event("t", "SHOW");
    auto poll = server.create_poll(event, single_spec());
    auto info = client.get("/api/events/SHOW").json_body();
    EXPECT_TRUE(info["presented_poll_id"].is_null());
    EXPECT_EQ(info["join_url"], "http://127.0.0.1:" + std::to_string(server.port()) + "/SHOW");
    EXPECT_EQ(client.patch("/api/events/SHOW", {{"presented_poll_id", poll["id"]}}).status, 401);
    auto shown =
        client.patch("/api/events/SHOW", {{"presented_poll_id", poll["id"]}}, event.moderator());
    ASSERT_EQ(shown.status, 200) << shown.body;
    EXPECT_EQ(client.get("/api/events/SHOW").json_body()["presented_poll_id"], poll["id"]);
    EXPECT_EQ(
        client.patch("/api/events/SHOW", {{"presented_poll_id", 99999}}, event.moderator()).status,
        400);
    EXPECT_EQ(client.patch("/api/events/SHOW", {{"title", "x"}}, event.moderator()).status, 400);
    server.restart();
    HttpClient after(server.port());
    EXPECT_EQ(after.get("/api/events/SHOW").json_body()["presented_poll_id"], poll["id"])
        << "persisted";
    EXPECT_EQ(after.request("DELETE", poll_path(poll), "", event.moderator()).status, 204);
    EXPECT_TRUE(after.get("/api/events/SHOW").json_body()["presented_poll_id"].is_null());
    server.restart();
    HttpClient again(server.port());
    EXPECT_TRUE(again.get("/api/events/SHOW").json_body()["presented_poll_id"].is_null());
}

TEST_F(Api, QrCodeIsAnSvg) {
    server.create_event("t", "QRCODE");
    auto qr = client.get("/api/events/QRCODE/qr.svg");
    EXPECT_EQ(qr.status, 200);
    EXPECT_EQ(qr.header("content-type"), "image/svg+xml");
    EXPECT_EQ(qr.body.rfind("<svg", 0), 0u);
    EXPECT_GT(qr.body.size(), 1000u);
    // Found by fuzz_http: a forged 3,000-byte Host made the QR encoder throw (500).
    auto forged = client.get("/api/events/QRCODE/qr.svg", {{"Host", std::string(3000, 'h')}});
    EXPECT_EQ(forged.status, 400);
    EXPECT_EQ(forged.error_code(), "bad_request");
}

}  // namespace
}  // namespace voxpop::testing

namespace voxpop::testing {
namespace {

TEST(ApiLimits, ResponsesPerMinuteAreLimitedPerParticipant) {
    TestServer server([](Config& c) { c.responses_per_minute = 5; });
    auto event = server.create_event("t", "RATE");
    auto poll =
        server.create_poll(event, {{"type", "single"}, {"question", "q"}, {"options", {"a", "b"}}});
    HttpClient client(server.port());
    auto mash = server.join("RATE");
    std::string path = "/api/polls/" + std::to_string(poll["id"].get<long>()) + "/responses";
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(
            client.post(path, {{"options", {poll["options"][i % 2]["id"]}}}, participant(mash))
                .status,
            200);
    auto limited = client.post(path, {{"options", {poll["options"][0]["id"]}}}, participant(mash));
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.error_code(), "rate_limited");
    EXPECT_FALSE(limited.header("retry-after").empty());
    EXPECT_EQ(
        client
            .post(path, {{"options", {poll["options"][0]["id"]}}}, participant(server.join("RATE")))
            .status,
        200)
        << "another participant is not limited";
}

}  // namespace
}  // namespace voxpop::testing
