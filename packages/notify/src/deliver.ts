import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { slackBody } from "./format-slack.js";
import type { Notification } from "./notification.js";
import type { Target } from "./resolve-targets.js";
import { signature } from "./sign.js";

export interface DeliveryPolicy {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
}

export interface DeliveryOutcome {
  delivered: boolean;
  attempts: number;
  /** HTTP status of the last attempt, null when it got no answer. */
  status: number | null;
  /** What went wrong last, in words without the address (a secret). */
  error: string | null;
}

/** Longest a receiver's Retry-After is honoured: a delivery never waits for an hour. */
const MAX_RETRY_AFTER_MS = 60_000;

function request(target: Target, n: Notification, deliveryId: string, now: Date): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(target.kind === "slack" ? slackBody(n) : n);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "sparky-notify/1" };
  if (target.kind === "webhook") {
    const timestamp = String(Math.floor(now.getTime() / 1000));
    headers["x-sparky-event"] = n.event;
    headers["x-sparky-delivery"] = deliveryId;
    headers["x-sparky-timestamp"] = timestamp;
    headers["x-sparky-signature"] = signature(target.secret!, timestamp, body);
  }
  return { headers, body };
}

/** Why an attempt failed, naming the target but never its address (it may embed a token). */
function describe(error: unknown): string {
  const e = error as Error & { cause?: { code?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return "no answer in time";
  return e.cause?.code ? `connection failed (${e.cause.code})` : "connection failed";
}

/**
 * POST one notification, retrying network errors, timeouts, 429 and 5xx with doubling
 * back-off; other 4xx are the receiver refusing it, and are not retried.
 */
export async function deliver(target: Target, n: Notification, policy: DeliveryPolicy, options: { now?: () => Date; signal?: AbortSignal } = {}): Promise<DeliveryOutcome> {
  const deliveryId = randomUUID();
  const now = options.now ?? (() => new Date());
  let outcome: DeliveryOutcome = { delivered: false, attempts: 0, status: null, error: null };
  for (let attempt = 1; attempt <= policy.retries + 1; attempt++) {
    let retryAfterMs = 0;
    const { headers, body } = request(target, n, deliveryId, now());
    try {
      const signals = [AbortSignal.timeout(policy.timeoutMs), ...(options.signal ? [options.signal] : [])];
      const response = await fetch(target.url, { method: "POST", headers, body, signal: AbortSignal.any(signals), redirect: "error" });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { delivered: true, attempts: attempt, status: response.status, error: null };
      outcome = { delivered: false, attempts: attempt, status: response.status, error: `the receiver answered ${response.status}` };
      if (response.status !== 429 && response.status < 500) return outcome;
      const after = Number(response.headers.get("retry-after"));
      if (Number.isFinite(after) && after > 0) retryAfterMs = Math.min(after * 1000, MAX_RETRY_AFTER_MS);
    } catch (error) {
      if (options.signal?.aborted) return { ...outcome, attempts: attempt, error: "stopped before it was delivered" };
      outcome = { delivered: false, attempts: attempt, status: null, error: describe(error) };
    }
    if (attempt <= policy.retries) await sleep(Math.max(retryAfterMs, policy.backoffMs * 2 ** (attempt - 1)), undefined, { signal: options.signal }).catch(() => undefined);
    if (options.signal?.aborted) return { ...outcome, error: "stopped before it was delivered" };
  }
  return outcome;
}
