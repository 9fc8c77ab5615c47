import { defineStageService } from "@sparky/harness";
import { handleAnalyze } from "./handlers/analyze.js";

/** The analyzer service: `analyze` commands in, `data/processed/<period>/<key>.json` out. */
export const createAnalyzer = defineStageService("analyzer", "analyze", handleAnalyze);
