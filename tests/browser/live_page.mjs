// The master's web UI in a real browser, with a real run (two workers, the demo target): the
// run is started from the page, which then draws it, changes its user count, shows the
// workers as the master hears them, and stops it. Screenshots stay in SCREENSHOTS.
// Usage: node live_page.mjs STAMPEDE DEMO_TARGET SCREENSHOTS
import { strict as assert } from "node:assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium, setup, startAndWatch, startDemoTarget, until } from "./harness.mjs";

const { stampede, demoTarget, screenshots, work } = setup("live_page.mjs");

const { child: target, address } = await startDemoTarget(demoTarget);
let master, browser;
try {
  writeFileSync(join(work, "s.yaml"), `host: http://${address}
load: {users: 3, spawn_rate: 50, run_time: 60s}
user_classes:
  - name: Reader
    wait_time: {constant: 50ms}
    tasks:
      - {name: read, path: /ok}
      - {name: health, path: /health}
watch:
  prometheus:
    - series: {served: demo_requests_total, in_flight: demo_requests_in_flight}
`);
  // The web UI's mode (no --headless): the master waits for a start from the page.
  const started = await startAndWatch(stampede, ["run", "-f", join(work, "s.yaml"), "--workers", "2", "--web-port", "0",
                                                  "--autoquit", "30s"], /Ready: start the run from (http:\/\/127\.0\.0\.1:\d+)\//,
                                      "stampede");
  master = started.child;
  const base = started.match[1];
  const stats = async () => (await fetch(base + "/api/stats")).json();
  assert.equal((await stats()).state, "ready");

  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "/");
  await page.waitForSelector("body[data-updated]", { timeout: 15000 });
  assert.equal(await page.textContent("#ctl-state"), "ready");
  assert.equal(await page.inputValue("#ctl-users"), "3");  // the plan's load, offered
  assert.equal(await page.inputValue("#ctl-run-time"), "60s");
  await page.screenshot({ path: join(screenshots, "live-ready.png") });
  // Start from the page, with 2 users.
  await page.fill("#ctl-users", "2");
  await page.click("#ctl-apply");
  await until("the run to start", async () => (await stats()).state === "running");
  await until("requests", async () => (await stats()).totals.requests > 0);
  await until("the page to say running", async () => (await page.textContent("#ctl-state")) === "running");
  assert.equal(await page.textContent("#ctl-apply"), "Apply");
  // The endpoints of the run, and charts that drew.
  const names = await page.$$eval("#table-endpoints tbody tr td:nth-child(2)", (tds) => tds.map((td) => td.textContent));
  assert.ok(names.includes("read") && names.includes("health"), "endpoints: " + names);
  const drawn = await page.$$eval(".chart canvas", (cs) => cs.length);
  assert.ok(drawn >= 5, "charts drew: " + drawn);
  // The service beside the load, as the master reads it while the run goes.
  await until("the service's charts", async () => (await page.$$("#watch-charts .chart canvas")).length === 2);
  assert.equal(await page.isVisible("#watch-section"), true);
  // The workers as the master hears them.
  await until("the workers table", async () => (await page.$$("#table-workers tbody tr")).length === 2);

  // More users from the page: the master runs them.
  await page.fill("#ctl-users", "6");
  await page.fill("#ctl-rate", "50");
  await page.click("#ctl-apply");
  await until("6 users", async () => (await stats()).users === 6);
  await until("the page to show 6 users", async () =>
    page.evaluate(() => document.querySelector("#ctl-message").textContent.includes("6 user(s)")));
  // A sort picked on the endpoints table holds while the page draws again each interval.
  await page.locator("#table-endpoints th", { hasText: /^requests$/ }).click();
  const firstName = () => page.$eval("#table-endpoints tbody tr td:nth-child(2)", (td) => td.textContent);
  assert.equal(await firstName(), "Aggregated");
  const updated = Number(await page.getAttribute("body", "data-updated"));
  await until("a later update", async () => Number(await page.getAttribute("body", "data-updated")) > updated);
  assert.equal(await firstName(), "Aggregated", "the sort held through a redraw");
  await page.screenshot({ path: join(screenshots, "live.png"), fullPage: true });

  // Stop from the page: the run ends, the page says so and keeps the whole run drawn.
  await page.click("#ctl-stop");
  await until("finished", async () => (await page.textContent("#ctl-state")) === "finished", 20000);
  const result = await (await fetch(base + "/api/result")).json();
  assert.equal(result.events.at(-1).detail, "stopped from the web API");
  assert.ok(result.events.some((e) => e.type === "load_changed"));
  assert.equal(result.stages[0].name, "started from the web UI");
  assert.equal(result.stages[0].users, 2);
  const tile = await page.$eval("#summary .tile b", (b) => b.textContent);
  assert.equal(tile, result.totals.requests.toLocaleString("en-US"));
  assert.deepEqual(errors, [], "the page ran without errors");
  console.log(`live page: drew ${drawn} charts, set 6 users, stopped the run; screenshots in ${screenshots}`);
} finally {
  if (browser) await browser.close();
  if (master) master.kill("SIGINT");
  target.kill();
}
