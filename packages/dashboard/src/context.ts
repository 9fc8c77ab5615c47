import type { Clock, Event, Period } from "@sparky/messages";
import { createIndexReader } from "./read-index.js";
import type { IndexReader } from "./read-index.js";
import { createRunReader } from "./read-runs.js";
import type { RunReader } from "./read-runs.js";

export interface ServiceHealth {
  service: string;
  ready: boolean;
  detail: string;
}

/** What the orchestrator lends the dashboard it mounts; absent under `sparky dashboard` alone. */
export interface LiveSource {
  /** Every event of the bus, as the orchestrator's subscription receives it; returns the unsubscribe. */
  onEvent(listener: (event: Event) => void): () => void;
  /** Each service's /ready. */
  health(): Promise<ServiceHealth[]>;
}

export interface DashboardOptions {
  dataDir: string;
  /** The generator's output folder: the digests and index.json. */
  outputDir: string;
  timezone: string;
  /** `[publisher] docs_web_url` ("" = no links to the docs repository) and `docs_subdir`. */
  docsWebUrl: string;
  docsSubdir: string;
  /** The interface the HTTP server is bound to: off loopback, reads need a sign-in. */
  bindHost: string;
  /** SPARKY_DASHBOARD_TOKEN; required off loopback. */
  token: string | null;
  clock: Clock;
  /** The next scheduled runs (the orchestrator's, or computed from the config's cron). */
  nextRuns(): { period: Period; at: string | null }[];
  live?: LiveSource;
}

export interface DashboardContext {
  options: DashboardOptions;
  index: IndexReader;
  runs: RunReader;
  /** Whether reads need the sign-in (bound off loopback). */
  signInRequired: boolean;
}

export function createContext(options: DashboardOptions, signInRequired: boolean): DashboardContext {
  return {
    options,
    index: createIndexReader(options.outputDir, options.timezone),
    runs: createRunReader(options.dataDir),
    signInRequired,
  };
}
