#include "cli/outside_settings.hpp"

#include <cstdlib>
#include <filesystem>

#include "cli/command_line.hpp"
#include "common/text_file.hpp"

namespace stampede::cli {

namespace {

using common::fail;

bool is_config(const CLI::Option* opt) {
    const auto& names = opt->get_lnames();
    return !names.empty() && names.front() == "config";
}

std::vector<flag_spec> flags_of(const CLI::App& cmd) {
    std::vector<flag_spec> out;
    for (const auto* opt : cmd.get_options()) {
        const auto& names = opt->get_lnames();
        if (names.empty() || names.front() == "help" || is_config(opt) || !opt->get_configurable()) continue;
        const bool many = opt->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll ||
                          opt->get_items_expected_max() > 1;
        out.push_back({names.front(), opt->get_expected_max() > 0, many});  // a switch expects no value
    }
    return out;
}

std::vector<std::string> flags_of_others(const CLI::App& app, const CLI::App& cmd) {
    std::vector<std::string> out;
    for (const auto* other : app.get_subcommands({}))
        if (other != &cmd)
            for (const auto& f : flags_of(*other)) out.push_back(f.name);
    return out;
}

// The long names the command line gives (--name, --name=value, -x, -xVALUE), mapped through the
// command's own options so -u counts as users.
std::set<std::string> given_flags(const CLI::App& cmd, const std::vector<std::string>& args) {
    std::set<std::string> given;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a == "--") break;
        std::string name;
        if (a.rfind("--", 0) == 0) name = a.substr(0, a.find('='));
        else if (a.size() >= 2 && a[0] == '-' && std::isalpha(static_cast<unsigned char>(a[1]))) name = a.substr(0, 2);
        else continue;
        if (const auto* opt = cmd.get_option_no_throw(name); opt && !opt->get_lnames().empty())
            given.insert(opt->get_lnames().front());
    }
    return given;
}

// --config FILE or --config=FILE on the command line, then STAMPEDE_CONFIG, then ./stampede.conf;
// the source for messages beside it. Empty: no file.
std::pair<std::string, std::string> config_file(const std::vector<std::string>& args) {
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--") break;
        if (args[i] == "--config" && i + 1 < args.size()) return {args[i + 1], "--config"};
        if (args[i].rfind("--config=", 0) == 0) return {args[i].substr(9), "--config"};
    }
    if (const char* env = std::getenv("STAMPEDE_CONFIG"); env && *env) return {env, "STAMPEDE_CONFIG"};
    std::error_code ec;
    if (std::filesystem::exists(default_config_file, ec)) return {default_config_file, default_config_file};
    return {};
}

// The value checked by its flag alone, in a command line of its own, so
// the message can name where the value came from.
common::status check_alone(const std::string& command, const setting& s) {
    command_line scratch;
    std::vector<std::string> words{"stampede", command};
    for (auto& a : as_arguments(s)) words.push_back(std::move(a));
    std::vector<const char*> argv;
    for (const auto& w : words) argv.push_back(w.c_str());
    try {
        scratch.app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::RequiredError&) {  // other flags are required, not this one's concern
    } catch (const CLI::ParseError& e) {
        return fail(s.source + ": " + e.what());
    }
    return {};
}

}  // namespace

common::result<outside_settings> gather_outside_settings(const std::vector<std::string>& args) {
    outside_settings out;
    out.arguments = args;
    if (args.empty()) return out;
    command_line catalog;
    const CLI::App* cmd = nullptr;
    for (const auto* sub : catalog.app.get_subcommands({}))
        if (sub->get_name() == args.front()) cmd = sub;
    if (!cmd) return out;
    for (const auto& a : args)
        if (a == "--help" || a == "-h") return out;  // help needs no settings, and must not fail on them

    setting_inputs in;
    in.command = cmd->get_name();
    in.flags = flags_of(*cmd);
    in.other_flags = flags_of_others(catalog.app, *cmd);
    in.given = given_flags(*cmd, args);
    in.environment = [](const std::string& name) { return std::getenv(name.c_str()); };
    const auto [path, named_by] = config_file(args);
    if (!path.empty()) {
        auto text = common::read_text_file(path, max_config_bytes);
        if (!text) return fail(named_by + " " + path + ": " + text.error());
        auto entries = parse_config(*text, path);
        if (!entries) return entries.why();
        in.config = std::move(*entries);
        in.config_path = path;
    }
    auto gathered = gather_settings(in);
    if (!gathered) return gathered.why();
    for (const auto& s : gathered->settings)
        if (auto checked = check_alone(in.command, s); !checked) return checked.why();

    std::vector<std::string> extra;
    for (const auto& s : gathered->settings)
        for (auto& a : as_arguments(s)) extra.push_back(std::move(a));
    out.arguments.insert(out.arguments.begin() + 1, extra.begin(), extra.end());
    out.settings = std::move(gathered->settings);
    out.warnings = std::move(gathered->warnings);
    return out;
}

}  // namespace stampede::cli
