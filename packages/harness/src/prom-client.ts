import { createRequire } from "node:module";

type PromClient = typeof import("prom-client");
let loaded: PromClient | undefined;

/**
 * prom-client, loaded on first use. It costs ~90 ms and a few MiB at start (it pulls in
 * @opentelemetry/api), and only a process whose metrics are scraped needs it: `sparky
 * digest`, `backfill` and `resume` record into `unservedMetrics()` and never load it.
 * A CommonJS package, so a plain require keeps `createMetrics` synchronous.
 */
export function promClient(): PromClient {
  return (loaded ??= createRequire(import.meta.url)("prom-client") as PromClient);
}
