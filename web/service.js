// The service as the run watched it, on the report's page: each watched series on a chart of its
// own beside the load's, the stages' columns for the service, and the service on both sides of
// a breaking point. The report hands it its chart helpers.
"use strict";

const StampedeService = (() => {
  const { $, el, watchedText } = StampedePage;

  // Each watched series on a chart of its own, on the load charts' time axis (seconds since the
  // start, stages marked), a threshold on its value drawn as its limit.
  function charts(d, { chart, line, flat, overTime, timeAxis }) {
    const w = d.watch;
    const section = $("watch-section");
    section.hidden = !w || !w.series || !w.series.length;
    if (section.hidden) return;
    const x = w.series[0].values.map((_, i) => w.first_at_s + i * w.interval_s);
    const end = Math.max(d.duration_s || 0, x.length ? x[x.length - 1] : 0);
    const box = $("watch-charts");
    box.replaceChildren();
    w.series.forEach((s, i) => {
      const id = "chart-watch-" + i;
      box.append(el("div", {}, el("h3", { text: s.name + (s.unit ? " (" + s.unit + ")" : "") + " · " + s.source }),
                     el("div", { class: "chart", id })));
      const series = [line(s.name, i, { value: (u, v) => watchedText(v, s.unit) })];
      const data = [x, s.values];
      (d.thresholds || []).filter((t) => t.chart === "watch." + s.name && t.limit !== null).forEach((t, k) => {
        series.push(line(t.threshold, 6 + k, { dash: [6, 4], value: (u, v) => watchedText(v, s.unit) }));
        data.push(flat(x.length, t.limit));
      });
      chart(id, series, data, overTime({
        scales: { x: { time: false, range: [0, end] } },
        axes: [timeAxis, { size: 90, values: (u, ticks) => ticks.map((v) => watchedText(v, s.unit, true)) }],
      }));
    });
    const notes = ["Read by the master every " + w.interval_s + " s beside the load; a gap is a moment its source did not answer (see the events)."];
    if (w.thinned_by > 1) notes.push("A long run: one reading in " + w.thinned_by + " kept.");
    if (w.series_left_out) notes.push(w.series_left_out + " more series are in the JSON result.");
    $("watch-note").textContent = notes.join(" ");
  }

  // The stages' table's columns for the first six series: each one's average at each stage.
  function stageColumns(d) {
    return ((d.watch && d.watch.series) || []).slice(0, 6).map((s) => ({
      label: s.name, value: (r) => (r.service || {})[s.name], format: (v) => watchedText(v, s.unit),
    }));
  }

  // The service's figures at a stage, each series in its unit.
  function figuresText(d, figures) {
    const units = new Map(((d.watch && d.watch.series) || []).map((s) => [s.name, s.unit]));
    return Object.keys(figures).slice(0, 8).map((name) => name + " " + watchedText(figures[name], units.get(name))).join(", ");
  }

  // The service where the run broke, and at the last load that held.
  function atBreak(d, b) {
    return "The service there: " + figuresText(d, b.service) +
           (b.service_last_good ? "; at the last load that held: " + figuresText(d, b.service_last_good) : "") + ".";
  }

  return { charts, stageColumns, atBreak };
})();
