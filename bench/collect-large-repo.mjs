#!/usr/bin/env node
// collectGit over a one-year window of a large generated repository, against the plain
// `git log --numstat --since --until` a user would run by hand, measured in the same run.
// The repository (>= 50,000 commits over ~3 years, several authors, merges, some commits
// dated out of order) is generated once with `git fast-import` and cached in .bench/.
// Usage: node bench/collect-large-repo.mjs [runs]   (build first: npx tsc -b packages/collector)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { collectGit } from "../packages/collector/dist/index.js";
import { CollectPayload } from "../packages/messages/dist/index.js";
import { createLogger } from "../packages/harness/dist/index.js";
import { random } from "./lib/random.mjs";

const RUNS = Number(process.argv[2] ?? 3);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", ".bench");
// Bump the version when the generator changes, so a stale cache is never measured.
const REPO = join(ROOT, "large-repo-v1.git");
const DONE = join(ROOT, "large-repo-v1.json");
const DATA = join(ROOT, "collect-data");

const TARGET_COMMITS = 60_000;
const HISTORY_START = Date.UTC(2023, 0, 1) / 1000;
const HISTORY_END = Date.UTC(2026, 0, 1) / 1000;
const WINDOW = { start: "2024-07-01T00:00:00.000Z", end: "2025-07-01T00:00:00.000Z" };
const DAY_WINDOW = { start: "2025-03-12T00:00:00.000Z", end: "2025-03-13T00:00:00.000Z" };
const BOT_PATTERNS = ["[bot]", "renovate"];

// ---------------------------------------------------------------- repository generation

const PEOPLE = [
  ["Ada Lovelace", "ada@example.com"],
  ["Grace Hopper", "grace@example.com"],
  ["Linus Torvalds", "linus@example.com"],
  ["Margaret Hamilton", "margaret@example.com"],
  ["Ken Thompson", "ken@example.com"],
  ["Barbara Liskov", "barbara@example.com"],
  ["Dennis Ritchie", "dennis@example.com"],
  ["Frances Allen", "frances@example.com"],
  ["Edsger Dijkstra", "edsger@example.com"],
  ["Radia Perlman", "radia@example.com"],
  ["Donald Knuth", "don@example.com"],
  ["Katherine Johnson", "katherine@example.com"],
  ["dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"],
  ["renovate-bot", "bot@renovateapp.com"],
];

async function generateRepository() {
  rmSync(REPO, { recursive: true, force: true });
  mkdirSync(REPO, { recursive: true });
  await run("git", ["init", "-q", "--bare", "-b", "main", REPO]);
  const rand = random(20261126);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

  const files = new Map(); // path -> lines
  const newLine = () => `value_${int(0, 1e9).toString(36)} = compute(${int(0, 9999)}, "${int(0, 1e6).toString(36)}");`;
  const newFile = (lines) => Array.from({ length: lines }, newLine);
  const mainFiles = [];
  for (let i = 0; i < 600; i++) {
    const path = `src/module${i % 24}/file${i}.ts`;
    mainFiles.push(path);
    files.set(path, newFile(int(20, 60)));
  }
  const sideFiles = Array.from({ length: 40 }, (_, i) => `side/feature${i}.ts`);
  for (const path of sideFiles) files.set(path, newFile(int(10, 30)));

  const child = spawn("git", ["fast-import", "--quiet", "--done", "--date-format=raw"], {
    cwd: REPO,
    stdio: ["pipe", "inherit", "inherit"],
  });
  const exited = new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited with ${code}`))));
  });
  let pending = [];
  let pendingBytes = 0;
  const write = async (text) => {
    pending.push(text);
    pendingBytes += text.length;
    if (pendingBytes < 1 << 20) return;
    const chunk = pending.join("");
    pending = [];
    pendingBytes = 0;
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once("drain", resolve));
  };
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;

  const step = (HISTORY_END - HISTORY_START) / TARGET_COMMITS;
  let mark = 0;
  let count = 0;
  let outOfOrder = 0;
  let merges = 0;
  const commitTime = () => {
    let t = HISTORY_START + count * step + int(-600, 600);
    const r = rand();
    // Some history is dated out of order: imported, skewed clocks, old committer dates kept.
    if (r < 0.03) (t -= int(1, 60) * 86_400), outOfOrder++;
    else if (r < 0.035) (t += int(1, 30) * 86_400), outOfOrder++;
    return Math.floor(t);
  };

  /** Change 1-3 files: rewrite, insert and delete lines, now and then create a file. */
  async function commit(ref, fileSet, options = {}) {
    mark += 1;
    count += 1;
    const [name, email] = options.person ?? pick(PEOPLE);
    const committed = commitTime();
    const authored = committed - int(0, 5 * 86_400);
    const changed = new Set();
    for (let n = int(1, 3); n > 0; n--) {
      let path = pick(fileSet);
      if (fileSet === mainFiles && rand() < 0.01) {
        path = `src/module${int(0, 23)}/new${mark}.ts`;
        mainFiles.push(path);
        files.set(path, []);
      }
      const lines = files.get(path);
      for (let k = int(0, 4); k > 0 && lines.length > 0; k--) lines[int(0, lines.length - 1)] = newLine();
      for (let k = int(0, 3); k > 0; k--) lines.splice(int(0, lines.length), 0, newLine());
      if (lines.length > 120) lines.splice(int(0, lines.length - 20), int(5, 20));
      changed.add(path);
    }
    let text = `commit ${ref}\nmark :${mark}\n`;
    text += `author ${name} <${email}> ${authored} +0000\ncommitter ${name} <${email}> ${committed} +0000\n`;
    text += data(options.message ?? `Update ${[...changed][0]} (#${mark})`);
    if (options.from) text += `from :${options.from}\n`;
    if (options.merge) text += `merge :${options.merge}\n`;
    for (const path of options.extra ?? []) changed.add(path);
    for (const path of changed) text += `M 100644 inline ${path}\n${data(files.get(path).join("\n") + "\n")}`;
    await write(text);
    return { mark, changed };
  }

  let mainTip = 0;
  while (count < TARGET_COMMITS) {
    // A feature branch now and then: a few commits on side/, main moves on, then a merge.
    if (count > 0 && count % 40 === 0) {
      const base = mainTip;
      const touched = new Set();
      let sideTip = 0;
      for (let k = int(2, 4); k > 0; k--) {
        const made = await commit("refs/heads/side", sideFiles, sideTip === 0 ? { from: base } : {});
        sideTip = made.mark;
        for (const path of made.changed) touched.add(path);
      }
      for (let k = int(1, 2); k > 0; k--) mainTip = (await commit("refs/heads/main", mainFiles, { from: mainTip })).mark;
      const merged = await commit("refs/heads/main", mainFiles, {
        from: mainTip,
        merge: sideTip,
        message: `Merge branch 'side' (#${mark + 1})`,
        extra: [...touched],
      });
      mainTip = merged.mark;
      merges += 1;
      continue;
    }
    mainTip = (await commit("refs/heads/main", mainFiles, mainTip ? { from: mainTip } : {})).mark;
  }
  await write("done\n");
  child.stdin.end(pending.join(""));
  await exited;
  await run("git", ["-C", REPO, "update-ref", "-d", "refs/heads/side"]);
  const stats = { commits: count, merges, outOfOrder, files: files.size };
  writeFileSync(DONE, `${JSON.stringify(stats)}\n`);
  return stats;
}

// ---------------------------------------------------------------- measuring

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`))));
  });
}

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
  let stats;
  if (existsSync(DONE) && existsSync(REPO)) {
    stats = JSON.parse(readFileSync(DONE, "utf8"));
    console.log(`repository: ${REPO} (cached)`);
  } else {
    const t = performance.now();
    console.log(`repository: generating ${REPO} with git fast-import ...`);
    stats = await generateRepository();
    console.log(`repository: generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
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
