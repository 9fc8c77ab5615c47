import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnalysisSchema } from "@sparky/messages";
import type { Analysis } from "@sparky/messages";
import { buildStyledRepository } from "./support/commit-styles.js";
import type { CommitStyle } from "./support/commit-styles.js";
import { sparky } from "./support/processes.js";

// Themes without an LLM on month-long histories shaped like real projects' (see
// tests/support/commit-styles.ts), through the real CLI: collector, analyzer, no Ollama.
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sparky-theme-shares-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function monthOf(style: CommitStyle): Promise<{ analysis: Analysis; commits: number }> {
  const { dir, commits } = buildStyledRepository(join(root, "repos"), style);
  const work = join(root, `run-${style}`);
  mkdirSync(work);
  const env = { SPARKY_ANALYZER_LLM_ENABLED: "false", SPARKY_GENERATOR_LLM_ENABLED: "false" };
  const result = await sparky(["digest", "--repo", dir, "--period", "monthly", "--date", "2024-03-15", "--json"], { cwd: work, env });
  expect(result.code, result.stderr).toBe(0);
  const analysis = AnalysisSchema.parse(JSON.parse(readFileSync(join(work, "data", "processed", "monthly", "2024-03.json"), "utf8")));
  return { analysis, commits };
}

/** Theme titles by kind and size, and the largest share: what a reader sees of the grouping. */
function shares(analysis: Analysis) {
  const items = analysis.items.length;
  const themes = analysis.themes.themes;
  const largest = Math.max(...themes.map((t) => t.itemIds.length)) / items;
  const other = themes.filter((t) => t.kind === "other").reduce((n, t) => n + t.itemIds.length, 0) / items;
  const named = Object.fromEntries(themes.map((t) => [t.title, [t.kind, t.itemIds.length]]));
  return { items, largest, other, named };
}

describe("deterministic themes on histories in real projects' styles", () => {
  it("plain English (express): releases, merges, areas and the prefixes it has; no theme over 40%", async () => {
    const { analysis, commits } = await monthOf("plain");
    const { items, largest, other, named } = shares(analysis);
    expect(items).toBe(commits);
    expect(largest).toBeLessThanOrEqual(0.4);
    expect(other).toBe(0);
    expect(named).toMatchObject({
      "Releases 4.19.0, 4.19.1, 4.19.2, 5.0.0-beta.2 and 5.0.0-beta.3": ["release", 5],
      "Top-level files": ["area", 6],
      ".github": ["area", 4],
      lib: ["area", 3],
      Merges: ["type", 2],
      Documentation: ["type", 3],
      Build: ["type", 2],
      Dependencies: ["type", 1],
    });
  }, 60_000);

  it("Conventional Commits (fastify): types, the release, areas for the rest", async () => {
    const { largest, other, named } = shares((await monthOf("conventional")).analysis);
    expect(largest).toBeLessThanOrEqual(0.4);
    expect(other).toBe(0);
    expect(named).toMatchObject({
      Tests: ["type", 12],
      Maintenance: ["type", 6],
      Fixes: ["type", 5],
      "Release 5.1.0": ["release", 1],
      types: ["area", 2],
    });
  }, 60_000);

  it("a monorepo (vite): scopes big enough to stand alone, monorepo packages, package releases", async () => {
    const { largest, other, named } = shares((await monthOf("monorepo")).analysis);
    expect(largest).toBeLessThanOrEqual(0.4);
    expect(other).toBe(0);
    expect(named).toMatchObject({
      Fixes: ["type", 10],
      "Fixes in hmr": ["scope", 6],
      deps: ["scope", 5],
      "Features in css": ["scope", 4],
      "Features in create-vite": ["scope", 3],
      "Releases 5.2.0, 5.2.1 and 5.2.2": ["release", 3],
      // One ssr commit: too few for a scope of its own, so its type.
      Refactoring: ["type", 1],
    });
  }, 60_000);

  it("`area:` prefixes (tokio): each prefix used enough is a theme, crates are areas", async () => {
    const { largest, other, named } = shares((await monthOf("prefix")).analysis);
    expect(largest).toBeLessThanOrEqual(0.4);
    expect(other).toBe(0);
    expect(named).toMatchObject({
      sync: ["scope", 8],
      net: ["scope", 6],
      rt: ["scope", 4],
      "Features in util": ["scope", 4],
      "Releases tokio@1.37.0 and tokio-util@0.7.11": ["release", 2],
      "tokio-macros": ["area", 1],
      "tokio-stream": ["area", 1],
    });
  }, 60_000);
});
