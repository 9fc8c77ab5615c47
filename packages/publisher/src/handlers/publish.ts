import type { CommandOf, PublishResult } from "@sparky/messages";
import type { StageJobContext, StageServiceDeps } from "@sparky/harness";
import { publishDigest } from "../publish-digest.js";

export function handlePublish(command: CommandOf<"publish">, ctx: StageJobContext, deps: StageServiceDeps): Promise<PublishResult> {
  const p = deps.config.publisher;
  const { ops } = deps.metrics;
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
    docsSubdir: p.docs_subdir,
  }).then(
    (result) => {
      if (result.created) ops.docsCommits.inc();
      return result;
    },
    (error: unknown) => {
      // The commit stays and is pushed next time; the failure is what an operator is alerted on.
      if ((error as { code?: string }).code?.startsWith("SPARKY_PUSH_")) ops.pushFailures.inc();
      throw error;
    },
  );
}
