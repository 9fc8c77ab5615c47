// What the compose test asks of Prometheus: the repository's own scrape config finds every
// service up, every query of the Grafana dashboard returns series, and `promtool check
// metrics` (Debian's promtool on the host) finds nothing wrong with any /metrics.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { loadConfig } from "@sparky/harness";
import { ROOT } from "./docker.js";
import { waitFor } from "../support/processes.js";

interface Options {
  prometheusUrl: string;
  compose: (args: string[]) => Promise<{ stdout: string }>;
  container: (service: string) => Promise<string>;
  services: readonly string[];
}

interface Target {
  labels: Record<string, string>;
  health: string;
  lastError: string;
}

/** The dashboard's PromQL, with Grafana's variables given the values a viewer starts with. */
export function dashboardQueries(): string[] {
  const dashboard = JSON.parse(readFileSync(`${ROOT}/monitoring/grafana/dashboards/sparky.json`, "utf8")) as {
    panels: { targets?: { expr: string }[] }[];
  };
  return dashboard.panels
    .flatMap((p) => p.targets ?? [])
    .map((t) => t.expr.replaceAll("$service", ".*").replaceAll("$__rate_interval", "1m"));
}

async function query(url: string, expr: string): Promise<unknown[]> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
  return body.data!.result;
}

export async function checkPrometheus({ prometheusUrl, compose, services }: Options): Promise<void> {
  const targets = await waitFor("every Sparky target up", async () => {
    const body = (await (await fetch(`${prometheusUrl}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
    const sparky = body.data.activeTargets.filter((t) => t.labels.job === "sparky");
    return sparky.length === services.length && sparky.every((t) => t.health === "up") ? sparky : undefined;
  }, 90_000);
  expect(targets.map((t) => t.labels.instance!.split(":")[0]).sort()).toEqual([...services].sort());

  // rate() and increase() over 1m need two scrapes (15 s apart) after the run. The stack
  // collects a local repository: GitHub's quota panel has nothing to show there.
  const pending = new Set(dashboardQueries().filter((q) => !q.includes("sparky_github_")));
  await waitFor(`series for every dashboard query (still empty: ${[...pending].join(" | ")})`, async () => {
    for (const expr of [...pending]) if ((await query(prometheusUrl, expr)).length > 0) pending.delete(expr);
    return pending.size === 0 ? true : undefined;
  }, 120_000);

  const { config } = loadConfig({ file: `${ROOT}/config/compose.toml`, env: {}, cwd: ROOT });
  for (const service of services) {
    const port = service === "orchestrator" ? config.orchestrator.http_port : (config as unknown as Record<string, { http_port: number }>)[service]!.http_port;
    const fetchMetrics = `fetch("http://127.0.0.1:${port}/metrics").then((r) => r.text()).then((t) => process.stdout.write(t))`;
    const metrics = (await compose(["exec", "-T", service, "node", "-e", fetchMetrics])).stdout;
    expect(metrics, service).toMatch(/^sparky_/m);
    const lint = spawnSync("promtool", ["check", "metrics"], { input: metrics, encoding: "utf8" });
    if (lint.error) throw new Error(`promtool is needed for this check (Debian: apt-get install prometheus): ${lint.error.message}`);
    expect(`${lint.stdout}${lint.stderr}`.trim(), `promtool check metrics on ${service}`).toBe("");
    expect(lint.status, service).toBe(0);
  }
}
