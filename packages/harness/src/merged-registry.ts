import type { Registry } from "prom-client";
import { promClient } from "./prom-client.js";

/**
 * One `/metrics` for several services in one process (`sparky serve all`). Each service keeps
 * its own registry (its series carry its `service` label, as when served alone); this one
 * prints them all, each metric family once: the same name in two registries would otherwise
 * repeat `# HELP`/`# TYPE`, which Prometheus rejects.
 */
export function createMergedRegistry(others: () => readonly Registry[]): Registry {
  // A class made on call, not at load: prom-client loads only where metrics are served.
  const MergedRegistry = class extends promClient().Registry {
    override async metrics(): Promise<string> {
      const texts = [await super.metrics(), ...(await Promise.all(others().map((r) => r.metrics())))];
      return mergeExposition(texts);
    }
  };
  return new MergedRegistry();
}

/** Merge Prometheus text expositions: families in first-seen order, samples of one name together. */
export function mergeExposition(texts: readonly string[]): string {
  const families = new Map<string, { help: string | null; type: string | null; samples: string[] }>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { help: null, type: null, samples: [] }));
    return f;
  };
  for (const text of texts) {
    let current: string | null = null;
    for (const line of text.split("\n")) {
      if (!line) continue;
      const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (meta) {
        current = meta[2]!;
        const f = family(current);
        if (meta[1] === "HELP") f.help ??= line;
        else f.type ??= line;
        continue;
      }
      if (line.startsWith("#") || current === null) continue;
      family(current).samples.push(line);
    }
  }
  const out: string[] = [];
  for (const f of families.values()) {
    if (f.help) out.push(f.help);
    if (f.type) out.push(f.type);
    out.push(...f.samples);
  }
  return `${out.join("\n")}\n`;
}
