#include "tests/integration/process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace stampede::testing {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

temp_dir::temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "stampede-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

temp_dir::~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

child_process::child_process(std::vector<std::string> argv) {
    char dir_pattern[] = "/tmp/stampede-proc-XXXXXX";
    if (!mkdtemp(dir_pattern)) throw std::runtime_error("mkdtemp failed");
    out_path_ = std::string(dir_pattern) + "/stdout";
    err_path_ = std::string(dir_pattern) + "/stderr";
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
}

child_process::~child_process() {
    if (running()) {
        kill(pid_, SIGKILL);
        wait(5s);
    }
    std::error_code ignored;
    std::filesystem::remove_all(std::filesystem::path(out_path_).parent_path(), ignored);
}

bool child_process::running() {
    if (status_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
    }
    return true;
}

bool child_process::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = clock_type::now() + timeout;
    while (clock_type::now() < deadline) {
        if (out().find(text) != std::string::npos) return true;
        if (!running()) return out().find(text) != std::string::npos;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

void child_process::send(int signal) {
    if (running()) kill(pid_, signal);
}

std::optional<int> child_process::wait(std::chrono::milliseconds timeout) {
    const auto deadline = clock_type::now() + timeout;
    while (running()) {
        if (clock_type::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(10ms);
    }
    return status_;
}

std::string child_process::out() const { return read_file(out_path_); }
std::string child_process::err() const { return read_file(err_path_); }

scenario_run run_scenario_with_result(const std::string& host_url, const std::string& body,
                                      const std::vector<std::string>& extra) {
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + host_url + "\n" + body);
    std::vector<std::string> args = {"run", "-f", dir.file("s.yaml"), "--json", dir.file("r.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    auto run = run_stampede(args);
    const auto text = read_file(dir.file("r.json"));
    return {std::move(run), text.empty() ? nlohmann::json() : nlohmann::json::parse(text)};
}

run_output run_stampede(std::vector<std::string> args, std::chrono::seconds timeout) {
    const bool runs = !args.empty() && (args[0] == "run" || args[0] == "master");
    const auto has = [&](const char* flag) { return std::find(args.begin(), args.end(), flag) != args.end(); };
    if (runs && !has("--headless") && !has("--web-port")) args.insert(args.begin() + 1, "--headless");
    args.insert(args.begin(), STAMPEDE_BIN);
    child_process p(std::move(args));
    run_output result;
    auto code = p.wait(timeout);
    if (!code) {
        p.send(SIGKILL);
        throw std::runtime_error("stampede did not finish in time; stdout:\n" + p.out());
    }
    result.code = *code;
    result.out = p.out();
    result.err = p.err();
    return result;
}

demo_target::demo_target(std::vector<std::string> extra_args) {
    std::vector<std::string> argv = {DEMO_TARGET_BIN, "--port", "0"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    process_ = std::make_unique<child_process>(argv);
    if (!process_->wait_for_output("listening on 127.0.0.1:", 10s))
        throw std::runtime_error("demo target did not start: " + process_->err());
    const auto out = process_->out();
    const std::string prefix = "listening on 127.0.0.1:";
    for (auto at = out.find(prefix); at != std::string::npos; at = out.find(prefix, at + 1)) {
        const auto line = out.substr(at + prefix.size(), out.find('\n', at) - at - prefix.size());
        ports_.push_back(std::stoi(line));
        if (line.find("(https)") != std::string::npos) https_ports_.push_back(ports_.back());
    }
    port_ = ports_.front();
}

std::unique_ptr<child_process> start_master(std::vector<std::string> args, int& port) {
    args.insert(args.begin(), {STAMPEDE_BIN, "master", "--headless", "--bind", "127.0.0.1:0"});
    auto master = std::make_unique<child_process>(args);
    if (!master->wait_for_output("worker(s) on 127.0.0.1:", 10s))
        throw std::runtime_error("the master did not start: " + master->err());
    const auto out = master->out();
    port = std::stoi(out.substr(out.find("on 127.0.0.1:") + 13));
    return master;
}

std::unique_ptr<child_process> start_worker(int port, const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args = {STAMPEDE_BIN, "worker", "--master", "127.0.0.1:" + std::to_string(port),
                                     "--threads", "1", "--name", name};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<child_process>(args);
}

nlohmann::json demo_target::stats() { return nlohmann::json::parse(http_get(port_, "/__stats")); }

std::string http_raw(int port, const std::string& request, std::chrono::milliseconds timeout) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd);
        throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
    for (std::size_t sent = 0; sent < request.size();) {
        const auto n = ::write(fd, request.data() + sent, request.size() - sent);
        if (n <= 0) break;  // the server may close early on a request it refuses
        sent += static_cast<std::size_t>(n);
    }
    std::string response;
    char buffer[4096];
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (ssize_t n; std::chrono::steady_clock::now() < until && (n = ::read(fd, buffer, sizeof buffer)) > 0;)
        response.append(buffer, static_cast<std::size_t>(n));
    close(fd);
    return response;
}

std::string http_get(int port, const std::string& path) {
    const auto response = http_raw(port, "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    const auto body = response.find("\r\n\r\n");
    return body == std::string::npos ? std::string() : response.substr(body + 4);
}

std::uint64_t counted_by(child_process& worker) {
    const auto out = worker.out();
    const auto at = out.find("worker counted ");
    if (at == std::string::npos) throw std::runtime_error("the worker did not say what it counted: " + out);
    return std::stoull(out.substr(at + 15));
}

}  // namespace stampede::testing
