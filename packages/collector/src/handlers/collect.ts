import type { CollectResult, CommandOf } from "@sparky/messages";
import type { StageJobContext, StageServiceDeps } from "@sparky/harness";
import { collectGit } from "../collect-git.js";

/** A `collect` command names either a GitHub organisation or local repositories (the payload schema says exactly one). */
export async function handleCollect(command: CommandOf<"collect">, ctx: StageJobContext, deps: StageServiceDeps): Promise<CollectResult> {
  const { collector } = deps.config;
  const common = {
    dataDir: deps.config.data_dir,
    botPatterns: collector.bot_patterns,
    log: ctx.log,
    clock: deps.clock,
    progress: ctx.progress,
    guard: ctx.guard,
    signal: ctx.signal,
  };
  if (command.payload.org) {
    // Octokit and its plugins are loaded for an organisation only: a collector of local
    // repositories never pays their memory (issue 14: idle RSS of a stage service).
    const { collectGithub, readGithubTokens } = await import("@sparky/github");
    return collectGithub(command.payload, {
      ...common,
      settings: {
        apiUrl: collector.github_api_url,
        include: collector.include,
        exclude: collector.exclude,
        includeArchived: collector.include_archived,
        includeForks: collector.include_forks,
        identitiesFile: collector.identities_file,
        // The rule lives here, in the collector, so every caller (a run, a resume, a backfill) follows it.
        maxRateLimitWaitS: collector.max_rate_limit_wait_s,
      },
      waiting: ctx.waiting,
      observer: {
        request: (kind, status) => deps.metrics.ops.githubRequests.inc({ kind, status }),
        quota: (token, remaining, limit) => {
          deps.metrics.ops.githubQuotaRemaining.set({ token }, remaining);
          deps.metrics.ops.githubQuotaLimit.set({ token }, limit);
        },
        waited: (ms) => deps.metrics.ops.githubWaited.inc(ms / 1000),
      },
      // Tokens come from the environment only, never from the config file, and are never logged.
      tokens: readGithubTokens(process.env),
    });
  }
  return collectGit(command.payload, common);
}
