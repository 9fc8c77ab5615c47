// Writes k8s/components/prometheus-rules/prometheus-rule.yaml from monitoring/prometheus/alerts.yml,
// so clusters running the Prometheus operator get the very rules the bundled Prometheus loads.
//   node scripts/monitoring/prometheus-rule.mjs          # write it
//   node scripts/monitoring/prometheus-rule.mjs --print  # print it (tests/deploy/alerts.test.ts compares)
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const root = fileURLToPath(new URL("../..", import.meta.url));
const target = `${root}/k8s/components/prometheus-rules/prometheus-rule.yaml`;

export function prometheusRule() {
  const { groups } = parse(readFileSync(`${root}/monitoring/prometheus/alerts.yml`, "utf8"));
  const rule = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "sparky-alerts", namespace: "sparky", labels: { "app.kubernetes.io/name": "sparky-alerts", "app.kubernetes.io/component": "monitoring" } },
    spec: { groups },
  };
  return `# Generated from monitoring/prometheus/alerts.yml by scripts/monitoring/prometheus-rule.mjs: edit that file, then run this script.\n${stringify(rule, { lineWidth: 0 })}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--print")) process.stdout.write(prometheusRule());
  else writeFileSync(target, prometheusRule());
}
