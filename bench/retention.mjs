// A year of daily digests of a generated repository, once with [orchestrator] retain_raw_days = 90
// and once with 0 (keep forever): prints the size of the data directory, by folder, for each.
// Every day runs the whole embedded pipeline (collect, analyze, generate, publish) at 06:00 the
// next morning on an injected clock, as the served orchestrator's schedule would, and retention
// runs after each run as it does there.
// Usage: node bench/retention.mjs [--days N] [--keep DIR] [--json]   (build first: npx tsc -b)
//   --keep DIR  leave the two data directories in DIR/retain-90 and DIR/retain-0 (for tests)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmbedded } from "../packages/cli/dist/index.js";
import { ConfigSchema } from "../packages/harness/dist/index.js";

const { values } = parseArgs({ options: { days: { type: "string", default: "365" }, keep: { type: "string" }, json: { type: "boolean", default: false } } });
const DAYS = Number(values.days);
const LAST_DAY = Date.UTC(2026, 10, 30); // 2026-11-30, the last daily digest
const DAY = 86_400_000;
const FIRST_DAY = LAST_DAY - (DAYS - 1) * DAY;
const ymd = (ms) => new Date(ms).toISOString().slice(0, 10);

/** A few commits a day, the day before the first included (the first digest's previous period), with `git fast-import`. */
function generateRepository(dir) {
  mkdirSync(dir, { recursive: true });
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  const authors = ["Ada Lovelace <ada@example.com>", "Grace Hopper <grace@example.com>", "Alan Turing <alan@example.com>", "Edsger Dijkstra <edsger@example.com>"];
  let stream = "";
  let mark = 0;
  for (let day = FIRST_DAY - DAY; day <= LAST_DAY; day += DAY) {
    for (let i = 0; i < 3 + (day / DAY) % 3; i++) {
      const at = Math.floor((day + (9 + i * 2) * 3_600_000) / 1000);
      const who = authors[(day / DAY + i) % authors.length];
      const body = `${Array.from({ length: 12 }, (_, n) => `line ${n} of change ${i} on ${ymd(day)}`).join("\n")}\n`;
      const message = `feat(area-${i}): change ${i} on ${ymd(day)}\n\nWhy: keeps the bench's raw data the size of a real day's.\n`;
      mark++;
      stream +=
        `commit refs/heads/main\nmark :${mark}\nauthor ${who} ${at} +0000\ncommitter ${who} ${at} +0000\n` +
        `data ${Buffer.byteLength(message)}\n${message}\n` +
        (mark > 1 ? `from :${mark - 1}\n` : "") +
        `M 100644 inline src/area-${i}/${ymd(day)}.txt\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    }
  }
  execFileSync("git", ["fast-import", "--quiet", "--done"], { cwd: dir, input: `${stream}done\n` });
  execFileSync("git", ["checkout", "-q", "main"], { cwd: dir });
}

function sizeOf(path) {
  let bytes = 0;
  let files = 0;
  let info;
  try {
    info = statSync(path);
  } catch {
    return { bytes, files };
  }
  if (!info.isDirectory()) return { bytes: info.size, files: 1 };
  for (const entry of readdirSync(path)) {
    const inner = sizeOf(join(path, entry));
    bytes += inner.bytes;
    files += inner.files;
  }
  return { bytes, files };
}

async function yearOfDailies(root, repo, retainRawDays) {
  const config = ConfigSchema.parse({
    data_dir: join(root, "data"),
    log_level: "silent",
    collector: { repos: [repo] },
    analyzer: { llm_enabled: false },
    generator: { output_dir: join(root, "output"), llm_enabled: false },
    publisher: { git_repo: join(root, "output") },
    orchestrator: { retain_raw_days: retainRawDays, poll_interval_ms: 200 },
  });
  let now = new Date(FIRST_DAY + DAY);
  const embedded = await startEmbedded(config, { logLevel: "silent", clock: { now: () => now } });
  const failed = [];
  try {
    for (let day = FIRST_DAY; day <= LAST_DAY; day += DAY) {
      now = new Date(day + DAY + 6 * 3_600_000);
      const record = await embedded.orchestrator.submit({ period: "daily", date: ymd(day), trigger: "schedule" });
      if (record.state !== "succeeded") failed.push(`${record.runId}: ${record.reason}`);
    }
  } finally {
    await embedded.stop();
    await embedded.notifier.stop(0);
  }
  const data = join(root, "data");
  const folders = Object.fromEntries(["raw", "processed", "state", "cache"].map((f) => [f, sizeOf(join(data, f))]));
  return {
    retainRawDays,
    failed,
    data: sizeOf(data),
    folders,
    rawDirs: readdirSync(join(data, "raw")).filter((k) => /^\d{4}-\d{2}-\d{2}$/.test(k)).sort(),
    digests: readdirSync(join(root, "output", "daily")).filter((f) => f.endsWith(".md")).length,
  };
}

const work = values.keep ?? mkdtempSync(join(tmpdir(), "sparky-retention-"));
const started = Date.now();
const repo = join(work, "repo");
rmSync(repo, { recursive: true, force: true });
generateRepository(repo);
const results = [];
for (const days of [90, 0]) {
  const root = join(work, `retain-${days}`);
  rmSync(root, { recursive: true, force: true });
  results.push(await yearOfDailies(root, repo, days));
}
if (!values.keep) rmSync(work, { recursive: true, force: true });

const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ days: DAYS, first: ymd(FIRST_DAY), last: ymd(LAST_DAY), results })}\n`);
} else {
  console.log(`${DAYS} daily digests, ${ymd(FIRST_DAY)} to ${ymd(LAST_DAY)}, each run at 06:00 the next day (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const r of results) {
    const f = r.folders;
    console.log(
      `retain_raw_days=${String(r.retainRawDays).padEnd(3)} data/ ${kb(r.data.bytes).padStart(9)} in ${String(r.data.files).padStart(5)} files: ` +
        `raw ${kb(f.raw.bytes)} (${r.rawDirs.length} days, from ${r.rawDirs[0]}), processed ${kb(f.processed.bytes)}, state ${kb(f.state.bytes)}, cache ${kb(f.cache.bytes)}; ` +
        `${r.digests} digests${r.failed.length ? `; FAILED: ${r.failed.join("; ")}` : ""}`,
    );
  }
}
