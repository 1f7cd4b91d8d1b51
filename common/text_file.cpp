#include "common/text_file.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace stampede::common {

std::string format_bytes(std::size_t bytes) {
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

namespace {

// The kernel's own file systems: their "files" are the process's and the machine's state (its
// environment, memory maps, keys), regular by stat but nothing a user meant to ship to workers.
const char* kernel_file_system(int fd) {
    struct statfs fs {};
    if (::fstatfs(fd, &fs) != 0) return nullptr;
    switch (static_cast<unsigned long>(fs.f_type)) {
        case PROC_SUPER_MAGIC: return "procfs (/proc)";
        case SYSFS_MAGIC: return "sysfs (/sys)";
        case DEBUGFS_MAGIC: return "debugfs";
        case TRACEFS_MAGIC: return "tracefs";
        case SECURITYFS_MAGIC: return "securityfs";
        case CGROUP_SUPER_MAGIC:
        case CGROUP2_SUPER_MAGIC: return "a cgroup file system";
        default: return nullptr;
    }
}

}  // namespace

result<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
    // O_NONBLOCK: opening a FIFO nobody writes to must not hang; it is refused below anyway.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return fail(std::strerror(errno));
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return fail("is not a regular file");
    }
    if (const auto* kernel = kernel_file_system(fd)) {
        ::close(fd);
        return fail(std::string("is on ") + kernel + ", the kernel's state rather than a file of yours: not read");
    }
    std::string text;
    char chunk[65536];
    for (;;) {
        const auto n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            return fail(why);
        }
        if (n == 0) break;
        text.append(chunk, static_cast<std::size_t>(n));
        if (text.size() > max_bytes) {  // the file grows while read, or st_size lied (procfs)
            ::close(fd);
            return fail("is larger than " + format_bytes(max_bytes));
        }
    }
    ::close(fd);
    return text;
}

// Written beside the result under a fresh name, then renamed over it: a reader never sees half
// a file, a run that fails mid-write leaves the last whole one, and a symbolic link at the path is
// replaced rather than followed (its target is left alone). A stream (`--json /dev/stdout`, a
// FIFO) is written into instead.
namespace {

bool write_all(int fd, std::string_view text) {
    for (std::size_t done = 0; done < text.size();) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// A result sent to a stream (a pipe, a FIFO, a terminal, /dev/stdout): written into it as it is.
bool is_stream(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && (S_ISFIFO(info.st_mode) || S_ISCHR(info.st_mode) || S_ISSOCK(info.st_mode));
}

status write_to_stream(const std::string& path, std::string_view text) {
    int fd = -1;
    do fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0 || !write_all(fd, text)) {
        const int err = errno;
        if (fd >= 0) ::close(fd);
        return fail("cannot write " + path + ": " + std::strerror(err));
    }
    ::close(fd);
    return {};
}

}  // namespace

status write_text_file(const std::string& path, std::string_view text) {
    if (is_stream(path)) return write_to_stream(path, text);
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const auto failed = [&](const std::string& temp, int err) -> status {
        if (!temp.empty()) ::unlink(temp.c_str());
        return fail("cannot write " + path + ": " + std::strerror(err));
    };
    std::random_device random;
    std::string temp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temp = dir + "." + name + ".tmp-" + std::to_string(random());
        // 0666 less the umask, as a plain create gives; O_EXCL: never someone else's file.
        fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd < 0 && errno != EEXIST && errno != EINTR) return failed("", errno);
    }
    if (fd < 0) return failed("", EEXIST);
    if (!write_all(fd, text)) {
        const int err = errno;
        ::close(fd);
        return failed(temp, err);
    }
    if (::close(fd) != 0) return failed(temp, errno);
    if (::rename(temp.c_str(), path.c_str()) != 0) return failed(temp, errno);
    return {};
}

}  // namespace stampede::common
