export { computeAnalysis } from "./compute-analysis.js";
export type { AnalysisOptions } from "./compute-analysis.js";
export { analyzeRun } from "./analyze-run.js";
export type { AnalyzeRunContext } from "./analyze-run.js";
export { createAnalyzer } from "./create-analyzer.js";
