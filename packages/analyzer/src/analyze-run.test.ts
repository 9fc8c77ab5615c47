import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "@sparky/harness";
import { dataLayout, periodFor } from "@sparky/messages";
import type { RawManifest, RawRepository } from "@sparky/messages";
import { analyzeRun } from "./analyze-run.js";
import { computeAnalysis } from "./compute-analysis.js";
import { commit, manifest, repository } from "./test-raw.js";

const day = periodFor("daily", "2026-11-26", "America/New_York");
const ref = { runId: day.runId, period: day.period, key: day.key, window: day.window, timezone: day.timezone };
const log = createLogger({ service: "analyzer", level: "silent" });

const api = repository(day, "acme/api", [
  commit({ sha: "a1", committedAt: "2026-11-26T15:00:00Z", additions: 7, deletions: 1 }),
  commit({ sha: "m1", committedAt: "2026-11-26T16:00:00Z", authorName: "Bob", authorEmail: "bob@example.com", isMerge: true }),
]);
const web = repository(day, "acme/web", [
  commit({ sha: "b1", committedAt: "2026-11-26T17:00:00Z", authorName: "bot", authorEmail: "bot@example.com", isBot: true }),
]);

let dataDir: string;
const ctx = () => ({ dataDir, topContributors: 5, highlights: 5, log });
const layout = () => dataLayout(dataDir);

async function writeRaw(raw: RawManifest, repos: RawRepository[]): Promise<void> {
  const manifestPath = layout().rawManifest(raw.key);
  await mkdir(dirname(manifestPath), { recursive: true });
  await writeFile(manifestPath, JSON.stringify(raw));
  for (const repo of repos) {
    const path = layout().rawRepository(raw.key, repo.owner, repo.name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(repo));
  }
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sparky-analyzer-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("analyzeRun", () => {
  it("reads the raw run, writes its analysis and reports the figures", async () => {
    await writeRaw(manifest(day, [api, web]), [api, web]);
    const result = await analyzeRun(ref, ctx());
    const path = layout().analysis("daily", "2026-11-26");
    expect(result).toEqual({ analysis: path, commits: 2, merges: 1, contributors: 2, repositories: 2 });

    const written = await readFile(path, "utf8");
    const expected = computeAnalysis(manifest(day, [api, web]), [api, web], { topContributors: 5, highlights: 5 });
    expect(JSON.parse(written)).toEqual(expected);

    // Re-running the run replaces the file with the same bytes and leaves no temp file behind.
    await analyzeRun(ref, ctx());
    expect(await readFile(path, "utf8")).toBe(written);
    expect(await readdir(dirname(path))).toEqual(["2026-11-26.json"]);
  });

  it("refuses a run that was never collected", async () => {
    await expect(analyzeRun(ref, ctx())).rejects.toMatchObject({
      code: "SPARKY_GATE_RAW_MISSING",
      transient: false,
      message: expect.stringContaining(layout().rawManifest("2026-11-26")),
    });
  });

  it("refuses an unfinished collection", async () => {
    await writeRaw(manifest(day, [api], false), [api]);
    await expect(analyzeRun(ref, ctx())).rejects.toMatchObject({ code: "SPARKY_GATE_RAW_INCOMPLETE", transient: false });
  });

  it("refuses a manifest that is not valid JSON or not a manifest", async () => {
    await writeRaw(manifest(day, []), []);
    await writeFile(layout().rawManifest(day.key), "{ not json");
    await expect(analyzeRun(ref, ctx())).rejects.toMatchObject({ code: "SPARKY_GATE_RAW_INVALID", transient: false });
    await writeFile(layout().rawManifest(day.key), JSON.stringify({ schema: "sparky.raw.manifest/1" }));
    await expect(analyzeRun(ref, ctx())).rejects.toMatchObject({ code: "SPARKY_GATE_RAW_INVALID" });
  });

  it("refuses a manifest that covers another run", async () => {
    // Same folder, but collected for UTC days: the window is five hours off.
    await writeRaw(manifest(periodFor("daily", "2026-11-26", "UTC"), []), []);
    await expect(analyzeRun(ref, ctx())).rejects.toMatchObject({
      code: "SPARKY_GATE_RAW_MISMATCH",
      transient: false,
      message: expect.stringContaining("window"),
    });

    const other = periodFor("daily", "2026-11-25", "America/New_York");
    await writeRaw({ ...manifest(other, []), key: day.key }, []);
    await expect(analyzeRun(ref, ctx())).rejects.toMatchObject({
      code: "SPARKY_GATE_RAW_MISMATCH",
      message: expect.stringContaining('runId is "daily-2026-11-25"'),
    });
  });

  it("refuses repository files that are missing or cover another window", async () => {
    await writeRaw(manifest(day, [api, web]), [api]);
    await expect(analyzeRun(ref, ctx())).rejects.toMatchObject({
      code: "SPARKY_GATE_RAW_MISSING",
      message: expect.stringContaining("acme/web"),
    });

    const stale = repository(periodFor("daily", "2026-11-25", "America/New_York"), "acme/web", []);
    await writeRaw(manifest(day, [api, web]), [api, stale]);
    await expect(analyzeRun(ref, ctx())).rejects.toMatchObject({ code: "SPARKY_GATE_RAW_MISMATCH" });
  });

  it("refuses a manifest that points outside its folder", async () => {
    const raw = manifest(day, [api]);
    await writeRaw({ ...raw, repositories: raw.repositories.map((r) => ({ ...r, file: "../../secrets.json" })) }, []);
    await expect(analyzeRun(ref, ctx())).rejects.toMatchObject({ code: "SPARKY_GATE_RAW_INVALID" });
  });
});
