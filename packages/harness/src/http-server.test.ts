import { afterEach, describe, expect, it } from "vitest";
import { startHttpServer } from "./http-server.js";
import type { HttpServer, Readiness } from "./http-server.js";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics.js";

const log = createLogger({ service: "collector", level: "silent" });
let server: HttpServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(readiness: () => Readiness | Promise<Readiness>, metrics = createMetrics("collector")) {
  server = await startHttpServer({
    service: "collector",
    host: "127.0.0.1",
    port: 0,
    log,
    registry: metrics.registry,
    readiness,
    routes: (app) => {
      app.get("/extra", async () => ({ extra: true }));
    },
  });
  const base = `http://127.0.0.1:${server.port}`;
  return { base, metrics, get: (path: string) => fetch(`${base}${path}`) };
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABELS = '\\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\]|\\\\.)*",?)*\\}';
// Prometheus reads NaN in any case; prom-client writes "Nan".
const SAMPLE = new RegExp(`^(${NAME})(${LABELS})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)$`);

/** Prometheus text exposition, checked line by line: comments, then `name{labels} value`. */
function checkExposition(text: string): Map<string, string> {
  const samples = new Map<string, string>();
  const types = new Map<string, string>();
  expect(text.endsWith("\n")).toBe(true);
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (comment) {
      if (comment[1] === "TYPE") {
        expect(["counter", "gauge", "histogram", "summary", "untyped"]).toContain(comment[3]);
        types.set(comment[2]!, comment[3]!);
      }
      continue;
    }
    const sample = SAMPLE.exec(line);
    expect(sample, `not a sample line: ${line}`).not.toBeNull();
    const family = sample![1]!.replace(/_(bucket|sum|count)$/, "");
    expect(types.has(sample![1]!) || types.has(family), `no TYPE before ${line}`).toBe(true);
    // Keyed by name and sorted labels, so lookups do not depend on label order.
    const labels = (sample![2] ?? "").replace(/^\{|\}$/g, "").split(/,(?=[a-zA-Z_]+=)/).filter(Boolean).sort();
    samples.set(`${sample![1]}{${labels.join(",")}}`, sample![3]!);
  }
  return samples;
}

describe("startHttpServer", () => {
  it("answers /health 200 with the service name", async () => {
    const { get } = await start(() => ({ ready: false, detail: "starting" }));
    const response = await get("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", service: "collector", uptimeSeconds: expect.any(Number) });
  });

  it("answers /ready 503 until ready, then 200, following the readiness function", async () => {
    let state: Readiness = { ready: false, detail: "command socket not bound yet" };
    const { get } = await start(async () => state);
    let response = await get("/ready");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ready: false, service: "collector", detail: "command socket not bound yet" });

    state = { ready: true, detail: "listening on inproc://collector" };
    response = await get("/ready");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ready: true, service: "collector", detail: "listening on inproc://collector" });

    state = { ready: false, detail: "shutting down" };
    expect((await get("/ready")).status).toBe(503);
  });

  it("serves /metrics in Prometheus text format with Sparky's metric names", async () => {
    const { get, metrics } = await start(() => ({ ready: true, detail: "" }));
    metrics.jobs.inc({ stage: "collect", outcome: "succeeded" });
    metrics.jobs.inc({ stage: "collect", outcome: "succeeded" });
    metrics.messages.inc({ type: "collect" });
    metrics.jobDuration.observe({ stage: "collect" }, 0.3);
    const response = await get("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      "sparky_messages_received_total",
      "sparky_messages_invalid_total",
      "sparky_events_dropped_total",
      "sparky_request_retries_total",
      "sparky_jobs_total",
      "sparky_job_duration_seconds",
      "sparky_runs_total",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    const samples = checkExposition(text);
    expect(samples.get('sparky_jobs_total{outcome="succeeded",service="collector",stage="collect"}')).toBe("2");
    expect(samples.get('sparky_job_duration_seconds_count{service="collector",stage="collect"}')).toBe("1");
    expect(samples.get('sparky_job_duration_seconds_bucket{le="0.5",service="collector",stage="collect"}')).toBe("1");
  });

  it("exports its readiness, and counts requests by route pattern, never by the path asked", async () => {
    let ready = true;
    const { get } = await start(() => ({ ready, detail: "" }));
    await get("/health");
    await get("/no/such/path/with-a-secret-looking-token");
    let samples = checkExposition(await (await get("/metrics")).text());
    expect(samples.get('sparky_ready{service="collector"}')).toBe("1");
    expect(samples.get('sparky_http_requests_total{method="GET",route="/health",service="collector",status="200"}')).toBe("1");
    expect(samples.get('sparky_http_requests_total{method="GET",route="unmatched",service="collector",status="404"}')).toBe("1");
    ready = false;
    samples = checkExposition(await (await get("/metrics")).text());
    expect(samples.get('sparky_ready{service="collector"}')).toBe("0");
  });

  it("keeps two services' figures apart and adds process metrics only when asked", async () => {
    const other = createMetrics("analyzer", { processMetrics: true });
    other.jobs.inc({ stage: "analyze", outcome: "failed" });
    const { get } = await start(() => ({ ready: true, detail: "" }));
    const text = await (await get("/metrics")).text();
    expect(text).not.toContain("analyze");
    expect(text).not.toContain("process_cpu");
    const own = await other.registry.metrics();
    const samples = checkExposition(own);
    expect(own).toContain("process_cpu_user_seconds_total");
    expect(samples.get('sparky_jobs_total{outcome="failed",service="analyzer",stage="analyze"}')).toBe("1");
  });

  it("serves extra routes and 404s unknown paths", async () => {
    const { get } = await start(() => ({ ready: true, detail: "" }));
    expect(await (await get("/extra")).json()).toEqual({ extra: true });
    expect((await get("/nope")).status).toBe(404);
  });

  it("reports the real port when bound to port 0 and frees it on close", async () => {
    const { base } = await start(() => ({ ready: true, detail: "" }));
    expect(server!.port).toBeGreaterThan(0);
    await server!.close();
    server = null;
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });
});
