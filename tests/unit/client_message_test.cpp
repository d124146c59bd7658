#include "realtime/client_message.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace voxpop {
namespace {

using nlohmann::json;
using Value = AnswerFields::Value;

TEST(ClientMessage, ReadsAVoteWithoutATree) {
    auto message =
        read_client_message(R"({"type":"respond","ref":"r1","poll_id":3,"options":[11,12]})");
    ASSERT_TRUE(message);
    EXPECT_EQ(message->type, "respond");
    EXPECT_EQ(message->ref_json, R"("r1")");
    EXPECT_EQ(message->poll_id, 3);
    EXPECT_TRUE(message->answer.options.present);
    EXPECT_TRUE(message->answer.options.is_array);
    EXPECT_EQ(message->answer.options.elements, (std::vector<Value>{11, 12}));
    EXPECT_FALSE(message->answer.words.present);
    EXPECT_FALSE(message->answer.rating.present);
    EXPECT_FALSE(message->participant_token);
}

TEST(ClientMessage, EchoesAnyRefAsTheSameJson) {
    const std::vector<std::string> refs = {
        R"("plain")",
        R"("quote \" backslash \\ tab \t newline \n")",
        R"("\u0001 control and é ✓ 🎉")",
        "-42",
        "18446744073709551615",
        "2.5",
        "-1e-7",
        "true",
        "false",
        "null",
        "[]",
        "{}",
        R"({"a":[1,{"b":[]},{}],"c":"x","d":{"e":null}})",
        R"([[[]],[{"k":"v"}],"s",3])",
    };
    for (const auto& ref : refs) {
        auto message =
            read_client_message(R"({"type":"respond","ref":)" + ref + R"(,"poll_id":1})");
        ASSERT_TRUE(message) << ref;
        EXPECT_EQ(json::parse(message->ref_json), json::parse(ref))
            << ref << " -> " << message->ref_json;
        EXPECT_EQ(message->poll_id, 1) << "members after ref are still read: " << ref;
    }
    auto absent = read_client_message(R"({"type":"respond"})");
    ASSERT_TRUE(absent);
    EXPECT_EQ(absent->ref_json, "null");
}

TEST(ClientMessage, TakesOnlyOneJsonObject) {
    for (const char* text :
         {"", "[]", R"("respond")", "1", "null", R"({"type":"ping")", R"({"type":"ping"} {})",
          R"({"type":"ping"}])", "{'type':'ping'}", "{\"type\":\"\xff\"}"})
        EXPECT_FALSE(read_client_message(text)) << text;
    EXPECT_TRUE(read_client_message("{}"));
    EXPECT_TRUE(read_client_message(" {\"type\" : \"ping\"}\n"));
}

TEST(ClientMessage, KeepsOnlyValuesOfTheRightKind) {
    auto message = read_client_message(
        R"({"type":1,"poll_id":"3","participant_token":5,"moderator_token":["mt"]})");
    ASSERT_TRUE(message);
    EXPECT_FALSE(message->type);
    EXPECT_FALSE(message->poll_id);
    EXPECT_FALSE(message->participant_token);
    EXPECT_FALSE(message->moderator_token);
    EXPECT_FALSE(read_client_message(R"({"poll_id":3.0})")->poll_id);
    EXPECT_EQ(read_client_message(R"({"poll_id":-7})")->poll_id, -7);
}

TEST(ClientMessage, ARepeatedMemberKeepsTheLastValueAsATreeWould) {
    const std::string text = R"({"type":"ping","type":"respond","ref":{"a":1},"ref":"second",)"
                             R"("options":[1],"options":"x","words":["a"],"words":{"w":["b"]}})";
    auto message = read_client_message(text);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->type, "respond");
    EXPECT_EQ(message->ref_json, R"("second")");
    EXPECT_EQ(message->answer, answer_fields(json::parse(text)));
    EXPECT_FALSE(message->answer.options.is_array);
    EXPECT_EQ(message->answer.options.value, Value("x"));
    EXPECT_TRUE(message->answer.words.present);
    EXPECT_FALSE(message->answer.words.is_array);
}

TEST(ClientMessage, SeesTheAnswerFieldsThatARequestBodyHolds) {
    const std::vector<std::string> bodies = {
        R"({"options":[1,"2",[3],{"a":[4]},2.5,null,true,-9]})",
        R"({"words":["GANs"," diffusion ",7,["x"],""]})",
        R"({"rating":4})",
        R"({"rating":"4"})",
        R"({"rating":[4]})",
        R"({"rating":{"value":4},"options":[],"words":[]})",
        R"({"options":[18446744073709551615,9223372036854775807]})",
        R"({"nested":{"options":[1],"words":["w"],"rating":2}})",
    };
    for (const auto& body : bodies) {
        auto message = read_client_message(body);
        ASSERT_TRUE(message) << body;
        EXPECT_EQ(message->answer, answer_fields(json::parse(body))) << body;
    }
    auto mixed = read_client_message(bodies[0]);
    EXPECT_EQ(mixed->answer.options.elements, (std::vector<Value>{1, "2", {}, {}, {}, {}, {}, -9}));
    EXPECT_FALSE(read_client_message(bodies.back())->answer.options.present)
        << "only members of the message itself count";
}

}  // namespace
}  // namespace voxpop
