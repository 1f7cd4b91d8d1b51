// The Prometheus text exposition reader on any bytes, with small limits so the fuzzer meets
// them: whatever the text, no crash, no more samples or labels handed out than the limits
// allow, every label name one the format permits, and a refusal always says where or what.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "watch/exposition_reader.hpp"

using namespace stampede;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    watch::exposition_limits limits;
    limits.max_bytes = 1 << 16;
    limits.max_line = 512;
    limits.max_samples = 200;
    limits.max_labels = 8;
    std::size_t samples = 0;
    const auto ok = watch::read_exposition(text, limits, [&](const watch::exposition_sample& s) {
        if (++samples > limits.max_samples || s.labels.size() > limits.max_labels || s.name.empty()) std::abort();
        for (const auto& [name, value] : s.labels)
            if (name.empty() || (name.front() >= '0' && name.front() <= '9')) std::abort();
        if (s.label("le") && s.family.empty()) std::abort();
    });
    if (!ok && ok.error().empty()) std::abort();
    return 0;
}
