#pragma once

#include <sys/types.h>
#include <string>
#include <vector>

namespace voxpop::testing {

// The real voxpop binary as a child process, for tests that kill it or check its exit.
class ChildServer {
  public:
    // Starts `VOXPOP_BINARY args...` and waits for its "listening on" line (port 0 is fine).
    explicit ChildServer(std::vector<std::string> args);
    ~ChildServer();

    unsigned short port() const { return port_; }
    pid_t pid() const { return pid_; }
    void kill_hard();  // SIGKILL, then reap
    int terminate();   // SIGTERM; returns the exit code

  private:
    pid_t pid_ = -1;
    int output_fd_ = -1;
    unsigned short port_ = 0;
};

struct RunResult {
    int exit_code = -1;
    std::string output;
};

// Runs the binary to completion (for --help, bad configs), stdout and stderr together.
RunResult run_binary(const std::vector<std::string>& args,
                     const std::vector<std::string>& extra_env = {});

}  // namespace voxpop::testing
