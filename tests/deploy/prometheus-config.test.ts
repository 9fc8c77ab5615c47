// Every Prometheus config in the repository passes the real `promtool check config`
// (Debian's Prometheus 2.x here; compose and k8s run 3.x, so the files keep to what both
// accept), and its static targets are services that exist, on their metrics ports.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SERVICES, loadConfig } from "@sparky/harness";
import { ROOT, read, render } from "./support.js";
import type { Obj } from "./support.js";

const promtool = spawnSync("promtool", ["--version"], { encoding: "utf8" });
const noPromtool = promtool.error ? `promtool not found (Debian: apt-get install prometheus): ${promtool.error.message}` : null;
if (noPromtool) console.log(`promtool checks skipped: ${noPromtool}`);

// Configs are the files with scrape jobs; alerts.yml and its tests are rules (tests/deploy/alerts.test.ts).
const CONFIGS = readdirSync(`${ROOT}/monitoring/prometheus`)
  .filter((f) => f.endsWith(".yml"))
  .map((f) => `monitoring/prometheus/${f}`)
  .filter((f) => "scrape_configs" in (parse(read(f)) as object));

function targets(file: string): string[] {
  const config = parse(read(file)) as { scrape_configs: { static_configs?: { targets: string[] }[] }[] };
  return config.scrape_configs.flatMap((s) => s.static_configs ?? []).flatMap((s) => s.targets);
}

describe("Prometheus configs", () => {
  it.skipIf(noPromtool)("pass `promtool check config`", () => {
    expect(CONFIGS).toEqual(expect.arrayContaining(["monitoring/prometheus/compose.yml", "monitoring/prometheus/kubernetes.yml"]));
    for (const file of CONFIGS) {
      const check = spawnSync("promtool", ["check", "config", file], { cwd: ROOT, encoding: "utf8" });
      expect(check.status, `${file}:\n${check.stdout}${check.stderr}`).toBe(0);
    }
  });

  it("scrape, under compose, each service by its compose name on its HTTP port", () => {
    const { config } = loadConfig({ file: `${ROOT}/config/compose.toml`, env: {}, cwd: ROOT });
    const port = (s: string) => (s === "orchestrator" ? config.orchestrator.http_port : (config as unknown as Record<string, { http_port: number }>)[s]!.http_port);
    expect(targets("monitoring/prometheus/compose.yml").sort()).toEqual(SERVICES.map((s) => `${s}:${port(s)}`).sort());
  });

  it("scrape, in k8s, each service's Service on the port named http", () => {
    const services = render("k8s/base").filter((o: Obj) => o.kind === "Service");
    const expected = SERVICES.map((s) => {
      const svc = services.find((o: Obj) => o.metadata.name === `sparky-${s}`);
      expect(svc, `Service sparky-${s}`).toBeDefined();
      return `sparky-${s}:${svc!.spec.ports.find((p: Obj) => p.name === "http").port}`;
    });
    expect(targets("monitoring/prometheus/kubernetes.yml").sort()).toEqual(expected.sort());
  });
});
