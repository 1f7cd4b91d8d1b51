#include "watch/resource_probe.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace stampede::watch {

namespace fs = std::filesystem;

namespace {

// A kernel file, whole: they are a few lines (and report no size), read a page at a time; what
// passes 1 MiB is not one of them and is cut there.
std::optional<std::string> slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    constexpr std::size_t page = 4096, most = std::size_t{1} << 20;
    std::string text;
    while (in && text.size() < most) {
        const auto had = text.size();
        text.resize(had + page);
        in.read(text.data() + had, static_cast<std::streamsize>(page));
        text.resize(had + static_cast<std::size_t>(in.gcount()));
    }
    return text;
}

std::optional<double> number(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<double> file_number(const fs::path& file) {
    const auto text = slurp(file);
    return text ? number(*text) : std::nullopt;
}

// The value of `key` in a "key value" file (cpu.stat, memory.stat, /proc/PID/io's "key: value").
std::optional<double> keyed(const std::string& text, std::string_view key) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        std::string_view l(line);
        if (!l.starts_with(key) || l.size() <= key.size()) continue;
        l.remove_prefix(key.size());
        if (l.front() == ':') l.remove_prefix(1);
        if (l.front() != ' ') continue;
        while (!l.empty() && l.front() == ' ') l.remove_prefix(1);
        return number(l);
    }
    return std::nullopt;
}

std::optional<double> keyed_file(const fs::path& file, std::string_view key) {
    const auto text = slurp(file);
    return text ? keyed(*text, key) : std::nullopt;
}

// What the kernel charges as memory, less the page cache it can drop at once (inactive
// files): the figure `docker stats` shows.
std::optional<double> charged_memory(const fs::path& usage, const fs::path& stat, std::string_view inactive_key) {
    const auto used = file_number(usage);
    if (!used) return std::nullopt;
    const auto inactive = keyed_file(stat, inactive_key).value_or(0);
    return std::max(0.0, *used - inactive);
}

// v2's io.stat: "MAJ:MIN rbytes=N wbytes=N ..." per device.
void add_io_v2(const fs::path& file, resource_reading& out) {
    const auto text = slurp(file);
    if (!text) return;
    double read = 0, written = 0;
    std::istringstream words(*text);
    for (std::string word; words >> word;) {
        if (word.starts_with("rbytes=")) read += number(std::string_view(word).substr(7)).value_or(0);
        if (word.starts_with("wbytes=")) written += number(std::string_view(word).substr(7)).value_or(0);
    }
    out.io_read_bytes = read;
    out.io_write_bytes = written;
}

// v1's blkio.throttle.io_service_bytes: "MAJ:MIN Read N" and "MAJ:MIN Write N" per device.
void add_io_v1(const fs::path& file, resource_reading& out) {
    const auto text = slurp(file);
    if (!text) return;
    double read = 0, written = 0;
    std::istringstream lines(*text);
    for (std::string device, op, value; lines >> device >> op;) {
        if (device == "Total") continue;  // "Total N": two words only
        if (!(lines >> value)) break;
        if (op == "Read") read += number(value).value_or(0);
        if (op == "Write") written += number(value).value_or(0);
    }
    out.io_read_bytes = read;
    out.io_write_bytes = written;
}

// A v2 cgroup directory: cpu.stat, memory.current and memory.stat, io.stat.
void add_v2(const fs::path& dir, resource_reading& out) {
    if (auto usec = keyed_file(dir / "cpu.stat", "usage_usec")) out.cpu_seconds = *usec / 1e6;
    if (auto memory = charged_memory(dir / "memory.current", dir / "memory.stat", "inactive_file")) out.memory_bytes = memory;
    add_io_v2(dir / "io.stat", out);
}

bool empty(const resource_reading& r) { return !r.cpu_seconds && !r.memory_bytes && !r.io_read_bytes; }

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Whether process `pid` is the one named `name`: its command name (cut by the kernel to 15
// bytes) or its program's file name.
bool named(const fs::path& dir, const std::string& name) {
    if (auto comm = slurp(dir / "comm")) {
        if (!comm->empty() && comm->back() == '\n') comm->pop_back();
        if (*comm == name || (comm->size() == 15 && name.starts_with(*comm))) return true;
    }
    if (auto cmdline = slurp(dir / "cmdline")) {
        const std::string program = cmdline->substr(0, cmdline->find('\0'));
        if (!program.empty() && fs::path(program).filename() == name) return true;
    }
    return false;
}

}  // namespace

common::result<int> find_process(const process_target& target, const fs::path& proc) {
    if (target.pid > 0) {
        if (!fs::exists(proc / std::to_string(target.pid))) return common::fail("no process " + std::to_string(target.pid));
        return target.pid;
    }
    if (!target.pid_file.empty()) {
        const auto text = slurp(target.pid_file);
        if (!text) return common::fail("pid file '" + target.pid_file + "' cannot be read");
        const auto pid = number(*text);
        if (!pid || *pid < 1 || *pid > 4194304 || *pid != static_cast<int>(*pid))
            return common::fail("pid file '" + target.pid_file + "' does not hold a process id");
        return find_process({static_cast<int>(*pid), {}, {}}, proc);
    }
    std::vector<int> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(proc, ec)) {
        const auto pid = entry.path().filename().string();
        if (all_digits(pid) && named(entry.path(), target.name)) found.push_back(std::stoi(pid));
    }
    if (found.empty()) return common::fail("no process named '" + target.name + "'");
    return *std::min_element(found.begin(), found.end());  // the oldest, usually the parent of the others
}

common::result<resource_reading> read_process(int pid, const fs::path& proc) {
    const auto dir = proc / std::to_string(pid);
    const auto stat = slurp(dir / "stat");
    if (!stat) return common::fail("process " + std::to_string(pid) + " has exited");
    // The command name, in parentheses, may hold spaces and parentheses: fields follow the last ')'.
    const auto close = stat->rfind(')');
    if (close == std::string::npos) return common::fail("process " + std::to_string(pid) + ": /proc stat unreadable");
    std::istringstream fields(stat->substr(close + 1));
    std::vector<std::string> after(13);
    for (auto& f : after) fields >> f;
    // Field 3, the state: a zombie has exited and waits for its parent to read its status.
    if (after[0] == "Z" || after[0] == "X") return common::fail("process " + std::to_string(pid) + " has exited");
    resource_reading out;
    const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const auto user = number(after[11]), system = number(after[12]);  // fields 14 and 15: utime, stime
    if (user && system && ticks > 0) out.cpu_seconds = (*user + *system) / ticks;
    if (const auto statm = slurp(dir / "statm")) {
        std::istringstream pages(*statm);
        double size = 0, resident = 0;
        if (pages >> size >> resident) out.memory_bytes = resident * static_cast<double>(sysconf(_SC_PAGESIZE));
    }
    if (const auto io = slurp(dir / "io")) {  // another user's process keeps it to itself
        out.io_read_bytes = keyed(*io, "read_bytes");
        out.io_write_bytes = keyed(*io, "write_bytes");
    }
    return out;
}

common::result<resource_reading> read_cgroup(const std::string& path, const fs::path& root) {
    resource_reading out;
    const fs::path given(path);
    // An absolute path is a cgroup's directory when one is there; else it is written as
    // /proc/PID/cgroup writes it (`/system.slice/redis.service`), from the hierarchy's root.
    if (given.is_absolute()) {
        add_v2(given, out);
        if (!empty(out)) return out;
    }
    const auto relative = given.relative_path();
    for (const auto& v2 : {root / relative, root / "unified" / relative}) {
        add_v2(v2, out);
        if (!empty(out)) break;
    }
    // cgroup v1 (a hybrid host): each controller its own hierarchy; what v2 counted stays.
    if (!out.cpu_seconds)
        if (auto ns = file_number(root / "cpuacct" / relative / "cpuacct.usage")) out.cpu_seconds = *ns / 1e9;
    if (!out.memory_bytes)
        out.memory_bytes = charged_memory(root / "memory" / relative / "memory.usage_in_bytes",
                                          root / "memory" / relative / "memory.stat", "total_inactive_file");
    if (!out.io_read_bytes) add_io_v1(root / "blkio" / relative / "blkio.throttle.io_service_bytes", out);
    if (empty(out))
        return common::fail("no cgroup '" + path + "' under " + root.string() +
                            " (looked in the v2 hierarchy and in v1's cpuacct, memory and blkio)");
    return out;
}

}  // namespace stampede::watch
