// Audience Q&A over REST and WebSocket, per role, with each error.
#include "test_server.hpp"

#include <gtest/gtest.h>

namespace voxpop::testing {
namespace {

auto of_type(const std::string& type) {
    return [type](const json& m) { return m.value("type", "") == type; };
}

class QA : public ::testing::Test {
  protected:
    TestServer server;
    HttpClient client{server.port()};
    TestServer::EventHandle event = server.create_event("Q&A", "QANDA");

    json ask(const std::string& token, const json& body, int expect = 201) {
        auto result = client.post("/api/events/QANDA/questions", body, participant(token));
        EXPECT_EQ(result.status, expect) << result.body;
        return result.status == 201 ? result.json_body() : json();
    }
    std::string qpath(const json& q, const std::string& suffix = "") {
        return "/api/questions/" + std::to_string(q["id"].get<long>()) + suffix;
    }
    json list(const Headers& headers = {}, const std::string& sort = "top") {
        return client.get("/api/events/QANDA/questions?sort=" + sort, headers).json_body();
    }
};

TEST_F(QA, AskUpvoteAndOrder) {
    auto ana = server.join("QANDA"), ben = server.join("QANDA"), cy = server.join("QANDA");
    auto first = ask(ana, {{"text", "How do you validate the emulator?"}, {"name", "Ana"}});
    EXPECT_EQ(first["state"], "visible");
    EXPECT_EQ(first["name"], "Ana");
    auto second = ask(ben, {{"text", "  Which   resolution? "}});
    EXPECT_EQ(second["text"], "Which resolution?");
    EXPECT_TRUE(second["name"].is_null());
    EXPECT_EQ(client.post(qpath(first, "/upvote"), json::object(), participant(ben))
                  .json_body()["upvotes"],
              1);
    EXPECT_EQ(client.post(qpath(first, "/upvote"), json::object(), participant(ben))
                  .json_body()["upvotes"],
              1)
        << "one upvote per participant";
    client.post(qpath(first, "/upvote"), json::object(), participant(cy));
    auto top = list(participant(ben));
    EXPECT_EQ(top["questions"][0]["id"], first["id"]);
    EXPECT_EQ(top["questions"][0]["upvotes"], 2);
    EXPECT_EQ(top["my_upvotes"], json::array({first["id"]}));
    EXPECT_EQ(top["my_questions"], json::array({second["id"]}));
    EXPECT_EQ(list({}, "recent")["questions"][0]["id"], second["id"]);
    EXPECT_EQ(client.request("DELETE", qpath(first, "/upvote"), "", participant(cy))
                  .json_body()["upvotes"],
              1);
    EXPECT_EQ(client.request("DELETE", qpath(first, "/upvote"), "", participant(cy))
                  .json_body()["upvotes"],
              1)
        << "withdrawing twice changes nothing";
    EXPECT_FALSE(top["questions"][0].contains("blocked")) << "attendees never see the block flag";
}

TEST_F(QA, BadInputIsRefusedAndChangesNothing) {
    auto ana = server.join("QANDA");
    EXPECT_EQ(client.post("/api/events/QANDA/questions", {{"text", "Hi?"}}).status, 401);
    ask(ana, {{"text", ""}}, 400);
    ask(ana, {{"text", "   \t "}}, 400);
    ask(ana, {{"text", "\x01\x02"}}, 400);
    ask(ana, {{"text", std::string(301, 'x')}}, 400);
    ask(ana, {{"text", "fine"}, {"name", std::string(41, 'n')}}, 400);
    ask(ana, {{"text", 42}}, 400);
    EXPECT_EQ(list()["questions"].size(), 0u);
    ask(ana, {{"text", std::string(300, 'x')}});
    EXPECT_EQ(client.post("/api/questions/99999/upvote", json::object(), participant(ana)).status,
              404);
    EXPECT_EQ(client.patch("/api/questions/99999", {{"answered", true}}, event.moderator()).status,
              404);
}

TEST_F(QA, RateLimitedWithRetryAfter) {
    TestServer limited([](Config& c) { c.questions_per_minute = 2; });
    auto ev = limited.create_event("t", "LIMITS");
    auto token = limited.join("LIMITS");
    HttpClient http(limited.port());
    for (int i = 0; i < 2; ++i)
        EXPECT_EQ(http.post("/api/events/LIMITS/questions", {{"text", "q" + std::to_string(i)}},
                            participant(token))
                      .status,
                  201);
    auto refused =
        http.post("/api/events/LIMITS/questions", {{"text", "one more"}}, participant(token));
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(refused.error_code(), "rate_limited");
    EXPECT_FALSE(refused.header("retry-after").empty());
}

TEST_F(QA, ModerationQueueAndRoles) {
    EXPECT_EQ(client.patch("/api/events/QANDA", {{"qa_moderated", true}}).status, 401);
    ASSERT_EQ(client.patch("/api/events/QANDA", {{"qa_moderated", true}}, event.moderator()).status,
              200);
    auto ana = server.join("QANDA"), ben = server.join("QANDA");
    auto pending = ask(ana, {{"text", "Is the data open?"}});
    EXPECT_EQ(pending["state"], "pending");
    EXPECT_EQ(list(participant(ana))["questions"].size(), 1u)
        << "the author sees it, marked pending";
    EXPECT_EQ(list(participant(ben))["questions"].size(), 0u);
    EXPECT_EQ(list(event.moderator())["questions"].size(), 1u);
    EXPECT_EQ(client.post(qpath(pending, "/upvote"), json::object(), participant(ben)).status, 404);
    EXPECT_EQ(client.patch(qpath(pending), {{"state", "visible"}}, participant(ana)).status, 401);
    auto approved = client.patch(qpath(pending), {{"state", "visible"}}, event.moderator());
    EXPECT_EQ(approved.json_body()["state"], "visible");
    EXPECT_EQ(list(participant(ben))["questions"].size(), 1u);

    auto dismissed = ask(ben, {{"text", "Off topic"}});
    client.patch(qpath(dismissed), {{"state", "dismissed"}}, event.moderator());
    EXPECT_EQ(list(participant(ana))["questions"].size(), 1u);
    EXPECT_EQ(client.patch(qpath(pending), {{"state", "merged"}}, event.moderator()).status, 400);
    EXPECT_EQ(client.patch(qpath(pending), {{"colour", 1}}, event.moderator()).status, 400);

    client.patch("/api/events/QANDA", {{"qa_enabled", false}}, event.moderator());
    auto off = client.post("/api/events/QANDA/questions", {{"text", "still?"}}, participant(ana));
    EXPECT_EQ(off.status, 403);
    EXPECT_EQ(off.error_code(), "qa_disabled");
}

TEST_F(QA, AnswerPinMergeArchive) {
    auto ana = server.join("QANDA"), ben = server.join("QANDA"), cy = server.join("QANDA");
    auto a = ask(ana, {{"text", "GAN or diffusion?"}});
    auto b = ask(ben, {{"text", "Diffusion vs GANs?"}});
    client.post(qpath(a, "/upvote"), json::object(), participant(cy));
    client.post(qpath(b, "/upvote"), json::object(), participant(cy));
    client.post(qpath(b, "/upvote"), json::object(), participant(ana));
    auto merged = client.patch(qpath(b), {{"merge_into", a["id"]}}, event.moderator());
    ASSERT_EQ(merged.status, 200) << merged.body;
    EXPECT_EQ(merged.json_body()["state"], "merged");
    auto questions = list(event.moderator())["questions"];
    ASSERT_EQ(questions.size(), 1u);
    EXPECT_EQ(questions[0]["upvotes"], 2) << "cy upvoted both: counted once; ana carried over";
    EXPECT_EQ(client.patch(qpath(a), {{"merge_into", a["id"]}}, event.moderator()).status, 400);

    auto c = ask(cy, {{"text", "Next steps?"}});
    client.patch(qpath(a), {{"pinned", true}}, event.moderator());
    client.patch(qpath(c), {{"pinned", true}}, event.moderator());
    questions = list(event.moderator())["questions"];
    int pinned = 0;
    for (const auto& q : questions) pinned += q["pinned"].get<bool>() ? 1 : 0;
    EXPECT_EQ(pinned, 1) << "one pinned question per event";

    auto answered =
        client.patch(qpath(a), {{"answer", "Both, for different jobs."}}, event.moderator());
    EXPECT_EQ(answered.json_body()["answered"], true);
    EXPECT_EQ(answered.json_body()["answer"], "Both, for different jobs.");
    client.patch(qpath(a), {{"state", "archived"}}, event.moderator());
    EXPECT_EQ(list(participant(ben))["questions"].size(), 1u)
        << "archived leaves the attendees' view";

    auto summary = client.get("/api/events/QANDA/summary", event.moderator()).json_body();
    EXPECT_EQ(summary["questions"], 2);
    EXPECT_EQ(summary["questions_answered"], 1);
    auto exported = client.get("/api/events/QANDA/export.json", event.moderator()).json_body();
    EXPECT_EQ(exported["questions"].size(), 3u);
    auto csv = client.get("/api/events/QANDA/questions.csv", event.moderator());
    EXPECT_EQ(csv.status, 200);
    EXPECT_NE(csv.body.find("\"Both, for different jobs.\""), std::string::npos);
    EXPECT_EQ(client.get("/api/events/QANDA/questions.csv").status, 401);

    server.restart();
    HttpClient after(server.port());
    auto again =
        after.get("/api/events/QANDA/questions", event.moderator()).json_body()["questions"];
    EXPECT_EQ(again, list(event.moderator())["questions"]) << "rebuilt identically after restart";
}

TEST_F(QA, BlockedWordsHideQuestionsAndWordsTheSameWay) {
    auto ana = server.join("QANDA");
    ask(ana, {{"text", "This is SPAM, buy now"}});
    ask(ana, {{"text", "Spammers aside, a real question"}});
    auto cloud = server.create_poll(event, {{"type", "wordcloud"}, {"question", "Words?"}});
    client.post("/api/polls/" + std::to_string(cloud["id"].get<long>()) + "/responses",
                {{"words", {"spam", "forecasts"}}}, participant(ana));
    ASSERT_EQ(
        client.patch("/api/events/QANDA", {{"blocked_words", {"Spam"}}}, event.moderator()).status,
        200);
    auto ben = server.join("QANDA");
    auto seen = list(participant(ben))["questions"];
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0]["text"], "Spammers aside, a real question");
    auto moderated = list(event.moderator())["questions"];
    ASSERT_EQ(moderated.size(), 2u) << "hidden, not deleted";
    bool flagged = false;
    for (const auto& q : moderated) flagged |= q["blocked"] == true;
    EXPECT_TRUE(flagged);
    auto words = client.get("/api/polls/" + std::to_string(cloud["id"].get<long>()) + "/results")
                     .json_body()["words"];
    ASSERT_EQ(words.size(), 1u);
    EXPECT_EQ(words[0]["text"], "forecasts");
    EXPECT_EQ(client.get("/api/events/QANDA", event.moderator()).json_body()["blocked_words"],
              json::array({"Spam"}));
    EXPECT_EQ(client.get("/api/events/QANDA").json_body()["blocked_words"], json::array())
        << "private to moderators";
}

TEST_F(QA, LiveQuestionsPerRole) {
    client.patch("/api/events/QANDA", {{"qa_moderated", true}}, event.moderator());
    auto ana = server.join("QANDA"), ben = server.join("QANDA");
    WsClient moderator(server.port(), "/ws/events/QANDA");
    moderator.receive_until(of_type("snapshot"));
    moderator.send({{"type", "hello"}, {"moderator_token", event.moderator_token}});
    moderator.receive_until(of_type("snapshot"));
    WsClient phone(server.port(), "/ws/events/QANDA");
    phone.receive_until(of_type("snapshot"));
    phone.send({{"type", "hello"}, {"participant_token", ben}});
    auto snapshot = phone.receive_until(of_type("snapshot"));
    EXPECT_EQ((*snapshot)["qa"]["moderated"], true);
    EXPECT_TRUE((*snapshot)["questions"].is_array());

    auto q = ask(ana, {{"text", "Pending one?"}});
    auto at_moderator = moderator.receive_until(of_type("question"));
    ASSERT_TRUE(at_moderator) << "moderators receive pending questions";
    EXPECT_EQ((*at_moderator)["question"]["state"], "pending");
    EXPECT_FALSE(phone.receive_until(of_type("question"), std::chrono::milliseconds(400)))
        << "attendees do not";
    client.patch(qpath(q), {{"state", "visible"}}, event.moderator());
    auto approved = phone.receive_until(of_type("question"));
    ASSERT_TRUE(approved);
    EXPECT_EQ((*approved)["question"]["state"], "visible");
    client.post(qpath(q, "/upvote"), json::object(), participant(ben));
    auto upvoted = phone.receive_until(
        [](const json& m) { return m["type"] == "question" && m["question"]["upvotes"] == 1; });
    EXPECT_TRUE(upvoted);
    client.patch(qpath(q), {{"state", "hidden"}}, event.moderator());
    auto removed = phone.receive_until(of_type("question_removed"));
    ASSERT_TRUE(removed);
    EXPECT_EQ((*removed)["question_id"], q["id"]);

    // A fresh snapshot for the author lists their own questions and upvotes.
    WsClient author(server.port(), "/ws/events/QANDA");
    author.receive_until(of_type("snapshot"));
    author.send({{"type", "hello"}, {"participant_token", ana}});
    auto own = author.receive_until(of_type("snapshot"));
    EXPECT_EQ((*own)["my_questions"], json::array({q["id"]}));
}

}  // namespace
}  // namespace voxpop::testing
