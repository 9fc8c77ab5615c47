import { defineStageService } from "@sparky/harness";
import { handlePublish } from "./handlers/publish.js";

/** The publisher service: `publish` commands in, a commit in the docs repository out. */
export const createPublisher = defineStageService("publisher", "publish", handlePublish, (deps) => ({
  // The docs repository: an `index.md.tmp-*` left there must never be committed or linger untracked.
  onStart: [deps.config.publisher.git_repo],
  forJob: () => [deps.config.publisher.git_repo],
}));
