import { Counter } from "prom-client";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";
import { createMergedRegistry } from "./merged-registry.js";

describe("createMergedRegistry", () => {
  it("prints every service's series, each family's HELP and TYPE once", async () => {
    const collector = createMetrics("collector");
    const analyzer = createMetrics("analyzer");
    collector.jobs.inc({ stage: "collect", outcome: "succeeded" });
    analyzer.jobs.inc({ stage: "analyze", outcome: "failed" }, 2);
    const merged = createMergedRegistry(() => [collector.registry, analyzer.registry]);
    merged.setDefaultLabels({ service: "orchestrator" });
    new Counter({ name: "sparky_http_requests_total", help: "requests", registers: [merged] }).inc();

    const text = await merged.metrics();
    expect(text.match(/^# TYPE sparky_jobs_total counter$/gm)).toHaveLength(1);
    expect(text.match(/^# HELP sparky_jobs_total /gm)).toHaveLength(1);
    expect(text).toContain('sparky_jobs_total{stage="collect",outcome="succeeded",service="collector"} 1');
    expect(text).toContain('sparky_jobs_total{stage="analyze",outcome="failed",service="analyzer"} 2');
    expect(text).toContain('sparky_http_requests_total{service="orchestrator"} 1');
    // The samples of a family follow its TYPE line, before the next family.
    const lines = text.split("\n");
    const type = lines.indexOf("# TYPE sparky_jobs_total counter");
    const samples = lines.map((l, i) => (l.startsWith("sparky_jobs_total{") ? i : -1)).filter((i) => i >= 0);
    expect(samples.every((i) => i > type && lines.slice(type + 1, i).every((l) => !l.startsWith("#")))).toBe(true);
  });
});
