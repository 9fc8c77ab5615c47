import { SERVICES, createLogger, createMetrics, readSecrets, resolveEndpoints, startHttpServer } from "@sparky/harness";
import type { HttpServer, ServiceName, StageServiceName } from "@sparky/harness";
import { systemClock } from "@sparky/messages";
import { COMMON_OPTIONS, parse } from "../args.js";
import { EXIT, UsageError } from "../cli-error.js";
import { loadWithFlags } from "../load.js";
import { servedLeader, untilSignal } from "../served.js";
import { STAGE_FACTORIES } from "../services.js";
import type { Io } from "../io.js";

export const SERVE_HELP = `Usage: sparky serve <orchestrator|collector|analyzer|generator|publisher|all> [options]

Run one service as its own process, over tcp:// with the endpoints from config, plus
an HTTP server with /health, /ready and /metrics (the orchestrator adds the runs API:
GET /runs, GET /runs/:id, POST /runs, POST /runs/:id/resume, POST /backfill,
GET /backfill/:id) and the web dashboard under /dashboard/. The orchestrator runs the schedules, catches up on periods they
missed in the last catch_up_days, and announces runs to [notify] targets. Stops
cleanly on SIGTERM or SIGINT: running work finishes first.

\`sparky serve all\` runs the five services in one process over inproc:// (no ports
but the orchestrator's http_port): the runs API, schedules, notifications and
retain_raw_days as the served orchestrator has them, one /metrics for all five
(each series labelled with its service), /ready when all five are. For a single
machine without a cluster.

Options:
  --config FILE        TOML config (default: config/$SPARKY_ENV.toml)
  --data-dir DIR       Override data_dir
  --log-level LEVEL    Override log_level
  -h, --help           This help

Environment: SPARKY_<SECTION>_<KEY> overrides any config key (SPARKY_COLLECTOR_HTTP_PORT=9201);
SPARKY_API_TOKEN enables POST on the orchestrator's runs and backfill API;
SPARKY_DASHBOARD_TOKEN is the dashboard's sign-in when bind_address is not loopback. In a Kubernetes pod,
SPARKY_LEADER_ELECTION=true makes orchestrator replicas elect, through a coordination.k8s.io
Lease (SPARKY_LEADER_LEASE, default sparky-orchestrator), the one that runs the schedules.
`;

export async function serveCommand(args: string[], io: Io, onStarted?: (info: { http: number }) => void): Promise<number> {
  const { values, positionals } = parse("serve", args, { ...COMMON_OPTIONS }, true);
  if (values.help) {
    io.stdout.write(SERVE_HELP);
    return EXIT.ok;
  }
  const name = positionals[0] as ServiceName | "all" | undefined;
  if (!name || !(SERVICES as readonly string[]).includes(name) && name !== "all" || positionals.length > 1) {
    throw new UsageError(`serve: name one service: ${SERVICES.join(", ")}, or all`);
  }
  const config = loadWithFlags(values, io.cwd);
  if (name === "all") {
    const { serveAll } = await import("./serve-all.js");
    await serveAll(config, io, values["log-level"] ?? config.log_level, onStarted);
    return EXIT.ok;
  }
  const log = createLogger({ service: name, level: values["log-level"] ?? config.log_level });
  const metrics = createMetrics(name, { processMetrics: true });
  const endpoints = resolveEndpoints(config, "tcp");
  const clock = systemClock;

  let stop: () => Promise<void>;
  let http: HttpServer;
  if (name === "orchestrator") {
    // A stage process never loads the orchestrator, its runs API, notifications or the
    // dashboard (markdown-it, sanitize-html): they are most of a stage's idle RSS otherwise.
    const [{ createOrchestrator, runsApi }, { createNotifier }, { orchestratorRoutes, servedHealth }] = await Promise.all([
      import("@sparky/orchestrator"),
      import("@sparky/notify"),
      import("../dashboard-mount.js"),
    ]);
    // In a cluster with SPARKY_LEADER_ELECTION=true, replicas share the schedules through a Lease.
    const { leader, catchUpWith } = await servedLeader(io.env, log);
    await leader?.start();
    const notifier = createNotifier({ config, log: log.child({ component: "notify" }) });
    const orchestrator = createOrchestrator({ config, endpoints, log, clock, metrics, schedules: true, mode: "served", retention: true, leader: leader ?? undefined });
    catchUpWith(orchestrator);
    await orchestrator.start();
    orchestrator.onEvent((event) => notifier.onEvent(event));
    http = await startHttpServer({
      service: name,
      host: config.orchestrator.bind_address,
      port: config.orchestrator.http_port,
      log,
      registry: metrics.registry,
      readiness: () => orchestrator.readiness(),
      routes: orchestratorRoutes(
        runsApi(orchestrator, {
          apiToken: readSecrets(io.env).apiToken,
          timezone: config.timezone,
          clock,
          // Repositories a POST may name: the configured ones, or any under repo_roots.
          repos: { repos: config.collector.repos, roots: config.collector.repo_roots, cwd: io.cwd },
        }),
        { config, orchestrator, clock, env: io.env, health: servedHealth(config, orchestrator) },
      ),
    });
    stop = async () => {
      await orchestrator.stop();
      await leader?.stop();
      await notifier.stop(5000);
    };
  } else {
    const create = await STAGE_FACTORIES[name as StageServiceName]();
    const service = create({ config, endpoints, log, clock, metrics });
    await service.start();
    http = await startHttpServer({
      service: name,
      host: config.bind_host,
      port: config[name].http_port,
      log,
      registry: metrics.registry,
      readiness: () => service.readiness(),
    });
    stop = () => service.stop();
  }
  log.info({ http: http.port }, `${name} ready`);
  onStarted?.({ http: http.port });

  await untilSignal(log);
  await http.close();
  await stop();
  log.info("stopped");
  log.flush();
  return EXIT.ok;
}
