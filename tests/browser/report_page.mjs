// The HTML report in a real browser: a real run (the demo target, two workers) writes its
// report; Debian's Chromium opens it with the network cut off; the charts drew, the tables hold
// the run's endpoints, and the numbers on the page are the JSON result's. Screenshots stay in
// SCREENSHOTS for people to look at.
// Usage: node report_page.mjs STAMPEDE DEMO_TARGET SCREENSHOTS
import { strict as assert } from "node:assert";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [stampede, demoTarget, screenshots] = process.argv.slice(2);
assert.ok(stampede && demoTarget && screenshots, "usage: report_page.mjs STAMPEDE DEMO_TARGET SCREENSHOTS");
mkdirSync(screenshots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "stampede-report-"));

// The demo target on a free port, its address read from its first line.
function startTarget() {
  return new Promise((resolve, reject) => {
    const child = spawn(demoTarget, ["--port", "0", "--threads", "1", "--latency", "state=lognormal:30ms"]);
    const timer = setTimeout(() => reject(new Error("the demo target did not start")), 10000);
    child.stdout.on("data", (chunk) => {
      const m = /listening on (\S+)/.exec(String(chunk));
      if (m) { clearTimeout(timer); resolve({ child, address: m[1] }); }
    });
  });
}

const { child: target, address } = await startTarget();
let browser;
try {
  writeFileSync(join(work, "s.yaml"), `host: http://${address}
load: {users: 6, spawn_rate: 100, run_time: 4s}
thresholds:
  - p95 < 5s
  - {endpoint: state, expect: "p50 < 10s"}
user_classes:
  - name: Reader
    wait_time: {constant: 20ms}
    tasks:
      - {name: read, path: /ok, weight: 3, checks: [{status: 200}]}
      - {name: state, path: /v1/opscore/agent/agent-1/state}
      - {name: missing, path: /nope}
watch:
  interval: 500ms
  prometheus:
    - series: {served: demo_requests_total, hit_ratio: {share: [demo_cache_hits_total, demo_cache_misses_total]}}
  processes:
    target: {pid: ${target.pid}}
`);
  execFileSync(stampede, ["run", "--headless", "-f", join(work, "s.yaml"), "--workers", "2", "--json", join(work, "r.json"),
                          "--html", join(work, "r.html")], { stdio: "pipe", timeout: 60000 });
  const result = JSON.parse(readFileSync(join(work, "r.json"), "utf8"));

  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Offline: anything but the file itself is refused, and counted.
  const fetched = [];
  await page.route("**/*", (route) => {
    if (route.request().url().startsWith("file:")) return route.continue();
    fetched.push(route.request().url());
    return route.abort();
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto("file://" + join(work, "r.html"));
  await page.waitForSelector("body[data-rendered=true]", { timeout: 10000 });
  assert.deepEqual(errors, [], "the page ran without errors");
  assert.deepEqual(fetched, [], "the page fetched nothing");

  // Every chart drew: a canvas with pixels that are not the background.
  const charts = await page.$$eval(".chart", (nodes) => nodes.map((n) => {
    const canvas = n.querySelector("canvas");
    if (!canvas) return { id: n.id, drawn: false };
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
    return { id: n.id, drawn: inked > 100 };
  }));
  assert.equal(charts.length, 7 + result.watch.series.length);
  for (const c of charts) assert.ok(c.drawn, `chart ${c.id} drew`);
  // The service beside the load: a chart per watched series, titled with its name and source.
  assert.equal(result.watch.series.length, 6);
  const titles = await page.$$eval("#watch-charts h3", (hs) => hs.map((h) => h.textContent));
  assert.deepEqual(titles.map((t) => t.split(" ")[0]), result.watch.series.map((s) => s.name));
  assert.ok(titles[0].endsWith("/metrics"), "a series names its source");
  await page.locator("#watch-section").screenshot({ path: join(screenshots, "report-service.png") });

  // The endpoints table: the run's endpoints, and the JSON's counts, as the page formats them.
  const rows = await page.$$eval("#table-endpoints tbody tr", (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  const byName = Object.fromEntries(rows.map((r) => [r[1], r]));
  for (const e of result.endpoints) {
    assert.ok(byName[e.name], `endpoint ${e.name} is in the table`);
    assert.equal(byName[e.name][2], e.requests.toLocaleString("en-US"), `${e.name}: requests`);
    assert.equal(byName[e.name][3], e.failures.toLocaleString("en-US"), `${e.name}: failures`);
  }
  assert.equal(byName.Aggregated[2], result.totals.requests.toLocaleString("en-US"));
  const tile = await page.$eval("#summary .tile b", (b) => b.textContent);
  assert.equal(tile, result.totals.requests.toLocaleString("en-US"), "the summary's request count");
  const verdicts = await page.$$eval("#table-thresholds tbody tr", (trs) => trs.map((tr) => tr.lastChild.textContent));
  assert.deepEqual(verdicts, result.thresholds.map((t) => (t.passed ? "passed" : "failed")));
  const failures = await page.$$eval("#table-errors tbody tr", (trs) => trs.length);
  assert.equal(failures, result.errors.length);
  const workers = await page.$$eval("#table-workers tbody tr", (trs) => trs.map((tr) => tr.lastChild.textContent));
  assert.equal(workers.length, 2);
  // Each worker's link to the master, as the result says it held up.
  assert.deepEqual(workers, result.workers.map((w) => w.link.summary || "held up"));
  await page.screenshot({ path: join(screenshots, "report.png"), fullPage: true });

  // Sorting: by requests, the busiest row first (the aggregate), then the other way.
  const requestsHeading = page.locator("#table-endpoints th", { hasText: /^requests$/ });
  const names = () => page.$$eval("#table-endpoints tbody tr td:nth-child(2)", (tds) => tds.map((td) => td.textContent));
  await requestsHeading.click();
  assert.equal((await names())[0], "Aggregated");
  await requestsHeading.click();
  assert.equal((await names()).at(-1), "Aggregated");

  // Another percentile, and one endpoint more or less: the latency chart draws again, with it.
  const seriesCount = () => page.$$eval("#chart-latency .u-legend .u-series", (s) => s.length);
  const before = await seriesCount();
  await page.selectOption("#pick-percentile", "p99");
  await page.locator("#pick-endpoints input").first().uncheck();
  assert.equal(await seriesCount(), before - 1);
  const label = await page.$eval("#chart-latency .u-legend .u-series:nth-child(2) .u-label", (l) => l.textContent);
  assert.match(label, /p99/);
  await page.screenshot({ path: join(screenshots, "report-latency-p99.png"), clip: await page.locator("#chart-latency").boundingBox() });
  console.log(`report page: ${charts.length} charts drew, ${rows.length} endpoint rows match the JSON result; screenshots in ${screenshots}`);
} finally {
  if (browser) await browser.close();
  target.kill();
}
