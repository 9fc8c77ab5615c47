import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { RunRecord } from "@sparky/messages";
import { freePort, runSparky, waitFor, waitReady } from "./processes.js";
import type { Proc } from "./processes.js";

export const SERVICES = ["orchestrator", "collector", "analyzer", "generator", "publisher"] as const;
export type Service = (typeof SERVICES)[number];

export interface ClusterOptions {
  /** Working folder of every service (data/, output/ and the docs repository live in it). */
  work: string;
  repos: string[];
  token: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Five `sparky serve` processes on free loopback ports sharing one working folder, each
 * the leader of its own process group so a test can kill a service with its git children.
 */
export async function startCluster(options: ClusterOptions) {
  const { work, token } = options;
  mkdirSync(work, { recursive: true });
  const ports = {
    events: await freePort(),
    eventsOut: await freePort(),
    http: Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()]))) as Record<Service, number>,
    zmq: Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()]))) as Record<Service, number>,
  };
  const env: NodeJS.ProcessEnv = {
    SPARKY_LOG_LEVEL: "warn",
    SPARKY_API_TOKEN: token,
    SPARKY_ORCHESTRATOR_EVENT_PORT: String(ports.events),
    SPARKY_ORCHESTRATOR_EVENT_SUB_PORT: String(ports.eventsOut),
    SPARKY_ORCHESTRATOR_HTTP_PORT: String(ports.http.orchestrator),
    SPARKY_ORCHESTRATOR_SCHEDULES_ENABLED: "false",
    SPARKY_ORCHESTRATOR_REQUEST_TIMEOUT_MS: "400",
    SPARKY_ORCHESTRATOR_REQUEST_RETRIES: "1",
    SPARKY_ORCHESTRATOR_MAX_ATTEMPTS: "3",
    SPARKY_ORCHESTRATOR_RETRY_BACKOFF_MS: "200",
    SPARKY_ORCHESTRATOR_POLL_INTERVAL_MS: "200",
    SPARKY_ORCHESTRATOR_STAGE_TIMEOUT_S: "20",
    SPARKY_COLLECTOR_REPOS: JSON.stringify(options.repos),
    SPARKY_ANALYZER_LLM_ENABLED: "false",
    SPARKY_GENERATOR_LLM_ENABLED: "false",
    ...options.env,
  };
  for (const s of SERVICES) {
    if (s === "orchestrator") continue;
    const upper = s.toUpperCase();
    env[`SPARKY_${upper}_ENDPOINT`] = `tcp://127.0.0.1:${ports.zmq[s]}`;
    env[`SPARKY_${upper}_HTTP_PORT`] = String(ports.http[s]);
  }
  const procs = {} as Record<Service, Proc>;
  /** Every process started, killed ones included, for their logs. */
  const history: Proc[] = [];
  const start = async (s: Service) => {
    const proc = runSparky(["serve", s], { cwd: work, env, detached: true });
    procs[s] = proc;
    history.push(proc);
    await waitReady(ports.http[s]).catch((error) => {
      throw new Error(`${s} did not become ready: ${error.message}\n${proc.output()}`);
    });
  };
  /** SIGKILL a service, alone or with its whole process group (its git children). */
  const kill = async (s: Service, withChildren: boolean) => {
    const proc = procs[s];
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    try {
      if (withChildren) process.kill(-proc.child.pid!, "SIGKILL");
      else proc.child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await proc.exited;
  };
  const stopAll = async () => {
    for (const s of SERVICES) {
      const proc = procs[s];
      if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGTERM");
    }
    await Promise.all(SERVICES.map((s) => procs[s]?.exited));
  };
  const killAll = async () => {
    for (const proc of history) {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) continue;
      try {
        process.kill(-proc.child.pid!, "SIGKILL");
      } catch {
        proc.child.kill("SIGKILL");
      }
      await proc.exited;
    }
  };
  for (const s of SERVICES) await start(s);
  const api = `http://127.0.0.1:${ports.http.orchestrator}`;
  const post = (path: string, body: unknown) =>
    fetch(`${api}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const getRun = async (runId: string): Promise<RunRecord | null> => {
    const response = await fetch(`${api}/runs/${runId}`).catch(() => null);
    return response?.ok ? ((await response.json()) as RunRecord) : null;
  };
  const waitRun = (runId: string, done: (record: RunRecord) => boolean, timeoutMs = 60_000) =>
    waitFor(`run ${runId}`, async () => {
      const record = await getRun(runId);
      return record && done(record) ? record : undefined;
    }, timeoutMs);
  return { work, env, ports, procs, history, start, kill, stopAll, killAll, post, getRun, waitRun, api, dataDir: join(work, "data") };
}
export type Cluster = Awaited<ReturnType<typeof startCluster>>;
