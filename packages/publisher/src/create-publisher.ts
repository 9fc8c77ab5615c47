import { defineStageService } from "@sparky/harness";
import { handlePublish } from "./handlers/publish.js";

/** The publisher service: `publish` commands in, a commit in the docs repository out. */
export const createPublisher = defineStageService("publisher", "publish", handlePublish);
