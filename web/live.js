// The live page: the report of the run as it goes, drawn again from the master's data each
// time the event stream says an interval passed (and every 2 s if the stream is down), with
// the controls of the run (before it: users, spawn rate, run time, profile, tags and classes,
// then Start; while it runs: users and spawn rate, stop, reset) and its downloads.
"use strict";

(() => {
  const { $, el } = StampedePage;
  let pending = false, last = 0, state = "", offer = null;

  function say(text, bad) {
    const m = $("ctl-message");
    m.textContent = text;
    m.className = bad ? "fail" : "";
  }

  // The control token the master asks of every request that changes the run: only a page
  // of the master itself can read it.
  let control = null;
  async function controlHeaders() {
    if (!control) {
      const r = await fetch("api/token", { cache: "no-store" });
      const answer = await r.json();
      control = { [answer.header]: answer.token };
    }
    return control;
  }

  async function post(path, body) {
    try {
      const headers = { ...(await controlHeaders()) };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const r = await fetch(path, { method: "POST", headers,
                                    body: body === undefined ? undefined : JSON.stringify(body) });
      const answer = await r.json();
      if (!r.ok) return say(answer.error || ("HTTP " + r.status), true);
      say(path === "api/stop" ? "stopping" : path === "api/reset" ? "statistics reset" :
          answer.users === null ? "starting the profile " + answer.profile :
          (answer.state === "starting" ? "starting " : "now ") + answer.users + " user(s) at " + answer.spawn_rate + "/s");
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
    const runTime = el("input", { id: "ctl-run-time", type: "text", placeholder: "until stopped", size: "10" });
    const apply = el("button", { id: "ctl-apply", text: "Start" });
    apply.addEventListener("click", () => post("api/swarm", state === "ready" ? startBody() : {
      users: Number(users.value), spawn_rate: Number(rate.value) }));
    const stop = el("button", { id: "ctl-stop", text: "Stop" });
    stop.addEventListener("click", () => post("api/stop"));
    const reset = el("button", { id: "ctl-reset", text: "Reset statistics" });
    reset.addEventListener("click", () => post("api/reset"));
    box.append(el("span", { id: "ctl-state", class: "badge none", text: "…" }),
               el("label", {}, "users ", users), el("label", {}, "spawn rate ", rate),
               el("label", { id: "ctl-run-time-label" }, "run time ", runTime),
               el("label", { id: "ctl-profile-label", hidden: "" }, "profile ", el("select", { id: "ctl-profile" })),
               el("span", { id: "ctl-tags", hidden: "" }), el("span", { id: "ctl-classes" }),
               apply, stop, reset,
               el("span", { class: "downloads" }, "download: ",
                  el("a", { href: "api/result", download: "stampede-result.json", text: "JSON" }), " ",
                  el("a", { href: "api/report.html", text: "HTML report" }), " ",
                  el("a", { href: "api/stats.csv", text: "CSV" })),
               el("span", { id: "ctl-message" }));
  }

  const profileOf = (name) => offer && offer.profiles.find((p) => p.name === name);
  const shaped = (p) => p && (p.stages > 0 || p.search);
  const checked = (box) => [...document.querySelectorAll("#" + box + " input:checked")].map((b) => b.value);

  // The start, as the form says it: a profile with stages or a search brings its own load;
  // otherwise the users, spawn rate and run time typed (or the profile's, offered in them).
  function startBody() {
    const body = {};
    const profile = $("ctl-profile").value;
    if (offer && offer.profiles.length) body.profile = profile;
    if (!shaped(profileOf(profile))) {
      body.users = Number($("ctl-users").value);
      body.spawn_rate = Number($("ctl-rate").value);
      if ($("ctl-run-time").value.trim()) body.run_time = $("ctl-run-time").value.trim();
      const picked = checked("ctl-classes");
      if (offer && picked.length < offer.user_classes.filter((c) => !c.open).length) body.user_classes = picked;
    }
    if (offer && offer.all_tags.length) body.tags = checked("ctl-tags");
    return body;
  }

  // A profile picked: its load fills the fields, which a shaped load leaves no use for.
  function pickProfile() {
    const p = profileOf($("ctl-profile").value);
    const load = p || offer;
    $("ctl-users").value = load.users;
    $("ctl-rate").value = load.spawn_rate;
    $("ctl-run-time").value = load.run_time_s ? load.run_time_s + "s" : "";
    const fixed = shaped(p);
    for (const id of ["ctl-users", "ctl-rate", "ctl-run-time"]) $(id).disabled = fixed;
    $("ctl-classes").hidden = fixed;
    say(fixed ? "the profile " + p.name + " runs " + (p.search ? "a capacity search" : p.stages + " stages") +
        " up to " + p.users + " user(s)" : "");
  }

  // What a start may pick: the plan's load as defaults, the profiles, the tags, the closed classes.
  async function loadOffer() {
    const r = await fetch("api/scenario", { cache: "no-store" });
    if (!r.ok) return;
    offer = await r.json();
    if (offer.profiles.length) {
      const select = $("ctl-profile");
      select.replaceChildren(el("option", { value: "", text: "the scenario's load" }),
                             ...offer.profiles.map((p) => el("option", { value: p.name, text: p.name })));
      select.value = offer.profile || "";
      select.addEventListener("change", pickProfile);
      $("ctl-profile-label").hidden = false;
    }
    if (offer.all_tags.length) {
      $("ctl-tags").replaceChildren("tags: ", ...offer.all_tags.map((t) => {
        const box = el("input", { type: "checkbox", value: t });
        box.checked = offer.tags.includes(t);
        return el("label", { title: "none checked: every task" }, box, " " + t);
      }));
      $("ctl-tags").hidden = false;
    }
    const closed = offer.user_classes.filter((c) => !c.open);
    if (closed.length > 1)
      $("ctl-classes").replaceChildren("classes: ", ...closed.map((c) => {
        const box = el("input", { type: "checkbox", value: c.name });
        box.checked = true;
        return el("label", {}, box, " " + c.name);
      }));
    $("ctl-users").value = offer.users;
    $("ctl-rate").value = offer.spawn_rate;
    if (offer.run_time_s) $("ctl-run-time").value = offer.run_time_s + "s";
    if (offer.profile && shaped(profileOf(offer.profile))) pickProfile();
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
        const before = state === "ready" || state === "waiting for workers" || state === "starting";
        $("ctl-apply").textContent = before ? "Start" : "Apply";
        $("ctl-apply").disabled = state !== "running" && state !== "ready";
        for (const id of ["ctl-stop", "ctl-reset"]) $(id).disabled = state !== "running";
        $("ctl-run-time-label").hidden = !before;
        $("ctl-classes").hidden = !before || shaped(profileOf($("ctl-profile").value));
        $("ctl-profile-label").hidden = !before || !offer || !offer.profiles.length;
        $("ctl-tags").hidden = !before || !offer || !offer.all_tags.length;
        if (!before) for (const id of ["ctl-users", "ctl-rate"]) $(id).disabled = false;
        if (state === "running" || before) await workers();
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
    loadOffer().then(refresh);
    if (window.EventSource) {
      const events = new EventSource("api/stream");
      events.addEventListener("interval", refresh);
      events.addEventListener("finished", refresh);
    }
    setInterval(() => { if (Date.now() - last > 2000) refresh(); }, 2000);
  });
})();
