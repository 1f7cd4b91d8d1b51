// The live page: the report of the run as it goes, drawn again from the master's data each
// time the event stream says an interval passed (and every 2 s if the stream is down), with
// the controls of the run (users and spawn rate, stop, reset) and its downloads.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let pending = false, last = 0, state = "";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    node.append(...children);
    return node;
  }

  function say(text, bad) {
    const m = $("ctl-message");
    m.textContent = text;
    m.className = bad ? "fail" : "";
  }

  async function post(path, body) {
    try {
      const r = await fetch(path, body === undefined ? { method: "POST" } : {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const answer = await r.json();
      if (!r.ok) return say(answer.error || ("HTTP " + r.status), true);
      say(path === "api/stop" ? "stopping" : path === "api/reset" ? "statistics reset" :
          "now " + answer.users + " user(s) at " + answer.spawn_rate + "/s");
      refresh();
    } catch (e) {
      say("the master did not answer", true);
    }
  }

  function controls() {
    const box = $("live-controls");
    box.hidden = false;
    box.className = "controls-bar";
    const users = el("input", { id: "ctl-users", type: "number", min: "0", step: "1" });
    const rate = el("input", { id: "ctl-rate", type: "number", min: "0.001", step: "any", value: "1" });
    const apply = el("button", { id: "ctl-apply", text: "Apply" });
    apply.addEventListener("click", () => post("api/swarm", { users: Number(users.value), spawn_rate: Number(rate.value) }));
    const stop = el("button", { id: "ctl-stop", text: "Stop" });
    stop.addEventListener("click", () => post("api/stop"));
    const reset = el("button", { id: "ctl-reset", text: "Reset statistics" });
    reset.addEventListener("click", () => post("api/reset"));
    box.append(el("span", { id: "ctl-state", class: "badge none", text: "…" }),
               el("label", {}, "users ", users), el("label", {}, "spawn rate ", rate), apply, stop, reset,
               el("span", { class: "downloads" }, "download: ",
                  el("a", { href: "api/result", download: "stampede-result.json", text: "JSON" }), " ",
                  el("a", { href: "api/report.html", text: "HTML report" }), " ",
                  el("a", { href: "api/stats.csv", text: "CSV" })),
               el("span", { id: "ctl-message" }));
  }

  // The workers as the master hears them now (the report's table holds them once the run ends).
  async function workers() {
    const r = await fetch("api/workers", { cache: "no-store" });
    if (!r.ok) return;
    const list = (await r.json()).workers;
    const rows = list.map((w) => el("tr", {}, ...[w.name, w.host, w.state, w.users, w.requests.toLocaleString("en-US"),
      w.failures.toLocaleString("en-US"), w.cpu_percent.toFixed(1), (w.rss_bytes / 1048576).toFixed(1), w.last_heard_s_ago.toFixed(1)]
      .map((v, i) => el("td", { class: i < 3 ? "text" : "", text: String(v) }))));
    const head = el("tr", {}, ...["worker", "host", "state", "users", "requests", "failures", "CPU %", "memory MB", "heard s ago"]
      .map((h, i) => el("th", { class: i < 3 ? "text" : "", text: h })));
    const table = el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows));
    $("table-workers").replaceChildren(el("div", { class: "table-wrap" }, table));
  }

  async function refresh() {
    if (pending) return;
    pending = true;
    try {
      const response = await fetch("api/report", { cache: "no-store" });
      if (response.ok) {
        const data = await response.json();
        StampedeReport.render(data);
        state = data.state;
        const badge = $("ctl-state");
        badge.textContent = state;
        badge.className = "badge " + (state === "running" ? "pass" : "none");
        const users = $("ctl-users");
        if (users.value === "" && data.timeline.users.length) users.value = data.timeline.users.at(-1);
        for (const id of ["ctl-apply", "ctl-stop", "ctl-reset"]) $(id).disabled = state !== "running";
        if (state === "running") await workers();
        last = Date.now();
        document.body.dataset.updated = String(last);
      }
    } catch (e) {
      // the master is gone or between answers: the page keeps what it drew
    } finally {
      pending = false;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    controls();
    refresh();
    if (window.EventSource) {
      const events = new EventSource("api/stream");
      events.addEventListener("interval", refresh);
      events.addEventListener("finished", refresh);
    }
    setInterval(() => { if (Date.now() - last > 2000) refresh(); }, 2000);
  });
})();
