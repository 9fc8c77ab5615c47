import { defineStageService } from "@sparky/harness";
import { dataLayout } from "@sparky/messages";
import { handleCollect } from "./handlers/collect.js";

/** The collector service: `collect` commands in, `data/raw/<key>/` out. */
export const createCollector = defineStageService("collector", "collect", handleCollect, (deps) => {
  const layout = dataLayout(deps.config.data_dir);
  return { onStart: [layout.rawDir(""), layout.cacheDir], forJob: (command) => [layout.rawDir(command.payload.key)] };
});
