// docker-compose.yml and the monitoring files it mounts: they parse, and agree with
// config/compose.toml (names, ports, volumes, health checks) and with Sparky's metrics.
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { SERVICES, loadConfig } from "@sparky/harness";
import type { SparkyConfig } from "@sparky/harness";
import { ROOT, read } from "./support.js";
import type { Obj } from "./support.js";

let compose: Obj;
let config: SparkyConfig;
const METRICS = [
  "sparky_messages_received_total",
  "sparky_messages_invalid_total",
  "sparky_events_dropped_total",
  "sparky_request_retries_total",
  "sparky_jobs_total",
  "sparky_job_duration_seconds",
  "sparky_runs_total",
];

beforeAll(() => {
  const doc = parseDocument(read("docker-compose.yml"), { merge: true });
  expect(doc.errors).toEqual([]);
  compose = doc.toJS({ maxAliasCount: 100 }) as Obj;
  config = loadConfig({ file: `${ROOT}/config/compose.toml`, env: {}, cwd: ROOT }).config;
});


describe("docker-compose.yml", () => {
  it("runs the five services from one image, each `sparky serve <name>` with config/compose.toml", () => {
    const images = new Set<string>();
    for (const service of SERVICES) {
      const s = compose.services[service];
      expect(s, service).toBeDefined();
      expect(s.command).toEqual([service]);
      expect(s.environment.SPARKY_ENV).toBe("compose");
      expect(s.user).toBe("10001:10001");
      expect(s.read_only).toBe(true);
      expect(s.volumes).toContain("./config:/app/config:ro");
      images.add(s.image);
    }
    expect([...images]).toEqual(["${SPARKY_IMAGE:-sparky:local}"]);
    expect(compose.services.orchestrator.build).toBe(".");
    expect(existsSync(`${ROOT}/config/compose.toml`)).toBe(true);
    expect(config.environment).toBe("compose");
  });

  it("names the services as config/compose.toml reaches them, and binds where the others can connect", () => {
    expect(config.bind_host).toBe("0.0.0.0");
    expect(config.orchestrator.bind_address).toBe("0.0.0.0");
    expect(config.orchestrator.host).toBe("orchestrator");
    for (const service of SERVICES.filter((s) => s !== "orchestrator")) {
      const [, host] = /^tcp:\/\/([^:]+):\d+$/.exec(config[service].endpoint)!;
      expect(host).toBe(service);
    }
    for (const url of [config.analyzer.ollama_url, config.generator.ollama_url]) {
      const u = new URL(url);
      expect(compose.services[u.hostname], url).toBeDefined();
      expect(u.port).toBe("11434");
    }
  });

  it("publishes the orchestrator's HTTP API from config, and nothing of the event bus or the stages", () => {
    expect(compose.services.orchestrator.ports).toEqual([`\${SPARKY_API_PORT:-8080}:${config.orchestrator.http_port}`]);
    for (const service of SERVICES.filter((s) => s !== "orchestrator")) expect(compose.services[service].ports).toBeUndefined();
  });

  it("keeps data_dir and output_dir on named volumes, and mounts the collected repository read-only", () => {
    expect(config.data_dir).toBe("/data");
    expect(config.generator.output_dir).toBe("/output");
    expect(config.publisher.git_repo).toBe("/output");
    for (const service of SERVICES) {
      const volumes: string[] = compose.services[service].volumes;
      expect(volumes).toContain(`sparky-data:${config.data_dir}`);
      expect(volumes).toContain(`sparky-output:${config.generator.output_dir}`);
    }
    expect(config.collector.repos).toEqual(["/repos/sparky"]);
    expect(compose.services.collector.volumes).toContain("${SPARKY_REPO:-.}:/repos/sparky:ro");
    // Every named volume used is declared.
    const declared = Object.keys(compose.volumes);
    for (const [name, s] of Object.entries(compose.services as Record<string, Obj>)) {
      for (const v of (s.volumes ?? []) as string[]) {
        const source = v.split(":")[0]!;
        if (!/^[.$/]/.test(source)) expect(declared, `${name}: ${v}`).toContain(source);
      }
    }
  });

  it("health-checks every service on its own /health and starts the stages after a healthy orchestrator", () => {
    for (const service of SERVICES) {
      const s = compose.services[service];
      expect(s.healthcheck.test).toEqual(["CMD", "node", "/app/docker/healthcheck.mjs", service]);
      if (service !== "orchestrator") expect(s.depends_on.orchestrator).toEqual({ condition: "service_healthy" });
    }
    // The LLM stages start once the model pull has ended; optional, so a stack without Ollama runs.
    for (const service of ["analyzer", "generator"]) {
      expect(compose.services[service].depends_on["ollama-pull"]).toEqual({ condition: "service_completed_successfully", required: false });
    }
    for (const name of ["ollama", "prometheus", "grafana"]) expect(compose.services[name].healthcheck.test[0], name).toBe("CMD");
    expect(compose.services.grafana.depends_on.prometheus).toEqual({ condition: "service_healthy" });
    expect(compose.services["ollama-pull"].depends_on.ollama).toEqual({ condition: "service_healthy" });
  });

  it("reserves a GPU and a models volume for Ollama, and pulls the configured model", () => {
    const ollama = compose.services.ollama;
    expect(ollama.deploy.resources.reservations.devices).toEqual([{ driver: "nvidia", count: 1, capabilities: ["gpu"] }]);
    expect(ollama.volumes).toContain("ollama-models:/root/.ollama");
    const pull = compose.services["ollama-pull"];
    expect(pull.environment.OLLAMA_MODELS_TO_PULL).toBe(`\${SPARKY_MODEL:-${config.analyzer.model}}`);
    expect(config.generator.model).toBe(config.analyzer.model);
    // The CPU variant drops the reservation with compose's !reset tag.
    const cpu = parse(read("docker-compose.cpu.yml"), {
      customTags: [{ tag: "!reset", collection: "map", resolve: () => ({ reset: true }) }],
    }) as Obj;
    expect(cpu.services.ollama.deploy).toEqual({ reset: true });
  });

  it("mounts the Prometheus config that tests/deploy/prometheus-config.test.ts checks", () => {
    expect(compose.services.prometheus.volumes).toContain("./monitoring/prometheus/compose.yml:/etc/prometheus/prometheus.yml:ro");
  });
});

describe("Grafana", () => {
  it("provisions Prometheus and a dashboard of Sparky's own metrics, in compose and in k8s alike", () => {
    const datasources = parse(read("monitoring/grafana/provisioning/datasources/prometheus.yml")) as Obj;
    const source = datasources.datasources[0];
    expect(source).toMatchObject({ type: "prometheus", uid: "prometheus", url: "http://prometheus:9090" });
    const providers = parse(read("monitoring/grafana/provisioning/dashboards/sparky.yml")) as Obj;
    const path = providers.providers[0].options.path;
    expect(compose.services.grafana.volumes).toContain(`./monitoring/grafana/dashboards:${path}:ro`);
    expect(compose.services.grafana.volumes).toContain("./monitoring/grafana/provisioning:/etc/grafana/provisioning:ro");

    const dashboard = JSON.parse(read("monitoring/grafana/dashboards/sparky.json")) as Obj;
    const exprs: string[] = dashboard.panels.flatMap((p: Obj) => p.targets.map((t: Obj) => t.expr));
    for (const metric of METRICS) expect(exprs.some((e) => e.includes(metric)), metric).toBe(true);
    // Every panel queries the provisioned datasource, filtered by the `service` label the metrics carry.
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe(source.uid);
      for (const t of panel.targets) if (t.expr.startsWith("sum") || t.expr.startsWith("histogram")) expect(t.expr).toContain('service=~"$service"');
    }
    expect(dashboard.templating.list[0].name).toBe("service");
  });

  it("uses metric names that Sparky's services really export, each with a service label", async () => {
    const { createMetrics } = await import("@sparky/harness");
    const metrics = createMetrics("collector");
    metrics.jobs.inc({ stage: "collect", outcome: "succeeded" });
    metrics.jobDuration.observe({ stage: "collect" }, 1);
    metrics.runs.inc({ period: "daily", outcome: "succeeded" });
    const text = await metrics.registry.metrics();
    for (const metric of METRICS) expect(text, metric).toMatch(new RegExp(`^# TYPE ${metric} `, "m"));
    expect(text).toMatch(/^sparky_jobs_total\{.*service="collector".*\} 1$/m);
  });
});
