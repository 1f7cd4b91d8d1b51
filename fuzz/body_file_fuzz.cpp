// A request body read from a file (json_file, body_file): any file either loads or is refused with
// a diagnostic at the step that names it; never a crash, a hang or unbounded memory. A JSON file
// that loads renders, whatever its templates' values hold, to a document that parses as JSON.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "scenario/loader/scenario_loader.hpp"
#include "scenario/template.hpp"

using namespace stampede;
using namespace stampede::lang;

namespace {

class fuzz_context final : public template_context {
public:
    std::uint64_t random_below(std::uint64_t bound) override {
        if (bound == 0) std::abort();
        return next_++ % bound;
    }
    // Values that need escaping inside a JSON string: a quote, a backslash, a line break, U+0001.
    std::string_view variable(std::uint32_t) override { return "a \"quoted\" \\ line\n\x01 value"; }
    bool has_variable(std::uint32_t) override { return true; }
    std::string_view data_value(std::uint32_t, std::uint32_t) override { return "q\"1"; }
    std::uint64_t next_counter() override { return ++next_; }
    std::uint64_t next_global_counter() override { return ++next_; }
    std::uint64_t user_index() override { return 3; }

private:
    std::uint64_t next_ = 0;
};

lang::scenario_load_result load_with(const std::string& key, const std::string& content) {
    lang::load_options options;
    options.read_file = [&content](const std::string& name) -> common::result<std::string> {
        if (name == "q.csv") return std::string("query\nhello\n");
        return content;
    };
    const std::string text = "host: http://127.0.0.1:1\ndata:\n  q: {file: q.csv}\nuser_classes:\n"
                             "  - vars: {note: x}\n    tasks:\n      - {method: POST, path: /b, " +
                             key + ": body.file}\n";
    return lang::load_scenario_text(text, "fuzz.yaml", options);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string content(reinterpret_cast<const char*>(data), size);
    for (const char* key : {"json_file", "body_file"}) {
        const auto loaded = load_with(key, content);
        if (loaded.ok() == !loaded.problems.empty()) std::abort();
        // Every problem is the step's, at its line.
        for (const auto& p : loaded.problems)
            if (p.line != 7 || p.message.empty()) std::abort();
        if (!loaded.ok()) continue;
        fuzz_context context;
        std::string out;
        render_template(loaded.value->user_classes[0].tasks[0].steps[0].request.body, context, out);
        if (std::string(key) == "json_file" && !nlohmann::json::accept(out)) std::abort();
    }
    return 0;
}
