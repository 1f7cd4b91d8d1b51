#include "cli/output_paths.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <optional>

namespace stampede::cli {

namespace {

namespace fs = std::filesystem;

// What a path names: the file itself when it exists (device and inode: hard links and symbolic
// links alike), else its absolute path with `.`, `..` and the links of its directories resolved.
struct identity {
    std::optional<std::pair<dev_t, ino_t>> inode;
    std::string path;
    bool same(const identity& other) const { return inode && other.inode ? *inode == *other.inode : path == other.path; }
};

identity identify(const std::string& path) {
    identity id;
    std::error_code ec;
    const auto resolved = fs::weakly_canonical(fs::absolute(path, ec), ec);
    id.path = ec ? path : resolved.string();
    struct stat info {};
    // A stream (/dev/stdout, a FIFO) may be both read from and written to; only files compare.
    if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) id.inode = std::make_pair(info.st_dev, info.st_ino);
    return id;
}

}  // namespace

common::status check_output_paths(const std::vector<named_path>& outputs, const std::vector<named_path>& inputs) {
    std::vector<std::pair<const named_path*, identity>> seen;
    for (const auto& in : inputs)
        if (!in.path.empty()) seen.emplace_back(&in, identify(in.path));
    const auto reads = seen.size();
    for (const auto& out : outputs) {
        if (out.path.empty()) continue;
        const auto id = identify(out.path);
        for (std::size_t i = 0; i < seen.size(); ++i) {
            if (!id.same(seen[i].second)) continue;
            if (i < reads)
                return common::fail(out.what + " " + out.path + ": that is " + seen[i].first->what +
                                    ", which this run reads; a result never overwrites an input");
            return common::fail(out.what + " " + out.path + ": " + seen[i].first->what + " writes that file too");
        }
        seen.emplace_back(&out, id);
    }
    return {};
}

}  // namespace stampede::cli
