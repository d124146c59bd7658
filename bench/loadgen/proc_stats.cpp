#include "proc_stats.hpp"

#include "stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace loadgen {

std::optional<ProcSample> read_proc(int pid) {
    ProcSample sample;
    sample.at_us = now_us();
    const std::string base = "/proc/" + std::to_string(pid);
    std::ifstream status(base + "/status");
    if (!status) return std::nullopt;
    for (std::string line; std::getline(status, line);) {
        std::istringstream fields(line);
        std::string key;
        fields >> key;
        if (key == "VmRSS:") fields >> sample.rss_kib;
        if (key == "VmHWM:") fields >> sample.hwm_kib;
        if (key == "Threads:") fields >> sample.threads;
    }
    std::ifstream stat(base + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    long ticks = sysconf(_SC_CLK_TCK);
    // After ")": field 3 is state; utime and stime are fields 14 and 15.
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14) sample.cpu_user_s = std::stod(field) / static_cast<double>(ticks);
        if (index == 15) sample.cpu_system_s = std::stod(field) / static_cast<double>(ticks);
    }
    return sample;
}

nlohmann::json to_json(const ProcSample& sample) {
    return {{"rss_kib", sample.rss_kib},       {"peak_rss_kib", sample.hwm_kib},
            {"cpu_user_s", sample.cpu_user_s}, {"cpu_system_s", sample.cpu_system_s},
            {"threads", sample.threads},       {"at_s", static_cast<double>(sample.at_us) / 1e6}};
}

std::uint64_t raise_open_file_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

}  // namespace loadgen
