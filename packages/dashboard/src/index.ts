export { dashboardRoutes, noTokenMessage } from "./dashboard-routes.js";
export type { DashboardOptions, LiveSource, ServiceHealth } from "./context.js";
export { serveDashboard, DASHBOARD_PORT } from "./serve-dashboard.js";
export { nextRunsFromConfig } from "./next-runs.js";
export { probeHealth } from "./probe-health.js";
export { CONTENT_SECURITY_POLICY, isLoopback } from "./security.js";
