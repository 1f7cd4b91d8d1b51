#include "report/console_reporter.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "report/result_view.hpp"

namespace stampede::report {

std::string status_line(const run_result& result, const history_row& row, int target_users) {
    const auto elapsed = row.unix_time - std::chrono::duration_cast<std::chrono::seconds>(
                                             result.start.time_since_epoch()).count();
    const auto& total = row.total;
    const double failure_pct = total.requests ? 100.0 * total.failures / total.requests : 0.0;
    auto line = fmt::format("[{:>5}s] users {}/{} | {:.1f} req/s | failures {} ({:.2f}%) | p50 {:.2f} ms | p95 {:.2f} ms",
                            elapsed, row.users, target_users, row.current_rps, total.failures, failure_pct,
                            row.current_p50_ms, row.current_p95_ms);
    // With open-model classes: their iterations dropped so far.
    std::uint64_t dropped = 0;
    for (const auto& c : result.totals.classes) dropped += c.dropped;
    const bool open = std::any_of(result.totals.classes.begin(), result.totals.classes.end(),
                                  [](const stats::class_counts& c) { return !c.empty(); });
    if (open) line += fmt::format(" | dropped {}", dropped);
    return line;
}

namespace {

std::string short_name(const std::string& name, std::size_t width) {
    return name.size() <= width ? name : name.substr(0, width - 3) + "...";
}

// The columns that say which endpoint a row is: its type, its host where the run names
// hosts, its name.
std::string key_header(bool hosts) {
    return hosts ? fmt::format("{:<8} {:<20} {:<40}", "Type", "Host", "Name") : fmt::format("{:<8} {:<40}", "Type", "Name");
}

std::string key_cells(const std::string& method, const std::string& host, const std::string& name, bool hosts) {
    return hosts ? fmt::format("{:<8} {:<20} {:<40}", method, short_name(host, 20), short_name(name, 40))
                 : fmt::format("{:<8} {:<40}", method, short_name(name, 40));
}

std::string key_cells(const stats_row& r, bool hosts) { return key_cells(r.method, r.host, r.name, hosts); }

void print_request_table(const result_view& view, std::ostream& out) {
    const bool hosts = view.named_hosts;
    const std::string header = key_header(hosts) + fmt::format(" {:>9} {:>14} | {:>9} {:>9} {:>9} {:>9} | {:>9} {:>10}",
                                                               "# reqs", "# fails", "Avg", "Min", "Max", "Med", "req/s",
                                                               "failures/s");
    const std::string rule(header.size(), '-');
    auto line = [&](const stats_row& r) {
        const double pct = r.requests ? 100.0 * r.failures / r.requests : 0.0;
        out << key_cells(r, hosts)
            << fmt::format(" {:>9} {:>14} | {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} | {:>9.2f} {:>10.2f}\n", r.requests,
                           fmt::format("{}({:.2f}%)", r.failures, pct), r.avg_ms, r.min_ms, r.max_ms, r.median_ms,
                           r.rps, r.fps);
    };
    out << header << "\n" << rule << "\n";
    for (const auto* e : view.table) line(e->row);
    out << rule << "\n";
    line(view.aggregated.row);
    out << "\n";
}

void print_percentile_table(const result_view& view, std::ostream& out) {
    out << "Response time percentiles (ms)\n";
    std::string header = key_header(view.named_hosts);
    for (double p : reported_percentiles) header += fmt::format(" {:>9}", percentile_label(p));
    header += fmt::format(" {:>9}", "# reqs");
    out << header << "\n" << std::string(header.size(), '-') << "\n";
    auto line = [&](const stats_row& r) {
        std::string text = key_cells(r, view.named_hosts);
        for (double v : r.percentiles_ms) text += fmt::format(" {:>9.2f}", v);
        out << text << fmt::format(" {:>9}\n", r.requests);
    };
    for (const auto* e : view.table) line(e->row);
    out << std::string(header.size(), '-') << "\n";
    line(view.aggregated.row);
    out << "\n";
}

// With named hosts, each host's endpoints together: which service of a fleet is slow.
void print_hosts(const result_view& view, std::ostream& out) {
    if (view.hosts.empty()) return;
    out << "Hosts (every endpoint of each together)\n";
    const auto header = fmt::format("{:<20} {:>9} {:>14} | {:>9} {:>9} {:>9} {:>9} {:>9} | {:>9}", "Host", "# reqs",
                                    "# fails", "Avg", "50%", "95%", "99%", "Max", "req/s");
    out << header << "\n" << std::string(header.size(), '-') << "\n";
    for (const auto& h : view.hosts) {
        const auto& r = h.row;
        const double pct = r.requests ? 100.0 * r.failures / r.requests : 0.0;
        out << fmt::format("{:<20} {:>9} {:>14} | {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} | {:>9.2f}\n",
                           short_name(h.name, 20), r.requests, fmt::format("{}({:.2f}%)", r.failures, pct), r.avg_ms,
                           r.percentile_ms(50), r.percentile_ms(95), r.percentile_ms(99), r.max_ms, r.rps);
    }
    out << "\n";
}

// New connections, apart from the requests that made them: how long the TCP connect took and,
// for https://, the TLS handshake (as curl's and k6's timings split them).
void print_connections(const result_view& view, std::ostream& out) {
    const bool tls = !view.aggregated.stats->tls_handshake.empty();
    if (view.aggregated.stats->connect.empty()) return;
    out << "New connections (ms)\n";
    std::string header = key_header(view.named_hosts) + fmt::format(" {:>11} {:>11} {:>11} {:>11}", "connections",
                                                                      "connect p50", "connect p95", "connect max");
    if (tls) header += fmt::format(" {:>9} {:>9} {:>9}", "TLS p50", "TLS p95", "TLS max");
    out << header << "\n" << std::string(header.size(), '-') << "\n";
    auto line = [&](const stats_row& r, const stats::endpoint_stats& s) {
        out << key_cells(r, view.named_hosts)
            << fmt::format(" {:>11} {:>11.2f} {:>11.2f} {:>11.2f}", s.connect.count(), to_ms(s.connect.percentile(50)),
                           to_ms(s.connect.percentile(95)), to_ms(s.connect.max()));
        if (tls && !s.tls_handshake.empty())
            out << fmt::format(" {:>9.2f} {:>9.2f} {:>9.2f}", to_ms(s.tls_handshake.percentile(50)),
                               to_ms(s.tls_handshake.percentile(95)), to_ms(s.tls_handshake.max()));
        out << "\n";
    };
    for (const auto* e : view.table)
        if (!e->stats->connect.empty()) line(e->row, *e->stats);
    out << std::string(header.size(), '-') << "\n";
    line(view.aggregated.row, *view.aggregated.stats);
    out << "\n";
}

// An endpoint as one text: "GET [host] name", the host where the run names hosts.
std::string endpoint_text(const lang::endpoint& e, std::string_view host) {
    return e.method + " " + qualify_name(e.name, std::string(host));
}

void print_errors(const result_view& view, std::ostream& out) {
    if (view.errors.empty()) return;
    out << "Error report\n" << fmt::format("{:<14} {:<12} {}\n", "# occurrences", "kind", "endpoint: error");
    out << std::string(80, '-') << "\n";
    for (const auto& e : view.errors)
        out << fmt::format("{:<14} {:<12} {}: {}\n", e.count, stats::to_string(e.kind), endpoint_text(*e.endpoint, e.host),
                           e.message);
    out << "\n";
}

// The open model: each class's iterations, those dropped, how late they started; and the
// latencies without the correction for late starts, beside the corrected ones above.
void print_open_model(const result_view& view, double seconds, std::ostream& out) {
    if (!view.open_classes.empty()) {
        out << "Arrivals (open model)\n"
            << fmt::format("{:<24} {:>11} {:>9} {:>10} {:>13} {:>13}\n", "class", "iterations", "dropped", "per s",
                           "lag p50 ms", "lag p99 ms")
            << std::string(85, '-') << "\n";
        for (const auto& c : view.open_classes) {
            const auto& n = *c.counts;
            out << fmt::format("{:<24} {:>11} {:>9} {:>10.1f} {:>13.3f} {:>13.3f}\n", short_name(*c.name, 24),
                               n.iterations, n.dropped, seconds > 0 ? static_cast<double>(n.iterations) / seconds : 0.0,
                               to_ms(n.start_lag.percentile(50)), to_ms(n.start_lag.percentile(99)));
        }
        out << "\n";
    }
    if (!view.uncorrected_total) return;
    out << "Response times measured from when each request was sent, without the correction for late starts (ms)\n";
    const auto header = fmt::format("{:<8} {:<40} {:>9} {:>9} {:>9} {:>9} {:>9}", "Type", "Name", "50%", "95%", "99%",
                                    "100%", "avg");
    out << header << "\n" << std::string(header.size(), '-') << "\n";
    auto line = [&](const std::string& method, const std::string& name, const stats::histogram& h) {
        out << fmt::format("{:<8} {:<40} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f}\n", method, short_name(name, 40),
                           to_ms(h.percentile(50)), to_ms(h.percentile(95)), to_ms(h.percentile(99)), to_ms(h.max()),
                           h.mean() / 1000.0);
    };
    for (const auto* e : view.table)
        if (!e->stats->uncorrected.empty()) line(e->row.method, e->row.qualified_name(), e->stats->uncorrected);
    out << std::string(header.size(), '-') << "\n";
    line("", "Aggregated", *view.uncorrected_total);
    out << "\n";
}

// Each declared check's pass rate, and the steps skipped for want of a variable.
void print_checks(const result_view& view, std::ostream& out) {
    if (!view.checks.empty()) {
        out << "Checks\n" << fmt::format("{:>9} {:>10} {:>10}  {}\n", "pass rate", "passed", "failed", "endpoint: check");
        out << std::string(80, '-') << "\n";
        for (const auto& c : view.checks) {
            const auto rate = c.pass_rate ? fmt::format("{:.2f}%", 100.0 * *c.pass_rate) : std::string("-");
            out << fmt::format("{:>9} {:>10} {:>10}  {}: {}{}\n", rate, c.passed, c.failed,
                               endpoint_text(*c.endpoint, c.host), c.check->description, c.check->soft ? " (soft)" : "");
        }
        out << "\n";
    }
    for (const auto& s : view.skipped)
        out << fmt::format("{} step(s) {} skipped: a variable they need was not set\n", s.count,
                           endpoint_text(*s.endpoint, s.host));
}

// What a capacity search found: the highest load that met its conditions, its rate, and the
// lowest that missed them.
void print_search_finding(const breaking_point& b, std::ostream& out) {
    if (!b.search_complete) out << "The capacity search did not finish (the run was cut short); so far:\n";
    if (b.last_good_users) {
        out << fmt::format("Capacity: {} user(s) met every condition, {:.1f} req/s (the maximum sustainable rate)",
                           *b.last_good_users, b.max_sustainable_rps.value_or(0));
        if (b.confirmed) out << (*b.confirmed ? "; confirmed" : "; NOT confirmed when held again");
        out << "\n";
    } else {
        out << "Capacity: not found: the first load already missed the conditions\n";
    }
    if (b.users)
        out << fmt::format("Missed at {} user(s): {} (measured {})\n", *b.users, b.condition, b.measured_text);
    else if (b.search_complete)
        out << "No load up to the search's max missed the conditions\n";
}

}  // namespace

void print_summary(const run_result& result, std::ostream& out) {
    out << "\n";
    const auto view = make_result_view(result);
    print_request_table(view, out);
    print_percentile_table(view, out);
    print_hosts(view, out);
    print_connections(view, out);
    print_open_model(view, result.stats_duration_s(), out);
    print_errors(view, out);
    print_checks(view, out);
    if (result.totals.cancelled > 0) {
        out << fmt::format("{} request(s) in flight were cut off by the stop timeout and not counted\n\n",
                           result.totals.cancelled);
    }
    print_service(result, out);
    print_stages(result, out);
    print_verdicts(result, out);
    print_worker_links(result, out);
    print_data_gaps(result, out);
}

// The per-step table of a shaped run, and where the target broke.
void print_stages(const run_result& result, std::ostream& out) {
    const bool judged = !result.load.stop_when.empty() || result.load.search;
    if (result.stages.size() > 1 || judged) {
        out << "Stages\n";
        const auto header = fmt::format("{:<12} {:>8} {:>8} {:>8} {:>10} {:>9} {:>9} {:>9} {:>8}  {}", "stage",
                                        "from s", "to s", "users", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors",
                                        judged ? "outcome" : "");
        out << header << "\n" << std::string(header.size(), '-') << "\n";
        for (const auto& st : result.stages)
            out << fmt::format("{:<12} {:>8.1f} {:>8.1f} {:>8} {:>10.1f} {:>9.2f} {:>9.2f} {:>9.2f} {:>7.2f}%  {}\n",
                               st.name, st.from_s, st.to_s, st.users, st.rps, st.p50_ms, st.p95_ms, st.p99_ms,
                               100 * st.error_rate(), st.outcome);
        out << "\n";
        print_service_by_stage(result, out);
    }
    if (result.stopped_early)
        out << fmt::format("Stopped at {:.0f} s: {} '{}' {} ({})\n", result.stopped_early->at_s,
                           result.stopped_early->stop_condition ? "stop condition" : "threshold",
                           result.stopped_early->condition, result.stopped_early->stop_condition ? "held" : "failed",
                           result.stopped_early->measured_text);
    if (const auto& b = result.breaking; b && b->searched) {
        print_search_finding(*b, out);
    } else if (b) {
        out << fmt::format("Breaking point: {} user(s)", b->users.value_or(0));
        if (b->last_good_users)
            out << fmt::format("; the last load that held: {} user(s), {:.1f} req/s (the maximum sustainable rate)",
                               *b->last_good_users, b->max_sustainable_rps.value_or(0));
        else out << "; no lower load held before it";
        out << "\n";
    } else if (!result.load.stop_when.empty() && !result.stopped_early) {
        out << "No stop condition held: the target did not break under this load\n";
    }
    if (result.stopped_early || judged || result.breaking) out << "\n";
}

// Each threshold's verdict, with what was measured.
void print_verdicts(const run_result& result, std::ostream& out) {
    for (const auto& t : result.thresholds_left_out)
        out << "Not judged: " << t << ": the tags chosen left none of its tasks in the run\n";
    if (!result.thresholds_left_out.empty()) out << "\n";
    if (result.verdicts.empty()) return;
    out << "Thresholds\n" << std::string(80, '-') << "\n";
    int failed = 0;
    for (const auto& v : result.verdicts) {
        failed += v.passed ? 0 : 1;
        const auto scope = v.endpoint.empty() ? std::string()
                           : v.scope == "endpoint" ? " (" + v.endpoint + ")"
                                                   : " (" + v.scope + " " + v.endpoint + ")";
        out << fmt::format("{:<5} {:<40} measured {}{}\n", v.passed ? "pass" : "FAIL", v.target + scope, v.measured_text,
                           v.stopped_run ? " (stopped the run)" : "");
    }
    out << (failed ? fmt::format("{} of {} threshold(s) failed\n\n", failed, result.verdicts.size())
                   : fmt::format("every threshold passed ({})\n\n", result.verdicts.size()));
}

// Workers whose control link broke, stalled or fell behind during the run, and what that did.
void print_worker_links(const run_result& result, std::ostream& out) {
    bool any = false;
    for (const auto& w : result.workers) {
        const auto text = describe_link(w.link);
        if (text.empty()) continue;
        if (!any) out << "Workers' links to the master:\n";
        any = true;
        out << fmt::format("  worker {} ({}): {}\n", w.name, w.machine, text);
    }
    if (any) out << "\n";
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

}  // namespace stampede::report
