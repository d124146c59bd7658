#pragma once

#include "app/app.hpp"
#include "domain/live_notifier.hpp"
#include "http/types.hpp"
#include "realtime/address_slots.hpp"
#include "realtime/event_channel.hpp"
#include "realtime/protocol.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace voxpop {

// The live layer: accepts WebSocket upgrades, keeps one EventChannel per event, and pushes
// committed changes. Results are coalesced: a timer collects the polls that changed and
// serialises each one once per audience; every session gets the same buffer, queued by its
// own I/O thread (EventChannel::for_each_session).
class Hub : public LiveNotifier {
  public:
    Hub(App& app, boost::asio::io_context& ioc);

    // Takes over `stream` for /ws/events/{code}, or returns the refusal to send instead.
    std::optional<HttpResponse> upgrade(boost::beast::tcp_stream& stream, HttpRequest&& request);

    void start();
    // Closes every WebSocket with 1001 "going away" and stops the timer.
    void shutdown();

    void poll_changed(const std::shared_ptr<Event>& event, std::int64_t poll_id) override;
    void poll_deleted(const std::shared_ptr<Event>& event, std::int64_t poll_id) override;
    void results_changed(const std::shared_ptr<Event>& event, std::int64_t poll_id) override;
    void event_changed(const std::shared_ptr<Event>& event) override;
    void question_changed(const std::shared_ptr<Event>& event, std::int64_t question_id) override;
    void moderator_token_rotated(const std::shared_ptr<Event>& event) override;
    void event_deleted(const std::shared_ptr<Event>& event) override;

    std::size_t connections() const { return connections_.load(); }
    void connection_closed() { connections_.fetch_sub(1); }

    // The results interval for an audience of `connections`: pushing one frame costs ~20 µs
    // of server CPU per client (mostly the kernel's sendmsg), so waiting at least
    // results_interval_us_per_connection (30 µs) × N between pushes of one poll keeps fan-out
    // to two thirds of a core, split over the I/O threads, and leaves the rest for votes,
    // acks and (in benchmarks) the load generator. 10,000 phones: a push every 300 ms, and
    // since a push's frames are refreshed during its walk (ResultsPush), a vote on every
    // screen within about that. Measured in docs/BENCHMARKS.md: 20 µs collapsed a
    // 10,000-client steady load on a slower VM, 40 µs only delays the screens.
    std::chrono::milliseconds results_interval(std::size_t connections) const;

  private:
    std::shared_ptr<EventChannel> channel_for(const std::shared_ptr<Event>& event);
    std::shared_ptr<EventChannel> existing_channel(std::int64_t event_id) const;
    void schedule_tick();
    void tick();
    void push_results(const std::shared_ptr<EventChannel>& channel, EventChannel::Due due);
    void push_online(EventChannel& channel, std::int64_t online);
    void push_question(const std::shared_ptr<EventChannel>& channel, std::int64_t question_id);
    void broadcast_poll(const std::shared_ptr<Event>& event, std::int64_t poll_id);
    // The same message to every session of the channel.
    void broadcast(EventChannel& channel, SharedMessage message);

    App& app_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer timer_;
    mutable std::mutex mutex_;
    std::unordered_map<std::int64_t, std::shared_ptr<EventChannel>> channels_;
    std::atomic<std::size_t> connections_{0};
    AddressSlots address_slots_;
    std::atomic<bool> stopped_{false};
    std::chrono::steady_clock::time_point last_online_push_{};
};

}  // namespace voxpop
