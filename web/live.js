// The live page: the report of the run as it goes, drawn again from the master's data each
// time the event stream says an interval passed (and every 2 s if the stream is down).
"use strict";

(() => {
  let pending = false, last = 0;
  async function refresh() {
    if (pending) return;
    pending = true;
    try {
      const response = await fetch("api/report", { cache: "no-store" });
      if (response.ok) {
        StampedeReport.render(await response.json());
        last = Date.now();
        document.body.dataset.updated = String(last);
      }
    } catch (e) {
      // the master is gone or restarting: the page keeps what it drew
    } finally {
      pending = false;
    }
  }
  document.addEventListener("DOMContentLoaded", () => {
    refresh();
    if (window.EventSource) {
      const events = new EventSource("api/stream");
      events.addEventListener("interval", refresh);
      events.addEventListener("finished", refresh);
    }
    setInterval(() => { if (Date.now() - last > 2000) refresh(); }, 2000);
  });
})();
