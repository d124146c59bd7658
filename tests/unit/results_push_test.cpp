#include "realtime/results_push.hpp"

#include <gtest/gtest.h>

namespace voxpop {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kPoll = 7;

std::shared_ptr<Event> event_with_a_poll() {
    auto event = std::make_shared<Event>();
    event->code = "ABCD";
    auto poll = std::make_unique<Poll>();
    poll->id = kPoll;
    poll->type = PollType::single;
    poll->state = PollState::open;
    poll->options = {{1, "Yes"}, {2, "No"}};
    poll->tally = Tally(PollType::single, poll->options, 5);
    poll->responses[1] = Answer{{1}, {}, 0};
    poll->recount();
    event->polls.push_back(std::move(poll));
    return event;
}

// As the writer thread does after a commit: change the poll, then tell the channel.
void add_response(Event& event, EventChannel& channel, std::int64_t participant) {
    {
        auto lock = event.write_lock();
        Poll* poll = event.find_poll(kPoll);
        poll->responses[participant] = Answer{{2}, {}, 0};
        poll->recount();
    }
    channel.mark_dirty(kPoll);
}

using Clock = ResultsPush::Clock;
const Clock::time_point t0 = Clock::now();
constexpr auto kFresh = ResultsPush::kFreshness;

EventChannel::Due take_the_push(EventChannel& channel) {
    auto due = channel.take_due(t0, 100ms);
    EXPECT_EQ(due.size(), 1u);
    return due.empty() ? EventChannel::Due{} : due.front();
}

bool contains(const SharedMessage& message, std::string_view text) {
    return message && message->find(text) != std::string::npos;
}

TEST(ResultsPush, AChangeDuringTheWalkReachesTheSessionsStillAhead) {
    auto event = event_with_a_poll();
    auto channel = std::make_shared<EventChannel>(event);
    channel->mark_dirty(kPoll);
    ResultsPush push(channel, take_the_push(*channel), 10, t0);
    ASSERT_TRUE(push.ready());
    auto first = push.newest(t0);
    ASSERT_TRUE(first);
    EXPECT_TRUE(contains(first->for_moderators, R"("seq":1,)")) << *first->for_moderators;
    EXPECT_TRUE(contains(first->for_moderators, R"("respondents":1,)"));
    EXPECT_EQ(first->for_attendees, first->for_moderators) << "one buffer for all but clouds";
    EXPECT_TRUE(first->attendees_see);

    EXPECT_EQ(push.newest(t0 + kFresh), first) << "unchanged poll: the same frames";

    add_response(*event, *channel, 2);
    EXPECT_EQ(push.newest(t0 + kFresh - 1ms), first) << "rebuilt at most every kFreshness";
    auto second = push.newest(t0 + kFresh);
    EXPECT_NE(second, first) << "changed and old enough: rebuilt";
    EXPECT_TRUE(contains(second->for_moderators, R"("seq":2,)")) << *second->for_moderators;
    EXPECT_TRUE(contains(second->for_moderators, R"("respondents":2,)"));

    add_response(*event, *channel, 3);
    EXPECT_EQ(push.newest(t0 + 2 * kFresh - 1ms), second) << "kFreshness after the last build";
    // Later than 2 × kFreshness: the gap also grows with what the last rebuild took.
    auto third = push.newest(t0 + 1s);
    EXPECT_TRUE(contains(third->for_moderators, R"("seq":3,)")) << *third->for_moderators;
    EXPECT_TRUE(contains(third->for_moderators, R"("respondents":3,)"));
}

TEST(ResultsPush, APollChangedDuringThePushIsDueAgainAfterIt) {
    // The sessions the walk had already visited did not get the change.
    auto event = event_with_a_poll();
    auto channel = std::make_shared<EventChannel>(event);
    channel->mark_dirty(kPoll);
    ResultsPush push(channel, take_the_push(*channel), 10, t0);
    add_response(*event, *channel, 2);
    ASSERT_TRUE(contains(push.newest(t0 + kFresh)->for_moderators, R"("respondents":2,)"));
    channel->push_done(kPoll);
    auto next = channel->take_due(t0 + 1s, 100ms);
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(next[0].seq, 3u) << "after the rebuild's 2";
}

TEST(ResultsPush, StopsWhenThePollIsDeleted) {
    auto event = event_with_a_poll();
    auto channel = std::make_shared<EventChannel>(event);
    channel->mark_dirty(kPoll);
    ResultsPush push(channel, take_the_push(*channel), 10, t0);
    {
        auto lock = event->write_lock();
        event->polls.clear();
    }
    channel->mark_dirty(kPoll);
    EXPECT_EQ(push.newest(t0 + kFresh), nullptr);

    channel->mark_dirty(kPoll);
    EXPECT_FALSE(ResultsPush(channel, {kPoll, 9, 9}, 10).ready()) << "gone before it began";
}

TEST(ResultsPush, HiddenResultsAreOnlyForModerators) {
    auto event = event_with_a_poll();
    event->polls.front()->results = Visibility::hidden;
    auto channel = std::make_shared<EventChannel>(event);
    channel->mark_dirty(kPoll);
    ResultsPush push(channel, take_the_push(*channel), 10, t0);
    ASSERT_TRUE(push.ready());
    EXPECT_FALSE(push.newest(t0)->attendees_see);
    EXPECT_FALSE(push.newest(t0)->responders_see);
}

}  // namespace
}  // namespace voxpop
