// The alert rules: valid and behaving as meant under the real promtool (Debian's 2.x; the
// rules use nothing 3.x rejects), shipped identically as a PrometheusRule, and naming only
// metrics Sparky's services export. The Grafana dashboard's queries are held to the same.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { createMetrics, startHttpServer, createLogger } from "@sparky/harness";
import { ROOT, read } from "./support.js";
import type { Obj } from "./support.js";

const promtool = spawnSync("promtool", ["--version"], { encoding: "utf8" });
const noPromtool = promtool.error ? `promtool not found (Debian: apt-get install prometheus): ${promtool.error.message}` : null;
if (noPromtool) console.log(`promtool checks skipped: ${noPromtool}`);

const alerts = parse(read("monitoring/prometheus/alerts.yml")) as { groups: { rules: { alert: string; expr: string }[] }[] };
const RUNBOOK = read("README.md");

/** Metric names a service serves on /metrics: the real registry behind the real HTTP server. */
async function exportedMetrics(): Promise<Set<string>> {
  const metrics = createMetrics("orchestrator", { processMetrics: true });
  const server = await startHttpServer({ service: "orchestrator", host: "127.0.0.1", port: 0, log: createLogger({ service: "t", level: "silent" }), registry: metrics.registry, readiness: () => ({ ready: true, detail: "" }) });
  try {
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    return new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) => (type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!])));
  } finally {
    await server.close();
  }
}

/** Metric names in a PromQL expression: identifiers followed by `{`, `[` or a space, minus functions and keywords. */
function metricsIn(expr: string): string[] {
  const words = new Set(["sum", "by", "max", "min", "increase", "rate", "time", "absent", "or", "and", "histogram_quantile", "le", "on", "ignoring", "without", "avg", "count"]);
  return [...expr.replace(/"[^"]*"/g, '""').matchAll(/\b([a-z_][a-z0-9_]*)\b\s*(?=[{[)\s]|$)/g)].map((m) => m[1]!).filter((w) => !words.has(w) && (w.includes("_") || w === "up"));
}

describe("alert rules", () => {
  it.skipIf(noPromtool)("pass `promtool check rules` and fire exactly as `promtool test rules` expects", () => {
    for (const args of [["check", "rules", "monitoring/prometheus/alerts.yml"], ["test", "rules", "monitoring/prometheus/alerts.test.yml"]]) {
      const run = spawnSync("promtool", args, { cwd: ROOT, encoding: "utf8" });
      expect(run.status, `promtool ${args.join(" ")}:\n${run.stdout}${run.stderr}`).toBe(0);
    }
  });

  it("cover what an operator must hear about, each with a runbook section in the README", () => {
    const names = alerts.groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(names).toEqual(["SparkyDailyDigestMissing", "SparkyRunFailed", "SparkyServiceDown", "SparkyServiceNotReady", "SparkyGitHubQuotaLow", "SparkyLlmFallbacks", "SparkyPushFailing"]);
    for (const name of names) expect(RUNBOOK, `README runbook for ${name}`).toMatch(new RegExp(`^#### ${name}$`, "m"));
  });

  it("name only metrics the services export (or Prometheus's own up)", async () => {
    const exported = await exportedMetrics();
    for (const rule of alerts.groups.flatMap((g) => g.rules)) {
      for (const metric of metricsIn(rule.expr)) expect(exported.has(metric) || metric === "up", `${rule.alert}: ${metric}`).toBe(true);
    }
  });

  it("are loaded by both Prometheus configs and shipped as the same PrometheusRule", () => {
    for (const file of ["compose.yml", "kubernetes.yml"]) expect((parse(read(`monitoring/prometheus/${file}`)) as Obj).rule_files).toEqual(["alerts.yml"]);
    const generated = execFileSync("node", ["scripts/monitoring/prometheus-rule.mjs", "--print"], { cwd: ROOT, encoding: "utf8" });
    expect(read("k8s/components/prometheus-rules/prometheus-rule.yaml"), "run node scripts/monitoring/prometheus-rule.mjs").toBe(generated);
    // An overlay with the component renders it, with the rules unchanged.
    const dir = mkdtempSync(join(tmpdir(), "sparky-rules-"));
    try {
      const rel = (p: string) => relative(dir, join(ROOT, p));
      writeFileSync(join(dir, "kustomization.yaml"), `resources:\n  - ${rel("k8s/overlays/production")}\ncomponents:\n  - ${rel("k8s/components/prometheus-rules")}\n`);
      const rendered = parseAllDocuments(execFileSync("kubectl", ["kustomize", "--load-restrictor", "LoadRestrictionsNone", dir], { encoding: "utf8" })).map((d) => d.toJS() as Obj);
      const rule = rendered.find((o) => o.kind === "PrometheusRule");
      expect(rule).toMatchObject({ apiVersion: "monitoring.coreos.com/v1", metadata: { name: "sparky-alerts", namespace: "sparky" } });
      expect(rule!.spec.groups).toEqual(alerts.groups);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Grafana dashboard", () => {
  it("queries only metrics the services export", async () => {
    const exported = await exportedMetrics();
    const dashboard = JSON.parse(read("monitoring/grafana/dashboards/sparky.json")) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr })));
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      const names = metricsIn(q.expr.replaceAll("$__rate_interval", "1m"));
      expect(names.length, `${q.title}: ${q.expr}`).toBeGreaterThan(0);
      for (const metric of names) expect(exported.has(metric) || metric === "up", `${q.title}: ${metric}`).toBe(true);
    }
  });
});
