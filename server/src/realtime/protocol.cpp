#include "realtime/protocol.hpp"

#include "app/question_service.hpp"

namespace voxpop {

std::string_view to_string(Role role) {
    switch (role) {
        case Role::anonymous:
            return "anonymous";
        case Role::participant:
            return "participant";
        case Role::moderator:
            return "moderator";
    }
    return "anonymous";
}

bool may_see_poll(const Poll& poll, const Viewer& viewer) {
    return viewer.role == Role::moderator || poll.state != PollState::draft;
}

bool may_see_results(const Poll& poll, const Viewer& viewer) {
    if (viewer.role == Role::moderator) return true;
    bool responded = viewer.participant_id && poll.responses.contains(*viewer.participant_id);
    return attendee_may_see_results(poll, responded);
}

nlohmann::json event_json(const Event& event) {
    return {{"code", event.code},
            {"title", event.title},
            {"qa", {{"enabled", event.qa_enabled}, {"moderated", event.qa_moderated}}},
            {"presented_poll_id", event.presented_poll_id ? nlohmann::json(event.presented_poll_id)
                                                          : nlohmann::json(nullptr)}};
}

nlohmann::json snapshot_message(const Event& event, const Viewer& viewer, std::int64_t online,
                                std::size_t words_top_n) {
    nlohmann::json polls = nlohmann::json::array();
    nlohmann::json results = nlohmann::json::object();
    nlohmann::json responses = nlohmann::json::object();
    const Audience audience =
        viewer.role == Role::moderator ? Audience::moderator : Audience::attendee;
    for (const auto& poll : event.polls) {
        if (!may_see_poll(*poll, viewer)) continue;
        polls.push_back(poll_json(*poll, event.code));
        std::string id = std::to_string(poll->id);
        if (may_see_results(*poll, viewer))
            results[id] = results_json(*poll, audience, words_top_n, &event.blocked);
        if (viewer.participant_id)
            if (auto it = poll->responses.find(*viewer.participant_id); it != poll->responses.end())
                responses[id] = answer_json(it->second, poll->type);
    }
    nlohmann::json message = {{"type", "snapshot"},
                              {"role", to_string(viewer.role)},
                              {"event", event_json(event)},
                              {"polls", std::move(polls)},
                              {"results", std::move(results)},
                              {"responses", std::move(responses)},
                              {"online", online}};
    const bool moderator = viewer.role == Role::moderator;
    message["qa"] = {{"enabled", event.qa_enabled}, {"moderated", event.qa_moderated}};
    message["questions"] =
        visible_questions(event, viewer.participant_id, moderator, QuestionSort::top);
    message["my_upvotes"] = nlohmann::json::array();
    message["my_questions"] = nlohmann::json::array();
    if (viewer.participant_id) {
        message["participant_id"] = *viewer.participant_id;
        message["my_upvotes"] = my_upvotes(event, *viewer.participant_id);
        message["my_questions"] = my_questions(event, *viewer.participant_id);
    }
    return message;
}

SharedMessage ack_message(std::string_view ref_json, const std::optional<ApiError>& error) {
    // Once per vote: spliced together rather than built as a JSON tree.
    constexpr std::string_view head = R"({"type":"ack","ref":)";
    constexpr std::string_view ok = R"(,"ok":true})";
    auto text = std::make_shared<std::string>();
    if (!error) {
        text->reserve(head.size() + ref_json.size() + ok.size());
        text->append(head).append(ref_json).append(ok);
        return text;
    }
    const nlohmann::json details = {{"code", error->code()}, {"message", error->what()}};
    text->append(head).append(ref_json).append(R"(,"ok":false,"error":)");
    text->append(details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    text->push_back('}');
    return text;
}

nlohmann::json error_message(std::string_view code, std::string_view message,
                             const nlohmann::json& ref) {
    nlohmann::json out = {{"type", "error"}, {"code", code}, {"message", message}};
    if (!ref.is_null()) out["ref"] = ref;
    return out;
}

}  // namespace voxpop
