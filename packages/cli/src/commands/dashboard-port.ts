/** `sparky dashboard`'s default port (kept here so `sparky --help` loads no dashboard code). */
export const DASHBOARD_PORT = 4343;
