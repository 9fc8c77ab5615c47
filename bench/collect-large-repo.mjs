#!/usr/bin/env node
// collectGit over a one-year window of a large generated repository, against the plain
// `git log --numstat --since --until` a user would run by hand, measured in the same run.
// The repository (>= 50,000 commits over ~3 years, several authors, merges, some commits
// dated out of order) is generated once with `git fast-import` and cached in .bench/.
// Usage: node bench/collect-large-repo.mjs [runs]   (build first: npx tsc -b packages/collector)
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { collectGit } from "../packages/collector/dist/index.js";
import { CollectPayload } from "../packages/messages/dist/index.js";
import { createLogger } from "../packages/harness/dist/index.js";
import { ensureRepository } from "./lib/large-repo.mjs";

const RUNS = Number(process.argv[2] ?? 3);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", ".bench");
// Bump the version when the generator changes, so a stale cache is never measured.
const REPO = join(ROOT, "large-repo-v1.git");
const DATA = join(ROOT, "collect-data");

const TARGET_COMMITS = 60_000;
const HISTORY_START = Date.UTC(2023, 0, 1) / 1000;
const HISTORY_END = Date.UTC(2026, 0, 1) / 1000;
const WINDOW = { start: "2024-07-01T00:00:00.000Z", end: "2025-07-01T00:00:00.000Z" };
const DAY_WINDOW = { start: "2025-03-12T00:00:00.000Z", end: "2025-03-13T00:00:00.000Z" };
const BOT_PATTERNS = ["[bot]", "renovate"];

// ---------------------------------------------------------------- repository generation

// ---------------------------------------------------------------- measuring

/** Run git and read all of its stdout, calling `onChunk` per chunk (nothing is kept). */
function readAll(args, env, onChunk) {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd: REPO, env, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", onChunk);
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git ${args[0]} exited with ${code}`))));
  });
}

/** The user's command: `git log --numstat` limited with --since/--until, every line read. */
async function baseline(env = process.env) {
  let commits = 0;
  let rest = "";
  await readAll(["log", "--numstat", `--since=${WINDOW.start}`, `--until=${WINDOW.end}`], env, (chunk) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop();
    for (const line of lines) if (line.startsWith("commit ")) commits++;
  });
  return commits;
}

/** Commits whose committer time really is in the window, by reading every commit's time. */
async function exactCount() {
  const start = Date.parse(WINDOW.start) / 1000;
  const end = Date.parse(WINDOW.end) / 1000;
  let rest = "";
  let inWindow = 0;
  let total = 0;
  await readAll(["log", "HEAD", "--format=%ct"], process.env, (chunk) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop();
    for (const line of lines) {
      total++;
      const t = Number(line);
      if (t >= start && t < end) inWindow++;
    }
  });
  return { inWindow, total };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(0)} ms`;

async function main() {
  mkdirSync(ROOT, { recursive: true });
  const stats = await ensureRepository({ path: REPO, commits: TARGET_COMMITS, start: HISTORY_START, end: HISTORY_END });
  const exact = await exactCount();
  console.log(
    `repository: ${exact.total} commits reachable from HEAD (${stats.merges} merges, ${stats.outOfOrder} dated out of order), ${stats.files} files, ${new Date(HISTORY_START * 1000).toISOString().slice(0, 10)} .. ${new Date(HISTORY_END * 1000).toISOString().slice(0, 10)}`,
  );
  console.log(`window: [${WINDOW.start}, ${WINDOW.end})`);

  const input = CollectPayload.parse({
    runId: "monthly-2025-06",
    period: "monthly",
    key: "bench-2025",
    window: WINDOW,
    timezone: "UTC",
    repos: [REPO],
  });
  const ctx = {
    dataDir: DATA,
    botPatterns: BOT_PATTERNS,
    log: createLogger({ service: "bench", level: "warn" }),
    clock: { now: () => new Date() },
    progress: () => {},
  };

  let peakRss = 0;
  let sampling = false;
  const sampler = setInterval(() => {
    if (sampling) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const rssBefore = process.memoryUsage().rss;

  // First, while the heap is still small: a one-day window over the same 60,000-commit
  // history, to show memory follows the window, not the history.
  sampling = true;
  const day = await collectGit(
    CollectPayload.parse({ ...input, runId: "daily-2025-03-12", period: "daily", key: "bench-day", window: DAY_WINDOW }),
    ctx,
  );
  sampling = false;
  const dayPeakRss = peakRss;

  const collectTimes = [];
  const baselineTimes = [];
  const bufferedTimes = [];
  let collected;
  let baselineCommits;
  // Interleaved, so neither side gets all the warm caches.
  for (let i = 0; i < RUNS; i++) {
    sampling = true;
    let t = performance.now();
    collected = await collectGit(input, ctx);
    collectTimes.push(performance.now() - t);
    sampling = false;
    t = performance.now();
    baselineCommits = await baseline();
    baselineTimes.push(performance.now() - t);
    t = performance.now();
    await baseline({ ...process.env, GIT_FLUSH: "0" });
    bufferedTimes.push(performance.now() - t);
  }
  clearInterval(sampler);
  rmSync(DATA, { recursive: true, force: true });

  const c = median(collectTimes);
  const b = median(baselineTimes);
  console.log(`collectGit runs:       ${collectTimes.map(ms).join(", ")}`);
  console.log(`baseline runs:         ${baselineTimes.map(ms).join(", ")}`);
  console.log(`collectGit median:     ${ms(c)}`);
  console.log(`baseline median:       ${ms(b)}  (git log --numstat --since --until, output read fully)`);
  console.log(`ratio collect/baseline: ${(c / b).toFixed(2)}x  (target <= 1.5x)`);
  console.log(
    `baseline, GIT_FLUSH=0:  ${ms(median(bufferedTimes))} median (the same command with git's output fully buffered, as collectGit runs git; ratio ${(c / median(bufferedTimes)).toFixed(2)}x)`,
  );
  console.log(`commits collectGit:    ${collected.commits + collected.merges} (${collected.commits} commits + ${collected.merges} merges)`);
  console.log(`commits baseline:      ${baselineCommits}`);
  console.log(`commits exact:         ${exact.inWindow} (committer time in window, every commit of HEAD read)`);
  console.log(`peak RSS (collectGit): ${(peakRss / 2 ** 20).toFixed(1)} MiB  (one-year window, ${collected.commits + collected.merges} commits kept; sampled every 20 ms)`);
  console.log(`peak RSS (one day):    ${(dayPeakRss / 2 ** 20).toFixed(1)} MiB  (window ${DAY_WINDOW.start.slice(0, 10)}, ${day.commits + day.merges} commits kept, same history; ${(rssBefore / 2 ** 20).toFixed(1)} MiB before it)`);
}

await main();
