#include "realtime/hub.hpp"

#include "api/request_helpers.hpp"
#include "http/responses.hpp"
#include "http/router.hpp"
#include "net/client_address.hpp"
#include "realtime/results_push.hpp"
#include "realtime/ws_session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace voxpop {

namespace net = boost::asio;

Hub::Hub(App& app, net::io_context& ioc)
    : app_(app),
      strand_(net::make_strand(ioc)),
      timer_(strand_),
      address_slots_(static_cast<std::size_t>(app.config().max_connections_per_ip)) {}

std::chrono::milliseconds Hub::results_interval(std::size_t connections) const {
    auto adaptive = std::chrono::milliseconds(
        static_cast<long>(connections) * app_.config().results_interval_us_per_connection / 1000);
    return std::max(std::chrono::milliseconds(app_.config().results_interval_ms), adaptive);
}

std::shared_ptr<EventChannel> Hub::channel_for(const std::shared_ptr<Event>& event) {
    std::lock_guard lock(mutex_);
    auto& channel = channels_[event->id];
    if (!channel) channel = std::make_shared<EventChannel>(event);
    return channel;
}

std::shared_ptr<EventChannel> Hub::existing_channel(std::int64_t event_id) const {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(event_id);
    return it == channels_.end() ? nullptr : it->second;
}

std::optional<HttpResponse> Hub::upgrade(beast::tcp_stream& stream, HttpRequest&& request) {
    const unsigned version = request.version();
    const auto& config = app_.config();
    std::string_view target = request.target();
    target = target.substr(0, target.find('?'));
    auto segments = split_path(target);
    if (segments.size() != 3 || segments[0] != "ws" || segments[1] != "events")
        return error_response(http::status::not_found, "not_found", "No WebSocket here.", version);
    auto event = app_.registry().find_event(segments[2]);
    if (!event)
        return error_response(http::status::not_found, "not_found", "Event not found.", version);
    // Browsers always send Origin; a page on another site must not ride on the cookie.
    std::string_view origin = request[http::field::origin];
    if (!origin.empty() && !origin_allowed(config, origin, request[http::field::host]))
        return error_response(http::status::forbidden, "forbidden",
                              "WebSocket connections from this Origin are refused.", version);
    if (stopped_)
        return error_response(http::status::service_unavailable, "shutting_down",
                              "The server is shutting down.", version);
    auto channel = channel_for(event);
    if (connections_.load() >= static_cast<std::size_t>(config.max_connections) ||
        channel->connections() >= static_cast<std::size_t>(config.max_connections_per_event))
        return error_response(http::status::service_unavailable, "too_many_connections",
                              "The server holds as many live connections as it may.", version);
    beast::error_code peer_error;
    auto peer = stream.socket().remote_endpoint(peer_error);
    if (peer_error)
        return error_response(http::status::bad_request, "bad_request", "Connection lost.",
                              version);
    auto slot = address_slots_.acquire(client_address(
        peer.address().to_string(), request["X-Forwarded-For"], config.trusted_proxies));
    if (!slot)
        return error_response(http::status::too_many_requests, "too_many_connections",
                              "This address holds as many live connections as it may.", version);

    Viewer viewer;
    if (auto id = Registry::participant(
            *event, cookie_value(request, participant_cookie_name(event->code)))) {
        viewer.role = Role::participant;
        viewer.participant_id = id;
    }
    connections_.fetch_add(1);
    auto session = std::make_shared<WsSession>(stream.release_socket(), app_, *this, channel,
                                               viewer, std::move(*slot));
    session->start(std::move(request));
    return std::nullopt;
}

void Hub::start() {
    net::post(strand_, [this] { schedule_tick(); });
}

void Hub::shutdown() {
    stopped_ = true;
    net::post(strand_, [this] { timer_.cancel(); });
    std::vector<std::shared_ptr<EventChannel>> channels;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, channel] : channels_) channels.push_back(channel);
    }
    for (const auto& channel : channels)
        channel->for_each_session([](WsSession& session) {
            session.close(websocket::close_code::going_away, "server shutting down");
        });
}

void Hub::schedule_tick() {
    if (stopped_) return;
    // A fine tick, so a push goes out within 10 ms of being due: the tick itself only
    // looks at which polls changed, a few locks per event.
    timer_.expires_after(
        std::chrono::milliseconds(std::min(app_.config().results_interval_ms, 10)));
    timer_.async_wait([this](beast::error_code ec) {
        if (ec || stopped_) return;
        tick();
        schedule_tick();
    });
}

void Hub::tick() {
    std::vector<std::shared_ptr<EventChannel>> channels;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, channel] : channels_) channels.push_back(channel);
    }
    auto now = std::chrono::steady_clock::now();
    bool online_due =
        now - last_online_push_ >= std::chrono::milliseconds(app_.config().online_interval_ms);
    if (online_due) last_online_push_ = now;
    for (const auto& channel : channels) {
        auto interval = results_interval(channel->connections());
        for (auto due : channel->take_due(now, interval)) push_results(channel, due);
        for (auto due : channel->take_due_questions(now, interval)) push_question(channel, due.id);
        if (online_due) {
            auto online = channel->take_online_change();
            if (online >= 0) push_online(*channel, online);
        }
    }
}

void Hub::push_results(const std::shared_ptr<EventChannel>& channel, EventChannel::Due due) {
    auto push = std::make_shared<ResultsPush>(channel, due,
                                              static_cast<std::size_t>(app_.config().words_top_n));
    if (!push->ready()) return channel->push_done(due.id);
    channel->for_each_chunk([push](EventChannel::Sessions sessions) { push->deliver(sessions); },
                            [weak = std::weak_ptr(channel), poll_id = due.id] {
                                if (auto alive = weak.lock()) alive->push_done(poll_id);
                            });
}

void Hub::push_question(const std::shared_ptr<EventChannel>& channel, std::int64_t question_id) {
    const auto& event = channel->event();
    SharedMessage for_moderators, for_attendees;
    std::int64_t author = 0;
    bool others_see = false, author_sees = false, tell_removal = false;
    {
        std::shared_lock lock(event->mutex);
        const Question* question = event->find_question(question_id);
        if (!question) return channel->question_push_done(question_id);
        bool blocked = event->blocked.matches(question->text);
        auto message = [&](Audience audience) {
            return share({{"type", "question"},
                          {"question", question_json(*question, event->code, audience, blocked)}});
        };
        for_moderators = message(Audience::moderator);
        for_attendees = message(Audience::attendee);
        author = question->participant_id;
        others_see = attendee_may_see(*question, std::nullopt, blocked);
        author_sees = attendee_may_see(*question, author, blocked);
        // Nobody but the author ever saw a pending question: no removals to send for it.
        tell_removal = question->state != QuestionState::pending;
    }
    SharedMessage removed = share({{"type", "question_removed"}, {"question_id", question_id}});
    auto visit = [=](WsSession& session) {
        const Viewer& viewer = session.viewer();
        if (viewer.role == Role::moderator) return session.deliver(for_moderators, -question_id);
        const bool own = viewer.participant_id && *viewer.participant_id == author;
        if (own ? author_sees : others_see)
            session.deliver(for_attendees, -question_id);
        else if (tell_removal)
            session.deliver(removed, -question_id);
    };
    channel->for_each_session(visit, [weak = std::weak_ptr(channel), question_id] {
        if (auto alive = weak.lock()) alive->question_push_done(question_id);
    });
}

void Hub::moderator_token_rotated(const std::shared_ptr<Event>& event) {
    auto channel = existing_channel(event->id);
    if (!channel) return;
    channel->for_each_session([](WsSession& session) {
        if (session.viewer().role == Role::moderator)
            session.close(websocket::close_code::policy_error, "moderator token rotated");
    });
}

void Hub::event_deleted(const std::shared_ptr<Event>& event) {
    std::shared_ptr<EventChannel> channel;
    {
        std::lock_guard lock(mutex_);
        auto it = channels_.find(event->id);
        if (it == channels_.end()) return;
        channel = it->second;
        channels_.erase(it);
    }
    channel->for_each_session(
        [](WsSession& session) { session.close(websocket::close_code::normal, "event deleted"); });
}

void Hub::question_changed(const std::shared_ptr<Event>& event, std::int64_t question_id) {
    if (auto channel = existing_channel(event->id)) channel->mark_question_dirty(question_id);
}

void Hub::push_online(EventChannel& channel, std::int64_t online) {
    app_.events().record_peak_online(channel.event(), online);
    broadcast(channel, share({{"type", "online"}, {"count", online}}));
}

void Hub::broadcast_poll(const std::shared_ptr<Event>& event, std::int64_t poll_id) {
    auto channel = existing_channel(event->id);
    if (!channel) return;
    SharedMessage message;
    bool draft = false;
    {
        std::shared_lock lock(event->mutex);
        const Poll* poll = event->find_poll(poll_id);
        if (!poll) return;
        draft = poll->state == PollState::draft;
        message = share({{"type", "poll"}, {"poll", poll_json(*poll, event->code)}});
    }
    channel->for_each_session([message, draft](WsSession& session) {
        if (!draft || session.viewer().role == Role::moderator) session.deliver(message);
    });
}

void Hub::poll_changed(const std::shared_ptr<Event>& event, std::int64_t poll_id) {
    net::post(strand_, [this, event, poll_id] { broadcast_poll(event, poll_id); });
}

void Hub::poll_deleted(const std::shared_ptr<Event>& event, std::int64_t poll_id) {
    net::post(strand_, [this, event, poll_id] {
        auto channel = existing_channel(event->id);
        if (!channel) return;
        channel->forget_poll(poll_id);
        broadcast(*channel, share({{"type", "poll_deleted"}, {"poll_id", poll_id}}));
    });
}

void Hub::event_changed(const std::shared_ptr<Event>& event) {
    net::post(strand_, [this, event] {
        auto channel = existing_channel(event->id);
        if (!channel) return;
        SharedMessage message;
        {
            std::shared_lock lock(event->mutex);
            message = share({{"type", "event"}, {"event", event_json(*event)}});
        }
        broadcast(*channel, std::move(message));
    });
}

void Hub::broadcast(EventChannel& channel, SharedMessage message) {
    channel.for_each_session(
        [message = std::move(message)](WsSession& session) { session.deliver(message); });
}

void Hub::results_changed(const std::shared_ptr<Event>& event, std::int64_t poll_id) {
    if (auto channel = existing_channel(event->id)) channel->mark_dirty(poll_id);
}

}  // namespace voxpop
