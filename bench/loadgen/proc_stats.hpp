#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

namespace loadgen {

// A process's memory and CPU time at one moment, from /proc/<pid>/status and /stat.
struct ProcSample {
    std::int64_t rss_kib = 0;
    std::int64_t hwm_kib = 0;  // peak RSS
    double cpu_user_s = 0;
    double cpu_system_s = 0;
    std::int64_t threads = 0;
    std::int64_t at_us = 0;
    double cpu_s() const { return cpu_user_s + cpu_system_s; }
};

// nullopt when the process is gone or /proc is unreadable.
std::optional<ProcSample> read_proc(int pid);
nlohmann::json to_json(const ProcSample& sample);

// Raises RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
std::uint64_t raise_open_file_limit();

}  // namespace loadgen
