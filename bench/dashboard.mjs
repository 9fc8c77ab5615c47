#!/usr/bin/env node
// How fast the dashboard's overview loads with three years of history, in a real browser:
// ~1,095 daily, 156 weekly and 36 monthly digests in the generator's index.json (written
// directly, as the generator writes it, with 25 people and 8 repositories per digest, GitHub
// figures and a few gaps), served by the dashboard as `sparky dashboard` serves it, loaded in
// Debian's Chromium through playwright-core. Prints navigation-to-load and navigation-to-
// first-chart (median and worst of the runs after a warm-up). The bar: under 1 s.
// Usage: node bench/dashboard.mjs [runs]   (build first: npx tsc -b; needs /usr/bin/chromium or SPARKY_CHROMIUM)
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serveDashboard } from "../packages/dashboard/dist/index.js";
import { digestIndexBytes } from "../packages/generator/dist/index.js";
import { createLogger, createMetrics } from "../packages/harness/dist/index.js";
import { DigestIndexSchema, addDays, localDay, periodFor, previousPeriod, systemClock } from "../packages/messages/dist/index.js";

const RUNS = Number(process.argv[2] ?? 5);
const CHROMIUM = process.env.SPARKY_CHROMIUM || "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  console.log(`dashboard benchmark skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set SPARKY_CHROMIUM)`);
  process.exit(0);
}

// A fixed pseudo-random sequence: the same data every run.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const PEOPLE = Array.from({ length: 60 }, (_, i) => ({ key: `person${i}@example.com`, name: `Person ${i}` }));
const REPOS = Array.from({ length: 20 }, (_, i) => `acme/service-${i}`);

function entry(spec, scale) {
  const people = PEOPLE.slice(0, 60).filter(() => rand() < 0.4).slice(0, 25).map((p) => ({ ...p, commits: 1 + Math.floor(rand() * 5 * scale) }));
  const repositories = REPOS.filter(() => rand() < 0.4).slice(0, 8).map((r) => ({ key: r, name: r, commits: 1 + Math.floor(rand() * 10 * scale) }));
  const commits = people.reduce((n, p) => n + p.commits, 0);
  return {
    period: spec.period, key: spec.key, runId: spec.runId, path: `${spec.period}/${spec.key}.md`, title: `${spec.period} digest: ${spec.key}`,
    firstDay: spec.firstDay, lastDay: spec.lastDay, windowStart: spec.window.start, windowEnd: spec.window.end,
    commits, merges: Math.floor(commits / 4), contributors: people.length, newContributors: Math.floor(rand() * 2), repositories: repositories.length,
    additions: commits * 40, deletions: commits * 12, pullsMerged: Math.floor(commits / 3), quiet: commits === 0,
    details: { medianCycleHours: Math.round(rand() * 480) / 10, medianReviewHours: Math.round(rand() * 240) / 10, people: people.sort((a, b) => b.commits - a.commits || (a.key < b.key ? -1 : 1)), repositories },
  };
}

function history(period, count, scale) {
  const specs = [periodFor(period, addDays(localDay(Date.now(), "UTC"), -1), "UTC")];
  while (specs.length < count) specs.unshift(previousPeriod(specs[0]));
  // One period in 25 never collected: the charts' gaps.
  return specs.filter(() => rand() > 0.04).map((s) => entry(s, scale));
}

const root = mkdtempSync(join(tmpdir(), "sparky-bench-dashboard-"));
const outputDir = join(root, "output");
mkdirSync(outputDir, { recursive: true });
const index = DigestIndexSchema.parse({
  schema: "sparky.digest-index/1",
  timezone: "UTC",
  digests: [...history("daily", 1095, 1), ...history("weekly", 156, 5), ...history("monthly", 36, 20)],
  quietDays: [],
});
writeFileSync(join(outputDir, "index.json"), digestIndexBytes(index));
const counts = ["daily", "weekly", "monthly"].map((p) => `${index.digests.filter((d) => d.period === p).length} ${p}`).join(", ");
console.log(`index.json: ${counts}; ${(statSync(join(outputDir, "index.json")).size / 1024 / 1024).toFixed(1)} MiB`);

const http = await serveDashboard({
  dataDir: join(root, "data"), outputDir, timezone: "UTC", docsWebUrl: "", docsSubdir: "", bindHost: "127.0.0.1", token: null,
  clock: systemClock, nextRuns: () => [], port: 0,
  log: createLogger({ service: "dashboard", level: "warn" }), registry: createMetrics("dashboard").registry,
});
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
const url = `http://127.0.0.1:${http.port}/dashboard/`;
const samples = [];
try {
  for (let i = 0; i <= RUNS; i++) {
    // A fresh context each time: no cache, as a person opening the dashboard in the morning.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => performance.getEntriesByName("sparky:first-chart").length > 0);
    const figures = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return { ttfb: nav.responseStart, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, chart: performance.getEntriesByName("sparky:first-chart")[0].startTime, charts: Number(document.body.dataset.chartsDrawn) };
    });
    if (i > 0) samples.push(figures);
    await context.close();
  }
} finally {
  await browser.close();
  await http.close();
  rmSync(root, { recursive: true, force: true });
}
const stat = (key) => {
  const values = samples.map((s) => s[key]).sort((a, b) => a - b);
  return `median ${values[Math.floor(values.length / 2)].toFixed(0)} ms, worst ${values[values.length - 1].toFixed(0)} ms`;
};
console.log(`overview, ${RUNS} loads after a warm-up, ${samples[0].charts} charts each:`);
console.log(`  navigation to load event:  ${stat("load")}`);
console.log(`  navigation to first chart: ${stat("chart")}`);
console.log(`  (first byte: ${stat("ttfb")}; DOMContentLoaded: ${stat("dcl")})`);
const worst = Math.max(...samples.map((s) => Math.max(s.load, s.chart)));
console.log(worst < 1000 ? "under 1 s: yes" : `under 1 s: NO (worst ${worst.toFixed(0)} ms)`);
