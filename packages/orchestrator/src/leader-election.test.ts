import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { createMetrics, resolveEndpoints } from "@sparky/harness";
import { systemClock } from "@sparky/messages";
import { createOrchestrator } from "./create-orchestrator.js";
import { createLeaderElection, leaderElectionFromEnv } from "./leader-election.js";
import type { LeaderElection } from "./leader-election.js";
import { silentLog, tempDir, testConfig } from "./test-pipeline.js";

type Lease = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; uid?: string; creationTimestamp?: string };
  spec: Record<string, unknown>;
};

interface Call {
  method: string;
  path: string;
  who: string;
  status: number;
}

const BASE = "/apis/coordination.k8s.io/v1/namespaces/sparky/leases";
// The API server parses MicroTime with exactly six fractional digits (Go's RFC3339Micro layout).
const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * A real HTTP server speaking the part of the Kubernetes API leader election uses:
 * GET, POST and PUT on Leases in namespace sparky, with resourceVersion, 404 for a
 * missing lease, 409 AlreadyExists on a second create and 409 Conflict on a replace
 * that carries a stale resourceVersion, 400 for a malformed MicroTime, and 401 without
 * a bearer token. Each client has its own token, so one can be cut off (503).
 */
async function startLeaseApi() {
  const leases = new Map<string, Lease>();
  const calls: Call[] = [];
  const blocked = new Set<string>();
  let version = 100;
  const hooks: { beforeReplace?: (name: string, who: string) => void; beforeReadReply?: (who: string) => Promise<void> } = {};

  const status = (res: ServerResponse, code: number, reason: string, message: string) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }));
    return code;
  };
  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
    return code;
  };
  const badTime = (lease: Lease): string | null => {
    for (const key of ["acquireTime", "renewTime"]) {
      const value = lease.spec?.[key];
      if (value !== undefined && (typeof value !== "string" || !MICRO_TIME.test(value))) {
        return `Lease in version "v1" cannot be handled as a Lease: parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05.000000Z07:00"`;
      }
    }
    return null;
  };
  const readBody = async (req: IncomingMessage): Promise<Lease> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Lease;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, who: string): Promise<number> {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    if (!who) return status(res, 401, "Unauthorized", "Unauthorized");
    if (blocked.has(who)) return status(res, 503, "ServiceUnavailable", "cut off by the test");
    const item = path.startsWith(`${BASE}/`) ? decodeURIComponent(path.slice(BASE.length + 1)) : null;
    if (req.method === "GET" && item) {
      await hooks.beforeReadReply?.(who);
      const lease = leases.get(item);
      return lease ? send(res, 200, lease) : status(res, 404, "NotFound", `leases.coordination.k8s.io "${item}" not found`);
    }
    if (req.method === "POST" && path === BASE) {
      const body = await readBody(req);
      const name = body.metadata?.name;
      if (!name) return status(res, 422, "Invalid", "metadata.name: Required value");
      const bad = badTime(body);
      if (bad) return status(res, 400, "BadRequest", bad);
      if (leases.has(name)) return status(res, 409, "AlreadyExists", `leases.coordination.k8s.io "${name}" already exists`);
      const lease: Lease = {
        ...body,
        metadata: { ...body.metadata, namespace: "sparky", resourceVersion: String(++version), uid: `uid-${name}`, creationTimestamp: new Date().toISOString() },
      };
      leases.set(name, lease);
      return send(res, 201, lease);
    }
    if (req.method === "PUT" && item) {
      const body = await readBody(req);
      const current = leases.get(item);
      if (!current) return status(res, 404, "NotFound", `leases.coordination.k8s.io "${item}" not found`);
      const bad = badTime(body);
      if (bad) return status(res, 400, "BadRequest", bad);
      hooks.beforeReplace?.(item, who);
      const latest = leases.get(item)!;
      const given = body.metadata?.resourceVersion;
      if (given && given !== latest.metadata.resourceVersion) {
        return status(res, 409, "Conflict", `Operation cannot be fulfilled on leases.coordination.k8s.io "${item}": the object has been modified; please apply your changes to the latest version and try again`);
      }
      const lease: Lease = { ...body, metadata: { ...latest.metadata, resourceVersion: String(++version) } };
      leases.set(item, lease);
      return send(res, 200, lease);
    }
    return status(res, 405, "MethodNotAllowed", `${req.method} ${path} is not served by this test server`);
  }

  const server: Server = createServer((req, res) => {
    const who = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const method = req.method ?? "";
    const path = new URL(req.url ?? "/", "http://x").pathname;
    handle(req, res, who).then(
      (code) => calls.push({ method, path, who, status: code }),
      (error: Error) => {
        calls.push({ method, path, who, status: 500 });
        if (!res.headersSent) status(res, 500, "InternalError", error.message);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  /** Write a lease as someone else would, bumping its resourceVersion. */
  const put = (name: string, spec: Record<string, unknown>) => {
    const previous = leases.get(name);
    leases.set(name, {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { ...(previous?.metadata ?? { name, namespace: "sparky" }), resourceVersion: String(++version) },
      spec,
    });
  };

  return {
    url: `http://127.0.0.1:${port}`,
    leases,
    calls,
    blocked,
    hooks,
    put,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type LeaseApi = Awaited<ReturnType<typeof startLeaseApi>>;

function kubeConfigFor(api: LeaseApi, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "test", server: api.url, skipTLSVerify: true }],
    users: [{ name: token, token }],
    contexts: [{ name: "test", cluster: "test", user: token, namespace: "sparky" }],
    currentContext: "test",
  });
  return kc;
}

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

  it("applies only in a pod that asks for it", () => {
    const log = silentLog();
    expect(leaderElectionFromEnv({}, log)).toBeNull();
    expect(leaderElectionFromEnv({ KUBERNETES_SERVICE_HOST: "10.43.0.1" }, log)).toBeNull();
    expect(leaderElectionFromEnv({ SPARKY_LEADER_ELECTION: "true" }, log)).toBeNull();
    expect(leaderElectionFromEnv({ SPARKY_LEADER_ELECTION: "false", KUBERNETES_SERVICE_HOST: "10.43.0.1" }, log)).toBeNull();
  });
});

describe("scheduled runs with several orchestrator replicas", () => {
  async function orchestratorWith(leader: { isLeader(): boolean }) {
    const { dir, remove } = await tempDir();
    // Every second, and stages that are not there: a fired schedule leaves a (failed) run record.
    const config = testConfig(dir, { schedule_daily: "* * * * * *", request_timeout_ms: 50, max_attempts: 1 });
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
