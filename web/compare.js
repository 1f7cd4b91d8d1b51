// The comparison page: two runs side by side, from the data `stampede compare` embeds.
"use strict";

const StampedeCompare = (() => {
  const { $, el, watchedText } = StampedePage;
  const metrics = ["requests/s", "error rate", "avg ms", "p50 ms", "p95 ms", "p99 ms"];
  const value = (m, v) => v === null || v === undefined ? "–" : m === "error rate" ? (100 * v).toFixed(2) + " %" : v >= 100 ? v.toFixed(1) : v.toFixed(2);
  const change = (m, c) => c === null || c === undefined ? "" : m === "error rate" ? (c >= 0 ? "+" : "") + c.toFixed(2) + " pt"
    : (c >= 0 ? "+" : "") + (100 * c).toFixed(1) + " %";
  // Worse is up for latencies and errors, down for the request rate.
  const worse = (m, c) => c === null || c === undefined || c === 0 ? null : (m === "requests/s" ? c < 0 : c > 0);

  function render(d) {
    const badge = $("verdict");
    const judged = d.bounds.max_regression_pct !== null || d.bounds.max_error_increase_pts !== null;
    badge.className = "badge " + (!judged ? "none" : d.regressed ? "fail" : "pass");
    badge.textContent = !judged ? "not judged" : d.regressed ? "regressed" : "no regression";
    const meta = $("meta");
    for (const [k, s] of [["baseline", d.base], ["current", d.current]])
      meta.append(el("dt", { text: k }), el("dd", { text: s.path + " (" + s.source + (s.start ? ", " + s.start : "") + ")" }));
    const bounds = [];
    if (d.bounds.max_regression_pct !== null) bounds.push("latency up or requests/s down by more than " + d.bounds.max_regression_pct + " %");
    if (d.bounds.max_error_increase_pts !== null) bounds.push("error rate up by more than " + d.bounds.max_error_increase_pts + " points");
    if (bounds.length) meta.append(el("dt", { text: "regression" }), el("dd", { text: bounds.join("; ") }));

    const rows = d.endpoints.concat([d.total]);
    const top = Math.max(1e-9, ...rows.flatMap((r) => [r.metrics["p95 ms"].base || 0, r.metrics["p95 ms"].current || 0]));
    const bars = $("bars");
    for (const r of rows) {
      const p = r.metrics["p95 ms"];
      const bar = (v, cls) => el("div", { class: "bar " + cls, style: "width:" + (100 * (v || 0) / top).toFixed(2) + "%" }, el("span", { text: value("p95 ms", v) }));
      bars.append(el("div", { class: "bar-row" }, el("div", { class: "bar-name", text: (r.method ? r.method + " " : "") + r.name }),
                     el("div", { class: "bar-pair" }, bar(p.base, "base"), bar(p.current, "current"))));
    }

    const t = el("table");
    t.append(el("thead", {}, el("tr", {}, ...["endpoint", "metric", "baseline", "current", "change", ""].map((h, i) =>
      el("th", { class: i < 2 ? "text" : "", text: h })))));
    const body = el("tbody");
    for (const r of rows)
      metrics.forEach((m, i) => {
        const c = r.metrics[m];
        const w = worse(m, c.change);
        body.append(el("tr", {}, el("td", { class: "text", text: i ? "" : (r.method ? r.method + " " : "") + r.name }),
          el("td", { class: "text", text: m }), el("td", { text: value(m, c.base) }), el("td", { text: value(m, c.current) }),
          el("td", { class: w === null ? "" : w ? "fail" : "pass", text: change(m, c.change) }),
          el("td", { class: "fail", text: c.regressed ? "regressed" : "" })));
      });
    t.append(body);
    $("table").append(el("div", { class: "table-wrap" }, t));

    const only = [];
    for (const [title, list] of [["only in the baseline", d.only_base], ["only in the current run", d.only_current]])
      for (const r of list) only.push(el("li", { text: (r.method ? r.method + " " : "") + r.name + ": " + title + " (" + r.requests + " requests)" }));
    $("only").append(only.length ? el("ul", {}, ...only) : el("p", { class: "empty", text: "Both runs have the same endpoints." }));
    service(d.service || []);
    document.body.dataset.rendered = "true";
  }
  // The service's watched series in both runs, figure by figure.
  function service(rows) {
    $("service-section").hidden = !rows.length;
    if (!rows.length) return;
    const t = el("table");
    t.append(el("thead", {}, el("tr", {}, ...["series", "figure", "baseline", "current", "change"].map((h, i) =>
      el("th", { class: i < 2 ? "text" : "", text: h })))));
    const body = el("tbody");
    for (const s of rows)
      ["avg", "max", "last", "slope_per_s"].forEach((f, i) => {
        const [a, b] = [s.base[f], s.current[f]];
        const slope = f === "slope_per_s";
        const show = (v) => v === null ? "–" : slope ? watchedText(v * 60, s.unit) + "/min" : watchedText(v, s.unit);
        const delta = a !== null && b !== null && a !== 0 && !slope ? ((b - a) / Math.abs(a) * 100).toFixed(1) + " %" : "";
        body.append(el("tr", {}, el("td", { class: "text", text: i ? "" : s.name }), el("td", { class: "text", text: slope ? "trend" : f }),
          el("td", { text: show(a) }), el("td", { text: show(b) }), el("td", { text: delta && !delta.startsWith("-") ? "+" + delta : delta })));
      });
    t.append(body);
    $("service").append(el("div", { class: "table-wrap" }, t));
  }

  return { render };
})();

document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("stampede-data");
  if (data) StampedeCompare.render(JSON.parse(data.textContent));
});
