import { SparkyError } from "@sparky/messages";
import { startHttpServer } from "@sparky/harness";
import type { HttpServer, Logger } from "@sparky/harness";
import type { DashboardOptions } from "./context.js";
import { dashboardRoutes, noTokenMessage } from "./dashboard-routes.js";
import { isLoopback } from "./security.js";

export const DASHBOARD_PORT = 4343;

/**
 * The dashboard alone on one port (`sparky dashboard`): reads the data directory and the
 * output folder, with /health, /ready and /metrics like any Sparky server. Off loopback
 * with no token it does not start at all, and says how to set one.
 */
export async function serveDashboard(options: DashboardOptions & { port: number; log: Logger; registry: Parameters<typeof startHttpServer>[0]["registry"] }): Promise<HttpServer> {
  if (!isLoopback(options.bindHost) && !options.token) {
    throw new SparkyError("SPARKY_DASHBOARD_NO_TOKEN", noTokenMessage(options.bindHost));
  }
  return startHttpServer({
    service: "dashboard",
    host: options.bindHost,
    port: options.port,
    log: options.log,
    registry: options.registry,
    readiness: () => ({ ready: true, detail: `serving ${options.outputDir} and ${options.dataDir}` }),
    routes: dashboardRoutes(options),
  });
}
