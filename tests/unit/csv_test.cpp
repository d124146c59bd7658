#include "app/export.hpp"

#include <gtest/gtest.h>

namespace voxpop {
namespace {

TEST(CsvField, QuotesEverythingAndDoublesQuotes) {
    EXPECT_EQ(csv_field("plain"), "\"plain\"");
    EXPECT_EQ(csv_field("say \"hi\", ok"), "\"say \"\"hi\"\", ok\"");
    EXPECT_EQ(csv_field("two\r\nlines"), "\"two\r\nlines\"");
    EXPECT_EQ(csv_field(""), "\"\"");
}

TEST(CsvField, NeutralisesFormulaStarts) {
    EXPECT_EQ(csv_field("=1+1"), "\"'=1+1\"");
    EXPECT_EQ(csv_field("+1"), "\"'+1\"");
    EXPECT_EQ(csv_field("-1"), "\"'-1\"");
    EXPECT_EQ(csv_field("@SUM(A1)"), "\"'@SUM(A1)\"");
    EXPECT_EQ(csv_field("\tx"), "\"'\tx\"");
    EXPECT_EQ(csv_field("\rx"), "\"'\rx\"");
    EXPECT_EQ(csv_field("\nx"), "\"'\nx\"");
    EXPECT_EQ(csv_field(std::string_view("\0x", 2)), std::string("\"'\0x\"", 5));
    EXPECT_EQ(csv_field("a=b"), "\"a=b\"");
}

TEST(ResultsCsv, OneRowPerOptionWithHeader) {
    Event event;
    event.code = "ABCD";
    auto poll = std::make_unique<Poll>();
    poll->id = 7;
    poll->type = PollType::single;
    poll->state = PollState::closed;
    poll->question = "=cmd|' /C calc'!A0";
    poll->options = {{1, "Yes"}, {2, "No"}};
    poll->tally = Tally(PollType::single, poll->options, 5);
    poll->responses[1] = Answer{{1}, {}, 0};
    poll->responses[2] = Answer{{1}, {}, 0};
    poll->responses[3] = Answer{{2}, {}, 0};
    poll->recount();
    event.polls.push_back(std::move(poll));
    std::string csv = results_csv(event);
    EXPECT_EQ(csv,
              "\"poll_position\",\"poll_id\",\"question\",\"type\",\"state\",\"respondents\","
              "\"answer\",\"votes\",\"percent\",\"hidden\"\r\n"
              "\"1\",\"7\",\"'=cmd|' /C "
              "calc'!A0\",\"single\",\"closed\",\"3\",\"Yes\",\"2\",\"66.7\",\"false\"\r\n"
              "\"1\",\"7\",\"'=cmd|' /C "
              "calc'!A0\",\"single\",\"closed\",\"3\",\"No\",\"1\",\"33.3\",\"false\"\r\n");
}

}  // namespace
}  // namespace voxpop
