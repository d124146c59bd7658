#include "storage/writer.hpp"

#include <spdlog/spdlog.h>

#include <vector>

namespace voxpop {

Writer::Writer(sqlite::Database& db, int max_batch,
               std::function<void(Repository&)> on_failed_commit)
    : repo_(db),
      savepoints_(db),
      max_batch_(static_cast<std::size_t>(max_batch)),
      on_failed_commit_(std::move(on_failed_commit)),
      thread_([this] { run(); }) {}

Writer::~Writer() {
    stop();
}

void Writer::submit(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            queue_.push_back(std::move(job));
            wake_.notify_one();
            return;
        }
    }
    job.done(ApiError(503, "shutting_down", "The server is shutting down; nothing was changed."));
}

void Writer::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

Writer::Stats Writer::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

bool Writer::healthy() const {
    std::lock_guard lock(mutex_);
    return healthy_;
}

void Writer::run() {
    std::deque<Job> group;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            while (!queue_.empty() && group.size() < max_batch_) {
                group.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        commit_group(group);
        group.clear();
    }
}

void Writer::commit_group(std::deque<Job>& group) {
    std::vector<Outcome> outcomes(group.size());
    bool committed = false;
    try {
        sqlite::Transaction tx(repo_.db());
        for (std::size_t i = 0; i < group.size(); ++i) {
            sqlite::Savepoint savepoint(savepoints_);
            try {
                group[i].apply(repo_);
                savepoint.release();
            } catch (const ApiError& refusal) {
                outcomes[i] = refusal;
            } catch (const sqlite::Error& e) {
                if (e.is_storage_failure()) throw;
                spdlog::error("write refused by the database: {}", e.what());
                outcomes[i] = ApiError(500, "internal_error", "The write could not be stored.");
            }
        }
        tx.commit();
        committed = true;
    } catch (const std::exception& e) {
        spdlog::error("group commit of {} writes failed: {}", group.size(), e.what());
        for (auto& outcome : outcomes) outcome = storage_unavailable();
        try {
            on_failed_commit_(repo_);
        } catch (const std::exception& reload_error) {
            spdlog::error("reloading state after a failed commit failed: {}", reload_error.what());
        }
    }
    {
        std::lock_guard lock(mutex_);
        stats_.jobs += group.size();
        ++(committed ? stats_.commits : stats_.failed_commits);
        healthy_ = committed;
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
        try {
            group[i].done(outcomes[i]);
        } catch (const std::exception& e) {
            spdlog::error("write completion failed: {}", e.what());
        }
    }
}

}  // namespace voxpop
