import type { ServiceHealth } from "./context.js";

/**
 * Each stage's /ready, as the orchestrator reaches it (in a cluster, `http://collector:9101/ready`):
 * a service that does not answer within `timeoutMs` is not ready, with the reason.
 */
export async function probeHealth(targets: Array<{ service: string; url: string }>, timeoutMs = 1500): Promise<ServiceHealth[]> {
  return Promise.all(
    targets.map(async ({ service, url }) => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        const body = (await response.json().catch(() => ({}))) as { detail?: unknown };
        const detail = typeof body.detail === "string" ? body.detail : `HTTP ${response.status}`;
        return { service, ready: response.ok, detail };
      } catch (error) {
        return { service, ready: false, detail: `no answer from ${url}: ${(error as Error).message}` };
      }
    }),
  );
}
