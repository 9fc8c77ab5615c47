import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SparkyError, dataLayout, periodFor } from "@sparky/messages";
import type { Analysis, Period, RunRef } from "@sparky/messages";
import { createLogger } from "@sparky/harness";
import { createLlmClient, llmCacheDir } from "@sparky/llm";
import { llmTestSettings, startFakeOllama } from "@sparky/llm/testing";
import { generateDigest } from "./generate-digest.js";
import { renderDigest } from "./render-digest.js";
import { analysisFor, weeklyAnalysis } from "./test-analysis.js";

let root: string;
let dataDir: string;
let outputDir: string;
let logLines: string[];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "sparky-generate-"));
  dataDir = join(root, "data");
  outputDir = join(root, "output");
  logLines = [];
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function ctx(overrides: { outputDir?: string } = {}) {
  const log = createLogger({ service: "generator", destination: { write: (line: string) => void logLines.push(line) } });
  return { dataDir, outputDir: overrides.outputDir ?? outputDir, maxItems: 20, log };
}

function refFor(period: Period, date = "2026-11-26"): RunRef {
  const { runId, key, window, timezone } = periodFor(period, date);
  return { runId, period, key, window, timezone };
}

async function writeAnalysis(ref: RunRef, analysis: Analysis | string): Promise<void> {
  const path = dataLayout(dataDir).analysis(ref.period, ref.key);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, typeof analysis === "string" ? analysis : JSON.stringify(analysis));
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SparkyError);
    return (error as SparkyError).code;
  }
  throw new Error("expected the call to fail");
}

describe("generateDigest", () => {
  it("writes the digest and the index and reports where, with the digest's sha-256", async () => {
    const ref = refFor("weekly");
    const analysis = weeklyAnalysis();
    await writeAnalysis(ref, analysis);

    const result = await generateDigest(ref, ctx());

    expect(result.relativePath).toBe("weekly/2026-W48.md");
    expect(result.digest).toBe(join(outputDir, "weekly", "2026-W48.md"));
    expect(result.index).toBe(join(outputDir, "index.md"));
    const bytes = await readFile(result.digest);
    expect(bytes.toString("utf8")).toBe(renderDigest(analysis, { maxItems: 20 }));
    expect(result.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(await readFile(result.index, "utf8")).toContain("](weekly/2026-W48.md)");
    expect(logLines.some((line) => line.includes('"msg":"digest written"'))).toBe(true);
  });

  it("gives identical bytes and sha-256 when run twice", async () => {
    const ref = refFor("weekly");
    await writeAnalysis(ref, weeklyAnalysis());
    const first = await generateDigest(ref, ctx());
    const firstBytes = await readFile(first.digest);
    const firstIndex = await readFile(first.index);
    const second = await generateDigest(ref, ctx());
    expect(second).toEqual(first);
    expect((await readFile(second.digest)).equals(firstBytes)).toBe(true);
    expect((await readFile(second.index)).equals(firstIndex)).toBe(true);
  });

  it("keeps earlier digests in the index", async () => {
    const daily = refFor("daily");
    const weekly = refFor("weekly");
    await writeAnalysis(daily, analysisFor("daily"));
    await writeAnalysis(weekly, weeklyAnalysis());
    await generateDigest(daily, ctx());
    const result = await generateDigest(weekly, ctx());
    const index = await readFile(result.index, "utf8");
    expect(index).toContain("](daily/2026-11-26.md)");
    expect(index).toContain("](weekly/2026-W48.md)");
  });

  it("reports absolute paths even for a relative output folder", async () => {
    const ref = refFor("weekly");
    await writeAnalysis(ref, weeklyAnalysis());
    const result = await generateDigest(ref, ctx({ outputDir: relative(process.cwd(), outputDir) }));
    expect(isAbsolute(result.digest)).toBe(true);
    expect(isAbsolute(result.index)).toBe(true);
    expect(result.digest).toBe(join(outputDir, "weekly", "2026-W48.md"));
  });

  it("fails the gate with SPARKY_GATE_ANALYSIS_MISSING when there is no analysis", async () => {
    expect(await codeOf(generateDigest(refFor("daily"), ctx()))).toBe("SPARKY_GATE_ANALYSIS_MISSING");
  });

  it("fails the gate with SPARKY_GATE_ANALYSIS_MISMATCH when the analysis is for another run or window", async () => {
    const ref = refFor("weekly");
    await writeAnalysis(ref, analysisFor("weekly", {}, "2026-11-19"));
    expect(await codeOf(generateDigest(ref, ctx()))).toBe("SPARKY_GATE_ANALYSIS_MISMATCH");

    const shifted = weeklyAnalysis({ window: { start: "2026-11-23T01:00:00.000Z", end: "2026-11-30T01:00:00.000Z" } });
    await writeAnalysis(ref, shifted);
    expect(await codeOf(generateDigest(ref, ctx()))).toBe("SPARKY_GATE_ANALYSIS_MISMATCH");
  });

  it("accepts the same window spelled with +00:00 instead of Z", async () => {
    const ref = refFor("weekly");
    await writeAnalysis(ref, weeklyAnalysis({ window: { start: "2026-11-23T00:00:00+00:00", end: "2026-11-30T00:00:00+00:00" } }));
    await expect(generateDigest(ref, ctx())).resolves.toMatchObject({ relativePath: "weekly/2026-W48.md" });
  });

  it("fails the gate with SPARKY_GATE_ANALYSIS_INVALID for a corrupt or off-schema analysis", async () => {
    const ref = refFor("daily");
    await writeAnalysis(ref, "{ not json");
    expect(await codeOf(generateDigest(ref, ctx()))).toBe("SPARKY_GATE_ANALYSIS_INVALID");
    await writeAnalysis(ref, JSON.stringify({ ...analysisFor("daily"), totals: null }));
    expect(await codeOf(generateDigest(ref, ctx()))).toBe("SPARKY_GATE_ANALYSIS_INVALID");
  });

  it("refuses a run whose key is not the one its run id derives, before touching the disk", async () => {
    const ref = { ...refFor("daily"), key: "../../escape" };
    expect(await codeOf(generateDigest(ref, ctx()))).toBe("SPARKY_BAD_RUN_ID");
  });
});

describe("generateDigest with an LLM", () => {
  const PARAGRAPH = "Alice Example and Bob Newcomer were among 3 contributors who made 4 commits across acme/api and local/tools.";
  const llmFor = (host: string) =>
    createLlmClient(
      llmTestSettings(host, { section: "generator", retries: 0, cacheDir: llmCacheDir(dataDir) }),
      { log: createLogger({ service: "generator", level: "silent" }), warned: new Set() },
    );

  it("opens the digest with the grounded paragraph, reports it, and asks nothing on a re-run", async () => {
    const fake = await startFakeOllama({ script: () => ({ content: PARAGRAPH }) });
    try {
      const ref = refFor("weekly");
      await writeAnalysis(ref, weeklyAnalysis());
      const result = await generateDigest(ref, { ...ctx(), llm: llmFor(fake.url) });
      expect(result).toMatchObject({ narrativeSource: "llm", narrativeReason: null, llm: { calls: 1, cached: 0, warning: null } });
      const markdown = await readFile(result.digest, "utf8");
      expect(markdown).toContain(`\n\nAlice Example and Bob Newcomer were among 3 contributors who made 4 commits across acme/api and local/tools.\n\n_Summary written by a local LLM`);
      expect(markdown).toBe(renderDigest(weeklyAnalysis(), { maxItems: 20, narrative: { source: "llm", text: PARAGRAPH } }));

      const again = await generateDigest(ref, { ...ctx(), llm: llmFor(fake.url) });
      expect(again).toEqual({ ...result, llm: { calls: 0, cached: 1, promptTokens: 0, warning: null } });
      expect(fake.stats().calls).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it("does not ask an Ollama the analyzer found failing in this run, and says so", async () => {
    const fake = await startFakeOllama({ script: () => ({ content: PARAGRAPH }) });
    try {
      const ref = refFor("weekly");
      const analysis = weeklyAnalysis();
      const outage = { code: "SPARKY_LLM_TIMEOUT", message: "Ollama at x did not answer within 60000 ms (2 attempts)", host: fake.url, model: "qwen2.5-coder:1.5b" };
      await writeAnalysis(ref, { ...analysis, themes: { ...analysis.themes, llmOutage: outage } });
      const result = await generateDigest(ref, { ...ctx(), llm: llmFor(fake.url) });
      const reason = `Ollama failed earlier in this run (analyze stage: ${outage.message}); not asked again`;
      expect(result).toMatchObject({ narrativeSource: "template", narrativeReason: reason, llm: { calls: 0, cached: 0, promptTokens: 0, warning: reason } });
      expect(fake.stats().calls).toBe(0);

      // A generator pointed at another server, or model, asks its own.
      await writeAnalysis(ref, { ...analysis, themes: { ...analysis.themes, llmOutage: { ...outage, host: "http://gpu-box:11434" } } });
      expect(await generateDigest(ref, { ...ctx(), llm: llmFor(fake.url) })).toMatchObject({ narrativeSource: "llm" });
      expect(fake.stats().calls).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it("writes the template paragraph, and says why, when no Ollama answers", async () => {
    const fake = await startFakeOllama();
    const url = fake.url;
    await fake.close();
    const ref = refFor("weekly");
    await writeAnalysis(ref, weeklyAnalysis());
    const result = await generateDigest(ref, { ...ctx(), llm: llmFor(url) });
    expect(result).toMatchObject({ narrativeSource: "template", narrativeReason: expect.stringContaining("Ollama is not reachable"), llm: { calls: 0 } });
    expect(await readFile(result.digest, "utf8")).toBe(renderDigest(weeklyAnalysis(), { maxItems: 20 }));
  });
});
