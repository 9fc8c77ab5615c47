#!/usr/bin/env node
// What reading releases from tags costs the collector: a generated repository of 20,000
// commits and 2,000 tags (every tenth commit, annotated and lightweight, `v`-prefixed and
// plain, and a monorepo package's own line), read for a day with no tag, a day with tags,
// and a year; beside `git rev-list --count HEAD` (a walk of the whole history) as a yardstick.
// Usage: node bench/read-tags.mjs [runs]   (build first: npx tsc -b packages/collector)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readTags } from "../packages/collector/dist/read-tags.js";

const RUNS = Number(process.argv[2] ?? 5);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", ".bench");
const REPO = join(ROOT, "tagged-repo-v1.git");
const COMMITS = 20_000;
const START = Date.UTC(2023, 0, 1) / 1000;
const STEP = 90 * 60; // a commit every 90 minutes: about 3.4 years
const PEOPLE = ["Ada <ada@example.com>", "Grace <grace@example.com>", "Linus <linus@example.com>", "dependabot[bot] <bot@example.com>"];

function run(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [input ? "pipe" : "ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args[0]} exited with ${code}`))));
    if (input) child.stdin.end(input);
  });
}

async function generate() {
  rmSync(REPO, { recursive: true, force: true });
  mkdirSync(REPO, { recursive: true });
  await run("git", ["init", "-q", "--bare", "-b", "main", REPO]);
  const parts = [];
  for (let i = 1; i <= COMMITS; i++) {
    const at = START + i * STEP;
    const who = PEOPLE[i % PEOPLE.length];
    const msg = `change ${i}\n`;
    parts.push(`commit refs/heads/main\nmark :${i}\ncommitter ${who} ${at} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}`);
    if (i > 1) parts.push(`from :${i - 1}\n`);
    parts.push(`M 644 inline file-${i % 50}.txt\ndata ${String(i).length + 1}\n${i}\n\n`);
    if (i % 10 === 0) {
      const n = i / 10;
      const name = n % 5 === 0 ? `pkg@0.${Math.floor(n / 100)}.${n % 100}` : `${n % 2 ? "v" : ""}1.${Math.floor(n / 100)}.${n % 100}`;
      if (n % 3 === 0) {
        parts.push(`reset refs/tags/${name}\nfrom :${i}\n\n`);
      } else {
        const text = `Release ${name}\n`;
        parts.push(`tag ${name}\nfrom :${i}\ntagger ${who} ${at + 600} +0000\ndata ${Buffer.byteLength(text)}\n${text}`);
      }
    }
  }
  parts.push("done\n");
  const child = spawn("git", ["fast-import", "--quiet", "--done", "--date-format=raw"], { cwd: REPO, stdio: ["pipe", "inherit", "inherit"] });
  const closed = new Promise((resolve, reject) => child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`fast-import ${code}`)))));
  child.stdin.end(parts.join(""));
  await closed;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function measure(label, fn) {
  const times = [];
  let result;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    result = await fn();
    times.push(performance.now() - t0);
  }
  return { label, ms: median(times), result };
}

if (!existsSync(join(REPO, "packed-refs")) && !existsSync(join(REPO, "refs", "tags", "v1.0.1"))) await generate();
const tags = (await run("git", ["-C", REPO, "for-each-ref", "--count=100000", "--format=x", "refs/tags"])).trim().split("\n").length;
const day = (d) => ({ start: Date.parse(`${d}T00:00:00Z`), end: Date.parse(`${d}T00:00:00Z`) + 86_400_000 });
const window = (a, b) => ({ start: Date.parse(a), end: Date.parse(b) });
const options = (w) => ({ window: w, botPatterns: ["[bot]"] });

const rows = [
  await measure("git rev-list --count HEAD (yardstick)", () => run("git", ["-C", REPO, "rev-list", "--count", "HEAD"])),
  await measure("readTags, a day with no tag (2030-01-01)", () => readTags(REPO, options(day("2030-01-01")))),
  await measure("readTags, a day with tags (2024-06-12)", () => readTags(REPO, options(day("2024-06-12")))),
  await measure("readTags, a week (2024-W24)", () => readTags(REPO, options(window("2024-06-10T00:00:00Z", "2024-06-17T00:00:00Z")))),
  await measure("readTags, a month (2024-06)", () => readTags(REPO, options(window("2024-06-01T00:00:00Z", "2024-07-01T00:00:00Z")))),
];
console.log(`repository: ${COMMITS} commits, ${tags} tags; median of ${RUNS} runs`);
for (const { label, ms, result } of rows) {
  const count = Array.isArray(result) ? result.length : null;
  const per = count ? `, ${(ms / count).toFixed(1)} ms a tag` : "";
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms${count === null ? "" : `  (${count} tags in the window${per})`}`);
}
