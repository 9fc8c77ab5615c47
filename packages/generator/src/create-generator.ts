import { defineStageService } from "@sparky/harness";
import { handleGenerate } from "./handlers/generate.js";

/** The generator service: `generate` commands in, `output/<period>/<key>.md` and `output/index.md` out. */
export const createGenerator = defineStageService("generator", "generate", handleGenerate);
