#include "master/console_reporter.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace stampede::master {

std::string status_line(const run_result& result, const history_row& row, int target_users) {
    const auto elapsed = row.unix_time - std::chrono::duration_cast<std::chrono::seconds>(
                                             result.start.time_since_epoch()).count();
    const auto& total = row.total;
    const double failure_pct = total.requests ? 100.0 * total.failures / total.requests : 0.0;
    return fmt::format("[{:>5}s] users {}/{} | {:.1f} req/s | failures {} ({:.2f}%) | p50 {:.2f} ms | p95 {:.2f} ms",
                       elapsed, row.users, target_users, row.current_rps, total.failures,
                       failure_pct, row.current_p50_ms, row.current_p95_ms);
}

namespace {

std::string short_name(const std::string& name, std::size_t width) {
    return name.size() <= width ? name : name.substr(0, width - 3) + "...";
}

void print_request_table(const run_result& result, std::ostream& out) {
    const std::string header = fmt::format("{:<8} {:<40} {:>9} {:>14} | {:>9} {:>9} {:>9} {:>9} | {:>9} {:>10}",
                                           "Type", "Name", "# reqs", "# fails", "Avg", "Min", "Max", "Med", "req/s", "failures/s");
    const std::string rule(header.size(), '-');
    auto line = [&](const stats_row& r) {
        const double pct = r.requests ? 100.0 * r.failures / r.requests : 0.0;
        out << fmt::format("{:<8} {:<40} {:>9} {:>14} | {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} | {:>9.2f} {:>10.2f}\n",
                           r.method, short_name(r.name, 40), r.requests,
                           fmt::format("{}({:.2f}%)", r.failures, pct), r.avg_ms, r.min_ms,
                           r.max_ms, r.median_ms, r.rps, r.fps);
    };
    out << header << "\n" << rule << "\n";
    for (const auto& r : result.endpoint_rows()) line(r);
    out << rule << "\n";
    line(result.aggregated_row());
    out << "\n";
}

void print_percentile_table(const run_result& result, std::ostream& out) {
    out << "Response time percentiles (ms)\n";
    std::string header = fmt::format("{:<8} {:<40}", "Type", "Name");
    for (double p : reported_percentiles) header += fmt::format(" {:>9}", percentile_label(p));
    header += fmt::format(" {:>9}", "# reqs");
    out << header << "\n" << std::string(header.size(), '-') << "\n";
    auto line = [&](const stats_row& r) {
        std::string text = fmt::format("{:<8} {:<40}", r.method, short_name(r.name, 40));
        for (double v : r.percentiles_ms) text += fmt::format(" {:>9.2f}", v);
        out << text << fmt::format(" {:>9}\n", r.requests);
    };
    for (const auto& r : result.endpoint_rows()) line(r);
    out << std::string(header.size(), '-') << "\n";
    line(result.aggregated_row());
    out << "\n";
}

void print_errors(const run_result& result, std::ostream& out) {
    if (result.totals.errors.empty()) return;
    out << "Error report\n" << fmt::format("{:<14} {:<12} {}\n", "# occurrences", "kind", "endpoint: error");
    out << std::string(80, '-') << "\n";
    for (const auto& [key, record] : result.totals.errors) {
        const auto& ep = result.endpoints[key.endpoint];
        out << fmt::format("{:<14} {:<12} {} {}: {}\n", record.count, stats::to_string(key.kind),
                           ep.method, ep.name, record.message);
    }
    out << "\n";
}

// Each declared check's pass rate, and the steps skipped for want of a variable.
void print_checks(const run_result& result, std::ostream& out) {
    const bool any = std::any_of(result.checks.begin(), result.checks.end(), [](const auto& c) { return c.in_run; });
    if (any) {
        out << "Checks\n" << fmt::format("{:>9} {:>10} {:>10}  {}\n", "pass rate", "passed", "failed", "endpoint: check");
        out << std::string(80, '-') << "\n";
        for (std::size_t i = 0; i < result.checks.size(); ++i) {
            const auto& check = result.checks[i];
            if (!check.in_run) continue;
            const auto& tally = result.totals.checks[i];
            const auto runs = tally.passed + tally.failed;
            const auto rate = runs ? fmt::format("{:.2f}%", 100.0 * static_cast<double>(tally.passed) / static_cast<double>(runs))
                                   : std::string("-");
            const auto& ep = result.endpoints[check.endpoint_id];
            out << fmt::format("{:>9} {:>10} {:>10}  {} {}: {}{}\n", rate, tally.passed, tally.failed, ep.method, ep.name,
                               check.description, check.soft ? " (soft)" : "");
        }
        out << "\n";
    }
    for (std::size_t i = 0; i < result.totals.skipped.size(); ++i) {
        if (result.totals.skipped[i] == 0) continue;
        const auto& ep = result.endpoints[i];
        out << fmt::format("{} step(s) {} {} skipped: a variable they need was not set\n", result.totals.skipped[i],
                           ep.method, ep.name);
    }
}

}  // namespace

void print_summary(const run_result& result, std::ostream& out) {
    out << "\n";
    print_request_table(result, out);
    print_percentile_table(result, out);
    print_errors(result, out);
    print_checks(result, out);
    if (result.totals.cancelled > 0) {
        out << fmt::format("{} request(s) in flight were cut off by the stop timeout and not counted\n\n",
                           result.totals.cancelled);
    }
    print_data_gaps(result, out);
}

// Said last, where it is read: the totals above may be short by these.
void print_data_gaps(const run_result& result, std::ostream& out) {
    if (result.data_gaps.empty()) return;
    out << "Counts that may be missing from this result:\n";
    for (const auto& g : result.data_gaps) {
        out << fmt::format("  worker {}: {}; ", g.worker, g.reason);
        if (g.known_missing > 0) out << fmt::format("{} request(s) known missing", g.known_missing);
        if (g.known_missing > 0 && g.estimated_missing > 0) out << ", and ";
        if (g.estimated_missing > 0 || g.known_missing == 0)
            out << fmt::format("its counts from {:.1f}s to {:.1f}s (about {} request(s) at its last rate)", g.from_s,
                               g.to_s, g.estimated_missing);
        out << "\n";
    }
    if (result.incomplete()) out << "The result is incomplete: the run fails.\n";
    out << "\n";
}

}  // namespace stampede::master
