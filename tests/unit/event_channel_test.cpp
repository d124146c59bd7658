#include "realtime/event_channel.hpp"

#include <gtest/gtest.h>

namespace voxpop {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::vector<std::int64_t> due_polls(EventChannel& channel, Clock::time_point now,
                                    std::chrono::milliseconds interval) {
    std::vector<std::int64_t> polls;
    for (auto due : channel.take_due(now, interval)) polls.push_back(due.id);
    return polls;
}

TEST(EventChannelPushes, ChangedPollsAreDueOncePerInterval) {
    EventChannel channel(std::make_shared<Event>());
    const auto start = Clock::now();
    EXPECT_TRUE(due_polls(channel, start, 300ms).empty()) << "nothing changed yet";
    channel.mark_dirty(7);
    auto first = channel.take_due(start, 300ms);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].id, 7);
    channel.push_done(7);
    channel.mark_dirty(7);
    EXPECT_TRUE(due_polls(channel, start + 100ms, 300ms).empty()) << "within the interval";
    auto second = channel.take_due(start + 300ms, 300ms);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].seq, first[0].seq + 1);
    channel.push_done(7);
    EXPECT_TRUE(due_polls(channel, start + 900ms, 300ms).empty()) << "unchanged since";
}

TEST(EventChannelPushes, APollIsNeverInTwoPushesAtOnce) {
    EventChannel channel(std::make_shared<Event>());
    const auto start = Clock::now();
    channel.mark_dirty(3);
    channel.mark_dirty(4);
    EXPECT_EQ(due_polls(channel, start, 100ms).size(), 2u);
    channel.mark_dirty(3);
    channel.mark_dirty(4);
    channel.push_done(4);
    // Poll 3's push has not reached every session yet: it waits, however long ago it began.
    EXPECT_EQ(due_polls(channel, start + 5s, 100ms), std::vector<std::int64_t>{4});
    channel.push_done(3);
    EXPECT_EQ(due_polls(channel, start + 5s, 100ms), std::vector<std::int64_t>{3});
}

TEST(EventChannelPushes, QuestionsFollowTheSameRule) {
    EventChannel channel(std::make_shared<Event>());
    const auto start = Clock::now();
    channel.mark_question_dirty(9);
    EXPECT_EQ(channel.take_due_questions(start, 100ms).size(), 1u);
    channel.mark_question_dirty(9);
    EXPECT_TRUE(channel.take_due_questions(start + 1s, 100ms).empty());
    channel.question_push_done(9);
    EXPECT_EQ(channel.take_due_questions(start + 1s, 100ms).size(), 1u);
}

TEST(EventChannelPushes, ADeletedPollIsForgotten) {
    EventChannel channel(std::make_shared<Event>());
    const auto start = Clock::now();
    channel.mark_dirty(5);
    ASSERT_EQ(due_polls(channel, start, 100ms), std::vector<std::int64_t>{5});
    channel.mark_dirty(5);  // changed again while its push walks
    channel.forget_poll(5);
    channel.push_done(5);  // the walk ends after the deletion
    EXPECT_TRUE(due_polls(channel, start + 1s, 100ms).empty()) << "nothing left to push";
    EXPECT_FALSE(channel.take_revision(5, 0)) << "nor to rebuild";
}

TEST(EventChannelPushes, APollIdReusedAfterADeletionKeepsItsSeqGrowing) {
    // SQLite may give a new poll the id of a deleted one; pages drop results whose seq is not
    // above the last they saw for that id.
    EventChannel channel(std::make_shared<Event>());
    const auto start = Clock::now();
    channel.mark_dirty(5);
    auto old_poll = channel.take_due(start, 100ms);
    ASSERT_EQ(old_poll.size(), 1u);
    channel.push_done(5);
    channel.forget_poll(5);
    channel.mark_dirty(5);
    auto new_poll = channel.take_due(start + 1s, 100ms);
    ASSERT_EQ(new_poll.size(), 1u);
    EXPECT_GT(new_poll[0].seq, old_poll[0].seq);
}

TEST(EventChannelPushes, ABroadcastWithNoSessionsIsDoneAtOnce) {
    auto channel = std::make_shared<EventChannel>(std::make_shared<Event>());
    bool done = false;
    channel->for_each_session([](WsSession&) { FAIL() << "no sessions to visit"; },
                              [&] { done = true; });
    EXPECT_TRUE(done);
}

}  // namespace
}  // namespace voxpop
