import { setTimeout as sleep } from "node:timers/promises";
import { RunRecordSchema, dataLayout } from "@sparky/messages";
import type { Event, RunRecord } from "@sparky/messages";
import { readJson } from "@sparky/harness";
import type { Logger, SparkyConfig } from "@sparky/harness";
import { deliver } from "./deliver.js";
import { deliveryRecords } from "./delivery-records.js";
import { buildNotification } from "./notification.js";
import { resolveTargets } from "./resolve-targets.js";

export interface NotifierOptions {
  config: SparkyConfig;
  log: Logger;
  /** Where url_env and secret_env are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export type Notifier = ReturnType<typeof createNotifier>;

/**
 * Announces finished runs to the `[notify]` targets. Deliveries run beside the runs, never
 * in their way: `onEvent` returns at once, failures are retried with back-off and recorded,
 * and nothing a receiver does can fail or slow a run. Throws at creation when a target's
 * secret cannot be read, so a misconfiguration stops start-up instead of a digest going
 * unannounced.
 */
export function createNotifier(options: NotifierOptions) {
  const { config, log } = options;
  const now = options.now ?? (() => new Date());
  const targets = resolveTargets(config.notify.targets, options.env);
  const layout = dataLayout(config.data_dir);
  const records = deliveryRecords(layout.stateDir, now);
  const policy = { timeoutMs: config.notify.timeout_ms, retries: config.notify.retries, backoffMs: config.notify.backoff_ms };
  const stopping = new AbortController();
  const pending = new Set<Promise<void>>();

  /** The run's record once it is final: the event can arrive a moment before the write lands. */
  async function finalRecord(runId: string): Promise<RunRecord | null> {
    for (let i = 0; i < 20; i++) {
      const record = await readJson(layout.run(runId), RunRecordSchema, "run record").catch(() => null);
      if (record && (record.state === "succeeded" || record.state === "failed")) return record;
      await sleep(250, undefined, { signal: stopping.signal }).catch(() => undefined);
      if (stopping.signal.aborted) return null;
    }
    return null;
  }

  async function announce(runId: string): Promise<void> {
    const record = await finalRecord(runId);
    if (!record) return void log.warn({ runId }, "not announced: the run record is missing or not finished");
    // A backfill of 90 days would be 90 messages about the past: not announced unless asked.
    if (record.trigger === "backfill" && !config.notify.announce_backfill) return void log.debug({ runId }, "backfill run: not announced");
    const outcome = record.state as "succeeded" | "failed";
    const announcement = outcome === "succeeded" ? "succeeded" : `failed@${record.finishedAt ?? "unknown"}`;
    const wanted = targets.filter((t) => t.on.includes(outcome));
    if (!wanted.length) return;
    const notification = await buildNotification(record, { outputDir: config.generator.output_dir, docsWebUrl: config.publisher.docs_web_url, docsSubdir: config.publisher.docs_subdir });
    await Promise.all(
      wanted.map(async (target) => {
        if (!(await records.claim(runId, announcement, target.name))) {
          log.debug({ runId, target: target.name, announcement }, "already announced");
          return;
        }
        const result = await deliver(target, notification, policy, { now, signal: stopping.signal });
        await records.finish({ runId, announcement, target: target.name, state: result.delivered ? "delivered" : "failed", attempts: result.attempts, status: result.status, error: result.error });
        if (result.delivered) log.info({ runId, target: target.name, attempts: result.attempts }, `announced ${runId} to ${target.name}`);
        else log.warn({ runId, target: target.name, attempts: result.attempts, status: result.status }, `could not announce ${runId} to ${target.name}: ${result.error}`);
      }),
    );
  }

  return {
    /** Names of the configured targets (their addresses are secrets). */
    targets: targets.map((t) => t.name),

    /** Announce the run in the background. */
    announce(runId: string): void {
      if (!targets.length || stopping.signal.aborted) return;
      const task = announce(runId)
        .catch((error) => log.error({ err: error, runId }, "announcing a run failed"))
        .finally(() => pending.delete(task));
      pending.add(task);
    },

    /** For `orchestrator.onEvent`: finished runs are announced. */
    onEvent(event: Event): void {
      if (event.type === "run.completed" || event.type === "run.failed") this.announce(event.payload.runId);
    },

    /**
     * Wait for deliveries under way, at most `graceMs`; those still retrying then stop and
     * are recorded as failed (a later event for the run tries them again).
     */
    async stop(graceMs = 15_000): Promise<void> {
      const all = Promise.all([...pending]);
      const timer = setTimeout(() => stopping.abort(), graceMs);
      await all;
      clearTimeout(timer);
      stopping.abort();
      await Promise.all([...pending]);
    },
  };
}
