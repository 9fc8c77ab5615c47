import { afterEach, describe, expect, it } from "vitest";
import { createMetrics, resolveEndpoints } from "@sparky/harness";
import { systemClock } from "@sparky/messages";
import { createOrchestrator } from "./create-orchestrator.js";
import { createLeaderElection } from "./leader-election.js";
import { leaderElectionFromEnv } from "./leader-election-env.js";
import type { LeaderElection } from "./leader-election.js";
import { silentLog, tempDir, testConfig } from "./test-pipeline.js";
import { MICRO_TIME, kubeConfigFor, startLeaseApi } from "./test-lease-api.js";
import type { LeaseApi } from "./test-lease-api.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function leaseApi(): Promise<LeaseApi> {
  const api = await startLeaseApi();
  cleanups.push(() => api.close());
  return api;
}

/** Short times so a takeover happens within a second or two. */
function elector(api: LeaseApi, identity: string, options: { leaseDurationSeconds?: number } = {}): LeaderElection {
  const election = createLeaderElection({
    kubeConfig: kubeConfigFor(api, identity),
    namespace: "sparky",
    leaseName: "sparky-orchestrator",
    identity,
    log: silentLog(),
    leaseDurationSeconds: options.leaseDurationSeconds ?? 1,
    renewDeadlineMs: 600,
    retryPeriodMs: 100,
    requestTimeoutMs: 500,
  });
  cleanups.push(() => election.stop());
  return election;
}

async function waitFor(condition: () => boolean, timeoutMs: number, onTick?: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    onTick?.();
    await new Promise((r) => setTimeout(r, 20));
  }
}

const holder = (api: LeaseApi) => api.leases.get("sparky-orchestrator")?.spec.holderIdentity;

describe("leader election on a coordination.k8s.io Lease", () => {
  it("elects one of two replicas, and the other takes over once the leader stops renewing and the lease expires", async () => {
    const api = await leaseApi();
    const a = elector(api, "orchestrator-a");
    const b = elector(api, "orchestrator-b");
    await a.start();
    await b.start();
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    const created = api.leases.get("sparky-orchestrator")!;
    expect(created.spec).toMatchObject({ holderIdentity: "orchestrator-a", leaseDurationSeconds: 1, leaseTransitions: 0 });
    expect(created.spec.renewTime).toMatch(MICRO_TIME);
    expect(api.calls.filter((c) => c.method === "POST").map((c) => [c.who, c.status])).toEqual([["orchestrator-a", 201]]);

    // The leader keeps renewing while the follower waits.
    await new Promise((r) => setTimeout(r, 1500));
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    expect(api.calls.filter((c) => c.method === "PUT" && c.who === "orchestrator-a" && c.status === 200).length).toBeGreaterThan(5);

    // The leader loses the API server (a partition, a hung node): it steps down after its
    // renew deadline, and the follower takes over only once the lease has expired.
    api.blocked.add("orchestrator-a");
    // The lease as the leader last renewed it: it is valid for leaseDurationSeconds from then.
    const lastRenew = Date.parse(String(api.leases.get("sparky-orchestrator")!.spec.renewTime));
    let both = false;
    await waitFor(() => b.isLeader(), 5000, () => {
      if (a.isLeader() && b.isLeader()) both = true;
    });
    expect(both).toBe(false);
    expect(a.isLeader()).toBe(false);
    expect(Date.now() - lastRenew).toBeGreaterThanOrEqual(1000);
    expect(api.leases.get("sparky-orchestrator")!.spec).toMatchObject({ holderIdentity: "orchestrator-b", leaseTransitions: 1 });

    // Back on the network, the old leader finds the lease held and stays a follower.
    api.blocked.delete("orchestrator-a");
    await new Promise((r) => setTimeout(r, 400));
    expect(a.isLeader()).toBe(false);
    expect(b.isLeader()).toBe(true);
    expect(holder(api)).toBe("orchestrator-b");
  });

  it("lets exactly one replica create the lease when both find it missing (409 AlreadyExists loses)", async () => {
    const api = await leaseApi();
    // Hold both reads until both replicas have asked: both see 404 and both try to create.
    let waiting: (() => void)[] = [];
    api.hooks.beforeReadReply = () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 2) {
          waiting.forEach((r) => r());
          waiting = [];
          api.hooks.beforeReadReply = undefined;
        }
      });
    const a = elector(api, "orchestrator-a");
    const b = elector(api, "orchestrator-b");
    await Promise.all([a.start(), b.start()]);

    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    const posts = api.calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => c.status).sort()).toEqual([201, 409]);
    const winner = posts.find((c) => c.status === 201)!.who;
    expect(holder(api)).toBe(winner);
    expect((winner === "orchestrator-a" ? a : b).isLeader()).toBe(true);
  });

  it("loses the race when its replace gets a 409 because someone else wrote the lease first", async () => {
    const api = await leaseApi();
    const old = "2020-01-01T00:00:00.000000Z";
    api.put("sparky-orchestrator", { holderIdentity: "gone", leaseDurationSeconds: 1, acquireTime: old, renewTime: old, leaseTransitions: 3 });
    const b = elector(api, "orchestrator-b");
    await b.start();
    // The holder may be dead, but b has not yet watched it go unrenewed for a lease duration.
    expect(b.isLeader()).toBe(false);

    // When b tries to take over, a third replica writes the lease between b's read and b's write.
    let raced = false;
    api.hooks.beforeReplace = (name, who) => {
      if (who !== "orchestrator-b" || raced) return;
      raced = true;
      const t = new Date().toISOString().replace("Z", "000Z");
      api.put(name, { holderIdentity: "orchestrator-c", leaseDurationSeconds: 30, acquireTime: t, renewTime: t, leaseTransitions: 4 });
    };
    await waitFor(() => raced, 4000);
    await waitFor(() => api.calls.some((c) => c.method === "PUT" && c.who === "orchestrator-b"), 1000);
    const put = api.calls.find((c) => c.method === "PUT" && c.who === "orchestrator-b")!;
    expect(put.status).toBe(409);
    expect(b.isLeader()).toBe(false);
    expect(holder(api)).toBe("orchestrator-c");
    // And it stays a follower while c's lease is fresh.
    await new Promise((r) => setTimeout(r, 500));
    expect(b.isLeader()).toBe(false);
    expect(holder(api)).toBe("orchestrator-c");
  });

  it("hands the lease back on stop, so another replica takes over without waiting for it to expire", async () => {
    const api = await leaseApi();
    const a = elector(api, "orchestrator-a", { leaseDurationSeconds: 30 });
    const b = elector(api, "orchestrator-b", { leaseDurationSeconds: 30 });
    await a.start();
    await b.start();
    expect(a.isLeader()).toBe(true);
    await a.stop();
    expect(a.isLeader()).toBe(false);
    expect(holder(api)).toBe("");
    await waitFor(() => b.isLeader(), 1500);
    expect(holder(api)).toBe("orchestrator-b");
  });

  it("steps down when its lease is taken (a replace it did not make) instead of believing it still leads", async () => {
    const api = await leaseApi();
    const a = elector(api, "orchestrator-a");
    await a.start();
    expect(a.isLeader()).toBe(true);
    // An operator (or a split-brain peer) forces the lease to another holder.
    const t = new Date().toISOString().replace("Z", "000Z");
    api.put("sparky-orchestrator", { holderIdentity: "orchestrator-z", leaseDurationSeconds: 30, acquireTime: t, renewTime: t, leaseTransitions: 1 });
    await waitFor(() => !a.isLeader(), 1000);
    expect(holder(api)).toBe("orchestrator-z");
  });

  it("applies only in a pod that asks for it", async () => {
    const log = silentLog();
    expect(await leaderElectionFromEnv({}, log)).toBeNull();
    expect(await leaderElectionFromEnv({ KUBERNETES_SERVICE_HOST: "10.43.0.1" }, log)).toBeNull();
    expect(await leaderElectionFromEnv({ SPARKY_LEADER_ELECTION: "true" }, log)).toBeNull();
    expect(await leaderElectionFromEnv({ SPARKY_LEADER_ELECTION: "false", KUBERNETES_SERVICE_HOST: "10.43.0.1" }, log)).toBeNull();
  });
});

describe("scheduled runs with several orchestrator replicas", () => {
  async function orchestratorWith(leader: { isLeader(): boolean }) {
    const { dir, remove } = await tempDir();
    // Every second, and stages that are not there: a fired schedule leaves a (failed) run record.
    // No catch-up here: this is about the cron schedule alone (catch-up.test.ts has the rest).
    const config = testConfig(dir, { schedule_daily: "* * * * * *", request_timeout_ms: 50, max_attempts: 1, catch_up_days: 0 });
    const orchestrator = createOrchestrator({
      config,
      endpoints: resolveEndpoints(config, "inproc"),
      log: silentLog(),
      clock: systemClock,
      metrics: createMetrics("orchestrator"),
      mode: "served",
      schedules: true,
      leader,
    });
    await orchestrator.start();
    cleanups.push(async () => {
      await orchestrator.stop();
      await remove();
    });
    return orchestrator;
  }

  it("fires the cron schedule only on the replica that holds the lease", async () => {
    const follower = await orchestratorWith({ isLeader: () => false });
    const leader = await orchestratorWith({ isLeader: () => true });
    await new Promise((r) => setTimeout(r, 1600));
    expect(await follower.store.listRuns()).toEqual([]);
    const runs = await leader.store.listRuns();
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.trigger === "schedule" && r.period === "daily")).toBe(true);
  });
});
