import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CollectPayload, periodFor } from "@sparky/messages";
import { createLogger } from "@sparky/harness";
import type { GithubCollectContext } from "./collect-github.js";
import type { GithubTiming } from "./create-github-client.js";
import type { FakeGithub } from "./testing/index.js";

export const TOKEN = "ghp_sparkyTestToken0123456789abcdefXYZ";
export const OTHER_TOKEN = "ghp_sparkySecondToken0123456789abcdefQ";

/** Every wait a few milliseconds: the waits still happen, in the same order. */
export const FAST: Partial<GithubTiming> = { rateLimitUnitMs: 5, retryUnitMs: 2, graphqlIntervalMs: 0, secondaryFallbackS: 1, requestTimeoutMs: 5000 };

export function tempDirs() {
  const made: string[] = [];
  return {
    make(prefix = "sparky-github-") {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function payload(org: string, day: string, refresh = false) {
  return CollectPayload.parse({ ...periodFor("daily", day, "UTC"), org, refresh });
}

export function context(dataDir: string, fake: FakeGithub, overrides: Partial<GithubCollectContext> = {}) {
  const logLines: string[] = [];
  const progress: string[] = [];
  const ctx: GithubCollectContext = {
    dataDir,
    botPatterns: ["[bot]", "dependabot", "renovate", "github-actions"],
    log: createLogger({ service: "github-test", level: "debug", destination: { write: (line: string) => void logLines.push(line) } }),
    clock: { now: () => new Date("2026-11-27T06:00:00.000Z") },
    progress: (message, done, total) => void progress.push(done !== null && total !== null ? `${message} (${done}/${total})` : message),
    settings: { apiUrl: fake.url, include: [], exclude: [], includeArchived: false, includeForks: false, identitiesFile: "" },
    tokens: [TOKEN],
    timing: FAST,
    ...overrides,
  };
  return { ctx, logLines, progress };
}

/** The day the synthetic organisations are active, its window, and the bot rule the tests' expectations use. */
export const DAY = "2026-11-26";
export const WINDOW = { start: "2026-11-26T00:00:00.000Z", end: "2026-11-27T00:00:00.000Z" };
export const bot = (login: string | null, name: string) => /\[bot\]|dependabot|github-actions/i.test(`${login ?? ""} ${name}`);
