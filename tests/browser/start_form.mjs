// The web UI's start form in a real browser, with a real run (two workers, the demo target):
// it offers the scenario's profiles and tags, fills the fields from a profile picked, and a
// start that picks a staged profile and a tag re-plans the run, which then runs the profile's
// stages over the tagged tasks only. A screenshot stays in SCREENSHOTS.
// Usage: node start_form.mjs STAMPEDE DEMO_TARGET SCREENSHOTS
import { strict as assert } from "node:assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium, setup, startAndWatch, startDemoTarget, until } from "./harness.mjs";

const { stampede, demoTarget, screenshots, work } = setup("start_form.mjs");

const { child: target, address } = await startDemoTarget(demoTarget);
let master, browser;
try {
  writeFileSync(join(work, "s.yaml"), `host: http://${address}
load: {users: 2, spawn_rate: 50, run_time: 60s}
profiles:
  ramp: {stages: [{duration: 1s, users: 2, spawn_rate: 50}, {duration: 2s, users: 4, spawn_rate: 50}]}
  smoke: {users: 1, spawn_rate: 10, run_time: 20s}
user_classes:
  - name: Agents
    wait_time: {constant: 50ms}
    tasks:
      - {name: chat, path: /ok, tags: [core]}
      - {name: health, path: /health, tags: [ops]}
`);
  const started = await startAndWatch(stampede, ["run", "-f", join(work, "s.yaml"), "--workers", "2", "--web-port", "0",
                                                  "--autoquit", "30s"], /Ready: start the run from (http:\/\/127\.0\.0\.1:\d+)\//,
                                      "stampede");
  master = started.child;
  const base = started.match[1];
  const api = async (path) => (await fetch(base + path)).json();

  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "/");
  await page.waitForSelector("body[data-updated]", { timeout: 15000 });
  // The profiles and tags the scenario has, the command line's choice selected.
  const options = await page.$$eval("#ctl-profile option", (os) => os.map((o) => o.value));
  assert.deepEqual(options, ["", "ramp", "smoke"]);
  assert.equal(await page.inputValue("#ctl-profile"), "");
  const tags = await page.$$eval("#ctl-tags input", (bs) => bs.map((b) => b.value + ":" + b.checked));
  assert.deepEqual(tags, ["core:false", "ops:false"]);
  // A plain profile fills the fields with its load; a staged one brings its own.
  await page.selectOption("#ctl-profile", "smoke");
  assert.equal(await page.inputValue("#ctl-users"), "1");
  assert.equal(await page.inputValue("#ctl-run-time"), "20s");
  assert.equal(await page.isDisabled("#ctl-users"), false);
  await page.selectOption("#ctl-profile", "ramp");
  assert.equal(await page.isDisabled("#ctl-users"), true);
  assert.match(await page.textContent("#ctl-message"), /ramp runs 2 stages up to 4 user/);
  await page.check("#ctl-tags input[value=core]");
  await page.screenshot({ path: join(screenshots, "live-start-form.png") });
  await page.click("#ctl-apply");
  await until("the run to start", async () => (await api("/api/stats")).state === "running");
  assert.match(await page.textContent("#ctl-message"), /starting the profile ramp/);
  const offer = await api("/api/scenario");
  assert.equal(offer.profile, "ramp");
  assert.deepEqual(offer.tags, ["core"]);
  await until("finished", async () => (await page.textContent("#ctl-state")) === "finished", 20000);
  assert.match(started.output(), /The start re-plans the run/);
  const result = await api("/api/result");
  assert.equal(result.profile, "ramp");
  assert.equal(result.stages.length, 2);
  assert.equal(result.stages[1].users, 4);
  const requests = Object.fromEntries(result.endpoints.map((e) => [e.name, e.requests]));
  assert.ok(requests.chat > 0, "chat ran: " + JSON.stringify(requests));
  assert.equal(requests.health ?? 0, 0, "the ops task was filtered out");
  const served = await (await fetch(`http://${address}/__stats`)).json();
  assert.equal(served.routes.health, 0);
  assert.equal(served.routes.ok, requests.chat);
  assert.deepEqual(errors, [], "the page ran without errors");
  console.log(`start form: profile ramp with tag core ran ${requests.chat} requests in ${result.stages.length} stages`);
} finally {
  if (browser) await browser.close();
  if (master) master.kill("SIGINT");
  target.kill();
}
