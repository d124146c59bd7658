// voxpop-loopback-floor: what loopback TCP alone costs on this machine, with no WebSocket,
// JSON, SQLite or Asio above the system calls. The two ends are two processes (forked), one
// thread each, as the server and the load generator are, so the CPU it reports per frame or
// per round trip (both ends added up) is what they must pay at the very least when they
// share the machine. On loopback the receiver's TCP work runs in the sender's system call.
//
//   fanout:    one frame of --frame-bytes to each of --connections sockets, all read back,
//              --rounds times: the floor of one results push (server send + phone receive).
//   roundtrip: --connections clients each keep one --request-bytes message in flight, the
//              far end answers each with --reply-bytes, for --duration seconds: the floor
//              of one acknowledged vote (vote send + receive, ack send + receive).
//
// Only 127.0.0.1; bounded in connections (≤ 9,000, two descriptors each) and time.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Options {
    std::string scenario = "fanout";
    int connections = 5000;
    int rounds = 20;
    int frame_bytes = 400;
    int request_bytes = 60;
    int reply_bytes = 40;
    double duration = 5;
};

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void set_nodelay(int fd) {
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) fail("TCP_NODELAY");
}

// Connected pairs: near[i] is the server's end, far[i] the client's.
struct Pairs {
    std::vector<int> near, far;
    ~Pairs() {
        for (int fd : near) close(fd);
        for (int fd : far) close(fd);
    }
};

void connect_pairs(int count, Pairs& pairs) {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0) fail("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listener, 4096) != 0 ||
        getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        fail("listen");
    for (int i = 0; i < count; ++i) {
        int client = socket(AF_INET, SOCK_STREAM, 0);
        if (client < 0) fail("socket (raise the open-file limit)");
        if (connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            fail("connect");
        int server = accept(listener, nullptr, nullptr);
        if (server < 0) fail("accept");
        set_nodelay(client);
        set_nodelay(server);
        pairs.far.push_back(client);
        pairs.near.push_back(server);
    }
    close(listener);
}

void send_all(int fd, const std::string& bytes) {
    if (send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(bytes.size()))
        fail("send (a short send would need a writer queue; lower --frame-bytes)");
}

// One end's event loop: reads whatever arrives on `fds` (epoll data = index) and hands
// each read to `on_data(index, bytes)` until it returns false. `extra_fd`, when given, ends
// the loop as soon as it is readable.
template <typename OnData>
void read_loop(const std::vector<int>& fds, int extra_fd, OnData on_data) {
    int epoll = epoll_create1(0);
    for (std::size_t i = 0; i < fds.size(); ++i) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = i;
        epoll_ctl(epoll, EPOLL_CTL_ADD, fds[i], &event);
    }
    if (extra_fd >= 0) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = fds.size();
        epoll_ctl(epoll, EPOLL_CTL_ADD, extra_fd, &event);
    }
    std::vector<epoll_event> events(1024);
    std::vector<char> buffer(64 * 1024);
    for (bool going = true; going;) {
        int ready = epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 5000);
        if (ready <= 0) fail("epoll_wait (bytes lost?)");
        for (int k = 0; k < ready && going; ++k) {
            const std::size_t i = events[k].data.u64;
            if (i == fds.size()) {
                going = false;
                break;
            }
            ssize_t got = recv(fds[i], buffer.data(), buffer.size(), 0);
            if (got > 0) going = on_data(i, static_cast<std::size_t>(got));
        }
    }
    close(epoll);
}

// The far end (the phones) runs in a forked child, as the load generator is a process of its
// own; it reports back (rounds done, its CPU, what it counted) through a pipe.
struct FarEnd {
    pid_t pid;      // 0 in the child
    int report[2];  // the child writes [1], the parent reads [0]
};

FarEnd fork_far_end() {
    FarEnd far{};
    if (pipe(far.report) != 0) fail("pipe");
    far.pid = fork();
    if (far.pid < 0) fail("fork");
    return far;
}

void write_exact(int fd, const void* data, std::size_t size) {
    if (write(fd, data, size) != static_cast<ssize_t>(size)) fail("pipe write");
}

void read_exact(int fd, void* data, std::size_t size) {
    auto* bytes = static_cast<char*>(data);
    while (size > 0) {
        ssize_t got = read(fd, bytes, size);
        if (got <= 0) fail("pipe read");
        bytes += got;
        size -= static_cast<std::size_t>(got);
    }
}

void fanout(const Options& options, Pairs& pairs) {
    const std::string frame(static_cast<std::size_t>(options.frame_bytes), 'x');
    const std::uint64_t per_round = pairs.near.size() * frame.size();
    const FarEnd far = fork_far_end();
    if (far.pid == 0) {
        // The receiving end: tells the parent when each round has fully arrived.
        const double cpu_before = cpu_seconds();
        for (int round = 0; round < options.rounds; ++round) {
            std::uint64_t received = 0;
            read_loop(pairs.far, -1, [&](std::size_t, std::size_t got) {
                received += got;
                return received < per_round;
            });
            char done = 1;
            write_exact(far.report[1], &done, 1);
        }
        double cpu = cpu_seconds() - cpu_before;
        write_exact(far.report[1], &cpu, sizeof cpu);
        _exit(0);
    }
    const auto started = std::chrono::steady_clock::now();
    const double cpu_before = cpu_seconds();
    for (int round = 0; round < options.rounds; ++round) {
        for (int fd : pairs.near) send_all(fd, frame);
        char done;
        read_exact(far.report[0], &done, 1);
    }
    const double sender_cpu = cpu_seconds() - cpu_before;
    double receiver_cpu = 0;
    read_exact(far.report[0], &receiver_cpu, sizeof receiver_cpu);
    waitpid(far.pid, nullptr, 0);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double frames = static_cast<double>(options.rounds) * pairs.near.size();
    const double per_frame = (sender_cpu + receiver_cpu) / frames * 1e6;
    std::printf(
        "fanout: %d connections x %d rounds of %d-byte frames: %.0f frames in %.2f s wall\n"
        "  CPU per frame: sender %.2f us + receiver %.2f us = %.2f us\n"
        "  so one push to 10,000 clients costs at least %.0f ms of CPU\n",
        options.connections, options.rounds, options.frame_bytes, frames, wall,
        sender_cpu / frames * 1e6, receiver_cpu / frames * 1e6, per_frame,
        per_frame * 10'000 / 1000);
}

void roundtrip(const Options& options, Pairs& pairs) {
    const std::string request(static_cast<std::size_t>(options.request_bytes), 'q');
    const std::string reply(static_cast<std::size_t>(options.reply_bytes), 'a');
    const std::size_t count = pairs.near.size();
    const FarEnd far = fork_far_end();
    if (far.pid == 0) {
        // The clients: each sends its next request when the reply to the last has come.
        const auto until =
            std::chrono::steady_clock::now() + std::chrono::duration<double>(options.duration);
        const double cpu_before = cpu_seconds();
        std::vector<std::size_t> due(count, reply.size());
        std::uint64_t completed = 0;
        for (int fd : pairs.far) send_all(fd, request);
        read_loop(pairs.far, -1, [&](std::size_t i, std::size_t got) {
            due[i] -= std::min(due[i], got);
            if (due[i] != 0) return true;
            ++completed;
            due[i] = reply.size();
            send_all(pairs.far[i], request);
            return (completed % 256 != 0) || std::chrono::steady_clock::now() < until;
        });
        double report[2] = {static_cast<double>(completed), cpu_seconds() - cpu_before};
        write_exact(far.report[1], report, sizeof report);
        _exit(0);
    }
    // The server's end answers until the clients report.
    const auto started = std::chrono::steady_clock::now();
    const double cpu_before = cpu_seconds();
    std::vector<std::size_t> due(count, request.size());
    read_loop(pairs.near, far.report[0], [&](std::size_t i, std::size_t got) {
        due[i] -= std::min(due[i], got);
        if (due[i] == 0) {
            due[i] = request.size();
            send_all(pairs.near[i], reply);
        }
        return true;
    });
    const double server_cpu = cpu_seconds() - cpu_before;
    double report[2];
    read_exact(far.report[0], report, sizeof report);
    waitpid(far.pid, nullptr, 0);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double completed = report[0];
    const double per_trip = (server_cpu + report[1]) / completed * 1e6;
    std::printf(
        "roundtrip: %d connections, %d-byte requests, %d-byte replies: %.0f round trips in "
        "%.2f s wall (%.0f/s)\n"
        "  CPU per round trip: server end %.2f us + client end %.2f us = %.2f us\n"
        "  so two fully busy cores carry at most %.0f round trips/s with nothing above the "
        "kernel\n",
        options.connections, options.request_bytes, options.reply_bytes, completed, wall,
        completed / wall, server_cpu / completed * 1e6, report[1] / completed * 1e6, per_trip,
        2e6 / per_trip);
}

int to_int(const char* text, int low, int high, const char* name) {
    int value = std::atoi(text);
    if (value < low || value > high)
        throw std::runtime_error(std::string(name) + " must be in " + std::to_string(low) + ".." +
                                 std::to_string(high));
    return value;
}

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string_view flag = argv[i];
        if (flag == "--help") {
            std::puts(
                "usage: voxpop-loopback-floor [--scenario fanout|roundtrip] [--connections N]\n"
                "       [--rounds N] [--frame-bytes N] [--request-bytes N] [--reply-bytes N]\n"
                "       [--duration S]");
            std::exit(0);
        }
        if (i + 1 >= argc) throw std::runtime_error(std::string(flag) + " needs a value");
        const char* value = argv[++i];
        if (flag == "--scenario")
            options.scenario = value;
        else if (flag == "--connections")
            options.connections = to_int(value, 1, 9000, "--connections");
        else if (flag == "--rounds")
            options.rounds = to_int(value, 1, 1000, "--rounds");
        else if (flag == "--frame-bytes")
            options.frame_bytes = to_int(value, 1, 16384, "--frame-bytes");
        else if (flag == "--request-bytes")
            options.request_bytes = to_int(value, 1, 16384, "--request-bytes");
        else if (flag == "--reply-bytes")
            options.reply_bytes = to_int(value, 1, 16384, "--reply-bytes");
        else if (flag == "--duration")
            options.duration = std::min(60.0, std::max(0.1, std::atof(value)));
        else
            throw std::runtime_error("unknown option " + std::string(flag));
    }
    if (options.scenario != "fanout" && options.scenario != "roundtrip")
        throw std::runtime_error("--scenario is fanout or roundtrip");
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        auto options = parse(argc, argv);
        rlimit limit{};
        getrlimit(RLIMIT_NOFILE, &limit);
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        Pairs pairs;
        connect_pairs(options.connections, pairs);
        if (options.scenario == "fanout")
            fanout(options, pairs);
        else
            roundtrip(options, pairs);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "voxpop-loopback-floor: %s\n", e.what());
        return 1;
    }
}
