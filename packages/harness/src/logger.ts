import pino from "pino";
import type { Logger, DestinationStream } from "pino";

export type { Logger };

/** Keys that may carry secrets anywhere in a log object. */
export const REDACT_PATHS = [
  "token",
  "*.token",
  "apiToken",
  "*.apiToken",
  "githubToken",
  "*.githubToken",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "*.headers.authorization",
  "password",
  "*.password",
  "GITHUB_TOKEN",
  "*.GITHUB_TOKEN",
  "SPARKY_API_TOKEN",
  "*.SPARKY_API_TOKEN",
];

/** JSON logs with the service name on every line and secrets redacted. Logs go to stderr: stdout is for output. */
export function createLogger(options: { service: string; level?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service, pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
