// A local HTTP server that speaks the Kubernetes Lease API, for leader-election tests
// (this package's tests only; excluded from the build).
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";

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
export const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * A real HTTP server speaking the part of the Kubernetes API leader election uses:
 * GET, POST and PUT on Leases in namespace sparky, with resourceVersion, 404 for a
 * missing lease, 409 AlreadyExists on a second create and 409 Conflict on a replace
 * that carries a stale resourceVersion, 400 for a malformed MicroTime, and 401 without
 * a bearer token. Each client has its own token, so one can be cut off (503).
 */
export async function startLeaseApi() {
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

export type LeaseApi = Awaited<ReturnType<typeof startLeaseApi>>;

export function kubeConfigFor(api: LeaseApi, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "test", server: api.url, skipTLSVerify: true }],
    users: [{ name: token, token }],
    contexts: [{ name: "test", cluster: "test", user: token, namespace: "sparky" }],
    currentContext: "test",
  });
  return kc;
}

