// stampede: command-line wiring only. The flags are declared in command_line.cpp, settings from
// the environment and config files gathered in outside_settings.cpp, each subcommand's work
// lives in commands.cpp.
#include <iostream>

#include <spdlog/cfg/env.h>
#include <spdlog/spdlog.h>

#include "cli/command_line.hpp"
#include "cli/outside_settings.hpp"
#include "cli/safe_terminal.hpp"
#include "common/duration.hpp"

namespace {

using namespace stampede;

// The command line as the result records it, secrets replaced.
std::string recorded_command_line(const std::vector<std::string>& words) {
    std::string out = "stampede";
    for (std::size_t i = 0; i < words.size(); ++i) {
        auto word = words[i];
        const auto flag_name = [](const std::string& w) { return w.rfind("--", 0) == 0 ? w.substr(2, w.find('=') - 2) : ""; };
        if (cli::is_secret_flag(flag_name(word)) && word.find('=') != std::string::npos)
            word = word.substr(0, word.find('=')) + "=***";
        else if (i > 0 && cli::is_secret_flag(flag_name(words[i - 1])) && words[i - 1].find('=') == std::string::npos)
            word = "***";
        out += " " + word;
    }
    return out;
}

std::vector<report::run_setting> recorded_settings(const std::vector<cli::setting>& settings) {
    std::vector<report::run_setting> out;
    for (const auto& s : settings) {
        std::string value;
        for (const auto& v : s.values) value += (value.empty() ? "" : " ") + v;
        if (cli::is_secret_flag(s.flag)) value = "***";
        out.push_back({"--" + s.flag, s.values.empty() ? "true" : value, s.source});
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    // Diagnostics go to stderr; stdout carries the status line and the results; neither passes
    // a terminal control on from a target, a worker or a file.
    cli::make_console_output_safe();
    spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=debug for more detail

    const std::vector<std::string> given(argv + 1, argv + argc);
    auto outside = cli::gather_outside_settings(given);
    if (!outside) {
        std::cerr << "error: " << outside.error() << "\n";
        return cli::exit_usage;
    }
    for (const auto& warning : outside->warnings) std::cerr << "warning: " << warning << "\n";
    std::vector<const char*> words{argv[0]};
    for (const auto& a : outside->arguments) words.push_back(a.c_str());

    cli::command_line cl;
    try {
        cl.app.parse(static_cast<int>(words.size()), words.data());
    } catch (const CLI::CallForHelp& e) {
        return cl.app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return cl.app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return cl.app.exit(e);
    } catch (const CLI::ParseError& e) {
        cl.app.exit(e);
        return cli::exit_usage;
    }
    for (const auto& s : recorded_settings(outside->settings))
        spdlog::info("{} {} (from {})", s.flag, s.value, s.source);

    if (*cl.validate_cmd) return cli::validate_command(cl.validate_path);
    if (*cl.report_cmd) return cli::report_command(cl.report_result, cl.report_html);
    if (*cl.compare_cmd) {
        auto& options = cl.compare_opts;
        if (*cl.max_regression_flag) {
            options.bounds.max_regression_pct = cl.max_regression;
            options.bounds.max_error_increase_pts = 1.0;
        }
        if (*cl.max_error_flag) options.bounds.max_error_increase_pts = cl.max_error_increase;
        return cli::compare_command(options);
    }
    if (*cl.worker_cmd) {
        cl.worker_options.master_wait = *common::parse_duration(cl.master_wait);  // checked by its flag
        cl.worker_options.master_timeout = *common::parse_duration(cl.master_timeout);
        return cli::worker_command(cl.worker_options);
    }
    const bool is_master = cl.master_cmd->parsed();
    auto& options = is_master ? cl.master_options : cl.run_options;
    const auto& time_text = is_master ? cl.master_run_time : cl.run_time;
    if (!time_text.empty()) options.overrides.run_time = *common::parse_duration(time_text);  // checked by its flag
    options.command_line = recorded_command_line(given);
    options.settings = recorded_settings(outside->settings);
    if (!is_master) options.bind.clear();
    return cli::run_command(options);
}
