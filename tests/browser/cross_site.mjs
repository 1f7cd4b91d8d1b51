// Another site in a real browser cannot drive the master's web UI: a page on another origin
// (another loopback port) that a person merely opens tries everything a page can to start,
// change, reset and stop a run (no-cors fetches, auto-submitted forms, a fetch with the control
// header) with and without --web-auth (the person logged in to the master first), and a name
// mapped to 127.0.0.1 (DNS rebinding) reaches nothing. The live page itself still starts and
// stops the run. Usage: node cross_site.mjs STAMPEDE DEMO_TARGET SCREENSHOTS
import { strict as assert } from "node:assert";
import { createServer } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { setup, startAndWatch, startDemoTarget, until } from "./harness.mjs";

const { stampede, demoTarget, screenshots, work } = setup("cross_site.mjs");
const rebound = "stampede-rebound.test";

// The attacker's page: every way a page can send a POST to another origin without its consent.
const attack = (base) => `<!doctype html><html><body><h1>cute cats</h1>
<form id="start" method="POST" action="${base}/api/swarm" target="sink">
  <input name="user_count" value="20"><input name="spawn_rate" value="5"></form>
<form id="raise" method="POST" action="${base}/api/swarm" enctype="text/plain" target="sink2">
  <input name='{"users": 50, "spawn_rate": 50, "x": "' value='"}'></form>
<iframe name="sink"></iframe><iframe name="sink2"></iframe>
<script>
window.tries = (async () => {
  const out = [];
  const attempt = async (what, f) => { try { const r = await f(); out.push(what + ":" + r.type + ":" + r.status); }
                                       catch (e) { out.push(what + ":blocked"); } };
  for (const path of ["api/swarm", "api/reset", "api/stop"]) {
    await attempt("no-cors " + path, () => fetch("${base}/" + path, { method: "POST", mode: "no-cors",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "user_count=20&spawn_rate=5" }));
    await attempt("header " + path, () => fetch("${base}/" + path, { method: "POST",
      headers: { "X-Stampede-Token": "guess", "Content-Type": "application/json" },
      body: JSON.stringify({ users: 20, spawn_rate: 5 }) }));
  }
  await attempt("read token", () => fetch("${base}/api/token"));
  document.getElementById("start").submit();
  document.getElementById("raise").submit();
  await new Promise((r) => setTimeout(r, 1500));
  return out;
})();
</script></body></html>`;

function serveAttacker(base) {
  const server = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(attack(base));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const launch = () => chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", `--host-resolver-rules=MAP ${rebound} 127.0.0.1`] });

// One master in the web UI's mode; `auth` given, the person logs in on the live page first.
async function scenarioRun(target, auth) {
  const args = ["run", "-f", join(work, "s.yaml"), "--workers", "1", "--web-port", "0", "--autoquit", "30s", "-t", "30s"];
  if (auth) args.push("--web-auth", auth.username + ":" + auth.password);
  const started = await startAndWatch(stampede, args, /Ready: start the run from (http:\/\/127\.0\.0\.1:(\d+))\//, "stampede");
  const base = started.match[1];
  const port = started.match[2];
  const headers = auth ? { Authorization: "Basic " + Buffer.from(auth.username + ":" + auth.password).toString("base64") } : {};
  const stats = async () => (await fetch(base + "/api/stats", { headers })).json();
  const attacker = await serveAttacker(base);
  const browser = await launch();
  try {
    const context = await browser.newContext(auth ? { httpCredentials: auth } : {});
    const live = await context.newPage();
    await live.goto(base + "/");  // logged in, when it asks
    await live.waitForSelector("body[data-updated]", { timeout: 15000 });
    assert.equal((await stats()).state, "ready");

    // The person opens the other site's page in another tab of the same browser.
    const evil = await context.newPage();
    await evil.goto(`http://127.0.0.1:${attacker.address().port}/`);
    const tries = await evil.evaluate(() => window.tries);
    assert.ok(!tries.some((t) => t.startsWith("read token:basic") || t.startsWith("read token:cors")),
              "another origin read the token: " + tries);
    assert.equal((await stats()).state, "ready", "the other site started the run: " + tries);
    await evil.screenshot({ path: join(screenshots, "cross-site" + (auth ? "-auth" : "") + ".png") });

    // A name of the attacker's pointing at 127.0.0.1 reaches the master but gets nothing.
    const rebinding = await evil.goto(`http://${rebound}:${port}/api/stats`);
    assert.equal(rebinding.status(), 403);
    assert.ok(!(await rebinding.text()).includes("totals"));

    // The live page itself starts the run; the other site, opened again, cannot change,
    // reset or stop it.
    await live.fill("#ctl-users", "2");
    await live.click("#ctl-apply");
    await until("the run to start", async () => (await stats()).state === "running");
    await until("2 users", async () => (await stats()).users === 2);
    const again = await context.newPage();
    await again.goto(`http://127.0.0.1:${attacker.address().port}/`);
    await again.evaluate(() => window.tries);
    const now = await stats();
    assert.equal(now.state, "running", "the other site stopped the run");
    assert.equal(now.users, 2, "the other site changed the users");
    const result = await (await fetch(base + "/api/result", { headers })).json();
    assert.ok(!result.events.some((e) => e.type === "statistics_reset" || e.type === "load_changed"),
              "the other site reset or changed the run: " + JSON.stringify(result.events));
    // And the live page stops it.
    await live.click("#ctl-stop");
    await until("finished", async () => (await live.textContent("#ctl-state")) === "finished", 20000);
  } finally {
    await browser.close();
    attacker.close();
    started.child.kill("SIGINT");
  }
}

const { child: target, address } = await startDemoTarget(demoTarget);
try {
  writeFileSync(join(work, "s.yaml"), `host: http://${address}
user_classes:
  - name: Reader
    wait_time: {constant: 50ms}
    tasks: [{name: read, path: /ok}]
`);
  await scenarioRun(target, null);
  await scenarioRun(target, { username: "admin", password: "s3cret" });
  console.log("another origin could not start, change, reset or stop a run; the live page could");
} finally {
  target.kill();
}
