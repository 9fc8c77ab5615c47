#!/usr/bin/env node
// A daily digest's git cost with the per-repository scan cache, against `git log --since
// --until` over the same day, measured in the same run, on a generated 60,000-commit and a
// generated 500,000-commit repository (git fast-import, cached in .bench/).
//   first daily run:  no cache yet, the whole history is read (time and peak RSS)
//   second daily run: 20 commits added since (one dated 200 days back), the next day collected
// Each measured run is its own node process, so its peak RSS is its own; times are taken
// inside it around the call. The second run is repeated from the same cache file each time;
// the history scan alone is timed twice in its process: first call (cold code), then again.
// The first call is also timed as `sparky digest` makes it: from one bundled file run through
// V8's code cache (see packages/cli/bin/load-bundle.js), the cache written by an earlier run.
// Usage: node bench/git-scan-cache.mjs [runs] [--no-500k]   (build first: npx tsc -b)
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureRepository } from "./lib/large-repo.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", ".bench");
const args = process.argv.slice(2);
const RUNS = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const BOT_PATTERNS = ["[bot]", "renovate"];

const REPOS = [
  // The same repository as bench/collect-large-repo.mjs.
  { label: "60k", path: join(ROOT, "large-repo-v1.git"), commits: 60_000, start: Date.UTC(2023, 0, 1) / 1000, end: Date.UTC(2026, 0, 1) / 1000 },
  {
    label: "500k",
    path: join(ROOT, "history-500k-v1.git"),
    commits: 500_000,
    start: Date.UTC(2016, 0, 1) / 1000,
    end: Date.UTC(2026, 0, 1) / 1000,
    maxLines: 6,
    seed: 500_000,
  },
];
// The last day of the generated history, then the day of the added commits.
const DAY1 = { start: "2025-12-31T00:00:00.000Z", end: "2026-01-01T00:00:00.000Z" };
const DAY2 = { start: "2026-01-01T00:00:00.000Z", end: "2026-01-02T00:00:00.000Z" };

// ---------------------------------------------------------------- child: one measured run

// What the scan needs, from dist/ (ES modules) or from a bundle of the same (see bundled()).
const SCAN_ENTRY = `
export { collectGit } from "../packages/collector/dist/index.js";
export { openRepository } from "../packages/collector/dist/open-repository.js";
export { scanHistory } from "../packages/collector/dist/scan-history.js";
export { scanCachePath } from "../packages/collector/dist/scan-cache/scan-cache-store.js";
export { CollectPayload } from "../packages/messages/dist/index.js";
export { createLogger } from "../packages/harness/dist/index.js";
`;
const BUNDLE = join(ROOT, "scan-bundle.cjs");
const CODE_CACHE = join(ROOT, "scan-bundle.v8");

/** SCAN_ENTRY's modules as Node loads them from dist/. */
async function fromDist() {
  const modules = [...SCAN_ENTRY.matchAll(/from "(.+)"/g)].map(([, path]) => import(path));
  return Object.assign({}, ...(await Promise.all(modules)));
}

/** One CommonJS file of SCAN_ENTRY (esbuild, as scripts/bundle-cli.mjs builds the CLI's). */
async function buildBundle() {
  const esbuild = await import("esbuild");
  await esbuild.build({
    stdin: { contents: SCAN_ENTRY, resolveDir: HERE, loader: "js" },
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: BUNDLE,
    // Native, or found by __dirname: loaded from node_modules as they are by the CLI's bundle.
    external: ["zeromq", "thread-stream"],
    logLevel: "error",
  });
  rmSync(CODE_CACHE, { force: true });
}

/** The bundle through V8's code cache, by the CLI's own loader; the cache is written when missing. */
async function bundled() {
  const { runWithCodeCache } = await import("../packages/cli/bin/load-bundle.js");
  // The external thread-stream is pino's dependency: required from where pino is.
  const harness = createRequire(join(HERE, "..", "packages", "harness", "package.json"));
  const { exports, cached, keepCache } = runWithCodeCache(BUNDLE, CODE_CACHE, { require: createRequire(harness.resolve("pino")) });
  return { ...exports, keep: keepCache, cached };
}

async function child([mode, repo, dataDir, windowJson, snapshot]) {
  const code = mode === "scan-bundled" ? await bundled() : null;
  const { collectGit, CollectPayload, createLogger, scanCachePath, openRepository, scanHistory } = code ?? (await fromDist());
  const window = JSON.parse(windowJson);
  const runId = `daily-${window.start.slice(0, 10)}`;
  const { realpathSync } = await import("node:fs");
  // Back to the cache as the first run left it: every repetition adds the same 20 commits.
  const restore = () => snapshot && copyFileSync(snapshot, scanCachePath(join(dataDir, "cache"), realpathSync(repo)));
  restore();
  const log = createLogger({ service: "bench", level: "warn" });
  // A collector service is a warm process: its first file read (libuv's thread pool starting)
  // and first git process (fork machinery) are paid once at start-up, not by each run.
  await readFile(join(repo, ".git", "HEAD"));
  execFileSync("git", ["--version"], { stdio: "ignore" });
  const input = CollectPayload.parse({ runId, period: "daily", key: window.start.slice(0, 10), window, timezone: "UTC", repos: [repo] });
  const ctx = { dataDir, botPatterns: BOT_PATTERNS, log, clock: { now: () => new Date() }, progress: () => {} };
  if (mode === "scan" || mode === "scan-bundled") {
    // The history part alone: what the cache replaces.
    const opened = await openRepository(repo);
    const scanOnce = async () => {
      const t = performance.now();
      const scan = await scanHistory(repo, {
        head: opened.head,
        window: { start: Date.parse(window.start), end: Date.parse(window.end) },
        previous: { start: Date.parse(window.start) - 86_400_000, end: Date.parse(window.start) },
        botPatterns: BOT_PATTERNS,
        cache: { cacheDir: join(dataDir, "cache"), realPath: opened.realPath, commonGitDir: opened.commonGitDir, bare: opened.bare, log },
      });
      await scan.cacheWritten;
      return { ms: performance.now() - t, scan };
    };
    // First in its process (its code not yet compiled, as in a one-shot CLI), then the same
    // run again from the same cache file in the now warm process (as in the collector service).
    const cold = await scanOnce();
    restore();
    const { ms, scan } = await scanOnce();
    code?.keep();
    console.log(JSON.stringify({ ms, coldMs: cold.ms, cached: code?.cached, commits: scan.commits.length, source: scan.source, maxRss: process.resourceUsage().maxRSS * 1024 }));
    return;
  }
  const t = performance.now();
  const result = await collectGit(input, ctx);
  const ms = performance.now() - t;
  console.log(JSON.stringify({ ms, commits: result.commits + result.merges, maxRss: process.resourceUsage().maxRSS * 1024 }));
}

// ---------------------------------------------------------------- parent

function measure(mode, repo, dataDir, window, snapshot = "") {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", mode, repo, dataDir, JSON.stringify(window), snapshot], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").at(-1));
}

/** The user's command over the day, every byte of its output read; wall time including git's start. */
function baseline(repo, window, extra = []) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    let commits = 0;
    let rest = "";
    const git = spawn("git", ["--no-pager", "log", ...extra, `--since=${gitDate(window.start)}`, `--until=${gitDate(window.end)}`], { cwd: repo, stdio: ["ignore", "pipe", "inherit"] });
    git.stdout.setEncoding("utf8");
    git.stdout.on("data", (chunk) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop();
      for (const line of lines) if (line.startsWith("commit ")) commits++;
    });
    git.on("error", reject);
    git.on("close", (code) => (code === 0 ? resolve({ ms: performance.now() - t, commits }) : reject(new Error(`git log exited with ${code}`))));
  });
}

/**
 * A clone of its own (a work tree, as most users have, left unchecked-out) that borrows the
 * generated repository's objects, so adding commits never changes the cached original.
 */
function workCopy(source, label) {
  const path = join(ROOT, `scan-work-${label}`);
  rmSync(path, { recursive: true, force: true });
  execFileSync("git", ["init", "-q", "-b", "main", path]);
  writeFileSync(join(path, ".git", "objects", "info", "alternates"), `${join(source, "objects")}\n`);
  const tip = execFileSync("git", ["-C", source, "rev-parse", "main"], { encoding: "utf8" }).trim();
  execFileSync("git", ["-C", path, "update-ref", "refs/heads/main", tip]);
  return path;
}

/** 20 commits dated on DAY2 on top of `tip`; with `backdated`, one of them dated 200 days earlier (a rebased-in commit). */
function addCommits(repo, tip, backdated) {
  const base = Date.parse(DAY2.start) / 1000 + 3600;
  let text = "";
  for (let i = 0; i < 20; i++) {
    const time = backdated && i === 7 ? base - 200 * 86_400 : base + i * 1800;
    const message = `Daily work ${i}\n`;
    const content = `added ${i}\n`;
    text += `commit refs/heads/main\nmark :${i + 1}\n`;
    text += `author Ada Lovelace <ada@example.com> ${time} +0000\ncommitter Ada Lovelace <ada@example.com> ${time} +0000\n`;
    text += `data ${Buffer.byteLength(message)}\n${message}`;
    text += i === 0 ? `from ${tip}\n` : `from :${i}\n`;
    text += `M 100644 inline daily/work${i}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  }
  execFileSync("git", ["fast-import", "--quiet", "--force", "--date-format=raw"], { cwd: repo, input: text });
}

/** `2026-01-01 00:00:00 +0000`: a form git's date parser reads exactly. */
function gitDate(iso) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000`;
}

function exactCount(repo, window) {
  const [start, end] = [Date.parse(window.start) / 1000, Date.parse(window.end) / 1000];
  const times = execFileSync("git", ["-C", repo, "log", "--format=%ct", "main"], { encoding: "utf8", maxBuffer: 1 << 30 }).trim().split("\n");
  return times.filter((t) => Number(t) >= start && Number(t) < end).length;
}

/** The second daily run, repeated from the first run's cache file, interleaved with its baselines. */
async function secondRun(repo, dataDir, snapshot, backdated) {
  const runs = { collect: [], scan: [], coldScan: [], bundledScan: [], log: [], numstat: [], rss: [] };
  // One run first, to write the bundle's code cache (as a command's first run does).
  if (!measure("scan-bundled", repo, dataDir, DAY2, snapshot).cached) measure("scan-bundled", repo, dataDir, DAY2, snapshot);
  let second;
  let scan;
  let log;
  for (let i = 0; i < RUNS; i++) {
    second = measure("collect", repo, dataDir, DAY2, snapshot);
    runs.collect.push(second.ms);
    runs.rss.push(second.maxRss);
    scan = measure("scan", repo, dataDir, DAY2, snapshot);
    runs.scan.push(scan.ms);
    runs.coldScan.push(scan.coldMs);
    const fromBundle = measure("scan-bundled", repo, dataDir, DAY2, snapshot);
    if (!fromBundle.cached) throw new Error("the bundle's code cache was not used");
    runs.bundledScan.push(fromBundle.coldMs);
    log = await baseline(repo, DAY2);
    runs.log.push(log.ms);
    runs.numstat.push((await baseline(repo, DAY2, ["--numstat"])).ms);
  }
  const b = median(runs.log);
  console.log(`second daily run, ${DAY2.start.slice(0, 10)}: 20 commits added since the first, ${backdated ? "one of them dated 200 days back" : "in date order"}`);
  console.log(`  history scan (scanHistory: cache read, new commits, cache appended), warm process: ${ms(median(runs.scan))}  [${runs.scan.map(ms).join(", ")}], ${scan.source}, ${scan.commits} commits`);
  console.log(`  the same, first call in a fresh process (code not yet compiled):    ${ms(median(runs.coldScan))}  [${runs.coldScan.map(ms).join(", ")}]`);
  console.log(`  the same, first call in a fresh process, as sparky digest runs it:  ${ms(median(runs.bundledScan))}  [${runs.bundledScan.map(ms).join(", ")}]  (one bundle, V8 code cache)`);
  console.log(`  whole collectGit (open, scan, line counts, tags, raw file):         ${ms(median(runs.collect))}  [${runs.collect.map(ms).join(", ")}], peak RSS ${mib(median(runs.rss))}, ${second.commits} commits`);
  console.log(`  baseline git log --since --until:           ${ms(b)}  [${runs.log.map(ms).join(", ")}], ${log.commits} commits`);
  console.log(`  baseline git log --numstat --since --until: ${ms(median(runs.numstat))}`);
  const ratio = (values) => `${(median(values) / b).toFixed(2)}x`;
  console.log(
    `  ratio history scan / baseline (target <= 1.5x): ${ratio(runs.scan)} warm (collector service), ${ratio(runs.bundledScan)} fresh process as sparky digest runs it, ` +
      `${ratio(runs.coldScan)} fresh process from dist/;  collectGit / baseline: ${ratio(runs.collect)}`,
  );
  console.log(`  exact: ${exactCount(repo, DAY2)} commits of HEAD have a committer time in the day (every commit's time read, untimed)`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(0)} ms`;
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main() {
  mkdirSync(ROOT, { recursive: true });
  await buildBundle();
  const repos = args.includes("--no-500k") ? REPOS.slice(0, 1) : REPOS;
  console.log(`node ${process.version}, ${RUNS} runs each of the second run and its baselines (median; interleaved)`);
  for (const spec of repos) {
    const stats = await ensureRepository(spec);
    const repo = workCopy(spec.path, spec.label);
    const dataDir = join(ROOT, `scan-data-${spec.label}`);
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`\n== ${spec.label}: ${stats.commits} commits (${stats.merges} merges, ${stats.outOfOrder} dated out of order)`);

    const first = measure("collect", repo, dataDir, DAY1);
    const cacheFile = join(dataDir, "cache", "git");
    const snapshot = join(ROOT, `scan-snapshot-${spec.label}.scan`);
    const [name] = execFileSync("ls", [cacheFile], { encoding: "utf8" }).trim().split("\n");
    copyFileSync(join(cacheFile, name), snapshot);
    const cacheBytes = readFileSync(snapshot).length;
    const firstBaseline = await baseline(repo, DAY1);
    console.log(`first daily run (no cache, whole history read, cache written): ${ms(first.ms)}, peak RSS ${mib(first.maxRss)}, ${first.commits} commits of ${DAY1.start.slice(0, 10)}`);
    console.log(`  cache file: ${(cacheBytes / 2 ** 20).toFixed(1)} MiB (${(cacheBytes / stats.commits).toFixed(1)} bytes per commit)`);
    console.log(`  baseline git log --since --until over that day: ${ms(firstBaseline.ms)}, ${firstBaseline.commits} commits`);

    const tip = execFileSync("git", ["-C", repo, "rev-parse", "main"], { encoding: "utf8" }).trim();
    for (const backdated of [false, true]) {
      addCommits(repo, tip, backdated);
      await secondRun(repo, dataDir, snapshot, backdated);
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  }
}

if (args[0] === "--child") await child(args.slice(1));
else await main();
