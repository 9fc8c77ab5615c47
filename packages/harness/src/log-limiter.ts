import type { Logger } from "pino";

export interface LogLimiterOptions {
  /** Lines logged per key in each window; the rest are counted, not written. */
  burst?: number;
  windowMs?: number;
  now?: () => number;
}

/**
 * Warnings about input a peer controls (garbage frames, malformed events) must not let that
 * peer fill the disk with log lines: each key (an error code) logs `burst` lines per
 * window, and the first line of the next window says how many were left out. The metrics
 * still count every one.
 */
export function createLogLimiter(log: Logger, options: LogLimiterOptions = {}) {
  const burst = options.burst ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; logged: number; suppressed: number }>();
  return {
    warn(key: string, fields: Record<string, unknown>, message: string): boolean {
      const t = now();
      let w = windows.get(key);
      if (!w || t - w.start >= windowMs) {
        const suppressed = w?.suppressed ?? 0;
        w = { start: t, logged: 0, suppressed: 0 };
        windows.set(key, w);
        if (suppressed > 0) fields = { ...fields, suppressed };
      }
      if (w.logged >= burst) {
        w.suppressed++;
        return false;
      }
      w.logged++;
      const last = w.logged === burst;
      log.warn(last ? { ...fields, rateLimited: `further lines for ${key} are counted, not logged, for ${windowMs / 1000} s` } : fields, message);
      return true;
    },
  };
}
export type LogLimiter = ReturnType<typeof createLogLimiter>;
