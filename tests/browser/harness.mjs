// What the live-page tests share: a child process watched for a line, a bounded wait, and
// Debian's Chromium.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

// A script's arguments (STAMPEDE DEMO_TARGET SCREENSHOTS), the screenshots' directory made,
// and a fresh working directory.
export function setup(script) {
  const [stampede, demoTarget, screenshots] = process.argv.slice(2);
  assert.ok(stampede && demoTarget && screenshots, `usage: ${script} STAMPEDE DEMO_TARGET SCREENSHOTS`);
  mkdirSync(screenshots, { recursive: true });
  return { stampede, demoTarget, screenshots, work: mkdtempSync(join(tmpdir(), "stampede-browser-")) };
}

// A child whose stdout is watched for a line matching `pattern`; resolves with the match.
export function startAndWatch(command, args, pattern, what) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args);
    let out = "";
    const timer = setTimeout(() => reject(new Error(what + " did not start: " + out)), 15000);
    child.stdout.on("data", (chunk) => {
      out += String(chunk);
      const m = pattern.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, match: m, output: () => out }); }
    });
    child.on("exit", (code) => reject(new Error(what + " exited with " + code + ": " + out)));
  });
}

// Polls `test` every 200 ms until it gives a true value, for at most `ms`.
export async function until(what, test, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The demo target on a free port: { child, address }.
export async function startDemoTarget(demoTarget) {
  const { child, match } = await startAndWatch(demoTarget, ["--port", "0", "--threads", "1"], /listening on (\S+)/,
                                               "the demo target");
  return { child, address: match[1] };
}

export const launchChromium = () =>
  chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
