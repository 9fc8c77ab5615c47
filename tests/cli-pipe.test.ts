import { spawn } from "node:child_process";
import type { ChildProcessByStdio } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMessage } from "@sparky/messages";
import type { Event } from "@sparky/messages";
import { createEventPublisher, startEventBus } from "@sparky/transport";
import { buildWeekFixture } from "./support/git-fixture.js";
import { SPARKY_BIN } from "./support/processes.js";

// A reader that goes away (`| head -1`, `grep -m1`) makes sparky's next write fail with EPIPE:
// the process must neither crash on it nor leave its work half done.
let root: string;
const cleanup: (() => unknown)[] = [];
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sparky-pipe-"));
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** sparky with stdout and stderr on one pipe, whose reader leaves after its first line, as `2>&1 | head -1` does. */
function readOneLineAndLeave(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, [SPARKY_BIN, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanup.push(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve) => {
    let out = "";
    const leave = (chunk: Buffer) => {
      out += chunk;
      if (!out.includes("\n")) return;
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(out.slice(0, out.indexOf("\n")));
    };
    child.stdout.on("data", leave);
    child.stderr.on("data", leave);
  });
  // What is written after the reader left is lost, a crash's trace too: the exit code tells.
  return { firstLine, exited };
}

describe("sparky and a reader that goes away", () => {
  it("digest: the run goes on to publish its digest and exits 0", async () => {
    const fixture = buildWeekFixture(join(root, "repos"));
    const work = join(root, "digest");
    mkdirSync(work);
    const run = readOneLineAndLeave(["digest", ...fixture.repos.flatMap((r) => ["--repo", r]), "--period", "weekly", "--date", fixture.date], work, {
      SPARKY_ANALYZER_LLM_ENABLED: "false",
    });
    expect(await run.firstLine).toContain(fixture.runId);
    expect(await run.exited).toBe(0);
    expect(existsSync(join(work, "output", "weekly", "2026-W47.md"))).toBe(true);
    const record = JSON.parse(readFileSync(join(work, "data", "state", "runs", `${fixture.runId}.json`), "utf8"));
    expect(record.state).toBe("succeeded");
  });

  it("events: the follow ends as Ctrl-C ends it, exit 0", async () => {
    const bus = await startEventBus({ input: "tcp://127.0.0.1:0", output: "tcp://127.0.0.1:0" });
    cleanup.push(() => bus.close());
    const publisher = createEventPublisher(bus.input);
    cleanup.push(() => publisher.close());
    const port = new URL(bus.output).port;
    const run = readOneLineAndLeave(["events", "--json"], root, { SPARKY_ORCHESTRATOR_HOST: "127.0.0.1", SPARKY_ORCHESTRATOR_EVENT_SUB_PORT: port });
    // Events keep coming: the subscriber joins late, and the write after the reader left is the one that fails.
    let done = false;
    const publishing = (async () => {
      for (let i = 0; !done; i++) {
        await publisher.publish(createMessage<Event>("run.started", { runId: "daily-2026-11-26", stage: null, message: `event ${i}` }, { runId: "daily-2026-11-26" }));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    cleanup.push(async () => {
      done = true;
      await publishing;
    });
    // Its first line is the notice on stderr, or an event.
    expect(await run.firstLine).toMatch(/following events|run\.started/);
    expect(await run.exited).toBe(0);
  });
});
