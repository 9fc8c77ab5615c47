#!/usr/bin/env node
// How the deterministic themes (no LLM) share a month's items out, on real public
// repositories of different commit styles: per repository and month the items, the
// largest theme's share and the "Other" share, through the real collector (local git)
// and analyzer. The bar: no theme above 40%.
// Usage: node bench/theme-shares.mjs [--list] [<repo-path>@<YYYY-MM | YYYY-Www> ...]   (build first: npx tsc -b)
// --list prints every theme's title, kind and size too.
// Without arguments it reads the clones under $SPARKY_THEME_REPOS (default .bench/theme-repos):
//   git clone https://github.com/expressjs/express    .bench/theme-repos/express   (plain English, master)
//   git clone https://github.com/fastify/fastify      .bench/theme-repos/fastify   (conventional commits)
//   git clone https://github.com/vitejs/vite          .bench/theme-repos/vite      (monorepo, conventional)
//   git clone https://github.com/tokio-rs/tokio       .bench/theme-repos/tokio     (Rust workspace, `area:` prefixes)
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { collectGit } from "../packages/collector/dist/index.js";
import { analyzeRun } from "../packages/analyzer/dist/index.js";
import { AnalysisSchema, CollectPayload, periodFromRunId } from "../packages/messages/dist/index.js";
import { createLogger, readJson } from "../packages/harness/dist/index.js";

const ROOT = resolve(process.env.SPARKY_THEME_REPOS ?? join(dirname(fileURLToPath(import.meta.url)), "..", ".bench", "theme-repos"));
const DEFAULTS = [
  "express@2024-03",
  "express@2024-09",
  "fastify@2024-03",
  "fastify@2024-10",
  "vite@2024-03",
  "vite@2025-06",
  "tokio@2024-03",
  "tokio@2025-06",
];
const LIMIT = 0.4;

const args = process.argv.slice(2);
const list = args.includes("--list");
const given = args.filter((a) => a !== "--list");
const specs = (given.length > 0 ? given : DEFAULTS.map((s) => join(ROOT, s))).map((arg) => {
  const at = arg.lastIndexOf("@");
  const key = arg.slice(at + 1);
  if (at <= 0 || !/^\d{4}-(?:\d{2}|W\d{2})$/.test(key)) {
    console.error(`bad argument "${arg}": expected <repo-path>@<YYYY-MM> or <repo-path>@<YYYY-Www>, e.g. ../express@2024-03`);
    process.exit(2);
  }
  return { path: resolve(arg.slice(0, at)), month: key };
});
const present = specs.filter((s) => existsSync(join(s.path, ".git")) || existsSync(join(s.path, "HEAD")));
for (const s of specs.filter((s) => !present.includes(s))) {
  console.log(`skip ${s.path}@${s.month}: no git repository there (see the clone lines at the top of bench/theme-shares.mjs)`);
}
if (present.length === 0) {
  console.log("theme-shares: no repository present, nothing measured");
  process.exit(0);
}

const log = createLogger({ service: "bench", level: "silent" });
const pct = (n) => `${(100 * n).toFixed(1)}%`;
const rows = [];
let over = 0;
for (const { path, month } of present) {
  const dataDir = mkdtempSync(join(tmpdir(), "sparky-theme-shares-"));
  try {
    const spec = periodFromRunId(`${month.includes("W") ? "weekly" : "monthly"}-${month}`, "UTC");
    const ref = { runId: spec.runId, period: spec.period, key: spec.key, window: spec.window, timezone: spec.timezone };
    await collectGit(CollectPayload.parse({ ...ref, repos: [path] }), {
      dataDir,
      botPatterns: ["[bot]"],
      log,
      clock: { now: () => new Date() },
      progress: () => {},
    });
    const result = await analyzeRun(ref, { dataDir, topContributors: 5, highlights: 5, log, llm: null });
    const analysis = await readJson(result.analysis, AnalysisSchema, "analysis");
    const items = analysis.items.length;
    const themes = analysis.themes.themes;
    // Themes come largest first, except Other, which comes last whatever its size.
    const top = [...themes].sort((a, b) => b.itemIds.length - a.itemIds.length)[0] ?? null;
    const biggest = top ? top.itemIds.length : 0;
    const other = themes.filter((t) => t.kind === "other").reduce((n, t) => n + t.itemIds.length, 0);
    if (items > 0 && biggest / items > LIMIT) over += 1;
    if (list) {
      console.log(`${path.split("/").pop()} ${month}:`);
      for (const t of themes) console.log(`  ${String(t.itemIds.length).padStart(3)}  ${t.kind.padEnd(8)} ${t.title}`);
    }
    rows.push({
      repository: `${path.split("/").pop()} ${month}`,
      items,
      themes: themes.length,
      largest: items ? `${pct(biggest / items)} (${top ? top.title.slice(0, 40) : "-"})` : "-",
      other: items ? pct(other / items) : "-",
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
const cols = ["repository", "items", "themes", "largest", "other"];
const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]));
console.log(cols.map((c) => c.padEnd(width[c])).join("  ").trimEnd());
for (const r of rows) console.log(cols.map((c) => String(r[c]).padEnd(width[c])).join("  ").trimEnd());
console.log(`${over === 0 ? "ok" : "OVER"}: ${over} of ${rows.length} repository-months have a theme above ${pct(LIMIT)} of the items`);
