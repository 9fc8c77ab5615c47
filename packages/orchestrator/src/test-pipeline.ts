// A real orchestrator and four scripted stage services over inproc:// sockets, writing
// real files that pass the gates. Shared by this package's tests (excluded from the build).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AnalysisSchema, RawManifestSchema, STAGES, dataLayout, periodFor, previousPeriod, systemClock } from "@sparky/messages";
import type { Clock, CommandOf, RunRecord, RunRef, Stage, StageResults } from "@sparky/messages";
import { ConfigSchema, createLogger, createMetrics, createStageService, resolveEndpoints, writeFileAtomic, writeJsonAtomic } from "@sparky/harness";
import type { SparkyConfig, StageJobContext, StageService, StageServiceName } from "@sparky/harness";
import { createOrchestrator } from "./create-orchestrator.js";
import type { Orchestrator } from "./create-orchestrator.js";

const execFileAsync = promisify(execFile);

export const SERVICE_OF: Record<Stage, StageServiceName> = {
  collect: "collector",
  analyze: "analyzer",
  generate: "generator",
  publish: "publisher",
};

export const silentLog = () => createLogger({ service: "test", level: "silent" });

export async function tempDir(prefix = "sparky-orch-"): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The default config with every path in `dir` and timeouts small enough for tests. */
export function testConfig(dir: string, orchestrator: Record<string, unknown> = {}, top: Record<string, unknown> = {}): SparkyConfig {
  return ConfigSchema.parse({
    ...top,
    data_dir: join(dir, "data"),
    log_level: "silent",
    collector: { repos: [join(dir, "repo")] },
    generator: { output_dir: join(dir, "output") },
    publisher: { git_repo: join(dir, "output") },
    orchestrator: {
      request_timeout_ms: 200,
      request_retries: 0,
      retry_backoff_ms: 10,
      poll_interval_ms: 50,
      max_attempts: 3,
      stage_timeout_s: 2,
      ...orchestrator,
    },
  });
}

const refOf = (p: RunRef): RunRef => ({ runId: p.runId, period: p.period, key: p.key, window: p.window, timezone: p.timezone });

/** Stage work that writes output passing each gate; `commits` is what collect reports. */
export function goodWork(config: SparkyConfig, options: { commits?: number; manifestFor?: (ref: RunRef) => RunRef } = {}) {
  const layout = dataLayout(config.data_dir);
  return {
    async collect(command: CommandOf<"collect">): Promise<StageResults["collect"]> {
      const ref = refOf(command.payload);
      const commits = options.commits ?? 2;
      const path = layout.rawManifest(ref.key);
      await writeJsonAtomic(layout.rawRepository(ref.key, "local", "repo"), { stand: "in" });
      await writeJsonAtomic(
        path,
        RawManifestSchema.parse({
          ...(options.manifestFor?.(ref) ?? ref),
          schema: "sparky.raw.manifest/1",
          collectedAt: "2026-11-20T08:00:00.000Z",
          complete: true,
          repositories: [{ owner: "local", name: "repo", file: "local/repo.json", commits, merges: 0, newestCommitAt: "2026-11-10T12:00:00.000Z" }],
        }),
      );
      return { manifest: path, repositories: 1, commits, merges: 0 };
    },
    async analyze(command: CommandOf<"analyze">): Promise<StageResults["analyze"]> {
      const ref = refOf(command.payload);
      const path = layout.analysis(ref.period, ref.key);
      const zero = { previous: 0, current: 0, delta: 0 };
      const spec = periodFor(ref.period, ref.window.start.slice(0, 10), ref.timezone);
      await writeJsonAtomic(
        path,
        AnalysisSchema.parse({
          ...ref,
          schema: "sparky.analysis/1",
          collectedAt: "2026-11-20T08:00:00.000Z",
          firstDay: spec.firstDay,
          lastDay: spec.lastDay,
          previousWindow: previousPeriod(spec).window,
          totals: { commits: 0, merges: 0, botCommits: 0, additions: 0, deletions: 0, contributors: 0, newContributors: 0, activeRepositories: 0, repositories: 1 },
          change: { commits: zero, merges: zero, contributors: zero },
          contributors: [],
          topContributors: [],
          repositories: [],
          perDay: [],
          items: [],
          highlights: [],
          themes: { source: "deterministic", reason: "the period has no items to group", themes: [] },
        }),
      );
      return {
        analysis: path,
        commits: 0,
        merges: 0,
        contributors: 0,
        repositories: 1,
        themes: 0,
        themesSource: "deterministic",
        themesReason: "the period has no items to group",
        llm: { calls: 0, cached: 0, promptTokens: 0, warning: null },
      };
    },
    async generate(command: CommandOf<"generate">): Promise<StageResults["generate"]> {
      const { period, key, runId } = command.payload;
      const relativePath = `${period}/${key}.md`;
      const digest = join(config.generator.output_dir, relativePath);
      const text = `---\nrun_id: "${runId}"\n---\n\n# Digest ${key}\n`;
      await writeFileAtomic(digest, text);
      const sha256 = createHash("sha256").update(text).digest("hex");
      return {
        digest,
        relativePath,
        sha256,
        index: join(config.generator.output_dir, "index.md"),
        narrativeSource: "template",
        narrativeReason: "the period has no activity to narrate",
        llm: { calls: 0, cached: 0, promptTokens: 0, warning: null },
      };
    },
    async publish(): Promise<StageResults["publish"]> {
      return { commit: null, created: false, pushed: false, reason: "publishing is off in this test" };
    },
  };
}

/**
 * Publish work that commits each digest to the docs repository (a real git repository,
 * created on first use), once: a digest already committed unchanged makes no new commit.
 */
export function gitPublish(config: SparkyConfig) {
  const repo = config.publisher.git_repo;
  const git = (...args: string[]) => execFileAsync("git", ["-C", repo, "-c", "user.name=Sparky", "-c", "user.email=sparky@example.invalid", ...args]);
  return async (command: CommandOf<"publish">): Promise<StageResults["publish"]> => {
    const { period, key, runId } = command.payload;
    await git("init", "-q").catch(() => undefined);
    await git("add", `${period}/${key}.md`);
    const staged = await git("diff", "--cached", "--quiet").then(() => false, () => true);
    if (staged) await git("commit", "-q", "-m", `digest ${runId}`);
    const commit = (await git("rev-parse", "HEAD")).stdout.trim();
    return { commit, created: staged, pushed: false, reason: staged ? "committed" : "already committed" };
  };
}

type AnyWork = (command: never, ctx: StageJobContext) => Promise<unknown>;

export interface TestPipeline {
  dir: string;
  config: SparkyConfig;
  orchestrator: Orchestrator;
  /** The orchestrator's metrics. */
  metrics: ReturnType<typeof createMetrics>;
  /** How many commands each stage's work function has run. */
  calls: Record<Stage, number>;
  /** Every stage command run, in order. */
  order: Stage[];
  /** Replace a stage's work at any time; the services call whatever is here. */
  work: Record<Stage, AnyWork>;
  good: ReturnType<typeof goodWork>;
  readRun(runId: string): Promise<unknown>;
  readStatus(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Start an orchestrator and the stage services named in `serve` (all four by default).
 * A stage left out has nothing bound on its endpoint: a process that is gone.
 */
export async function startPipeline(
  options: {
    orchestrator?: Record<string, unknown>;
    /** Top-level config keys, such as `timezone`. */
    config?: Record<string, unknown>;
    serve?: Stage[];
    clock?: Clock;
    commits?: number;
    schedules?: boolean;
    /** Apply retain_raw_days after each run, as served orchestrators and `sparky digest` do. */
    retention?: boolean;
    /** Where the orchestrator logs (silent by default); a test may capture it. */
    log?: ReturnType<typeof silentLog>;
    /** "served" also marks interrupted runs and catches up on start; its stage services start first. */
    mode?: "embedded" | "served";
    leader?: { isLeader(): boolean };
    /** Reuse this folder (a restart over the same data); it is kept on stop. */
    dir?: string;
    /** Publish commits each digest to a real git docs repository (see gitPublish). */
    gitDocs?: boolean;
  } = {},
): Promise<TestPipeline> {
  const { dir, remove } = options.dir ? { dir: options.dir, remove: async () => undefined } : await tempDir();
  const config = testConfig(dir, options.orchestrator, options.config);
  const clock = options.clock ?? systemClock;
  const endpoints = resolveEndpoints(config, "inproc");
  const log = silentLog();
  const metrics = createMetrics("orchestrator");
  const mode = options.mode ?? "embedded";
  const orchestrator = createOrchestrator({
    config,
    endpoints,
    log: options.log ?? log,
    clock,
    metrics,
    mode,
    schedules: options.schedules,
    retention: options.retention,
    leader: options.leader,
  });
  // Served: the services are up before the orchestrator starts queueing (catch-up runs at once).
  if (mode === "embedded") await orchestrator.start();
  const good = goodWork(config, { commits: options.commits });
  const calls = { collect: 0, analyze: 0, generate: 0, publish: 0 };
  const order: Stage[] = [];
  const work: Record<Stage, AnyWork> = { ...good, ...(options.gitDocs ? { publish: gitPublish(config) } : {}) } as Record<Stage, AnyWork>;
  const services: StageService[] = [];
  for (const stage of options.serve ?? STAGES) {
    const service = createStageService({
      service: SERVICE_OF[stage],
      stage,
      bind: endpoints.stages[SERVICE_OF[stage]].bind,
      events: endpoints.eventsIn.connect,
      log,
      clock,
      metrics: createMetrics(SERVICE_OF[stage]),
      work: (command, ctx) => {
        calls[stage]++;
        order.push(stage);
        return work[stage](command as never, ctx) as never;
      },
    });
    await service.start();
    services.push(service);
  }
  if (mode === "served") await orchestrator.start();
  const layout = dataLayout(config.data_dir);
  return {
    dir,
    config,
    orchestrator,
    metrics,
    calls,
    order,
    work,
    good,
    readRun: async (runId) => JSON.parse(await readFile(layout.run(runId), "utf8")),
    readStatus: async () => JSON.parse(await readFile(layout.status, "utf8")),
    async stop() {
      await orchestrator.stop();
      for (const service of services) await service.stop(100);
      await remove();
    },
  };
}

/** A daily run record, as the store writes it, in `state` as of `updatedAt`. */
export function record(date: string, updatedAt: string, state: RunRecord["state"] = "succeeded"): RunRecord {
  const spec = periodFor("daily", date);
  return {
    schema: "sparky.run/1",
    runId: spec.runId,
    period: spec.period,
    key: spec.key,
    window: spec.window,
    timezone: spec.timezone,
    state,
    trigger: "cli",
    repos: ["."],
    org: null,
    refresh: false,
    collection: null,
    allowEmpty: false,
    createdAt: updatedAt,
    updatedAt,
    finishedAt: state === "succeeded" || state === "failed" ? updatedAt : null,
    reason: state === "failed" ? "collect failed" : null,
    waiting: state === "running" ? { stage: "collect", until: updatedAt, message: "waiting for GitHub's quota" } : null,
    stages: STAGES.map((stage) => ({ stage, state: "pending", startedAt: null, finishedAt: null, attempts: [], result: null })),
  };
}
