import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { AnalysisSchema, SparkyError, dataLayout, digestRelativePath, periodFromRunId } from "@sparky/messages";
import type { Analysis, GenerateResult, RunRef } from "@sparky/messages";
import { readJson, writeFileAtomic } from "@sparky/harness";
import type { EmptyDays, Logger } from "@sparky/harness";
import { displayHost } from "@sparky/llm";
import type { LlmClient, LlmStats } from "@sparky/llm";
import { llmNarrative } from "./narrative/llm-narrative.js";
import { isQuietDay, renderQuietNote } from "./quiet-day.js";
import type { FeedOptions } from "./render-feed.js";
import { renderDigest } from "./render-digest.js";
import { writeListing } from "./write-listing.js";

export interface GenerateContext {
  dataDir: string;
  outputDir: string;
  maxItems: number;
  log: Logger;
  /** The service's Ollama client; null, or turned off in config, for the template narrative only. */
  llm?: LlmClient | null;
  /** Checked just before each file replaces the old one: a cancelled or fenced-off job writes nothing. */
  guard?: () => Promise<void>;
  /** Fires when the orchestrator gives up on the job: LLM calls under way stop. */
  signal?: AbortSignal;
  /**
   * `[generator] empty_days`: what a daily run over a day with no activity writes. The
   * service passes the config's (default "skip"); a caller that gives none gets the full digest.
   */
  emptyDays?: EmptyDays;
  /** `[publisher] docs_web_url` and `docs_subdir`, for the feed's links and ids; none: paths beside the feed. */
  feed?: FeedOptions;
}

/** The reason a skipped run records, in the generate result and so in the run record. */
export const QUIET_DAY = "quiet day";

const NO_LLM: LlmStats = { calls: 0, cached: 0, promptTokens: 0, warning: null };

type Narrative = { source: "llm" | "template"; text: string; reason: string | null; llm: LlmStats };

/**
 * Whether the analyzer already found this run's Ollama failing for good (see
 * `Themes.llmOutage`): then asking it again would only wait out the same timeouts. Only
 * the same server and model count; a generator pointed elsewhere still asks its own.
 */
function outageOf(analysis: Analysis, llm: LlmClient): { code: string; reason: string } | null {
  const outage = analysis.themes.llmOutage;
  if (!outage || outage.host !== displayHost(llm.settings.host) || outage.model !== llm.settings.model) return null;
  return { code: outage.code, reason: `Ollama failed earlier in this run (analyze stage: ${outage.message}); not asked again` };
}

/** The LLM's paragraph when it passes its grounding check, else the template's, with the reason. */
async function narrativeFor(analysis: Analysis, ctx: GenerateContext): Promise<Narrative> {
  const llm = ctx.llm;
  if (!llm || !llm.settings.enabled) {
    const reason = llm ? `the LLM is turned off ([${llm.settings.section}] llm_enabled = false)` : "no LLM is configured";
    return { source: "template", text: "", reason, llm: NO_LLM };
  }
  const outage = outageOf(analysis, llm);
  if (outage) {
    // Info, not a warning: the analyzer warned about this outage already; the run record and `--json` carry the reason.
    ctx.log.info({ runId: analysis.runId, code: outage.code }, `${outage.reason}: the template paragraph stands`);
    return { source: "template", text: "", reason: outage.reason, llm: { ...NO_LLM, warning: outage.reason, failureCode: outage.code } };
  }
  const session = llm.session({ signal: ctx.signal });
  const outcome = await llmNarrative(analysis, session, ctx.log.child({ runId: analysis.runId }));
  return outcome.ok
    ? { source: "llm", text: outcome.text, reason: null, llm: session.stats() }
    : { source: "template", text: "", reason: outcome.reason, llm: session.stats() };
}

async function readAnalysis(ref: RunRef, dataDir: string): Promise<Analysis> {
  const path = dataLayout(dataDir).analysis(ref.period, ref.key);
  try {
    return await readJson(path, AnalysisSchema, "analysis");
  } catch (error) {
    if (!(error instanceof SparkyError)) throw error;
    if (error.code === "SPARKY_FILE_MISSING") {
      throw new SparkyError(
        "SPARKY_GATE_ANALYSIS_MISSING",
        `no analysis for run ${ref.runId} at ${path}: run the analyze stage for ${ref.runId} first`,
        { cause: error },
      );
    }
    // Corrupt or off-schema: the gate fails the same way, and the message names the field.
    throw new SparkyError("SPARKY_GATE_ANALYSIS_INVALID", `${error.message}; re-run the analyze stage for ${ref.runId}`, {
      cause: error,
    });
  }
}

/** Why `analysis` does not describe the run `ref`, or null when it does. */
function mismatch(ref: RunRef, analysis: Analysis): string | null {
  const differences: string[] = [];
  for (const field of ["runId", "period", "key", "timezone"] as const) {
    if (ref[field] !== analysis[field]) differences.push(`${field} is "${analysis[field]}", expected "${ref[field]}"`);
  }
  // Compared as instants: `Z` and `+00:00` spell the same window.
  if (
    Date.parse(ref.window.start) !== Date.parse(analysis.window.start) ||
    Date.parse(ref.window.end) !== Date.parse(analysis.window.end)
  ) {
    differences.push(
      `window is ${analysis.window.start}..${analysis.window.end}, expected ${ref.window.start}..${ref.window.end}`,
    );
  }
  return differences.length === 0 ? null : differences.join("; ");
}

/**
 * Render the digest of one run from its analysis and rewrite the index and the feed beside
 * it (see writeListing). Every file is replaced atomically, and the same analysis always
 * gives the same bytes, so a re-run is safe at any point and changes nothing the publisher
 * would commit. A quiet day under `empty_days = "skip"` writes no digest, only the listing.
 */
export async function generateDigest(ref: RunRef, ctx: GenerateContext): Promise<GenerateResult> {
  // The key becomes a file name: only a key the run id derives (no `/`, no `..`) may.
  const spec = periodFromRunId(ref.runId, ref.timezone);
  if (spec.period !== ref.period || spec.key !== ref.key) {
    throw new SparkyError(
      "SPARKY_BAD_RUN_ID",
      `run ${ref.runId} has period "${ref.period}" and key "${ref.key}", expected "${spec.period}" and "${spec.key}"`,
    );
  }
  const analysis = await readAnalysis(ref, ctx.dataDir);
  const why = mismatch(ref, analysis);
  if (why) {
    throw new SparkyError(
      "SPARKY_GATE_ANALYSIS_MISMATCH",
      `analysis for ${ref.runId} does not cover the requested run: ${why}; re-run the analyze stage for ${ref.runId}`,
    );
  }
  const relativePath = digestRelativePath(ref.period, ref.key);
  const outputDir = resolve(ctx.outputDir);
  const feed = ctx.feed ?? { webUrl: "", subdir: "" };
  const emptyDays = ctx.emptyDays ?? "digest";
  const digestIndex = { dataDir: ctx.dataDir, timezone: ref.timezone, current: { period: ref.period, key: ref.key, analysis } };
  const quiet = emptyDays !== "digest" && isQuietDay(analysis);
  if (quiet && emptyDays === "skip") {
    // No digest: the ledger lists the day, so the index still shows it and the publisher
    // knows the missing digest is meant. A digest an earlier run wrote for the day stays.
    const day = { key: ref.key, runId: ref.runId, repositories: analysis.totals.repositories };
    const listing = await writeListing(outputDir, { change: { add: day }, feed, digestIndex, guard: ctx.guard });
    ctx.log.info({ runId: ref.runId, repositories: day.repositories }, "quiet day: no activity, no digest written ([generator] empty_days = \"skip\")");
    return {
      digest: "",
      relativePath,
      sha256: "",
      index: listing.index,
      narrativeSource: "template",
      narrativeReason: "quiet day: no activity to narrate",
      llm: NO_LLM,
      skipped: QUIET_DAY,
    };
  }
  // A quiet day's note needs no paragraph, so the LLM is not asked.
  const narrative: Narrative = quiet
    ? { source: "template", text: "", reason: "quiet day: no activity to narrate", llm: NO_LLM }
    : await narrativeFor(analysis, ctx);
  const markdown = quiet
    ? renderQuietNote(analysis)
    : renderDigest(analysis, { maxItems: ctx.maxItems, narrative: { source: narrative.source, text: narrative.text } });
  const bytes = Buffer.from(markdown, "utf8");
  const digest = join(outputDir, ...relativePath.split("/"));
  await writeFileAtomic(digest, bytes, { beforeRename: ctx.guard });
  // After the digest, so the index and the feed never list a digest that is not there yet.
  const listing = await writeListing(outputDir, { change: { remove: ref.key }, feed, digestIndex, guard: ctx.guard });
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  ctx.log.info({ runId: ref.runId, digest, sha256, digests: listing.digests, narrative: narrative.source, quiet }, "digest written");
  return { digest, relativePath, sha256, index: listing.index, narrativeSource: narrative.source, narrativeReason: narrative.reason, llm: narrative.llm };
}
