import { writeJsonAtomic } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import { dataLayout } from "@sparky/messages";
import type { AnalyzeResult, RunRef } from "@sparky/messages";
import { computeAnalysis } from "./compute-analysis.js";
import { readRawRun } from "./read-raw-run.js";

export interface AnalyzeRunContext {
  dataDir: string;
  topContributors: number;
  highlights: number;
  log: Logger;
}

/**
 * The analyze stage for one run: gate the raw collection, compute, and replace the
 * period's analysis atomically, so re-running a run overwrites rather than duplicates.
 */
export async function analyzeRun(ref: RunRef, ctx: AnalyzeRunContext): Promise<AnalyzeResult> {
  const log = ctx.log.child({ runId: ref.runId });
  const { manifest, repositories } = await readRawRun(ref, ctx.dataDir);
  const analysis = computeAnalysis(manifest, repositories, {
    topContributors: ctx.topContributors,
    highlights: ctx.highlights,
  });
  const path = dataLayout(ctx.dataDir).analysis(analysis.period, analysis.key);
  await writeJsonAtomic(path, analysis);
  const result: AnalyzeResult = {
    analysis: path,
    commits: analysis.totals.commits,
    merges: analysis.totals.merges,
    contributors: analysis.totals.contributors,
    repositories: analysis.totals.repositories,
  };
  log.info(result, "analysis written");
  return result;
}
