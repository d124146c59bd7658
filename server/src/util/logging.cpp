#include "util/logging.hpp"

#include <spdlog/spdlog.h>

#include <sys/resource.h>

namespace voxpop {

void setup_logging(const std::string& level) {
    spdlog::set_level(spdlog::level::from_str(level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::flush_on(spdlog::level::info);
}

void raise_open_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    auto before = limit.rlim_cur;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    spdlog::info("open-file limit {} (was {}, hard limit {})", limit.rlim_cur, before,
                 limit.rlim_max);
}

}  // namespace voxpop
