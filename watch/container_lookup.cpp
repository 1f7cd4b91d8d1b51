#include "watch/container_lookup.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <vector>

extern char** environ;

namespace stampede::watch {

namespace {

struct finished_command {
    int status = -1;
    std::string out;  // stdout and stderr together: their last 4 to 8 KiB
};

// Runs `argv` (found on PATH, no shell) with its output captured, within `timeout`; killed past it.
common::result<finished_command> run_command(const std::vector<std::string>& argv, common::micros timeout) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return common::fail("a pipe: " + std::string(strerror(errno)));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t child = 0;
    const int spawned = posix_spawnp(&child, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawned != 0) {
        close(pipe_fds[0]);
        return common::fail(argv[0] + ": " + strerror(spawned));
    }
    finished_command done;
    const auto until = std::chrono::steady_clock::now() + timeout;
    bool timed_out = false;
    for (char buffer[1024];;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        pollfd p{pipe_fds[0], POLLIN, 0};
        const int ready = left.count() > 0 ? poll(&p, 1, static_cast<int>(left.count())) : 0;
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            timed_out = true;
            break;
        }
        if (ready < 0) break;
        const auto n = read(pipe_fds[0], buffer, sizeof buffer);
        if (n <= 0) break;
        done.out.append(buffer, static_cast<std::size_t>(n));
        if (done.out.size() > 8192) done.out.erase(0, done.out.size() - 4096);  // the end holds the answer
    }
    close(pipe_fds[0]);
    if (timed_out) kill(child, SIGKILL);
    waitpid(child, &done.status, 0);
    if (timed_out) return common::fail(argv[0] + " did not answer within " + common::format_duration(timeout));
    return done;
}

// The last line of what a command said, trimmed: its answer or its error, after any warnings
// it printed first (podman warns of its network configuration before it answers).
std::string last_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    const auto start = text.find_last_of('\n');
    return text.substr(start == std::string::npos ? 0 : start + 1, 200);
}

}  // namespace

common::result<int> container_pid(const std::string& container, common::micros timeout) {
    std::string why;
    for (const char* runtime : {"podman", "docker"}) {
        auto ran = run_command({runtime, "inspect", "--format", "{{.State.Pid}}", "--", container}, timeout);
        if (!ran) {
            why += (why.empty() ? "" : "; ") + ran.error();
            continue;
        }
        int pid = 0;
        const auto text = last_line(ran->out);
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
        if (WIFEXITED(ran->status) && WEXITSTATUS(ran->status) == 0 && ec == std::errc() && end == text.data() + text.size()) {
            if (pid > 0) return pid;
            return common::fail("container '" + container + "' is not running (" + runtime + ")");
        }
        why += (why.empty() ? "" : "; ") + std::string(runtime) + ": " + (text.empty() ? "no answer" : text);
    }
    return common::fail("no container '" + container + "' (" + why + ")");
}

common::result<std::string> process_cgroup(int pid, const std::string& proc) {
    std::ifstream in(proc + "/" + std::to_string(pid) + "/cgroup");
    if (!in) return common::fail("process " + std::to_string(pid) + " has exited");
    std::string line, v2, memory;
    while (std::getline(in, line)) {
        if (line.starts_with("0::")) v2 = line.substr(3);
        if (const auto at = line.find(":memory:"); at != std::string::npos) memory = line.substr(at + 8);
    }
    if (!v2.empty() && v2 != "/") return v2;
    if (!memory.empty()) return memory;
    if (!v2.empty()) return v2;
    return common::fail("process " + std::to_string(pid) + " has no cgroup the kernel names");
}

}  // namespace stampede::watch
