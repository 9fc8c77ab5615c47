#!/usr/bin/env node
// What the LLM costs per digest: for a synthetic busy organisation's daily, weekly and monthly
// period, the analyzer's themes (map-reduce over num_ctx) and the generator's narrative run
// against the fake Ollama server, which counts the calls and the prompt tokens it is sent.
// Each period is then run again: every answer comes from data/cache/, so no call is made.
// Also timed: the analysis without the LLM (read raw files, compute figures, deterministic
// themes), so the LLM's share of a real run can be judged from its token counts.
// Each period runs at the old fixed num_ctx 4096 ("before") and with num_ctx = "auto" (the
// context the fake's /api/show reports for qwen2.5-coder:1.5b, 32768, within max_num_ctx and
// the KV-cache budget: "after"), with the same inputs and the same deterministic test model.
// Coverage is the share of items the model's accepted themes place (from the analyzer's log).
// Usage: node bench/llm-calls.mjs [num_ctx|auto ...]   (default 4096 auto; run `pnpm build` first)
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeRun, computeAnalysis } from "../packages/analyzer/dist/index.js";
import { generateDigest } from "../packages/generator/dist/index.js";
import { createLogger, writeJsonAtomic } from "../packages/harness/dist/index.js";
import { createLlmClient, llmCacheDir } from "../packages/llm/dist/index.js";
import { startFakeOllama } from "../packages/llm/dist/testing/index.js";
import { dataLayout, periodFor, previousPeriod } from "../packages/messages/dist/index.js";

const CONTEXTS = process.argv.slice(2).map((a) => (a === "auto" ? "auto" : Number(a))).filter((n) => n === "auto" || n > 0);
const NUM_CTX = CONTEXTS.length > 0 ? CONTEXTS : [4096, "auto"];
const REPOSITORIES = 40;
const PEOPLE = 150;
const COMMITS_PER_WORKDAY = 320; // a busy organisation: ~8 commits a repository a day
const log = createLogger({ service: "bench", level: "silent" });

// A fixed-seed generator: the same organisation on every run.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const pick = (next, list) => list[Math.floor(next() * list.length)];

const TYPES = ["feat", "fix", "fix", "chore", "docs", "refactor", "test", "perf", "ci", "build"];
const AREAS = ["api", "auth", "billing", "ui", "parser", "search", "cache", "db", "deps", "infra", "cli", "docs"];
const VERBS = ["add", "handle", "rework", "remove", "speed up", "document", "validate", "retry", "log", "simplify"];
const THINGS = ["rate limits", "session tokens", "invoice export", "dark mode", "nested blocks", "fuzzy matching",
  "cache eviction", "connection pool", "lockfile", "helm chart", "exit codes", "error pages", "pagination", "webhooks"];

/** Raw files of one period: REPOSITORIES repositories, COMMITS_PER_WORKDAY spread over its weekdays. */
function organisation(spec) {
  const next = random(20261126);
  const start = Date.parse(spec.window.start);
  const end = Date.parse(spec.window.end);
  const workdays = [];
  for (let t = start; t < end; t += 86_400_000) if (![0, 6].includes(new Date(t).getUTCDay())) workdays.push(t);
  const repos = Array.from({ length: REPOSITORIES }, (_, r) => ({ owner: "acme", name: `service-${String(r).padStart(2, "0")}`, commits: [] }));
  let n = 0;
  for (const day of workdays) {
    for (let i = 0; i < COMMITS_PER_WORKDAY; i++, n++) {
      const repo = repos[Math.floor(next() ** 1.6 * REPOSITORIES)]; // some repositories much busier than others
      const person = Math.floor(next() ** 1.4 * PEOPLE);
      const at = new Date(day + 8 * 3_600_000 + Math.floor(next() * 10 * 3_600_000)).toISOString();
      const isMerge = next() < 0.12;
      const subject = isMerge
        ? `Merge pull request #${1000 + n} from acme/${pick(next, AREAS)}-${n}`
        : `${pick(next, TYPES)}(${pick(next, AREAS)}): ${pick(next, VERBS)} ${pick(next, THINGS)}`;
      repo.commits.push({
        sha: createHash("sha1").update(`${spec.key}-${n}`).digest("hex"),
        parents: isMerge ? ["p1", "p2"] : ["p1"],
        authorName: `Developer ${person}`,
        authorEmail: `dev${person}@acme.example`,
        authoredAt: at,
        committedAt: at,
        subject,
        additions: isMerge ? 0 : Math.floor(next() * 200),
        deletions: isMerge ? 0 : Math.floor(next() * 80),
        filesChanged: 1 + Math.floor(next() * 6),
        isMerge,
        isBot: person === 0,
      });
    }
  }
  const previous = previousPeriod(spec).window;
  const files = repos.map((repo) => ({
    schema: "sparky.raw.repository/1",
    source: "git",
    owner: repo.owner,
    name: repo.name,
    path: `/repos/${repo.name}`,
    webUrl: `https://github.com/acme/${repo.name}`,
    head: "f".repeat(40),
    branch: "main",
    window: spec.window,
    commits: repo.commits.sort((a, b) => Date.parse(b.committedAt) - Date.parse(a.committedAt)),
    priorAuthors: Array.from({ length: PEOPLE - 10 }, (_, p) => `dev${p}@acme.example`),
    previous: { window: previous, commits: repo.commits.length, merges: 0, authors: [] },
  }));
  const manifest = {
    schema: "sparky.raw.manifest/1",
    runId: spec.runId,
    period: spec.period,
    key: spec.key,
    window: spec.window,
    timezone: spec.timezone,
    collectedAt: "2026-12-01T08:00:00.000Z",
    complete: true,
    repositories: files.map((f) => ({
      owner: f.owner,
      name: f.name,
      file: `${f.owner}/${f.name}.json`,
      commits: f.commits.filter((c) => !c.isMerge).length,
      merges: f.commits.filter((c) => c.isMerge).length,
      newestCommitAt: f.commits[0]?.committedAt ?? null,
    })),
  };
  return { manifest, files, commits: n };
}

// A stand-in model that answers every prompt well and fast: the bench counts what is asked, not how well.
const ITEM = /^([a-z]\d+)\. \[([^\]]+)\](?: PR| issue)?(?: \{[^}]*\})? ([a-z]+)/;
const PART = /^([a-z]\d+)\. (.*?): /;
function model(request) {
  if (request.endpoint === "generate") {
    const facts = JSON.parse(/Facts:\n([^]*?)\n\nWrite the paragraph\./.exec(request.prompt)[1]);
    return { content: `${facts.contributors} contributors made ${facts.commits} commits and ${facts.merges} merges.` };
  }
  const lines = request.messages[1].content.split("\n").slice(1);
  const groups = new Map();
  const merging = request.prompt.startsWith("You merge");
  for (const line of lines) {
    const m = merging ? PART.exec(line) : ITEM.exec(line);
    if (!m) continue;
    const key = merging ? m[2] : m[3] === "merge" ? "Merge" : m[3];
    groups.set(key, [...(groups.get(key) ?? []), m[1]]);
  }
  const themes = [...groups].slice(0, 8).map(([key, refs]) => ({
    title: key.charAt(0).toUpperCase() + key.slice(1),
    summary: `Work on ${key}.`,
    ...(merging ? { parts: refs } : { itemIds: refs }),
  }));
  return { content: JSON.stringify({ themes }) };
}

async function writeRaw(dataDir, { manifest, files }) {
  const layout = dataLayout(dataDir);
  await writeJsonAtomic(layout.rawManifest(manifest.key), manifest);
  for (const file of files) await writeJsonAtomic(layout.rawRepository(manifest.key, file.owner, file.name), file);
}

function settings(section, host, numCtx, dataDir) {
  // As llmSettingsOf builds them from the config's defaults (num_ctx "auto", max_num_ctx 32768, 1024 MiB).
  const auto = numCtx === "auto" ? { maxNumCtx: 32_768, memoryMib: 1024 } : null;
  return {
    section, enabled: true, host, model: "qwen2.5-coder:1.5b", numCtx: auto ? 4096 : numCtx, autoContext: auto,
    timeoutMs: 60_000, retries: 1, pullModel: false, seed: 42, temperature: 0, cacheDir: llmCacheDir(dataDir),
  };
}

/** One digest: analyze (themes) and generate (narrative), with fresh clients as a new process would have. */
async function digest(fake, ref, dataDir, numCtx) {
  const before = fake.stats();
  const clients = {
    analyzer: createLlmClient(settings("analyzer", fake.url, numCtx, dataDir), { log }),
    generator: createLlmClient(settings("generator", fake.url, numCtx, dataDir), { log }),
  };
  const lines = [];
  const analyzerLog = createLogger({ service: "bench", level: "info", destination: { write: (line) => void lines.push(JSON.parse(line)) } });
  const t = performance.now();
  const analyzed = await analyzeRun(ref, { dataDir, topContributors: 5, highlights: 5, log: analyzerLog, llm: clients.analyzer });
  const generated = await generateDigest(ref, { dataDir, outputDir: join(dataDir, "output"), maxItems: 200, log, llm: clients.generator });
  const ms = performance.now() - t;
  const after = fake.stats();
  const themePrompts = fake.requests.slice(before.calls);
  const themed = lines.find((line) => line.msg === "themes by the LLM");
  return {
    ms,
    numCtx: themePrompts[0]?.options.num_ctx ?? 0,
    coverage: themed ? themed.placed / themed.items : 0,
    calls: after.calls - before.calls,
    map: themePrompts.filter((r) => r.prompt.startsWith("You refine")).length,
    reduce: themePrompts.filter((r) => r.prompt.startsWith("You merge")).length,
    promptTokens: after.promptTokens - before.promptTokens,
    evalTokens: after.evalTokens - before.evalTokens,
    themesSource: analyzed.themesSource,
    themes: analyzed.themes,
    narrativeSource: generated.narrativeSource,
    cached: analyzed.llm.cached + generated.llm.cached,
    // The fullest context any call asked for: prompt (as the server counted it) plus room for the answer.
    fullest: Math.max(0, ...themePrompts.map((r) => r.promptTokens + Number(r.options.num_predict ?? 0))),
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const fmt = (n) => n.toLocaleString("en-US");
const pad = (s, n) => String(s).padStart(n);

const fake = await startFakeOllama({ script: model });
const root = await mkdtemp(join(tmpdir(), "sparky-bench-llm-"));
try {
  const specs = ["daily", "weekly", "monthly"].map((period) => periodFor(period, "2026-11-18"));
  const orgs = new Map(specs.map((spec) => [spec.period, organisation(spec)]));

  console.log(`Synthetic organisation: ${REPOSITORIES} repositories, ${PEOPLE} people, ${COMMITS_PER_WORKDAY} commits and merges a working day.`);
  console.log("Calls and prompt tokens as counted by the fake Ollama server (its own BPE-like count); re-run = same period again, new clients.\n");

  // The analysis without the LLM: the pure computation (figures and deterministic themes), median of 5.
  console.log("Analysis without the LLM (computeAnalysis: figures, contributors, highlights, deterministic themes):");
  for (const spec of specs) {
    const org = orgs.get(spec.period);
    const samples = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      computeAnalysis(org.manifest, org.files, { topContributors: 5, highlights: 5 });
      samples.push(performance.now() - t);
    }
    console.log(`  ${spec.period.padEnd(8)} ${pad(fmt(org.commits), 6)} items  ${pad(median(samples).toFixed(1), 7)} ms`);
  }

  for (const numCtx of NUM_CTX) {
    console.log(`\nnum_ctx ${numCtx}:`);
    console.log(
      `  ${"period".padEnd(8)} ${pad("items", 6)} ${pad("num_ctx", 7)} ${pad("calls", 6)} ${pad("map", 4)} ${pad("reduce", 6)} ${pad("prompt tok", 11)} ${pad("tok/item", 8)} ${pad("coverage", 8)} ${pad("answer tok", 11)} ${pad("themes", 6)} ${pad("fullest", 7)}  ${"sources".padEnd(12)} ${pad("stage ms", 9)} | ${pad("re-run calls", 12)} ${pad("cached", 6)} ${pad("ms", 7)}`,
    );
    for (const spec of specs) {
      const dataDir = join(root, `${spec.period}-${numCtx}`);
      await writeRaw(dataDir, orgs.get(spec.period));
      const ref = { runId: spec.runId, period: spec.period, key: spec.key, window: spec.window, timezone: spec.timezone };
      const first = await digest(fake, ref, dataDir, numCtx);
      const again = await digest(fake, ref, dataDir, numCtx);
      const sources = `${first.themesSource === "llm" ? "llm" : "det"}/${first.narrativeSource === "llm" ? "llm" : "tpl"}`;
      console.log(
        `  ${spec.period.padEnd(8)} ${pad(fmt(orgs.get(spec.period).commits), 6)} ${pad(first.numCtx, 7)} ${pad(first.calls, 6)} ${pad(first.map, 4)} ${pad(first.reduce, 6)} ${pad(fmt(first.promptTokens), 11)} ${pad((first.promptTokens / orgs.get(spec.period).commits).toFixed(1), 8)} ${pad(`${(first.coverage * 100).toFixed(1)}%`, 8)} ${pad(fmt(first.evalTokens), 11)} ${pad(first.themes, 6)} ${pad(first.fullest, 7)}  ${sources.padEnd(12)} ${pad(first.ms.toFixed(0), 9)} | ${pad(again.calls, 12)} ${pad(again.cached, 6)} ${pad(again.ms.toFixed(0), 7)}`,
      );
    }
  }
  console.log("\ncalls = map (themes of one prompt's worth of items) + reduce (merging partial themes) + narrative (1, or 2 when regenerated).");
  console.log("fullest = the largest prompt (server's count) plus the answer room (num_predict) of any call: it must stay within num_ctx.");
  console.log("stage ms = analyze + generate stages end to end against the instant fake: the non-LLM cost of a run (raw files read,");
  console.log("analysis and digest written). With a real model add, per digest, prompt tokens / prompt-eval speed + answer tokens / generation speed.");
} finally {
  await fake.close();
  await rm(root, { recursive: true, force: true });
}
