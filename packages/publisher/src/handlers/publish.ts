import type { CommandOf, PublishResult } from "@sparky/messages";
import type { StageJobContext, StageServiceDeps } from "@sparky/harness";
import { publishDigest } from "../publish-digest.js";

export function handlePublish(command: CommandOf<"publish">, ctx: StageJobContext, deps: StageServiceDeps): Promise<PublishResult> {
  const p = deps.config.publisher;
  return publishDigest(command.payload, {
    outputDir: deps.config.generator.output_dir,
    docsRepo: p.git_repo,
    autoPush: p.auto_push,
    remoteUrl: p.docs_repo_url,
    branch: p.branch,
    authorName: p.author_name,
    authorEmail: p.author_email,
    log: ctx.log,
    signal: ctx.signal,
    guard: ctx.guard,
  });
}
