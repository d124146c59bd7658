#pragma once

#include "domain/errors.hpp"
#include "storage/repository.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace voxpop {

// The one thread that writes: it takes every queued job, runs them in one transaction
// (each inside a savepoint, so a refused job does not undo its neighbours), commits, and
// only then reports each job's outcome. While it commits, new jobs queue up for the next
// group, so the commit rate adapts to the load without a timer.
class Writer {
  public:
    // nullopt: committed. Otherwise the refusal (validation) or storage_unavailable.
    using Outcome = std::optional<ApiError>;
    struct Job {
        // Runs on the writer thread inside the transaction. Writes SQL first, then changes
        // memory (so a refused job changes nothing); throws ApiError to refuse.
        std::function<void(Repository&)> apply;
        // Runs on the writer thread after the commit (or failure).
        std::function<void(const Outcome&)> done;
    };
    struct Stats {
        std::uint64_t jobs = 0;
        std::uint64_t commits = 0;
        std::uint64_t failed_commits = 0;
    };

    // `on_failed_commit` runs on the writer thread when a group could not be committed, to
    // bring memory back in line with the database.
    Writer(sqlite::Database& db, int max_batch, std::function<void(Repository&)> on_failed_commit);
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    void submit(Job job);
    // Finishes every queued job, then ends the thread. Later submits are refused.
    void stop();
    Stats stats() const;
    bool healthy() const;

  private:
    void run();
    void commit_group(std::deque<Job>& group);

    Repository repo_;
    sqlite::SavepointStatements savepoints_;
    const std::size_t max_batch_;
    std::function<void(Repository&)> on_failed_commit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    bool healthy_ = true;
    Stats stats_;
    std::thread thread_;
};

}  // namespace voxpop
