#!/usr/bin/env node
// `sparky --help`, `sparky status` and `sparky tasks` against `node -e 0`, in wall time and
// peak RSS, measured in the same run over alternating rounds; and the state read itself
// (status file plus run index) with 10,000 run records, against rebuilding the index.
// Usage: node bench/cli-startup.mjs [rounds]   (run `pnpm build` first)
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compare, median, printRows } from "./lib/startup.mjs";
import { createStateStore } from "../packages/orchestrator/dist/index.js";
import { readRunIndex } from "../packages/orchestrator/dist/run-index.js";

const ROUNDS = Number(process.argv[2] ?? 9);
const RUNS = 10_000;
// SPARKY_BENCH_BIN: another build of the CLI, e.g. the main branch's, for a before/after.
const SPARKY = process.env.SPARKY_BENCH_BIN ?? fileURLToPath(new URL("../packages/cli/bin/sparky.js", import.meta.url));

function record(i) {
  const day = new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  const at = `${day}T06:00:00.000Z`;
  const failed = i % 97 === 0;
  return {
    schema: "sparky.run/1",
    runId: `daily-${day}`,
    period: "daily",
    key: day,
    window: { start: `${day}T00:00:00.000Z`, end: new Date(Date.parse(at) + 18 * 3_600_000).toISOString() },
    timezone: "UTC",
    state: failed ? "failed" : "succeeded",
    trigger: "backfill",
    repos: ["."],
    org: null,
    refresh: false,
    collection: null,
    allowEmpty: true,
    createdAt: at,
    updatedAt: at,
    finishedAt: at,
    reason: failed ? "collect failed: repository . is not a git repository" : null,
    stages: ["collect", "analyze", "generate", "publish"].map((stage) => ({
      stage,
      state: failed ? (stage === "collect" ? "failed" : "pending") : "succeeded",
      startedAt: at,
      finishedAt: at,
      attempts: [{ attempt: 1, jobId: `${stage}-${i}`, startedAt: at, finishedAt: at, error: null }],
      result: null,
    })),
  };
}

const root = await mkdtemp(join(tmpdir(), "sparky-bench-cli-"));
try {
  const dataDir = join(root, "data");
  const runsDir = join(dataDir, "state", "runs");
  await mkdir(runsDir, { recursive: true });
  for (let i = 0; i < RUNS; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, RUNS - i) }, (_, j) => record(i + j)).map((r) => writeFile(join(runsDir, `${r.runId}.json`), `${JSON.stringify(r, null, 2)}\n`)));
  }
  const newest = record(RUNS - 1);
  await writeFile(
    join(dataDir, "state", "status.json"),
    JSON.stringify({ schema: "sparky.status/1", updatedAt: newest.updatedAt, orchestrator: null, running: [], pending: [], lastCheck: null, lastRun: null }),
  );

  // The state read: what `sparky status` does once the process is up.
  const t = process.hrtime.bigint();
  await createStateStore(dataDir).rebuildIndex();
  const rebuildMs = Number(process.hrtime.bigint() - t) / 1e6;
  await new Promise((r) => setTimeout(r, 30)); // the index must be newer than the folder's last change
  await createStateStore(dataDir).rebuildIndex();
  const reads = [];
  for (let i = 0; i < 50; i++) {
    const s = process.hrtime.bigint();
    const read = await readRunIndex(dataDir, (rows) => rows.length >= 10);
    if (!read.fresh) throw new Error(`run index not fresh: ${read.why}`);
    reads.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  console.log(`state read with ${RUNS} run records: index ${median(reads).toFixed(2)} ms (median of 50; target < 5 ms); rebuild from the run files ${rebuildMs.toFixed(0)} ms`);

  console.log(`start-up: ${ROUNDS} alternating rounds, median (spread over rounds); ${RUNS} run records in the data directory`);
  const env = { ...process.env, SPARKY_DATA_DIR: dataDir };
  const rows = compare(
    [
      ["node -e 0", ["-e", "0"]],
      ["sparky --help", [SPARKY, "--help"]],
      ["sparky status", [SPARKY, "status"]],
      ["sparky tasks", [SPARKY, "tasks"]],
      ["sparky tasks --status failed", [SPARKY, "tasks", "--status", "failed", "--limit", "5"]],
    ],
    ROUNDS,
    { env, cwd: root },
  );
  printRows(rows, 1.5);
} finally {
  await rm(root, { recursive: true, force: true });
}
