// Text escaped for a terminal (common/terminal_text): any bytes, fed whole or in any pieces,
// come out the same, as valid UTF-8 holding no control but line feed and tab and no
// bidirectional control.
#include <cstdint>
#include <cstdlib>
#include <algorithm>
#include <string>
#include <vector>

#include "common/terminal_text.hpp"
#include "common/utf8.hpp"
#include "fuzz/fuzz_bytes.hpp"

using namespace stampede;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::fuzz_bytes in(data, size);
    std::vector<std::size_t> cuts(in.byte() % 8);
    for (auto& c : cuts) c = in.byte();
    const auto text = in.rest();
    const auto whole = common::terminal_safe(text);
    common::terminal_escaper e;
    std::string pieces;
    std::size_t at = 0;
    for (const auto c : cuts) {
        const auto n = std::min(c, text.size() - at);
        e.feed(text.substr(at, n), pieces);
        at += n;
    }
    e.feed(text.substr(at), pieces);
    e.finish(pieces);
    if (pieces != whole) std::abort();
    if (!common::is_valid_utf8(whole)) std::abort();
    for (std::size_t i = 0; i < whole.size(); ++i) {
        const auto b = static_cast<unsigned char>(whole[i]);
        if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7f) std::abort();
        if (b == 0xC2 && i + 1 < whole.size() && static_cast<unsigned char>(whole[i + 1]) < 0xA0) std::abort();  // C1
        if (whole.compare(i, 3, "\xE2\x80\xAE") == 0 || whole.compare(i, 3, "\xE2\x81\xA6") == 0) std::abort();
    }
    return 0;
}
