import { defineStageService } from "@sparky/harness";
import { handleCollect } from "./handlers/collect.js";

/** The collector service: `collect` commands in, `data/raw/<key>/` out. */
export const createCollector = defineStageService("collector", "collect", handleCollect);
