#include "app/event_service.hpp"

#include "domain/errors.hpp"
#include "domain/serialize.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <array>
#include <mutex>
#include <unordered_set>

namespace voxpop {
namespace {

// No 0/O, 1/I/L: a code read off a projector must be typed right first time.
constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
constexpr std::size_t kGeneratedCodeLength = 6;

// Codes that would shadow a page or API path when used as the short link /{CODE}.
const std::array<std::string_view, 8> kReservedCodes = {"HOST",   "PRESENT", "HEALTHZ", "VENDOR",
                                                        "ASSETS", "FAVICON", "INDEX",   "ROBOTS"};

}  // namespace

std::string EventService::generate_code() {
    std::string code;
    for (std::size_t i = 0; i < kGeneratedCodeLength; ++i)
        code.push_back(kCodeAlphabet[random_below(static_cast<unsigned>(kCodeAlphabet.size()))]);
    return code;
}

std::string EventService::validate_custom_code(const std::string& code) {
    std::string upper = Registry::normalize_code(code);
    if (upper.size() < 4 || upper.size() > 16)
        throw invalid_field("code", "must be 4 to 16 letters or digits");
    for (char c : upper)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            throw invalid_field("code", "may hold only letters A-Z and digits");
    for (auto reserved : kReservedCodes)
        if (upper == reserved) throw invalid_field("code", "is reserved; choose another");
    return upper;
}

void EventService::create(std::string title, std::string code, Done done) {
    const bool custom = !code.empty();
    if (custom) code = validate_custom_code(code);
    auto token = random_token("mt_");
    auto event = std::make_shared<Event>();
    event->title = std::move(title);
    event->moderator_hash = sha256_hex(token);
    event->created_at = now_ms();
    ctx_.writer.submit(
        {[this, event, code, custom](Repository& repo) {
             std::string chosen = code;
             // Generated codes: 31^6 ≈ 887 million, so a retry or two at most.
             for (int attempt = 0; !custom && attempt < 20 &&
                                   (chosen.empty() || ctx_.registry.code_taken(chosen) ||
                                    repo.event_code_exists(chosen));
                  ++attempt)
                 chosen = generate_code();
             if (ctx_.registry.code_taken(chosen) || repo.event_code_exists(chosen))
                 throw ApiError(409, "code_taken",
                                "The event code " + chosen + " is already in use.");
             event->code = chosen;
             event->id = repo.insert_event(*event);
         },
         [this, event, token, done = std::move(done)](const Writer::Outcome& outcome) {
             if (outcome) return done(outcome, {});
             ctx_.registry.add_event(event);  // only once committed: no ghost on failure
             done(outcome, {{"code", event->code},
                            {"title", event->title},
                            {"moderator_token", token},
                            {"moderator_url", "/host/" + event->code + "#token=" + token}});
         }});
}

void EventService::join(std::shared_ptr<Event> event, Done done) {
    auto token = random_token("pt_");
    auto hash = sha256_hex(token);
    auto id = std::make_shared<std::int64_t>(0);
    ctx_.writer.submit({[event, hash, id](Repository& repo) {
                            *id = repo.insert_participant(event->id, hash, now_ms());
                            auto lock = event->write_lock();
                            event->participants_by_hash[hash] = *id;
                        },
                        [token, id, done = std::move(done)](const Writer::Outcome& outcome) {
                            if (outcome) return done(outcome, {});
                            done(outcome, {{"participant_token", token}, {"participant_id", *id}});
                        }});
}

void EventService::record_peak_online(const std::shared_ptr<Event>& event, std::int64_t online) {
    {
        std::shared_lock lock(event->mutex);
        if (online <= event->peak_online) return;
    }
    ctx_.writer.submit({[event, online](Repository& repo) {
                            auto lock = event->write_lock();
                            if (online <= event->peak_online) return;
                            repo.update_peak_online(event->id, online);
                            event->peak_online = online;
                        },
                        [](const Writer::Outcome&) {}});
}

void EventService::update(std::shared_ptr<Event> event, const nlohmann::json& patch, Done done) {
    struct Change {
        std::optional<std::int64_t> presented;  // 0: none
        std::optional<bool> qa_enabled, qa_moderated;
        std::optional<std::vector<std::string>> blocked_words;
    } change;
    for (const auto& [key, value] : patch.items()) {
        if (key == "presented_poll_id") {
            if (!value.is_null() && !(value.is_number_integer() && value.get<std::int64_t>() > 0))
                throw invalid_field(key, "must be a poll id or null");
            change.presented = value.is_null() ? 0 : value.get<std::int64_t>();
        } else if (key == "qa_enabled" || key == "qa_moderated") {
            if (!value.is_boolean()) throw invalid_field(key, "must be true or false");
            (key == "qa_enabled" ? change.qa_enabled : change.qa_moderated) = value.get<bool>();
        } else if (key == "blocked_words") {
            if (!value.is_array() || value.size() > QuestionLimits::kMaxBlockedWords)
                throw invalid_field(key, "must be an array of at most 200 words");
            std::vector<std::string> words;
            for (const auto& word : value) {
                if (!word.is_string() || word.get_ref<const std::string&>().size() > 100)
                    throw invalid_field(key, "must hold words of at most 100 characters");
                words.push_back(word.get<std::string>());
            }
            BlockList probe;
            if (!probe.set(words)) throw invalid_field(key, "must hold valid text");
            change.blocked_words = std::move(words);
        } else {
            throw invalid_field(key, "cannot be changed here");
        }
    }
    ctx_.writer.submit(
        {[event, change](Repository& repo) {
             auto lock = event->write_lock();
             if (change.presented && *change.presented != 0 && !event->find_poll(*change.presented))
                 throw invalid_field("presented_poll_id", "names no poll of this event");
             if (change.presented) repo.update_presented_poll(event->id, *change.presented);
             Event staged_settings;  // BlockList and flags staged, written, then applied
             staged_settings.id = event->id;
             staged_settings.qa_enabled = change.qa_enabled.value_or(event->qa_enabled);
             staged_settings.qa_moderated = change.qa_moderated.value_or(event->qa_moderated);
             staged_settings.blocked = event->blocked;
             if (change.blocked_words) staged_settings.blocked.set(*change.blocked_words);
             repo.update_qa_settings(staged_settings);
             if (change.presented) event->presented_poll_id = *change.presented;
             event->qa_enabled = staged_settings.qa_enabled;
             event->qa_moderated = staged_settings.qa_moderated;
             event->blocked = std::move(staged_settings.blocked);
         },
         [this, event, blocked_changed = change.blocked_words.has_value(),
          done = std::move(done)](const Writer::Outcome& outcome) {
             if (outcome) return done(outcome, {});
             ctx_.live.event_changed(event);
             if (blocked_changed) {
                 // What attendees may see changed: re-push every question and word cloud.
                 std::vector<std::int64_t> questions, clouds;
                 {
                     std::shared_lock lock(event->mutex);
                     for (const auto& q : event->questions) questions.push_back(q->id);
                     for (const auto& p : event->polls)
                         if (p->type == PollType::wordcloud) clouds.push_back(p->id);
                 }
                 for (auto id : questions) ctx_.live.question_changed(event, id);
                 for (auto id : clouds) ctx_.live.results_changed(event, id);
             }
             done(outcome, describe(*event, true));
         }});
}

void EventService::rotate_token(std::shared_ptr<Event> event, Done done) {
    auto token = random_token("mt_");
    auto hash = sha256_hex(token);
    ctx_.writer.submit(
        {[event, hash](Repository& repo) {
             repo.update_moderator_hash(event->id, hash);
             auto lock = event->write_lock();
             event->moderator_hash = hash;
         },
         [this, event, token, done = std::move(done)](const Writer::Outcome& outcome) {
             if (outcome) return done(outcome, {});
             ctx_.live.moderator_token_rotated(event);
             done(outcome, {{"moderator_token", token},
                            {"moderator_url", "/host/" + event->code + "#token=" + token}});
         }});
}

void EventService::remove(std::shared_ptr<Event> event, Done done) {
    ctx_.writer.submit({[event](Repository& repo) { repo.delete_event(event->id); },
                        [this, event, done = std::move(done)](const Writer::Outcome& outcome) {
                            if (outcome) return done(outcome, {});
                            forget(event);
                            done(outcome, {});
                        }});
}

void EventService::expire_inactive(std::int64_t cutoff_ms, std::function<void(std::size_t)> done) {
    auto expired = std::make_shared<std::vector<std::int64_t>>();
    ctx_.writer.submit({[cutoff_ms, expired](Repository& repo) {
                            *expired = repo.events_inactive_since(cutoff_ms);
                            for (auto id : *expired) repo.delete_event(id);
                        },
                        [this, expired, done = std::move(done)](const Writer::Outcome& outcome) {
                            if (outcome) return done(0);
                            std::unordered_set<std::int64_t> gone(expired->begin(), expired->end());
                            for (const auto& event : ctx_.registry.all_events())
                                if (gone.contains(event->id)) forget(event);
                            done(expired->size());
                        }});
}

void EventService::forget(const std::shared_ptr<Event>& event) {
    ctx_.registry.remove_event(*event);
    ctx_.live.event_deleted(event);
}

std::string EventService::join_url(const Event& event, std::string_view host) const {
    std::string base = ctx_.config.public_url;
    if (base.empty()) base = "http://" + std::string(host);
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + event.code;
}

nlohmann::json EventService::describe(const Event& event, bool moderator) const {
    std::shared_lock lock(event.mutex);
    nlohmann::json polls = nlohmann::json::array();
    for (const auto& poll : event.polls)
        if (moderator || poll->state != PollState::draft)
            polls.push_back(poll_json(*poll, event.code));
    return {{"code", event.code},
            {"title", event.title},
            {"created_at", event.created_at},
            {"presented_poll_id", event.presented_poll_id ? nlohmann::json(event.presented_poll_id)
                                                          : nlohmann::json(nullptr)},
            {"qa_enabled", event.qa_enabled},
            {"qa_moderated", event.qa_moderated},
            {"blocked_words",
             moderator ? nlohmann::json(event.blocked.words()) : nlohmann::json::array()},
            {"polls", std::move(polls)}};
}

nlohmann::json EventService::summary(const Event& event) const {
    std::shared_lock lock(event.mutex);
    std::unordered_set<std::int64_t> respondents;
    nlohmann::json polls = nlohmann::json::array();
    for (const auto& poll : event.polls) {
        for (const auto& [participant, answer] : poll->responses) respondents.insert(participant);
        polls.push_back({{"id", poll->id},
                         {"position", poll->position},
                         {"question", poll->question},
                         {"type", to_string(poll->type)},
                         {"state", to_string(poll->state)},
                         {"respondents", poll->tally.respondents()}});
    }
    std::int64_t questions = 0, answered = 0;
    for (const auto& question : event.questions) {
        if (question->state == QuestionState::merged) continue;
        ++questions;
        if (question->answered) ++answered;
    }
    return {{"code", event.code},
            {"title", event.title},
            {"participants_joined", event.participants_by_hash.size()},
            {"peak_online", event.peak_online},
            {"respondents_any_poll", respondents.size()},
            {"polls", std::move(polls)},
            {"questions", questions},
            {"questions_answered", answered}};
}

}  // namespace voxpop
