import { existsSync } from "node:fs";
import { join } from "node:path";
import { nextRunsFromConfig, serveDashboard } from "@sparky/dashboard";
import { DASHBOARD_PORT } from "./dashboard-port.js";
import { createLogger, createMetrics } from "@sparky/harness";
import { OUTPUT_FILES, systemClock } from "@sparky/messages";
import { COMMON_OPTIONS, parse, positiveInt } from "../args.js";
import { EXIT } from "../cli-error.js";
import { loadWithFlags } from "../load.js";
import { untilSignal } from "../served.js";
import type { Io } from "../io.js";
import { DASHBOARD_HELP } from "./dashboard-help.js";


export async function dashboardCommand(args: string[], io: Io, onStarted?: (info: { http: number }) => void): Promise<number> {
  const { values } = parse("dashboard", args, {
    ...COMMON_OPTIONS,
    host: { type: "string" },
    port: { type: "string" },
    "output-dir": { type: "string" },
    "docs-repo": { type: "string" },
  });
  if (values.help) {
    io.stdout.write(DASHBOARD_HELP);
    return EXIT.ok;
  }
  const config = loadWithFlags(values, io.cwd);
  const port = positiveInt("dashboard", "port", values.port, DASHBOARD_PORT);
  const host = values.host ?? "127.0.0.1";
  // A clone of the docs repository is enough: the index is published with the digests.
  const docs = config.publisher.docs_subdir ? join(config.publisher.git_repo, ...config.publisher.docs_subdir.split("/")) : config.publisher.git_repo;
  const outputDir = !values["output-dir"] && !existsSync(join(config.generator.output_dir, OUTPUT_FILES.digestIndex)) && existsSync(join(docs, OUTPUT_FILES.digestIndex))
    ? docs
    : config.generator.output_dir;
  const log = createLogger({ service: "dashboard", level: values["log-level"] ?? config.log_level });
  const http = await serveDashboard({
    dataDir: config.data_dir,
    outputDir,
    timezone: config.timezone,
    docsWebUrl: config.publisher.docs_web_url,
    docsSubdir: config.publisher.docs_subdir,
    bindHost: host,
    token: io.env.SPARKY_DASHBOARD_TOKEN?.trim() || null,
    clock: systemClock,
    nextRuns: nextRunsFromConfig(config, systemClock),
    port,
    log,
    registry: createMetrics("dashboard", { processMetrics: true }).registry,
  });
  io.stderr.write(`sparky: dashboard on http://${host.includes(":") ? `[${host}]` : host}:${http.port}/dashboard/ (Ctrl-C to stop)\n`);
  onStarted?.({ http: http.port });
  await untilSignal(log);
  await http.close();
  log.flush();
  return EXIT.ok;
}
