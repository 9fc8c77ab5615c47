#!/usr/bin/env node
// What a backfill costs (run after a build: `npx tsc -b`, then `node bench/backfill.mjs`).
//
// 1. Time: a daily backfill of DAYS days (default 90) of a generated local repository
//    (COMMITS_PER_DAY commits a day, default 40, over a year of earlier history too, several
//    authors and merges; built with `git fast-import`, cached in .bench/), as one
//    `sparky backfill`, beside the baseline measured in the same run: separate
//    `sparky digest` processes over the same repository, one a day, in a fresh data folder
//    (BASELINE_SAMPLE of the days, evenly spread, default 10, scaled to DAYS; give
//    BASELINE_SAMPLE = DAYS to run them all).
// 2. GitHub requests: a daily backfill of GITHUB_DAYS days (default 30) of a 300-repository
//    organisation served by the project's fake GitHub on loopback, beside the baseline of
//    one `sparky digest` of its busiest day (fresh data folder) times GITHUB_DAYS. The
//    synthetic organisation is busy on its last two days and quiet before, as the output says.
//
// Usage: node bench/backfill.mjs [DAYS] [COMMITS_PER_DAY] [GITHUB_DAYS] [BASELINE_SAMPLE]
// Takes about 6 minutes on 2 shared cores: GitHub's 1 s spacing of GraphQL queries makes
// each GitHub day ~7 s whichever way it runs.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateOrg, startFakeGithub } from "../packages/github/dist/testing/index.js";
import { addDays } from "../packages/messages/dist/index.js";
import { random } from "./lib/random.mjs";

const DAYS = Number(process.argv[2] ?? 90);
const PER_DAY = Number(process.argv[3] ?? 40);
const GITHUB_DAYS = Number(process.argv[4] ?? 30);
const SAMPLE = Math.min(DAYS, Number(process.argv[5] ?? 10));
const HERE = dirname(fileURLToPath(import.meta.url));
const SPARKY = join(HERE, "..", "packages", "cli", "bin", "sparky.js");
const ROOT = join(HERE, "..", ".bench");
const LAST_DAY = "2026-11-26";
const FIRST_DAY = addDays(LAST_DAY, -(DAYS - 1));
const REPO = join(ROOT, `backfill-repo-v1-${DAYS}x${PER_DAY}`);

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], ...options });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const PEOPLE = [
  ["Ada Lovelace", "ada@example.com"],
  ["Grace Hopper", "grace@example.com"],
  ["Linus Torvalds", "linus@example.com"],
  ["Margaret Hamilton", "margaret@example.com"],
  ["Ken Thompson", "ken@example.com"],
  ["Barbara Liskov", "barbara@example.com"],
  ["dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"],
];

/** One fast-import stream: a year of history before the range, then PER_DAY commits each day of it. */
async function generateRepository() {
  rmSync(REPO, { recursive: true, force: true });
  mkdirSync(REPO, { recursive: true });
  await run("git", ["init", "-q", "-b", "main", REPO]);
  const rand = random(20261203);
  const start = Date.parse(`${addDays(FIRST_DAY, -365)}T00:00:00Z`) / 1000;
  const end = Date.parse(`${LAST_DAY}T00:00:00Z`) / 1000 + 86_400;
  const total = Math.round(((end - start) / 86_400) * PER_DAY);
  const chunks = [];
  let mark = 0;
  for (let i = 0; i < total; i++) {
    const [name, email] = PEOPLE[Math.floor(rand() * PEOPLE.length)];
    const when = Math.floor(start + ((end - start) * (i + rand() * 0.5)) / total);
    const file = `src/module${i % 20}/file${Math.floor(rand() * 200)}.ts`;
    const content = `// change ${i}\nexport const value${i} = ${Math.floor(rand() * 1e6)};\n`;
    const message = `${rand() < 0.3 ? "fix" : "feat"}: change ${i} in ${file}`;
    mark++;
    chunks.push(
      `commit refs/heads/main\nmark :${mark}\nauthor ${name} <${email}> ${when} +0000\ncommitter ${name} <${email}> ${when} +0000\n` +
        `data ${Buffer.byteLength(message)}\n${message}\n${mark > 1 ? `from :${mark - 1}\n` : ""}M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`,
    );
  }
  chunks.push("done\n");
  const result = await run("git", ["-C", REPO, "fast-import", "--quiet", "--done"], { input: chunks.join("") });
  if (result.code !== 0) throw new Error(`git fast-import failed: ${result.stderr}`);
  await run("git", ["-C", REPO, "checkout", "-q", "main"]);
  writeFileSync(join(REPO, ".bench-done"), String(total));
  return total;
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const line = (label, value) => console.log(`${label.padEnd(58)} ${value}`);

async function timed(fn) {
  const started = performance.now();
  const result = await fn();
  return { ms: performance.now() - started, result };
}

async function localBench() {
  mkdirSync(ROOT, { recursive: true });
  const built = existsSync(join(REPO, ".bench-done")) ? null : await timed(generateRepository);
  if (built) console.log(`generated ${REPO} in ${seconds(built.ms)}`);
  const env = { ...process.env, SPARKY_ENV: "bench-none" };

  const backfillDir = mkdtempSync(join(tmpdir(), "sparky-bench-backfill-"));
  const backfill = await timed(() =>
    run(process.execPath, [SPARKY, "backfill", "--period", "daily", "--from", FIRST_DAY, "--to", LAST_DAY, "--repo", REPO, "--json", "--quiet"], { cwd: backfillDir, env }),
  );
  const record = JSON.parse(backfill.result.stdout || "{}");
  if (backfill.result.code !== 0) console.error(backfill.result.stderr);

  // Baseline: one process per day, as a cron job calling `sparky digest` would.
  const baselineDir = mkdtempSync(join(tmpdir(), "sparky-bench-digests-"));
  let failures = 0;
  const sample = [...new Set(Array.from({ length: SAMPLE }, (_, k) => (SAMPLE === 1 ? 0 : Math.round((k * (DAYS - 1)) / (SAMPLE - 1)))))];
  const measured = await timed(async () => {
    for (const i of sample) {
      const result = await run(process.execPath, [SPARKY, "digest", "--date", addDays(FIRST_DAY, i), "--repo", REPO, "--allow-empty", "--quiet"], { cwd: baselineDir, env });
      if (result.code !== 0) failures++;
    }
  });
  const baseline = { ms: (measured.ms * DAYS) / sample.length };
  rmSync(backfillDir, { recursive: true, force: true });
  rmSync(baselineDir, { recursive: true, force: true });

  console.log(`Local backfill: ${DAYS} daily digests (${FIRST_DAY} to ${LAST_DAY}) of a generated repository, ${PER_DAY} commits a day plus a year of history before`);
  line("sparky backfill (one process)", `${seconds(backfill.ms)}  (${record.succeeded ?? "?"} succeeded, ${record.failed?.length ?? "?"} failed; ${seconds(backfill.ms / DAYS)} a day)`);
  line(`baseline: ${DAYS} separate sparky digest runs`, `${seconds(baseline.ms)}  (${seconds(baseline.ms / DAYS)} a day, measured on ${sample.length} of the ${DAYS} days: ${sample.length - failures} succeeded, ${failures} failed)`);
  line("baseline / backfill", `${(baseline.ms / backfill.ms).toFixed(1)}x`);
}

async function githubBench() {
  const TOKEN = "bench-token";
  const org = generateOrg({ login: "bench-org", repositories: 300, active: 30, day: LAST_DAY, seed: 42 });
  const fake = await startFakeGithub({ org, tokens: { [TOKEN]: { limit: 50_000 } } });
  const env = { ...process.env, SPARKY_ENV: "bench-none", GITHUB_TOKEN: TOKEN, GITHUB_TOKENS: "", SPARKY_COLLECTOR_GITHUB_API_URL: fake.url };
  const first = addDays(LAST_DAY, -(GITHUB_DAYS - 1));
  try {
    const oneDir = mkdtempSync(join(tmpdir(), "sparky-bench-gh-day-"));
    const day = await timed(() => run(process.execPath, [SPARKY, "digest", "--org", "bench-org", "--date", LAST_DAY, "--quiet", "--allow-empty"], { cwd: oneDir, env }));
    const perDay = fake.requests.length;
    if (day.result.code !== 0) console.error(day.result.stderr);
    rmSync(oneDir, { recursive: true, force: true });

    const mark = fake.requests.length;
    const backfillDir = mkdtempSync(join(tmpdir(), "sparky-bench-gh-backfill-"));
    const backfill = await timed(() =>
      run(process.execPath, [SPARKY, "backfill", "--org", "bench-org", "--period", "daily", "--from", first, "--to", LAST_DAY, "--json", "--quiet"], { cwd: backfillDir, env }),
    );
    const record = JSON.parse(backfill.result.stdout || "{}");
    if (backfill.result.code !== 0) console.error(backfill.result.stderr);
    const requests = fake.requests.slice(mark);
    rmSync(backfillDir, { recursive: true, force: true });

    console.log("");
    console.log(`GitHub backfill: ${GITHUB_DAYS} daily digests (${first} to ${LAST_DAY}) of a ${org.repositories.length}-repository organisation on the fake GitHub (busy ${addDays(LAST_DAY, -1)} and ${LAST_DAY}, quiet before)`);
    line("sparky backfill: requests", `${requests.length}  (REST ${requests.filter((r) => r.kind === "rest").length}, GraphQL ${requests.filter((r) => r.kind === "graphql").length}, ${requests.filter((r) => r.notModified).length} answered 304; ${record.succeeded ?? "?"} succeeded, ${record.failed?.length ?? "?"} failed; ${seconds(backfill.ms)})`);
    line(`baseline: one day's digest (${LAST_DAY}, fresh) x ${GITHUB_DAYS}`, `${perDay * GITHUB_DAYS}  (${perDay} requests for the day, ${seconds(day.ms)})`);
    line("requests per day in the backfill", `${(requests.length / GITHUB_DAYS).toFixed(1)}`);
  } finally {
    await fake.close();
  }
}

await localBench();
await githubBench();
