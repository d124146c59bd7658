#include "app/poll_service.hpp"

#include "domain/errors.hpp"
#include "domain/parse.hpp"
#include "domain/serialize.hpp"
#include "domain/words.hpp"
#include "util/clock.hpp"

#include <algorithm>
#include <mutex>

namespace voxpop {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxPollsPerEvent = 500;

std::unique_ptr<Poll> make_poll(const Event& event, const PollSpec& spec) {
    auto poll = std::make_unique<Poll>();
    poll->event_id = event.id;
    poll->position = static_cast<int>(event.polls.size());
    poll->type = spec.type;
    poll->question = spec.question;
    for (const auto& text : spec.options) poll->options.push_back({0, text});
    poll->max_choices = spec.max_choices;
    poll->max_words = spec.max_words;
    poll->scale = spec.scale;
    poll->results = spec.results;
    poll->allow_change = spec.allow_change;
    poll->created_at = now_ms();
    return poll;
}

// A poll's own fields without its responses, to stage an edit before it is committed.
Poll header_of(const Poll& poll) {
    Poll copy;
    copy.id = poll.id;
    copy.event_id = poll.event_id;
    copy.position = poll.position;
    copy.type = poll.type;
    copy.question = poll.question;
    copy.options = poll.options;
    copy.max_choices = poll.max_choices;
    copy.max_words = poll.max_words;
    copy.scale = poll.scale;
    copy.state = poll.state;
    copy.results = poll.results;
    copy.allow_change = poll.allow_change;
    copy.created_at = poll.created_at;
    return copy;
}

Poll& require_poll(Event& event, std::int64_t poll_id) {
    Poll* poll = event.find_poll(poll_id);
    if (!poll) throw not_found("Poll " + std::to_string(poll_id));
    return *poll;
}

bool state_change_allowed(PollState from, PollState to) {
    if (from == to) return true;
    if (to == PollState::draft) return false;  // once shown, a poll stays shown
    return true;                               // draft -> open/closed, open <-> closed
}

// Applies `patch` to `staged`; throws on anything invalid. Returns whether the content
// (question, options, limits, type) changed, which is allowed only in draft.
bool stage_patch(Poll& staged, const json& patch) {
    if (!patch.is_object()) throw invalid_field("body", "must be an object");
    static const std::vector<std::string> kContent = {"type",        "question",  "options",
                                                      "max_choices", "max_words", "scale"};
    static const std::vector<std::string> kKnown = {
        "type",  "question",     "options", "max_choices", "max_words",
        "scale", "allow_change", "state",   "results",     "position"};
    for (const auto& [key, value] : patch.items())
        if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end())
            throw invalid_field(key, "is not a field of a poll");

    bool content = std::any_of(kContent.begin(), kContent.end(),
                               [&](const std::string& key) { return patch.contains(key); });
    if (content) {
        if (staged.state != PollState::draft)
            throw ApiError(409, "poll_not_draft",
                           "Question, options and limits can only be edited while the poll is a "
                           "draft.");
        json merged = {{"type", to_string(staged.type)},
                       {"question", staged.question},
                       {"max_choices", staged.max_choices},
                       {"max_words", staged.max_words},
                       {"scale", staged.scale}};
        json options = json::array();
        for (const auto& option : staged.options) options.push_back(option.text);
        merged["options"] = options;
        for (const auto& key : kContent)
            if (patch.contains(key)) merged[key] = patch[key];
        // Switching to multiple choice without a limit: allow every option.
        if (patch.contains("type") && !patch.contains("max_choices"))
            merged["max_choices"] = merged["type"] == "multiple" ? merged["options"].size() : 1;
        if (merged["type"] != "single" && merged["type"] != "multiple")
            merged["options"] = json::array();
        PollSpec spec = parse_poll_spec(merged);
        bool options_changed = spec.options.size() != staged.options.size();
        for (std::size_t i = 0; !options_changed && i < spec.options.size(); ++i)
            options_changed = spec.options[i] != staged.options[i].text;
        staged.type = spec.type;
        staged.question = spec.question;
        if (options_changed) {
            staged.options.clear();
            for (const auto& text : spec.options) staged.options.push_back({0, text});
        }
        staged.max_choices = spec.max_choices;
        staged.max_words = spec.max_words;
        staged.scale = spec.scale;
    }
    if (auto it = patch.find("allow_change"); it != patch.end()) {
        if (!it->is_boolean()) throw invalid_field("allow_change", "must be true or false");
        staged.allow_change = it->get<bool>();
    }
    if (auto it = patch.find("results"); it != patch.end()) {
        auto visibility = it->is_string() ? parse_visibility(it->get<std::string>()) : std::nullopt;
        if (!visibility)
            throw invalid_field("results", "must be live, after_vote, after_close or hidden");
        staged.results = *visibility;
    }
    if (auto it = patch.find("state"); it != patch.end()) {
        auto state = it->is_string() ? parse_poll_state(it->get<std::string>()) : std::nullopt;
        if (!state) throw invalid_field("state", "must be draft, open or closed");
        if (!state_change_allowed(staged.state, *state))
            throw ApiError(409, "invalid_state_change",
                           "A poll cannot go back to draft once it has been opened.");
        staged.state = *state;
    }
    if (auto it = patch.find("position"); it != patch.end()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
            throw invalid_field("position", "must be a whole number from 0");
        staged.position = static_cast<int>(std::min<std::int64_t>(it->get<std::int64_t>(), 100000));
    }
    return content;
}

}  // namespace

void PollService::create(std::shared_ptr<Event> event, PollSpec spec, Done done) {
    auto created = std::make_shared<std::int64_t>(0);
    ctx_.writer.submit(
        {[event, spec = std::move(spec), created](Repository& repo) {
             auto lock = event->write_lock();
             if (event->polls.size() >= kMaxPollsPerEvent)
                 throw ApiError(409, "too_many_polls", "An event holds at most 500 polls.");
             auto poll = make_poll(*event, spec);
             repo.insert_poll(*poll);
             poll->tally = Tally(poll->type, poll->options, poll->scale);
             *created = poll->id;
             event->polls.push_back(std::move(poll));
         },
         [this, event, created, done = std::move(done)](const Writer::Outcome& outcome) {
             if (outcome) return done(outcome, {});
             ctx_.registry.index_poll(*created, event);
             json body;
             {
                 std::shared_lock lock(event->mutex);
                 body = poll_json(*event->find_poll(*created), event->code);
             }
             ctx_.live.poll_changed(event, *created);
             done(outcome, std::move(body));
         }});
}

void PollService::update(std::shared_ptr<Event> event, std::int64_t poll_id, json patch,
                         Done done) {
    auto moved = std::make_shared<bool>(false);
    ctx_.writer.submit(
        {[event, poll_id, patch = std::move(patch), moved](Repository& repo) {
             auto lock = event->write_lock();
             Poll& poll = require_poll(*event, poll_id);
             Poll staged = header_of(poll);
             bool content_changed = stage_patch(staged, patch);
             bool options_changed =
                 content_changed && !staged.options.empty() && staged.options.front().id == 0;
             if (options_changed) repo.replace_options(staged);
             if (content_changed && staged.type != PollType::single &&
                 staged.type != PollType::multiple)
                 staged.options.clear();

             // The new order, written before anything in memory changes.
             std::vector<Poll*> order;
             for (auto& p : event->polls) order.push_back(p.get());
             int target = std::min<int>(staged.position, static_cast<int>(order.size()) - 1);
             *moved = target != poll.position;
             if (*moved) {
                 order.erase(order.begin() + poll.position);
                 order.insert(order.begin() + target, &poll);
             }
             staged.position = target;
             repo.update_poll(staged);
             for (std::size_t i = 0; *moved && i < order.size(); ++i)
                 if (order[i] != &poll && order[i]->position != static_cast<int>(i)) {
                     Poll shifted = header_of(*order[i]);
                     shifted.position = static_cast<int>(i);
                     repo.update_poll(shifted);
                 }

             // Committed to SQL: now memory.
             if (*moved) {
                 std::vector<std::unique_ptr<Poll>> reordered;
                 for (Poll* p : order)
                     for (auto& owned : event->polls)
                         if (owned.get() == p) reordered.push_back(std::move(owned));
                 event->polls = std::move(reordered);
                 event->renumber();
             }
             poll.type = staged.type;
             poll.question = staged.question;
             poll.max_choices = staged.max_choices;
             poll.max_words = staged.max_words;
             poll.scale = staged.scale;
             poll.state = staged.state;
             poll.results = staged.results;
             poll.allow_change = staged.allow_change;
             if (content_changed) {
                 poll.options = staged.options;
                 poll.tally = Tally(poll.type, poll.options, poll.scale);
                 poll.responses.clear();  // a draft has none; stay exact regardless
             }
         },
         [this, event, poll_id, moved, done = std::move(done)](const Writer::Outcome& outcome) {
             if (outcome) return done(outcome, {});
             json body;
             std::vector<std::int64_t> changed;
             {
                 std::shared_lock lock(event->mutex);
                 body = poll_json(*event->find_poll(poll_id), event->code);
                 for (const auto& p : event->polls)
                     if (p->id == poll_id || *moved) changed.push_back(p->id);
             }
             for (auto id : changed) ctx_.live.poll_changed(event, id);
             ctx_.live.results_changed(event, poll_id);
             done(outcome, std::move(body));
         }});
}

void PollService::remove(std::shared_ptr<Event> event, std::int64_t poll_id, Done done) {
    auto was_presented = std::make_shared<bool>(false);
    ctx_.writer.submit({[event, poll_id, was_presented](Repository& repo) {
                            auto lock = event->write_lock();
                            Poll& poll = require_poll(*event, poll_id);
                            repo.delete_poll(poll_id);
                            int index = poll.position;
                            for (std::size_t i = static_cast<std::size_t>(index) + 1;
                                 i < event->polls.size(); ++i) {
                                Poll shifted = header_of(*event->polls[i]);
                                shifted.position = static_cast<int>(i) - 1;
                                repo.update_poll(shifted);
                            }
                            event->polls.erase(event->polls.begin() + index);
                            event->renumber();
                            *was_presented = event->presented_poll_id == poll_id;
                            if (*was_presented)
                                event->presented_poll_id = 0;  // as ON DELETE SET NULL did
                        },
                        [this, event, poll_id, was_presented,
                         done = std::move(done)](const Writer::Outcome& outcome) {
                            if (outcome) return done(outcome, {});
                            ctx_.registry.unindex_poll(poll_id);
                            ctx_.live.poll_deleted(event, poll_id);
                            if (*was_presented) ctx_.live.event_changed(event);
                            done(outcome, {});
                        }});
}

void PollService::import_deck(std::shared_ptr<Event> event, const json& deck, Done done) {
    if (!deck.is_object()) throw invalid_field("body", "must be a deck object");
    auto polls = deck.find("polls");
    if (polls == deck.end() || !polls->is_array())
        throw invalid_field("polls", "must be an array of polls");
    if (polls->size() > kMaxPollsPerEvent)
        throw invalid_field("polls", "may hold at most 500 polls");
    std::vector<PollSpec> specs;
    for (std::size_t i = 0; i < polls->size(); ++i)
        specs.push_back(parse_poll_spec((*polls)[i], "polls[" + std::to_string(i) + "]."));

    auto created = std::make_shared<std::vector<std::int64_t>>();
    ctx_.writer.submit(
        {[event, specs = std::move(specs), created](Repository& repo) {
             auto lock = event->write_lock();
             if (event->polls.size() + specs.size() > kMaxPollsPerEvent)
                 throw ApiError(409, "too_many_polls", "An event holds at most 500 polls.");
             std::vector<std::unique_ptr<Poll>> staged;
             for (const auto& spec : specs) {
                 auto poll = make_poll(*event, spec);
                 poll->position += static_cast<int>(staged.size());
                 repo.insert_poll(*poll);
                 poll->tally = Tally(poll->type, poll->options, poll->scale);
                 staged.push_back(std::move(poll));
             }
             for (auto& poll : staged) {
                 created->push_back(poll->id);
                 event->polls.push_back(std::move(poll));
             }
         },
         [this, event, created, done = std::move(done)](const Writer::Outcome& outcome) {
             if (outcome) return done(outcome, {});
             json list = json::array();
             {
                 std::shared_lock lock(event->mutex);
                 for (auto id : *created)
                     list.push_back(poll_json(*event->find_poll(id), event->code));
             }
             for (auto id : *created) {
                 ctx_.registry.index_poll(id, event);
                 ctx_.live.poll_changed(event, id);
             }
             done(outcome, {{"polls", std::move(list)}});
         }});
}

json PollService::export_deck(const Event& event) const {
    std::shared_lock lock(event.mutex);
    json polls = json::array();
    for (const auto& poll : event.polls) {
        json options = json::array();
        for (const auto& option : poll->options) options.push_back(option.text);
        polls.push_back({{"type", to_string(poll->type)},
                         {"question", poll->question},
                         {"options", std::move(options)},
                         {"max_choices", poll->max_choices},
                         {"max_words", poll->max_words},
                         {"scale", poll->scale},
                         {"results", to_string(poll->results)},
                         {"allow_change", poll->allow_change}});
    }
    return {{"voxpop_deck", 1}, {"title", event.title}, {"polls", std::move(polls)}};
}

namespace {

std::string word_key(const std::string& field, const std::string& text) {
    auto key = normalize_word(text);
    if (!key || key->empty()) throw invalid_field(field, "must be a non-empty word");
    return *key;
}

Poll& require_wordcloud(Event& event, std::int64_t poll_id) {
    Poll& poll = require_poll(event, poll_id);
    if (poll.type != PollType::wordcloud)
        throw ApiError(409, "not_a_wordcloud", "Only word-cloud polls have words to curate.");
    return poll;
}

}  // namespace

void PollService::set_word_hidden(std::shared_ptr<Event> event, std::int64_t poll_id,
                                  std::string key, bool hidden, Done done) {
    key = word_key("key", key);
    ctx_.writer.submit(
        {[event, poll_id, key, hidden](Repository& repo) {
             auto lock = event->write_lock();
             Poll& poll = require_wordcloud(*event, poll_id);
             repo.set_word_hidden(poll_id, key, hidden);
             poll.tally.words().set_hidden(key, hidden);
         },
         [this, event, poll_id, done = std::move(done)](const Writer::Outcome& outcome) {
             if (outcome) return done(outcome, {});
             ctx_.live.results_changed(event, poll_id);
             done(outcome, {});
         }});
}

void PollService::merge_words(std::shared_ptr<Event> event, std::int64_t poll_id, std::string from,
                              std::string into, Done done) {
    from = word_key("from", from);
    into = word_key("into", into);
    ctx_.writer.submit(
        {[event, poll_id, from, into](Repository& repo) {
             auto lock = event->write_lock();
             Poll& poll = require_wordcloud(*event, poll_id);
             WordTally probe = poll.tally.words();  // check for a cycle before writing
             if (!probe.merge(from, into))
                 throw invalid_field("into", "would merge the word into itself");
             repo.set_word_merge(poll_id, from, poll.tally.words().resolve(into));
             poll.tally.words().merge(from, into);
             poll.recount();
         },
         [this, event, poll_id, done = std::move(done)](const Writer::Outcome& outcome) {
             if (outcome) return done(outcome, {});
             ctx_.live.results_changed(event, poll_id);
             done(outcome, {});
         }});
}

}  // namespace voxpop
