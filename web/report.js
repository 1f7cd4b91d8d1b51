// The Stampede report: draws a run's result (the JSON result, as report_data shapes it) into
// the page. Everything comes from the data embedded in the page; nothing is fetched.
"use strict";

const StampedeReport = (() => {
  const palette = ["#2f5fd0", "#d0612f", "#1b7f3b", "#9c2fd0", "#c9a100", "#1aa3a3", "#b3261e",
                   "#5d6778", "#e377c2", "#7f7f00", "#17becf", "#8c564b"];
  const plots = [];
  let stageStarts = [];  // seconds since the start: where each stage after the first began
  // What the reader picked, kept across renders (the live page draws again every interval).
  const chosen = new Map();  // endpoint label -> shown on the latency chart

  // ---- small helpers -------------------------------------------------------------------
  const { $, el } = StampedePage;
  const num = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(v)) ? "–"
    : Number(v).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  const ms = (v) => (v === null || v === undefined) ? "–" : v >= 100 ? num(v, 0) : v >= 10 ? num(v, 1) : num(v, 2);
  const pct = (v) => (v === null || v === undefined) ? "–" : num(100 * v, 2) + " %";
  const empty = (text) => el("p", { class: "empty", text });
  // An endpoint's name, its host before it when that is one the scenario named ("[core-1] /health").
  const named = (e) => (e.host && e.host !== "default" ? "[" + e.host + "] " : "") + e.name;
  const endpointLabel = (e) => e.method + " " + named(e);
  const namedHosts = (rows) => rows.some((r) => r.host && r.host !== "default");
  // The columns that say which endpoint a row is: the host's only where hosts are named.
  const keyColumns = (rows) => [{ key: "method", label: "method", text: true }]
    .concat(namedHosts(rows) ? [{ key: "host", label: "host", text: true }] : [])
    .concat([{ key: "name", label: "name", text: true }]);

  // A table of rows; columns: {key, label, text (left-aligned), format, cls(row)}. Sortable by
  // clicking a heading when given a name: the order picked is kept for that name across
  // renders (the live page draws again every interval).
  const sorts = new Map();  // table name -> {label, ascending}
  function table(columns, rows, sortName) {
    const wrap = el("div", { class: "table-wrap" });
    const t = el("table");
    const head = el("tr");
    const body = el("tbody");
    const fill = () => {
      body.replaceChildren();
      for (const r of rows) {
        const tr = el("tr");
        for (const c of columns) {
          const v = c.value ? c.value(r) : r[c.key];
          const td = el("td", { class: (c.text ? "text " : "") + (c.cls ? c.cls(r) : "") });
          td.textContent = c.format ? c.format(v, r) : (v === null || v === undefined ? "–" : String(v));
          tr.append(td);
        }
        body.append(tr);
      }
    };
    const order = (c, ascending) => {
      const get = (r) => c.value ? c.value(r) : r[c.key];
      rows.sort((a, b) => {
        const x = get(a), y = get(b);
        const o = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return ascending ? o : -o;
      });
    };
    const ths = columns.map((c) => {
      const th = el("th", { class: (c.text ? "text " : "") + (sortName ? "sortable" : ""), text: c.label });
      if (sortName) th.addEventListener("click", () => {
        const was = sorts.get(sortName);
        const ascending = was && was.label === c.label ? !was.ascending : !!c.text;
        sorts.set(sortName, { label: c.label, ascending });
        order(c, ascending);
        ths.forEach((h) => h.classList.remove("sorted-asc", "sorted-desc"));
        th.classList.add(ascending ? "sorted-asc" : "sorted-desc");
        fill();
      });
      head.append(th);
      return th;
    });
    const kept = sortName && sorts.get(sortName);
    const at = kept ? columns.findIndex((c) => c.label === kept.label) : -1;
    if (at >= 0) {
      order(columns[at], kept.ascending);
      ths[at].classList.add(kept.ascending ? "sorted-asc" : "sorted-desc");
    }
    t.append(el("thead", {}, head), body);
    fill();
    wrap.append(t);
    return wrap;
  }

  function put(id, node) { $(id).replaceChildren(node); }

  // ---- charts --------------------------------------------------------------------------
  function chart(id, series, data, opts) {
    const target = $(id);
    target.replaceChildren();
    if (!data[0] || data[0].length === 0) { target.append(empty("No intervals were recorded.")); return null; }
    const width = Math.max(300, target.clientWidth || 600);
    const plot = new uPlot(Object.assign({
      width, height: 260,
      series: [{ label: "time", value: (u, v) => v === null ? "–" : clock(v) }].concat(series),
      scales: { x: { time: false } },
      axes: [timeAxis, { size: 60 }],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    }, opts || {}), data, target);
    plot.root.dataset.chart = id;
    plots.push([plot, target]);
    return plot;
  }
  // Charts over time mark where each stage began, so a staircase reads step by step.
  const stageMarks = {
    hooks: {
      draw: [(u) => {
        if (!stageStarts.length) return;
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = "rgba(93,103,120,0.45)";
        ctx.setLineDash([2, 3]);
        ctx.lineWidth = 1;
        for (const t of stageStarts) {
          const x = Math.round(u.valToPos(t, "x", true));
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
        }
        ctx.restore();
      }],
    },
  };
  const overTime = (opts) => Object.assign({}, stageMarks, opts || {});
  const line = (label, i, extra) => Object.assign({ label, stroke: palette[i % palette.length], width: 1.5, points: { show: false } }, extra || {});
  const flat = (length, value) => new Array(length).fill(value);

  // A threshold's limit as a dashed line on its chart (latencies in ms, or the request rate):
  // the master gives the bound, a baseline's already made absolute.
  function limitOf(verdict) {
    if (verdict.limit === null || verdict.limit === undefined || !verdict.chart) return null;
    if (verdict.chart !== "rps" && verdict.chart !== "latency") return null;  // a watched series' own chart
    return { rate: verdict.chart === "rps", value: verdict.limit, text: verdict.threshold, verdict };
  }

  // ---- sections ------------------------------------------------------------------------
  function header(d) {
    const badge = $("verdict");
    const thresholds = d.thresholds || [];
    if (thresholds.length) {
      badge.className = "badge " + (d.thresholds_passed ? "pass" : "fail");
      badge.textContent = d.thresholds_passed ? "thresholds passed" : "thresholds failed";
    } else {
      const failed = d.totals.failures > 0;
      badge.className = "badge " + (failed ? "fail" : "none");
      badge.textContent = failed ? "requests failed" : "no thresholds";
    }
    const meta = $("meta");
    meta.replaceChildren();
    const rows = [["scenario", d.scenario], ["host", d.host], ["profile", d.profile], ["command line", d.command_line],
                  ["settings", (d.settings || []).map((s) => s.flag + " " + s.value + " (" + s.source + ")").join(", ")],
                  ["start", d.start], ["end", d.end], ["duration", num(d.duration_s, 1) + " s"],
                  ["workers", d.workers && d.workers.length ? d.workers.length + ", " + d.threads + " load thread(s) in all"
                                                          : String((d.timeline.workers || []).length)],
                  ["Stampede", d.stampede_version]];
    const started = d.start && !d.start.startsWith("1970");  // the live page, before its run starts: no times yet
    for (const [k, v] of rows) {
      if (!started && (k === "start" || k === "end" || k === "duration")) continue;
      if (v !== null && v !== undefined && v !== "") meta.append(el("dt", { text: k }), el("dd", { text: v }));
    }
    $("version").textContent = d.stampede_version || "";
    document.title = "Stampede report: " + (d.scenario || "") + " " + (d.start || "");
  }

  function summary(d) {
    const t = d.totals;
    const tiles = [["requests", num(t.requests, 0)], ["failures", num(t.failures, 0) + " (" + pct(t.requests ? t.failures / t.requests : 0) + ")"],
                   ["requests/s", num(t.rps, 1)], ["p50", ms(t.p50) + " ms"], ["p95", ms(t.p95) + " ms"],
                   ["p99", ms(t.p99) + " ms"], ["max", ms(t.max) + " ms"]];
    if (d.iterations) tiles.push(["iterations", num(d.iterations, 0)], ["dropped", num(d.dropped_iterations, 0)]);
    $("summary").replaceChildren(...tiles.map(([k, v]) => el("div", { class: "tile" }, el("b", { text: v }), el("span", { text: k }))));
    const notices = [];
    if (d.complete === false) notices.push("This result is incomplete: counts may be missing (see Missing data).");
    if (d.interrupted) notices.push("The run was interrupted before its run time.");
    if (d.stopped_early) notices.push("Stopped early by " + (d.stopped_early.by === "stop_when" ? "a stop condition" : "a threshold") +
                                      ": " + d.stopped_early.condition + " (" + d.stopped_early.measured_text + ").");
    if (d.refused_snapshots) notices.push(d.refused_snapshots + " malformed snapshot(s) from workers were refused, not merged.");
    $("notices").replaceChildren(...notices.map((n) => el("div", { class: "notice", text: n })));
  }

  // The x axis of every chart over time: seconds since the start, shown as m:ss.
  const times = (d) => d.timeline.time || [];
  const clock = (s) => { const t = Math.max(0, Math.round(s)); return Math.floor(t / 60) + ":" + String(t % 60).padStart(2, "0"); };
  const timeAxis = { values: (u, ticks) => ticks.map(clock), label: "since the start (m:ss)",
                     incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400] };
  // A y range that fits the measured series: a threshold line far above them (a generous
  // bound) stays in the legend rather than squashing the figures to the floor.
  function fitted(data, measured) {
    let top = 0;
    for (let i = 1; i <= measured; i++) for (const v of data[i] || []) if (v !== null && v > top) top = v;
    const near = data.slice(measured + 1).map((d) => d[0]).filter((v) => v <= 2 * top);
    top = Math.max(top, ...near);
    return () => [0, top > 0 ? top * 1.15 : 1];
  }
  // Per-second rates from per-interval counts. Intervals are about a second; one much shorter
  // (the last, which holds what completed as the users stopped) is joined to the one before,
  // so the stop does not draw a spike.
  function rates(d, counts) {
    const t = d.timeline.time;
    return counts.map((n, i) => {
      if (n === null) return null;
      let span = t[i] - (i ? t[i - 1] : 0);
      if (span < 0.5 && i > 0 && counts[i - 1] !== null) {
        n += counts[i - 1];
        span = t[i] - (i > 1 ? t[i - 2] : 0);
      }
      return span > 0 ? n / span : null;
    });
  }

  function rpsChart(d, limits) {
    const x = times(d);
    const series = [line("requests/s", 0), line("failures/s", 6)];
    const data = [x, rates(d, d.timeline.requests), rates(d, d.timeline.failures)];
    const measured = data.length - 1;
    limits.filter((l) => l.rate).forEach((l, i) => {
      series.push(line(l.text, 2 + i, { dash: [6, 4] }));
      data.push(flat(x.length, l.value));
    });
    chart("chart-rps", series, data, overTime({ scales: { x: { time: false }, y: { range: fitted(data, measured) } } }));
  }

  function latencyChart(d, limits) {
    const endpoints = d.timeline.endpoints || [];
    const picks = $("pick-endpoints");
    picks.replaceChildren();
    const label = endpointLabel;
    const checked = new Set(endpoints.map((e, i) => i).filter((i) => chosen.has(label(endpoints[i])) ? chosen.get(label(endpoints[i])) : i < 5));
    const draw = () => {
      const p = $("pick-percentile").value;
      const x = times(d);
      const series = [line("all endpoints " + p, 7, { width: 2 })];
      const data = [x, d.timeline[p] || d.timeline.p95];
      endpoints.forEach((e, i) => {
        if (!checked.has(i)) return;
        series.push(line(endpointLabel(e), i));
        data.push(e[p]);
      });
      const measured = data.length - 1;
      limits.filter((l) => !l.rate).forEach((l, i) => {
        series.push(line(l.text + (l.verdict.scope ? " (" + l.verdict.scope.kind + " " + l.verdict.scope.name + ")" : ""), 6 + i, { dash: [6, 4] }));
        data.push(flat(x.length, l.value));
      });
      chart("chart-latency", series, data, overTime({ scales: { x: { time: false }, y: { range: fitted(data, measured) } },
                                                      axes: [timeAxis, { size: 60, label: "ms" }] }));
    };
    endpoints.forEach((e, i) => {
      const box = el("input", { type: "checkbox" });
      box.checked = checked.has(i);
      box.addEventListener("change", () => {
        box.checked ? checked.add(i) : checked.delete(i);
        chosen.set(label(e), box.checked);
        draw();
      });
      picks.append(el("label", {}, box, " " + endpointLabel(e)));
    });
    $("pick-percentile").onchange = draw;
    const notes = ["Each point is over the 10 s window before it, as the live figures."];
    if (d.timeline.endpoints_left_out) notes.push(d.timeline.endpoints_left_out + " quieter endpoint(s) have no series here; their figures are in the table.");
    $("latency-note").textContent = notes.join(" ");
    draw();
  }

  function usersChart(d) {
    const x = times(d);
    const series = [line("users", 0, { scale: "users" })];
    const data = [x, d.timeline.users];
    (d.timeline.classes || []).forEach((c, i) => {
      series.push(line(c.name + " iterations/s", 1 + 2 * i, { scale: "rate" }));
      data.push(rates(d, c.iterations));
      series.push(line(c.name + " dropped/s", 6 + i, { scale: "rate" }));
      data.push(rates(d, c.dropped));
    });
    const axes = [timeAxis, { scale: "users", size: 60, label: "users" }];
    if (series.length > 1) axes.push({ scale: "rate", side: 1, size: 60, label: "per second", grid: { show: false } });
    chart("chart-users", series, data, overTime({ axes }));
  }

  function workerCharts(d) {
    const workers = d.timeline.workers || [];
    const x = times(d);
    chart("chart-worker-rps", workers.map((w, i) => line(w.name, i)), [x].concat(workers.map((w) => rates(d, w.requests))));
    chart("chart-worker-cpu", workers.map((w, i) => line(w.name, i)), [x].concat(workers.map((w) => w.cpu_percent)),
          { axes: [timeAxis, { size: 60, label: "% of a core" }] });
  }

  function distributionChart(d) {
    const pick = $("pick-distribution");
    const rows = [{ label: "all endpoints", dist: d.totals.distribution }]
      .concat(d.endpoints.map((e) => ({ label: endpointLabel(e), dist: e.distribution })));
    const before = pick.value;
    pick.replaceChildren(...rows.map((r, i) => el("option", { value: i, text: r.label })));
    if (before && Number(before) < rows.length) pick.value = before;
    const draw = () => {
      const dist = rows[Number(pick.value)].dist || { upper_ms: [], count: [] };
      const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.9, 40] }) : undefined;
      chart("chart-distribution", [line("requests", 0, { fill: "rgba(47,95,208,0.35)", paths: bars })],
            [dist.upper_ms, dist.count],
            { series: [{ label: "up to ms" }, line("requests", 0, { fill: "rgba(47,95,208,0.35)", paths: bars })],
              scales: { x: { time: false, distr: 3 } }, axes: [{ label: "ms (upper edge of each bin)" }, { size: 60 }] });
    };
    pick.onchange = draw;
    draw();
  }

  function scatterChart(d) {
    const r = rates(d, d.timeline.requests);
    const pairs = r.map((v, i) => [v, d.timeline.p95[i]]).filter(([a, b]) => a !== null && b !== null && a > 0).sort((a, b) => a[0] - b[0]);
    const dots = line("p95 ms", 1, { paths: () => null, points: { show: true, size: 5, fill: palette[1] } });
    chart("chart-scatter", [dots], [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
          { series: [{ label: "requests/s" }, dots], axes: [{ label: "requests/s" }, { size: 60, label: "p95 ms" }],
            cursor: { drag: { x: false, y: false } } });
  }

  function endpointsTable(d) {
    const labels = d.endpoints.length ? Object.keys(d.endpoints[0].percentiles || {}) : [];
    const columns = keyColumns(d.endpoints).concat([
      { key: "requests", label: "requests", format: (v) => num(v, 0) }, { key: "failures", label: "failures", format: (v) => num(v, 0) },
      { label: "error rate", value: (r) => r.requests ? r.failures / r.requests : 0, format: pct },
      { key: "rps", label: "req/s", format: (v) => num(v, 1) }, { key: "mean", label: "avg", format: ms },
      { key: "min", label: "min", format: ms }])
      .concat(labels.map((l) => ({ label: l, value: (r) => (r.percentiles || {})[l], format: ms })))
      .concat([{ key: "avg_bytes", label: "avg bytes", format: (v) => num(v, 0) }]);
    const rows = d.endpoints.slice();
    rows.push(Object.assign({ method: "", name: "Aggregated" }, d.totals));
    put("table-endpoints", rows.length > 1 ? table(columns, rows, "endpoints") : empty("No endpoint saw a request."));
  }

  // With named hosts, a row per host that saw requests (every endpoint of it together).
  function hostsTable(d) {
    const rows = (d.hosts || []).filter((h) => h.requests !== undefined);
    $("hosts-section").hidden = !namedHosts(d.endpoints) || rows.length === 0;
    if ($("hosts-section").hidden) return;
    put("table-hosts", table([{ key: "name", label: "host", text: true }, { key: "url", label: "URL", text: true },
      { key: "requests", label: "requests", format: (v) => num(v, 0) }, { key: "failures", label: "failures", format: (v) => num(v, 0) },
      { label: "error rate", value: (r) => r.requests ? r.failures / r.requests : 0, format: pct },
      { key: "rps", label: "req/s", format: (v) => num(v, 1) }, { key: "mean", label: "avg", format: ms },
      { key: "p50", label: "50%", format: ms }, { key: "p95", label: "95%", format: ms }, { key: "p99", label: "99%", format: ms },
      { key: "max", label: "max", format: ms }], rows, "hosts"));
  }

  // New connections by endpoint: the TCP connect and, for https://, the TLS handshake, apart
  // from the requests' response times (which include them).
  function connectionsTable(d) {
    const rows = d.endpoints.filter((e) => e.connect).concat(d.totals.connect ? [Object.assign({ method: "", name: "Aggregated" }, d.totals)] : []);
    const tls = rows.some((r) => r.tls_handshake);
    const phase = (key, part) => (r) => r[key] ? r[key][part] : null;
    const columns = keyColumns(rows).concat([
      { label: "connections", value: phase("connect", "count"), format: (v) => num(v, 0) },
      { label: "connect p50", value: phase("connect", "p50"), format: ms }, { label: "connect p95", value: phase("connect", "p95"), format: ms },
      { label: "connect max", value: phase("connect", "max"), format: ms }])
      .concat(tls ? [{ label: "TLS p50", value: phase("tls_handshake", "p50"), format: ms },
        { label: "TLS p95", value: phase("tls_handshake", "p95"), format: ms }, { label: "TLS max", value: phase("tls_handshake", "max"), format: ms }] : []);
    put("table-connections", rows.length ? table(columns, rows, "connections") : empty("No connection was made."));
  }

  function thresholdsTable(d) {
    const rows = d.thresholds || [];
    put("table-thresholds", rows.length ? table([
      { key: "threshold", label: "threshold", text: true },
      { label: "scope", text: true, value: (r) => r.scope ? r.scope.kind + " " + r.scope.name : "the whole run" },
      { key: "measured_text", label: "measured", text: true },
      { label: "verdict", value: (r) => r.passed ? "passed" : "failed" + (r.stopped_run ? " (stopped the run)" : ""), cls: (r) => r.passed ? "pass" : "fail" },
    ], rows) : (d.thresholds_pending || []).length
      ? el("div", {}, el("p", { class: "note", text: "Judged when the run ends (live ones too, over their windows):" }),
           el("ul", {}, ...d.thresholds_pending.map((t) => el("li", { text: t }))))
      : empty("The scenario has no thresholds."));
  }

  function stagesSection(d) {
    const b = d.breaking_point;
    const box = $("breaking");
    box.replaceChildren();
    if (b) {
      const lines = [];
      if (b.capacity_search) {
        lines.push("Capacity search" + (b.complete ? "" : " (cut short)") + ": the highest load that met its conditions is " +
                   (b.last_good_users === null ? "none" : b.last_good_users + " users") +
                   (b.max_sustainable_rps === null ? "" : ", at " + num(b.max_sustainable_rps, 1) + " requests/s (the maximum sustainable rate)") +
                   (b.confirmed === null || b.confirmed === undefined ? "" : b.confirmed ? ", confirmed" : ", not confirmed") + ".");
        if (b.users !== null) lines.push("It missed at " + b.users + " users: " + b.condition + " (" + b.measured_text + ").");
      } else {
        lines.push("Broke at " + b.users + " users, " + num(b.time, 0) + " s in: " + b.condition + " (" + b.measured_text + ").");
        lines.push(b.last_good_users === null ? "No lower stage held." : "The last load that held: " + b.last_good_users +
                   " users, " + num(b.max_sustainable_rps, 1) + " requests/s (the maximum sustainable rate).");
        if (b.service) lines.push(StampedeService.atBreak(d, b));
      }
      box.append(...lines.map((l) => el("p", { class: "notice", text: l })));
    }
    const rows = d.stages || [];
    const watched = StampedeService.stageColumns(d);
    put("table-stages", rows.length ? table([
      { key: "name", label: "stage", text: true }, { key: "from", label: "from s", format: (v) => num(v, 1) },
      { key: "to", label: "to s", format: (v) => num(v, 1) }, { key: "users", label: "users" },
      { key: "requests", label: "requests", format: (v) => num(v, 0) }, { key: "rps", label: "req/s", format: (v) => num(v, 1) },
      { key: "p50_ms", label: "p50", format: ms }, { key: "p95_ms", label: "p95", format: ms }, { key: "p99_ms", label: "p99", format: ms },
      { key: "error_rate", label: "error rate", format: pct },
      { key: "outcome", label: "outcome", text: true, cls: (r) => r.outcome === "broke" || r.outcome === "missed" || r.outcome === "not confirmed" ? "fail" : r.outcome ? "pass" : "" },
    ].concat(watched), rows) : empty("No stage ran."));
  }

  function otherTables(d) {
    const classes = d.open_classes || [];
    put("table-classes", classes.length ? table([
      { key: "name", label: "class", text: true }, { key: "iterations", label: "iterations", format: (v) => num(v, 0) },
      { key: "dropped", label: "dropped", format: (v) => num(v, 0) }, { key: "iterations_per_s", label: "per s", format: (v) => num(v, 1) },
      { label: "start lag p50", value: (r) => r.start_lag.p50, format: ms }, { label: "p99", value: (r) => r.start_lag.p99, format: ms },
      { label: "max", value: (r) => r.start_lag.max, format: ms },
    ], classes) : empty("No open-model class ran."));

    const errors = d.errors || [];
    const errorBox = el("div");
    errorBox.append(errors.length ? table(keyColumns(errors).concat([
      { key: "kind", label: "kind", text: true }, { key: "code", label: "code" },
      { key: "message", label: "message", text: true }, { key: "occurrences", label: "occurrences", format: (v) => num(v, 0) },
    ]), errors, "errors") : empty("No request failed."));
    if (d.errors_left_out) errorBox.append(el("p", { class: "note", text: d.errors_left_out + " rarer failure row(s) left out; the JSON result has them all." }));
    put("table-errors", errorBox);

    const checks = d.checks || [];
    put("table-checks", checks.length ? table(keyColumns(checks).concat([
      { key: "check", label: "check", text: true }, { key: "passed", label: "passed", format: (v) => num(v, 0) },
      { key: "failed", label: "failed", format: (v) => num(v, 0) }, { key: "pass_rate", label: "pass rate", format: pct },
    ]), checks, "checks") : empty("No step has checks."));

    const workers = d.workers || [];
    put("table-workers", workers.length ? table([
      { key: "name", label: "worker", text: true }, { key: "host", label: "host", text: true }, { key: "state", label: "state", text: true },
      { key: "threads", label: "threads" }, { key: "requests", label: "requests", format: (v) => num(v, 0) },
      { key: "failures", label: "failures", format: (v) => num(v, 0) }, { key: "max_cpu_percent", label: "max CPU %", format: (v) => num(v, 1) },
      { key: "rss_bytes", label: "memory MB", format: (v) => num(v / 1048576, 1) },
      { key: "link", label: "link to the master", text: true, value: (r) => (r.link && r.link.summary) || "held up" },
    ], workers, "workers") : empty("No worker joined."));

    const gaps = d.data_gaps || [];
    put("table-gaps", gaps.length ? table([
      { key: "worker", label: "worker", text: true }, { key: "reason", label: "reason", text: true },
      { key: "from", label: "from s", format: (v) => num(v, 1) }, { key: "to", label: "to s", format: (v) => num(v, 1) },
      { key: "known_missing_requests", label: "known missing", format: (v) => num(v, 0) },
      { key: "estimated_missing_requests", label: "estimated missing", format: (v) => num(v, 0) },
    ], gaps) : empty("Every count every worker made reached the master."));

    const events = d.events || [];
    put("table-events", events.length ? table([
      { key: "time", label: "at", format: (v) => clock(v) }, { key: "type", label: "event", text: true },
      { key: "detail", label: "detail", text: true },
    ], events) : empty("No events."));
  }

  function render(d) {
    plots.splice(0).forEach(([p]) => p.destroy());
    stageStarts = (d.stages || []).slice(1).map((st) => st.from);
    const limits = (d.thresholds || []).map(limitOf).filter((l) => l);
    header(d);
    summary(d);
    rpsChart(d, limits);
    latencyChart(d, limits);
    usersChart(d);
    StampedeService.charts(d, { chart, line, flat, overTime, timeAxis });
    workerCharts(d);
    distributionChart(d);
    scatterChart(d);
    endpointsTable(d);
    hostsTable(d);
    connectionsTable(d);
    thresholdsTable(d);
    stagesSection(d);
    otherTables(d);
    document.body.dataset.rendered = "true";
  }

  window.addEventListener("resize", () => {
    for (const [p, target] of plots) p.setSize({ width: Math.max(300, target.clientWidth), height: 260 });
  });

  return { render };
})();

document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("stampede-data");
  if (data) StampedeReport.render(JSON.parse(data.textContent));
});
