// Runs a fuzz target without libFuzzer, for compilers that have none (the suite's GCC): every
// input file once, then random mutations of them (byte flips, inserts, erasures, repeats,
// splices) until the time is up. No coverage guides it; scripts/fuzz.sh runs the same targets
// under libFuzzer for that. An input that crashes the target is written to crash-<target>
// (or $FUZZ_CRASH_FILE) before the process dies, to be replayed by naming the file.
//   fuzz_NAME_standalone [--seconds N] [--seed S] [--max-len N] FILE_OR_DIRECTORY...
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// What the crash handler writes: the input being run, and where.
const std::string* running = nullptr;
std::string crash_file;

extern "C" void on_crash(int signal) {
    if (running) {
        const int fd = ::open(crash_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            [[maybe_unused]] auto n = ::write(fd, running->data(), running->size());
            ::close(fd);
        }
        static const char note[] = "fuzz: the input that crashed the target is in the crash file\n";
        [[maybe_unused]] auto n = ::write(2, note, sizeof note - 1);
    }
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

void run(const std::string& input) {
    running = &input;
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    running = nullptr;
}

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void mutate(std::string& s, const std::vector<std::string>& corpus, std::mt19937_64& rng, std::size_t max_len) {
    auto below = [&](std::size_t n) { return n ? static_cast<std::size_t>(rng() % n) : 0; };
    static const char* interesting[] = {"\0", "\xff", "\x7f", "\x80", "{", "}", "[", "]", "\"", "\\", ":", "\n",
                                        "\r\n", "{{", "}}", "0", "-1", "18446744073709551615", "9223372036854775807"};
    const int steps = 1 + static_cast<int>(below(4));
    for (int i = 0; i < steps; ++i) {
        switch (below(6)) {
            case 0:  // flip a bit
                if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1u << below(8));
                break;
            case 1:  // a random byte in
                s.insert(s.begin() + static_cast<std::ptrdiff_t>(below(s.size() + 1)), static_cast<char>(rng()));
                break;
            case 2:  // a range out
                if (!s.empty()) {
                    const auto at = below(s.size());
                    s.erase(at, 1 + below(std::min<std::size_t>(16, s.size() - at)));
                }
                break;
            case 3: {  // a range repeated
                if (s.empty()) break;
                const auto at = below(s.size());
                const auto piece = s.substr(at, 1 + below(32));
                s.insert(below(s.size() + 1), piece);
                break;
            }
            case 4: {  // a token that parsers care about
                const char* t = interesting[below(std::size(interesting))];
                s.insert(below(s.size() + 1), std::string(t, std::max<std::size_t>(1, std::strlen(t))));
                break;
            }
            default: {  // part of another input
                const auto& other = corpus[below(corpus.size())];
                if (other.empty()) break;
                const auto at = below(other.size());
                s.insert(below(s.size() + 1), other.substr(at, 1 + below(other.size() - at)));
                break;
            }
        }
    }
    if (s.size() > max_len) s.resize(max_len);
}

// Every file named, and every file in each directory named; false (said) for a path that is neither.
bool read_corpus(const std::vector<std::filesystem::path>& paths, std::vector<std::string>& corpus) {
    for (const auto& p : paths) {
        if (std::filesystem::is_directory(p)) {
            for (const auto& e : std::filesystem::directory_iterator(p))
                if (e.is_regular_file()) corpus.push_back(read_all(e.path()));
        } else if (std::filesystem::is_regular_file(p)) {
            corpus.push_back(read_all(p));
        } else {
            std::cerr << "error: " << p << ": no such file or directory\n";
            return false;
        }
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 0;
    std::uint64_t seed = std::random_device{}();
    std::size_t max_len = 64 * 1024;
    std::vector<std::filesystem::path> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--seconds" || arg == "--seed" || arg == "--max-len") && i + 1 < argc) {
            const std::string value = argv[++i];
            try {
                std::size_t used = 0;
                if (arg == "--seconds") seconds = std::stod(value, &used);
                else if (arg == "--seed") seed = std::stoull(value, &used);
                else max_len = std::stoull(value, &used);
                if (used != value.size() || value.front() == '-' || !(seconds <= 86400))
                    throw std::invalid_argument(value);  // a day at most: every run is bounded
            } catch (const std::exception&) {
                std::cerr << "error: " << arg << ": not a number in range (--seconds 0 to 86400, --seed and --max-len whole numbers): '" << value << "'\n";
                return 2;
            }
        } else if (arg.rfind("--", 0) == 0) {
            std::cerr << "usage: " << argv[0] << " [--seconds N] [--seed S] [--max-len N] FILE_OR_DIRECTORY...\n";
            return 2;
        } else {
            paths.emplace_back(arg);
        }
    }
    const char* named = std::getenv("FUZZ_CRASH_FILE");
    crash_file = named ? named : "crash-" + std::filesystem::path(argv[0]).filename().string();
    for (int s : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP}) std::signal(s, on_crash);

    std::vector<std::string> corpus;
    if (!read_corpus(paths, corpus)) return 2;
    for (const auto& input : corpus) run(input);
    std::cout << "replayed " << corpus.size() << " inputs\n";
    if (corpus.empty()) corpus.emplace_back();

    std::mt19937_64 rng(seed);
    std::uint64_t runs = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    std::string input;
    while (std::chrono::steady_clock::now() < end) {
        for (int i = 0; i < 64; ++i, ++runs) {
            input = corpus[rng() % corpus.size()];
            mutate(input, corpus, rng, max_len);
            run(input);
        }
    }
    std::cout << "ran " << runs << " mutated inputs in " << seconds << " s (seed " << seed << ")\n";
    return 0;
}
