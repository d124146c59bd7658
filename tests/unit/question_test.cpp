#include "domain/question.hpp"

#include <gtest/gtest.h>

namespace voxpop {
namespace {

Question make(std::int64_t id, std::int64_t created, std::vector<std::int64_t> upvoters) {
    Question q;
    q.id = id;
    q.created_at = created;
    q.upvoters.insert(upvoters.begin(), upvoters.end());
    return q;
}

std::vector<std::int64_t> ids(const std::vector<const Question*>& list) {
    std::vector<std::int64_t> out;
    for (const auto* q : list) out.push_back(q->id);
    return out;
}

TEST(QuestionOrder, TopIsUpvotesThenNewest) {
    auto a = make(1, 100, {1, 2});
    auto b = make(2, 200, {3});
    auto c = make(3, 300, {4, 5});
    auto d = make(4, 50, {});
    std::vector<const Question*> list = {&a, &b, &c, &d};
    sort_questions(list, QuestionSort::top);
    EXPECT_EQ(ids(list), (std::vector<std::int64_t>{3, 1, 2, 4}));
    sort_questions(list, QuestionSort::recent);
    EXPECT_EQ(ids(list), (std::vector<std::int64_t>{3, 2, 1, 4}));
}

TEST(QuestionUpvotes, OnePerParticipant) {
    auto q = make(1, 1, {});
    q.upvoters.insert(7);
    q.upvoters.insert(7);
    EXPECT_EQ(q.upvotes(), 1);
    // A merge carries upvoters over as a set union: someone who upvoted both counts once.
    auto target = make(2, 1, {7, 8});
    target.upvoters.insert(q.upvoters.begin(), q.upvoters.end());
    EXPECT_EQ(target.upvotes(), 2);
}

TEST(QuestionVisibility, AttendeesSeeVisibleUnblockedAndTheirOwn) {
    auto q = make(1, 1, {});
    q.participant_id = 5;
    q.state = QuestionState::pending;
    EXPECT_TRUE(attendee_may_see(q, 5, false)) << "the author sees their pending question";
    EXPECT_FALSE(attendee_may_see(q, 6, false));
    EXPECT_FALSE(attendee_may_see(q, std::nullopt, false));
    q.state = QuestionState::visible;
    EXPECT_TRUE(attendee_may_see(q, 6, false));
    EXPECT_FALSE(attendee_may_see(q, 6, true)) << "blocked words hide it";
    for (auto hidden : {QuestionState::dismissed, QuestionState::hidden, QuestionState::archived,
                        QuestionState::merged}) {
        q.state = hidden;
        EXPECT_FALSE(attendee_may_see(q, 6, false));
    }
}

TEST(BlockList, MatchesWholeNormalisedWords) {
    BlockList blocked;
    ASSERT_TRUE(blocked.set({"Spam", "bad word"}));
    EXPECT_TRUE(blocked.matches("This is SPAM!"));
    EXPECT_TRUE(blocked.matches("ＳＰＡＭ"));
    EXPECT_TRUE(blocked.matches("a  BAD   word here"));
    EXPECT_FALSE(blocked.matches("spammer"));
    EXPECT_FALSE(blocked.matches("antispam"));
    EXPECT_FALSE(blocked.matches("nothing"));
    EXPECT_TRUE(blocked.matches_normalized("spam"));
    EXPECT_FALSE(BlockList().matches("spam"));
    EXPECT_FALSE(blocked.set({"\xff"}));
}

}  // namespace
}  // namespace voxpop
