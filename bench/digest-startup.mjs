#!/usr/bin/env node
// The embedded pipeline's fixed start-up cost: `sparky digest` of a tiny repository (three
// commits on one day, no Ollama: the deterministic summary stands in), wall time and peak
// RSS, against `node -e 0` in the same run, over alternating rounds; each round a fresh data
// and output directory, as a first digest has. Usage: node bench/digest-startup.mjs [rounds]
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { measure, median, spread } from "./lib/startup.mjs";

const ROUNDS = Number(process.argv[2] ?? 5);
const TARGET_S = 0.6;
const TARGET_MIB = 120;
// SPARKY_BENCH_BIN: another build of the CLI, e.g. the main branch's, for a before/after.
const SPARKY = process.env.SPARKY_BENCH_BIN ?? fileURLToPath(new URL("../packages/cli/bin/sparky.js", import.meta.url));

const root = await mkdtemp(join(tmpdir(), "sparky-bench-digest-"));
try {
  const repo = join(root, "repo");
  const git = (args, env = {}) => execFileSync("git", ["-c", "commit.gpgsign=false", ...args], { cwd: repo, env: { ...process.env, HOME: root, GIT_CONFIG_NOSYSTEM: "1", ...env } });
  execFileSync("git", ["init", "-q", "-b", "main", repo]);
  for (const [i, at] of ["2026-11-20T09:00:00Z", "2026-11-20T13:30:00Z", "2026-11-20T17:45:00Z"].entries()) {
    const who = { GIT_AUTHOR_NAME: `Dev ${i}`, GIT_AUTHOR_EMAIL: `dev${i}@example.com`, GIT_AUTHOR_DATE: at, GIT_COMMITTER_NAME: `Dev ${i}`, GIT_COMMITTER_EMAIL: `dev${i}@example.com`, GIT_COMMITTER_DATE: at };
    git(["commit", "-q", "--allow-empty", "-m", `change ${i}`], who);
  }
  // No Ollama on a port nobody listens on: the fixed cost, not a model's.
  const env = { ...process.env, SPARKY_ANALYZER_OLLAMA_URL: "http://127.0.0.1:9", SPARKY_ENV: "bench-none" };
  const base = { ms: [], mib: [] };
  const digest = { ms: [], mib: [] };
  // The same digest from dist/ (SPARKY_BUNDLE=0): what the bundle and its code cache save.
  const unbundled = { ms: [], mib: [] };
  const run = (into, name, extraEnv) => {
    const dir = join(root, name);
    const d = measure(
      [SPARKY, "digest", "--repo", repo, "--period", "daily", "--date", "2026-11-20", "--data-dir", join(dir, "data"), "--output-dir", join(dir, "output"), "--quiet"],
      { env: { ...env, ...extraEnv }, cwd: root },
    );
    into.ms.push(d.ms);
    into.mib.push(d.mib);
  };
  // Not measured: the first run from the bundle writes its code cache (once per build).
  run({ ms: [], mib: [] }, "warm-up", {});
  for (let round = 0; round < ROUNDS; round++) {
    const b = measure(["-e", "0"]);
    base.ms.push(b.ms);
    base.mib.push(b.mib);
    run(digest, `round-${round}`, {});
    run(unbundled, `round-${round}-dist`, { SPARKY_BUNDLE: "0" });
  }
  // The goal is the pipeline's own cost: what the digest takes beyond starting Node at all.
  const fixed = (median(digest.ms) - median(base.ms)) / 1000;
  const rss = median(digest.mib);
  console.log(`sparky digest of a 3-commit repository (daily, no LLM), ${ROUNDS} alternating rounds, median (spread); node ${process.version}`);
  console.log(`node -e 0        wall ${median(base.ms).toFixed(0).padStart(5)} ms (${spread(base.ms)})  peak RSS ${median(base.mib).toFixed(1)} MiB (${spread(base.mib)})  baseline`);
  console.log(
    `from dist/       wall ${median(unbundled.ms).toFixed(0).padStart(5)} ms (${spread(unbundled.ms)})  peak RSS ${median(unbundled.mib).toFixed(1)} MiB (${spread(unbundled.mib)})  ` +
      `fixed cost over node -e 0: ${((median(unbundled.ms) - median(base.ms)) / 1000).toFixed(2)} s  (SPARKY_BUNDLE=0, for comparison)`,
  );
  console.log(
    `sparky digest    wall ${median(digest.ms).toFixed(0).padStart(5)} ms (${spread(digest.ms)})  peak RSS ${rss.toFixed(1)} MiB (${spread(digest.mib)})  ` +
      `fixed cost over node -e 0: ${fixed.toFixed(2)} s  (target fixed cost < ${TARGET_S} s, peak RSS < ${TARGET_MIB} MiB) ${fixed < TARGET_S && rss < TARGET_MIB ? "OK" : "OVER"}`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
