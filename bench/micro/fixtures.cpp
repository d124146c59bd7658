#include "fixtures.hpp"

#include "domain/serialize.hpp"

namespace voxpop::bench {

std::string results_message(const Poll& poll) {
    nlohmann::json message = {{"type", "results"},
                              {"poll_id", poll.id},
                              {"seq", 1},
                              {"results", results_json(poll, Audience::attendee, 100)}};
    return message.dump();
}

const std::vector<std::string>& sample_words() {
    static const std::vector<std::string> words = {"Machine learning",
                                                   "  GANs ",
                                                   "diffusion   models",
                                                   "Ｆｕｌｌ　ｗｉｄｔｈ",
                                                   "Café",
                                                   "ÉCOLE",
                                                   "naïve Bayes",
                                                   "Straße",
                                                   "transformers",
                                                   "Ensemble\tforecasts",
                                                   "ﬁne-tuning",
                                                   "数据同化",
                                                   "Kalman filter",
                                                   "RAIN",
                                                   "rain ",
                                                   "Rain"};
    return words;
}

std::unique_ptr<Poll> make_poll(PollType type, int options, int respondents, int distinct) {
    auto poll = std::make_unique<Poll>();
    poll->id = 1;
    poll->type = type;
    poll->question = "What is the project's greatest idea for better forecasts?";
    poll->state = PollState::open;
    if (type == PollType::single || type == PollType::multiple)
        for (int i = 0; i < options; ++i)
            poll->options.push_back({i + 1, "Option number " + std::to_string(i + 1)});
    poll->tally = Tally(type, poll->options, poll->scale);
    for (int p = 0; p < respondents; ++p) {
        Answer answer;
        if (type == PollType::wordcloud) {
            for (int j = 0; j < 3; ++j)
                answer.words.push_back("word" + std::to_string((p * 3 + j) % distinct));
        } else if (type == PollType::rating) {
            answer.rating = 1 + p % poll->scale;
        } else {
            answer.options = {1 + p % options};
        }
        poll->tally.add(answer);
        poll->responses.emplace(p + 1, std::move(answer));
    }
    return poll;
}

std::unique_ptr<Event> make_event(int polls, PollType type, int respondents) {
    auto event = std::make_unique<Event>();
    event->id = 1;
    event->code = "BENCH1";
    event->title = "Benchmark event";
    for (int i = 0; i < polls; ++i) {
        auto poll = make_poll(type, 6, respondents);
        poll->id = i + 1;
        poll->position = i;
        event->polls.push_back(std::move(poll));
    }
    return event;
}

}  // namespace voxpop::bench
