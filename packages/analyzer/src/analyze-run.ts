import { writeJsonAtomic } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import type { LlmClient, LlmStats } from "@sparky/llm";
import { AnalysisSchema, dataLayout } from "@sparky/messages";
import type { Analysis, AnalyzeResult, RunRef, Themes } from "@sparky/messages";
import { computeAnalysis } from "./compute-analysis.js";
import { readRawRun } from "./read-raw-run.js";
import { llmThemes } from "./themes/llm-themes.js";
import { themeItemsOf } from "./themes/theme-item.js";
import { trendOf } from "./trends/read-trend.js";

export interface AnalyzeRunContext {
  dataDir: string;
  topContributors: number;
  highlights: number;
  log: Logger;
  /** The service's Ollama client; null, or turned off in config, for deterministic themes only. */
  llm?: LlmClient | null;
  /** Checked just before the analysis replaces the old one: a cancelled or fenced-off job writes nothing. */
  guard?: () => Promise<void>;
  /** Fires when the orchestrator gives up on the job: LLM calls under way stop. */
  signal?: AbortSignal;
}

const NO_LLM: LlmStats = { calls: 0, cached: 0, promptTokens: 0, warning: null };

/** The LLM's themes when it gives usable ones, else the deterministic ones with the reason. */
async function themesFor(analysis: Analysis, ctx: AnalyzeRunContext, log: Logger): Promise<{ themes: Themes; llm: LlmStats }> {
  const deterministic = analysis.themes.themes;
  const llm = ctx.llm;
  if (!llm || !llm.settings.enabled) {
    const reason = llm ? `the LLM is turned off ([${llm.settings.section}] llm_enabled = false)` : "no LLM is configured";
    return { themes: { source: "deterministic", reason, themes: deterministic }, llm: NO_LLM };
  }
  const session = llm.session({ signal: ctx.signal });
  const outcome = await llmThemes(themeItemsOf(analysis.items), deterministic, session, { numCtx: await session.contextSize(), log });
  // Recorded only when there was one, so an analysis without an outage keeps its bytes.
  const outage = session.outage();
  const themes: Themes = {
    ...(outcome.ok ? { source: "llm", reason: null, themes: outcome.themes } : { source: "deterministic", reason: outcome.reason, themes: deterministic }),
    ...(outage ? { llmOutage: outage } : {}),
  };
  return { themes, llm: session.stats() };
}

/**
 * The analyze stage for one run: gate the raw collection, compute, group the items into
 * themes (LLM or deterministic), and replace the period's analysis atomically, so
 * re-running a run overwrites rather than duplicates.
 */
export async function analyzeRun(ref: RunRef, ctx: AnalyzeRunContext): Promise<AnalyzeResult> {
  const log = ctx.log.child({ runId: ref.runId });
  const { manifest, repositories } = await readRawRun(ref, ctx.dataDir);
  const computed = computeAnalysis(manifest, repositories, {
    topContributors: ctx.topContributors,
    highlights: ctx.highlights,
  });
  const { themes, llm } = await themesFor(computed, ctx, log);
  // Read here, not in computeAnalysis, which stays pure: earlier periods' analyses on disk.
  const trends = await trendOf(computed, ctx.dataDir, log);
  // Parsed again: the schema checks every theme's ids against the items.
  const analysis = AnalysisSchema.parse({ ...computed, themes, trends });
  const path = dataLayout(ctx.dataDir).analysis(analysis.period, analysis.key);
  await writeJsonAtomic(path, analysis, { beforeRename: ctx.guard });
  const result: AnalyzeResult = {
    analysis: path,
    commits: analysis.totals.commits,
    merges: analysis.totals.merges,
    contributors: analysis.totals.contributors,
    // Active repositories, as the digest and its front matter count them.
    repositories: analysis.totals.activeRepositories,
    repositoriesCollected: analysis.totals.repositories,
    themes: themes.themes.length,
    themesSource: themes.source,
    themesReason: themes.reason,
    llm,
    // Only a GitHub collection has them; a local one's result keeps its old shape.
    ...(analysis.github
      ? {
          pulls: { opened: analysis.github.pulls.opened.current, merged: analysis.github.pulls.merged.current, closed: analysis.github.pulls.closed },
          issues: { opened: analysis.github.issues.opened.current, closed: analysis.github.issues.closed.current },
          releases: analysis.github.releases.count.current,
        }
      : {}),
    // Only when there are some: a run without them keeps its old record.
    ...(analysis.identitySuggestions?.length ? { identitySuggestions: analysis.identitySuggestions } : {}),
  };
  log.info(result, "analysis written");
  return result;
}
