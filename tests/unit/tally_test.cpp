#include "domain/tally.hpp"
#include "domain/event.hpp"
#include "domain/serialize.hpp"

#include <gtest/gtest.h>

namespace voxpop {
namespace {

std::vector<PollOption> options(int n) {
    std::vector<PollOption> list;
    for (int i = 1; i <= n; ++i) list.push_back({i, "option " + std::to_string(i)});
    return list;
}

Answer choose(std::vector<std::int64_t> ids) {
    return Answer{std::move(ids), {}, 0};
}
Answer rate(int value) {
    return Answer{{}, {}, value};
}
Answer words(std::vector<std::string> list) {
    return Answer{{}, std::move(list), 0};
}

TEST(Percent, RoundsToOneDecimal) {
    EXPECT_DOUBLE_EQ(Tally::percent(2, 3), 66.7);
    EXPECT_DOUBLE_EQ(Tally::percent(1, 3), 33.3);
    EXPECT_DOUBLE_EQ(Tally::percent(1, 8), 12.5);
    EXPECT_DOUBLE_EQ(Tally::percent(1, 6), 16.7);
    EXPECT_DOUBLE_EQ(Tally::percent(0, 0), 0.0);
    EXPECT_DOUBLE_EQ(Tally::percent(5, 5), 100.0);
}

TEST(Tally, SingleChoiceCountsAndChangedAnswers) {
    Tally tally(PollType::single, options(3), 5);
    tally.add(choose({1}));
    tally.add(choose({1}));
    tally.add(choose({2}));
    EXPECT_EQ(tally.respondents(), 3);
    EXPECT_EQ(tally.votes(1), 2);
    // A participant changes 1 -> 3: remove the old, add the new; never counted twice.
    tally.remove(choose({1}));
    tally.add(choose({3}));
    EXPECT_EQ(tally.respondents(), 3);
    EXPECT_EQ(tally.votes(1), 1);
    EXPECT_EQ(tally.votes(3), 1);
}

TEST(Tally, MultipleChoicePercentagesMayExceedHundred) {
    Poll poll;
    poll.type = PollType::multiple;
    poll.options = options(3);
    poll.tally = Tally(PollType::multiple, poll.options, 5);
    poll.tally.add(choose({1, 2}));
    poll.tally.add(choose({1, 3}));
    auto body = results_json(poll, Audience::attendee, 100);
    EXPECT_EQ(body["respondents"], 2);
    EXPECT_DOUBLE_EQ(body["options"][0]["percent"].get<double>(), 100.0);
    EXPECT_DOUBLE_EQ(body["options"][1]["percent"].get<double>(), 50.0);
    EXPECT_DOUBLE_EQ(body["options"][2]["percent"].get<double>(), 50.0);
}

TEST(Tally, RatingMeanAndMedian) {
    Tally tally(PollType::rating, {}, 5);
    EXPECT_FALSE(tally.rating_stats().mean);
    for (int value : {1, 4, 4, 5}) tally.add(rate(value));
    auto stats = tally.rating_stats();
    EXPECT_DOUBLE_EQ(*stats.mean, 3.5);
    EXPECT_DOUBLE_EQ(*stats.median, 4.0);
    tally.add(rate(2));  // 1 2 4 4 5
    EXPECT_DOUBLE_EQ(*tally.rating_stats().median, 4.0);
    tally.remove(rate(5));  // 1 2 4 4
    EXPECT_DOUBLE_EQ(*tally.rating_stats().median, 3.0);
    EXPECT_EQ(tally.rating_counts(), (std::vector<std::int64_t>{1, 1, 0, 2, 0}));
}

TEST(WordTally, CountsNormalisedFormsOncePerParticipantWithTheCommonSpelling) {
    Tally tally(PollType::wordcloud, {}, 5);
    tally.add(words({"GANs", "gans "}));  // same person, same key: once
    tally.add(words({"GANs"}));
    tally.add(words({"gans", "Diffusion"}));
    auto top = tally.words().top(10, false);
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(top[0].key, "gans");
    EXPECT_EQ(top[0].count, 3);
    EXPECT_EQ(top[0].display, "GANs");
    EXPECT_EQ(top[1].key, "diffusion");
}

TEST(WordTally, SortedByCountThenTextAndLimited) {
    Tally tally(PollType::wordcloud, {}, 5);
    tally.add(words({"b", "a", "c"}));
    tally.add(words({"c"}));
    auto top = tally.words().top(2, false);
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(top[0].key, "c");
    EXPECT_EQ(top[1].key, "a");
    EXPECT_EQ(tally.words().distinct(), 3u);
}

TEST(WordTally, HiddenWordsOnlyForModerators) {
    Tally tally(PollType::wordcloud, {}, 5);
    tally.add(words({"spam", "good"}));
    tally.words().set_hidden("spam", true);
    EXPECT_EQ(tally.words().top(10, false).size(), 1u);
    auto all = tally.words().top(10, true);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](auto& w) { return w.hidden; }));
}

TEST(WordTally, MergeCountsAParticipantOnceAndRefusesCycles) {
    Poll poll;
    poll.type = PollType::wordcloud;
    poll.tally = Tally(PollType::wordcloud, {}, 5);
    poll.responses[1] = words({"GAN", "GANs"});
    poll.responses[2] = words({"GAN"});
    poll.recount();
    ASSERT_TRUE(poll.tally.words().merge("gan", "gans"));
    poll.recount();
    auto top = poll.tally.words().top(10, false);
    ASSERT_EQ(top.size(), 1u);
    EXPECT_EQ(top[0].key, "gans");
    EXPECT_EQ(top[0].count, 2);
    EXPECT_FALSE(poll.tally.words().merge("gans", "gan")) << "cycle";
    EXPECT_FALSE(poll.tally.words().merge("x", "x"));
    // Removing a response after a merge stays exact.
    poll.tally.remove(poll.responses[1]);
    EXPECT_EQ(poll.tally.words().top(10, false)[0].count, 1);
}

TEST(Visibility, AttendeeRules) {
    Poll poll;
    poll.state = PollState::open;
    poll.results = Visibility::live;
    EXPECT_TRUE(attendee_may_see_results(poll, false));
    poll.results = Visibility::after_vote;
    EXPECT_FALSE(attendee_may_see_results(poll, false));
    EXPECT_TRUE(attendee_may_see_results(poll, true));
    poll.results = Visibility::after_close;
    EXPECT_FALSE(attendee_may_see_results(poll, true));
    poll.state = PollState::closed;
    EXPECT_TRUE(attendee_may_see_results(poll, false));
    poll.results = Visibility::hidden;
    EXPECT_FALSE(attendee_may_see_results(poll, true));
    poll.results = Visibility::live;
    poll.state = PollState::draft;
    EXPECT_FALSE(attendee_may_see_results(poll, true));
}

}  // namespace
}  // namespace voxpop

#include "domain/rate_limiter.hpp"

namespace voxpop {
namespace {

TEST(RateLimiter, AllowsTheLimitPerMinuteThenTellsWhenToRetry) {
    RateLimiter limiter(3);
    auto t0 = RateLimiter::Clock::now();
    for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.acquire(1, t0), 0);
    int retry = limiter.acquire(1, t0 + std::chrono::seconds(10));
    EXPECT_GE(retry, 50);
    EXPECT_LE(retry, 51);
    EXPECT_EQ(limiter.acquire(2, t0), 0) << "keys are independent";
    EXPECT_EQ(limiter.acquire(1, t0 + std::chrono::seconds(61)), 0) << "a new window";
}

}  // namespace
}  // namespace voxpop
