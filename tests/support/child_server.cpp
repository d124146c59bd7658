#include "child_server.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <cstring>
#include <regex>
#include <stdexcept>

namespace voxpop::testing {
namespace {

pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
            int& output_fd) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(pipe_fds[1], 1);
        ::dup2(pipe_fds[1], 2);
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        for (const auto& entry : extra_env) ::putenv(const_cast<char*>(entry.c_str()));
        std::vector<char*> argv;
        std::string binary = VOXPOP_BINARY;
        argv.push_back(binary.data());
        for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
        argv.push_back(nullptr);
        ::execv(binary.c_str(), argv.data());
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    output_fd = pipe_fds[0];
    return pid;
}

}  // namespace

ChildServer::ChildServer(std::vector<std::string> args) {
    pid_ = spawn(args, {}, output_fd_);
    std::string seen;
    std::regex listening("listening on http://[0-9.]+:([0-9]+)");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd fd{output_fd_, POLLIN, 0};
        if (::poll(&fd, 1, 100) <= 0) continue;
        char buffer[4096];
        ssize_t n = ::read(output_fd_, buffer, sizeof buffer);
        if (n <= 0) break;
        seen.append(buffer, static_cast<std::size_t>(n));
        std::smatch match;
        if (std::regex_search(seen, match, listening)) {
            port_ = static_cast<unsigned short>(std::stoi(match[1]));
            return;
        }
    }
    kill_hard();
    throw std::runtime_error("voxpop did not start: " + seen);
}

ChildServer::~ChildServer() {
    if (pid_ > 0) kill_hard();
    if (output_fd_ >= 0) ::close(output_fd_);
}

void ChildServer::kill_hard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

int ChildServer::terminate() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    // Keep draining its output so it never blocks on a full pipe.
    for (;;) {
        pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) break;
        char buffer[4096];
        pollfd fd{output_fd_, POLLIN, 0};
        if (::poll(&fd, 1, 50) > 0) (void)::read(output_fd_, buffer, sizeof buffer);
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

RunResult run_binary(const std::vector<std::string>& args,
                     const std::vector<std::string>& extra_env) {
    int fd = -1;
    pid_t pid = spawn(args, extra_env, fd);
    RunResult result;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
        result.output.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

}  // namespace voxpop::testing
