import type { FastifyInstance } from "fastify";
import { dashboardRoutes, probeHealth } from "@sparky/dashboard";
import type { ServiceHealth } from "@sparky/dashboard";
import type { SparkyConfig, StageServiceName } from "@sparky/harness";
import type { Clock } from "@sparky/messages";
import type { Orchestrator } from "@sparky/orchestrator";

const STAGE_SERVICES: StageServiceName[] = ["collector", "analyzer", "generator", "publisher"];

/**
 * Where the orchestrator reaches each stage's /ready: the host of its command endpoint
 * (`tcp://collector:5561` in a cluster) and its http_port.
 */
export function stageReadyUrls(config: SparkyConfig): Array<{ service: string; url: string }> {
  return STAGE_SERVICES.map((service) => {
    const host = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)/.exec(config[service].endpoint)?.[1] ?? "127.0.0.1";
    return { service, url: `http://${host}:${config[service].http_port}/ready` };
  });
}

/** The orchestrator's HTTP routes: the runs API and, beside it, the dashboard with the live event bus. */
export function orchestratorRoutes(
  runsApi: (app: FastifyInstance) => void,
  options: { config: SparkyConfig; orchestrator: Orchestrator; clock: Clock; env: NodeJS.ProcessEnv; health: () => Promise<ServiceHealth[]> },
) {
  const { config, orchestrator } = options;
  const dashboard = dashboardRoutes({
    dataDir: config.data_dir,
    outputDir: config.generator.output_dir,
    timezone: config.timezone,
    docsWebUrl: config.publisher.docs_web_url,
    docsSubdir: config.publisher.docs_subdir,
    bindHost: config.orchestrator.bind_address,
    token: options.env.SPARKY_DASHBOARD_TOKEN?.trim() || null,
    clock: options.clock,
    nextRuns: () => orchestrator.nextSchedules(),
    live: { onEvent: (listener) => orchestrator.onEvent(listener), health: options.health },
  });
  return async (app: FastifyInstance) => {
    runsApi(app);
    await dashboard(app);
  };
}

/** The five services' health as a served orchestrator sees it: its own readiness, and each stage's /ready. */
export function servedHealth(config: SparkyConfig, orchestrator: Orchestrator) {
  return async (): Promise<ServiceHealth[]> => {
    const own = await orchestrator.readiness();
    return [{ service: "orchestrator", ready: own.ready, detail: own.detail }, ...(await probeHealth(stageReadyUrls(config)))];
  };
}
