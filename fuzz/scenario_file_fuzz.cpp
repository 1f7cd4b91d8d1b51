// The scenario loader on whole files: any text is either loaded or refused with diagnostics
// that point into it; never a crash, a hang or an exception out of the loader. Data files and
// the environment come from fixed fakes, so every name a scenario reads resolves.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "scenario/loader/scenario_loader.hpp"

using namespace stampede;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    lang::load_options options;
    options.read_file = [](const std::string& name) -> common::result<std::string> {
        if (name.find("missing") != std::string::npos) return common::fail("no such file");
        return std::string("query,id\nhello,1\nworld,2\n");
    };
    options.environment = [](const std::string& name) -> std::optional<std::string> {
        if (name == "HOST") return std::string("http://127.0.0.1:1");
        if (name == "TOKEN") return std::string("t-1");
        return std::nullopt;
    };
    const auto loaded = lang::load_scenario_text(text, "fuzz.yaml", options);
    // Every problem is located in the text it came from.
    for (const auto& p : loaded.problems) {
        if (p.message.empty() || p.line < 0 || p.column < 0) std::abort();
    }
    if (loaded.ok() == !loaded.problems.empty()) std::abort();
    (void)loaded.format();
    return 0;
}
