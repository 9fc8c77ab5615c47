#!/usr/bin/env node
// How long a weekly digest takes when the model answers, but only after `timeout_ms`
// (issue 9, case 6). `sparky digest` runs as a user runs it (a child process, embedded
// services) on a small git repository, against the fake Ollama server scripted to answer
// every call 1 s after the timeout. The analyzer waits out its timeout and its retry, then
// uses the deterministic themes and records the outage in the analysis; the generator then
// writes the template paragraph without asking. Prints the wall time, what each stage
// asked, and why each fell back.
// Usage: node bench/llm-slow-model.mjs [timeout_ms]   (default 60000, the config default;
// run `pnpm build` first). With retries = 1 (the default) expect about 2 x timeout_ms: before
// the fix the generator waited another 2 x timeout_ms.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeOllama } from "../packages/llm/dist/testing/index.js";

const TIMEOUT_MS = Number(process.argv[2] ?? 60_000);
const SPARKY = fileURLToPath(new URL("../packages/cli/bin/sparky.js", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "sparky-bench-slow-"));

/** A repository with a week of work (2026-W47): five commits by three people. */
function fixture(dir) {
  const git = (args, env = {}) =>
    execFileSync("git", ["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", ...args], {
      cwd: dir,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: dir, ...env },
    });
  execFileSync("mkdir", ["-p", dir]);
  git(["init", "-q", "-b", "main"]);
  const people = [["Alice Liddell", "alice@example.com"], ["Bob Builder", "bob@example.com"], ["Carol Coder", "carol@example.com"]];
  const subjects = ["feat: add the parser", "feat: parse nested blocks", "fix: handle empty input", "docs: explain the parser", "test: cover nested blocks"];
  subjects.forEach((subject, i) => {
    const [name, email] = people[i % people.length];
    const at = `2026-11-${16 + i}T10:00:00Z`;
    execFileSync("sh", ["-c", `echo ${i} >> file-${i}.txt`], { cwd: dir });
    git(["add", "-A"]);
    git(["commit", "-q", "-m", subject], { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: at, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_DATE: at });
  });
}

function run(args, env, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SPARKY, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const fake = await startFakeOllama({ script: () => ({ content: "{}", delayMs: TIMEOUT_MS + 1_000 }) });
try {
  const repo = join(root, "repo");
  fixture(repo);
  const env = {
    SPARKY_ANALYZER_OLLAMA_URL: fake.url,
    SPARKY_GENERATOR_OLLAMA_URL: fake.url,
    SPARKY_ANALYZER_TIMEOUT_MS: String(TIMEOUT_MS),
    SPARKY_GENERATOR_TIMEOUT_MS: String(TIMEOUT_MS),
  };
  const started = performance.now();
  const result = await run(["digest", "--repo", repo, "--period", "weekly", "--date", "2026-11-18", "--json", "--quiet"], env, root);
  const seconds = (performance.now() - started) / 1000;
  if (result.code !== 0) {
    console.error(result.stderr);
    process.exit(1);
  }
  const record = JSON.parse(readFileSync(join(root, "data", "state", "runs", "weekly-2026-W47.json"), "utf8"));
  const stage = (name) => record.stages.find((s) => s.stage === name);
  const seconds1 = (s) => ((Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1);
  const analyze = stage("analyze");
  const generate = stage("generate");
  const asked = (endpoint) => fake.requests.filter((r) => r.endpoint === endpoint).length;
  console.log(`Slow model: every answer comes ${TIMEOUT_MS + 1_000} ms after the request; timeout_ms = ${TIMEOUT_MS}, retries = 1.`);
  console.log(`weekly digest, sparky digest end to end: ${seconds.toFixed(1)} s (exit ${result.code})`);
  console.log(`  analyze:  ${seconds1(analyze)} s, ${asked("chat")} calls to /api/chat, themes ${analyze.result.themesSource}: ${analyze.result.themesReason}`);
  console.log(`  generate: ${seconds1(generate)} s, ${asked("generate")} calls to /api/generate, narrative ${generate.result.narrativeSource}: ${generate.result.narrativeReason}`);
  console.log(`Before the fix the generator asked again and waited out its own timeout and retry: about ${((2 * TIMEOUT_MS) / 1000).toFixed(0)} s more.`);
} finally {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
}
