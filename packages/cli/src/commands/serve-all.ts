import { createLogger, createMergedRegistry, readSecrets, startHttpServer } from "@sparky/harness";
import type { SparkyConfig } from "@sparky/harness";
import { systemClock } from "@sparky/messages";
import { runsApi } from "@sparky/orchestrator";
import { orchestratorRoutes } from "../dashboard-mount.js";
import { startEmbedded } from "../embedded.js";
import { servedLeader, untilSignal } from "../served.js";
import type { Io } from "../io.js";

/**
 * `sparky serve all`: the five services in this process over inproc://, as `sparky digest`
 * wires them, but long-running like `sparky serve orchestrator`: schedules, the runs API and
 * dashboard on the orchestrator's port, notifications, retention, graceful SIGTERM. For one
 * machine without a cluster.
 */
export async function serveAll(config: SparkyConfig, io: Io, logLevel: string, onStarted?: (info: { http: number }) => void): Promise<void> {
  const log = createLogger({ service: "orchestrator", level: logLevel });
  const clock = systemClock;
  const { leader, catchUpWith } = await servedLeader(io.env, log);
  await leader?.start();
  const embedded = await startEmbedded(config, { logLevel, clock, served: { leader: leader ?? undefined } });
  catchUpWith(embedded.orchestrator);
  // One /metrics for all five: each service's series keep their own `service` label.
  const registry = createMergedRegistry(() => embedded.registries);
  registry.setDefaultLabels({ service: "orchestrator" });
  const http = await startHttpServer({
    service: "orchestrator",
    host: config.orchestrator.bind_address,
    port: config.orchestrator.http_port,
    log,
    registry,
    readiness: () => embedded.readiness(),
    routes: orchestratorRoutes(
      runsApi(embedded.orchestrator, {
        apiToken: readSecrets(io.env).apiToken,
        timezone: config.timezone,
        clock,
        repos: { repos: config.collector.repos, roots: config.collector.repo_roots, cwd: io.cwd },
      }),
      { config, orchestrator: embedded.orchestrator, clock, env: io.env, health: () => embedded.health() },
    ),
  });
  log.info({ http: http.port, mode: "all" }, "all five services ready in one process");
  onStarted?.({ http: http.port });

  await untilSignal(log);
  await http.close();
  await embedded.stop();
  await leader?.stop();
  await embedded.notifier.stop(5000);
  log.info("stopped");
  log.flush();
}
