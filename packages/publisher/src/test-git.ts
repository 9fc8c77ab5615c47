import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createLogger } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import type { RunRef } from "@sparky/messages";

/** git for test set-up and inspection, independent of the machine's and the test HOME's config. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Someone Else",
      GIT_AUTHOR_EMAIL: "else@example.com",
      GIT_COMMITTER_NAME: "Someone Else",
      GIT_COMMITTER_EMAIL: "else@example.com",
    },
  }).trim();
}

export async function tempDir(prefix = "sparky-pub-"): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export function runRef(key = "2026-11-26", period: RunRef["period"] = "daily"): RunRef {
  return {
    runId: `${period}-${key}`,
    period,
    key,
    window: { start: "2026-11-26T00:00:00.000Z", end: "2026-11-27T00:00:00.000Z" },
    timezone: "UTC",
  };
}

/** Write what the generator would have written for `ref`. */
export async function writeDigest(outputDir: string, ref: RunRef, body: string, index = `# Digests\n\n- ${ref.key}\n`): Promise<void> {
  const file = join(outputDir, ref.period, `${ref.key}.md`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, body);
  await writeFile(join(outputDir, "index.md"), index);
}

/** A logger whose JSON lines are kept for assertions. */
export function captureLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = { write: (line: string) => void lines.push(line) };
  return { log: createLogger({ service: "publisher", level: "debug", destination }), lines };
}
