import { CoordinationV1Api, KubeConfig, V1MicroTime } from "@kubernetes/client-node";
import type { V1Lease } from "@kubernetes/client-node";
import type { Logger } from "@sparky/harness";

/**
 * Which orchestrator replica runs the scheduled digests. Every replica serves the runs API
 * and runs what it is asked to; only the leader fires the cron schedules, so two replicas
 * never run the same scheduled digest twice.
 */
export interface LeaderElection {
  /** True while this replica holds the lease and has renewed it within the lease duration. */
  isLeader(): boolean;
  /** Make the first attempt (so `isLeader()` means something at once), then keep trying in the background. */
  start(): Promise<void>;
  /** Stop trying; a leader hands the lease back so another replica takes over at once. */
  stop(): Promise<void>;
}

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** The coordination.k8s.io/v1 Lease all replicas compete for. */
  leaseName: string;
  /** Unique per replica: the pod name. */
  identity: string;
  log: Logger;
  /** How long a lease nobody renews stays held (default 15 s, as client-go). */
  leaseDurationSeconds?: number;
  /** A leader that cannot renew for this long steps down (default 10 s; below the lease duration). */
  renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew (default 2 s). */
  retryPeriodMs?: number;
  /** Longest one API call may take before the attempt counts as failed (default: the retry period, at least 1 s). */
  requestTimeoutMs?: number;
  now?: () => number;
  onChange?: (leader: boolean) => void;
}

/** HTTP status of a failed client-node call (ApiException.code), if it has one. */
function statusOf(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : null;
}

function timeOf(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string") {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

class LostRace extends Error {}

/**
 * Leader election on a Lease, the way client-go does it: read the Lease; create it when
 * it is missing (409: another replica created it first); otherwise, when this replica holds
 * it or the holder has not renewed for a whole lease duration (as observed on this
 * replica's own clock, so clock skew between nodes does not matter), replace it carrying
 * the resourceVersion that was read (409: another replica wrote it first, this one lost).
 */
export function createLeaderElection(options: LeaderElectionOptions): LeaderElection {
  const { namespace, leaseName: name, identity, log } = options;
  const api = options.kubeConfig.makeApiClient(CoordinationV1Api);
  const leaseSeconds = options.leaseDurationSeconds ?? 15;
  const leaseMs = leaseSeconds * 1000;
  const renewDeadlineMs = options.renewDeadlineMs ?? Math.round((leaseMs * 2) / 3);
  const retryMs = options.retryPeriodMs ?? 2000;
  const requestTimeoutMs = options.requestTimeoutMs ?? Math.max(1000, retryMs);
  const now = options.now ?? Date.now;

  let leader = false;
  /** When this replica last wrote the lease as its holder. */
  let renewedAt = 0;
  /** The lease record as last seen, and when it was first seen like that. */
  let observed: string | null = null;
  let observedAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let attempt: Promise<void> = Promise.resolve();
  let failing = false;

  const setLeader = (value: boolean, why: string) => {
    if (value === leader) return;
    leader = value;
    log.info({ lease: `${namespace}/${name}`, identity, leader: value }, why);
    options.onChange?.(value);
  };

  const call = <T>(request: Promise<T>): Promise<T> => {
    let timeout: NodeJS.Timeout | undefined;
    return Promise.race([
      request,
      new Promise<never>((_, reject) => {
        timeout = setTimeout(() => reject(new Error(`no answer from the Kubernetes API in ${requestTimeoutMs} ms`)), requestTimeoutMs);
      }),
    ]).finally(() => clearTimeout(timeout));
  };

  const stamp = (t: number) => new V1MicroTime(t);

  async function create(): Promise<boolean> {
    const t = now();
    const body: V1Lease = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name, namespace },
      spec: { holderIdentity: identity, leaseDurationSeconds: leaseSeconds, acquireTime: stamp(t), renewTime: stamp(t), leaseTransitions: 0 },
    };
    try {
      await call(api.createNamespacedLease({ namespace, body }));
      renewedAt = t;
      return true;
    } catch (error) {
      if (statusOf(error) === 409) throw new LostRace("another replica created the lease first");
      throw error;
    }
  }

  /** One round: true when this replica holds the lease afterwards. */
  async function tryAcquireOrRenew(): Promise<boolean> {
    let lease: V1Lease;
    try {
      lease = await call(api.readNamespacedLease({ name, namespace }));
    } catch (error) {
      if (statusOf(error) === 404) return create();
      throw error;
    }
    const t = now();
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? "";
    const record = JSON.stringify([holder, timeOf(spec.renewTime), lease.metadata?.resourceVersion ?? null]);
    if (record !== observed) {
      observed = record;
      observedAt = t;
    }
    const duration = (spec.leaseDurationSeconds ?? leaseSeconds) * 1000;
    if (holder !== "" && holder !== identity && t < observedAt + duration) {
      if (leader) throw new LostRace(`the lease is held by ${holder}`);
      return false;
    }
    const takingOver = holder !== identity;
    const body: V1Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: leaseSeconds,
        renewTime: stamp(t),
        acquireTime: takingOver ? stamp(t) : spec.acquireTime,
        leaseTransitions: takingOver && holder !== "" ? (spec.leaseTransitions ?? 0) + 1 : (spec.leaseTransitions ?? 0),
      },
    };
    try {
      await call(api.replaceNamespacedLease({ name, namespace, body }));
    } catch (error) {
      if (statusOf(error) === 409) throw new LostRace("another replica changed the lease first (409 on replace)");
      throw error;
    }
    renewedAt = t;
    return true;
  }

  async function round(): Promise<void> {
    try {
      const held = await tryAcquireOrRenew();
      failing = false;
      setLeader(held, held ? "acquired the leader lease: this replica runs the scheduled digests" : "another replica leads");
    } catch (error) {
      if (error instanceof LostRace) {
        failing = false;
        setLeader(false, `lost the leader lease: ${error.message}`);
        return;
      }
      if (!failing) log.warn({ err: error, lease: `${namespace}/${name}` }, "leader election: could not read or write the lease");
      failing = true;
      if (leader && now() - renewedAt > renewDeadlineMs) {
        setLeader(false, `could not renew the leader lease for ${renewDeadlineMs} ms: stepping down`);
      }
    }
  }

  function schedule(): void {
    if (!running) return;
    // Followers jitter their retries so replicas started together do not stay in step.
    const delay = leader ? retryMs : retryMs * (1 + Math.random() * 0.2);
    timer = setTimeout(() => {
      attempt = round().finally(schedule);
    }, delay);
    timer.unref();
  }

  return {
    isLeader: () => leader && now() - renewedAt < leaseMs,

    async start() {
      if (running) return;
      running = true;
      attempt = round();
      await attempt;
      schedule();
    },

    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await attempt;
      if (!leader) return;
      setLeader(false, "released the leader lease");
      // Hand the lease back: empty holder, and a one-second duration in case a reader
      // still compares times. Best effort: if it fails, the lease simply expires.
      try {
        const lease = await call(api.readNamespacedLease({ name, namespace }));
        if (lease.spec?.holderIdentity !== identity) return;
        const t = stamp(now());
        await call(
          api.replaceNamespacedLease({
            name,
            namespace,
            body: { ...lease, spec: { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: t, acquireTime: t } },
          }),
        );
      } catch (error) {
        log.warn({ err: error }, "could not release the leader lease; it expires on its own");
      }
    },
  };
}
