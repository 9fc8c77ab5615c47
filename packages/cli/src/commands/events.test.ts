import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createMessage } from "@sparky/messages";
import type { Event } from "@sparky/messages";
import { createEventPublisher, startEventBus } from "@sparky/transport";
import type { EventBus, EventPublisher } from "@sparky/transport";

const SPARKY_BIN = fileURLToPath(new URL("../../bin/sparky.js", import.meta.url));

/** A loopback port nothing listens on a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe("sparky events", () => {
  it("ends quietly when its reader goes away (`sparky events | head -1`), not on an unhandled EPIPE", async () => {
    const work = mkdtempSync(join(tmpdir(), "sparky-events-"));
    cleanup.push(() => rmSync(work, { recursive: true, force: true }));
    const [input, output] = [await freePort(), await freePort()];
    const bus: EventBus = await startEventBus({ input: `tcp://127.0.0.1:${input}`, output: `tcp://127.0.0.1:${output}` });
    cleanup.push(() => bus.close());
    const publisher: EventPublisher = createEventPublisher(bus.input);
    cleanup.push(() => publisher.close());

    const child = spawn(process.execPath, [SPARKY_BIN, "events", "--json"], {
      cwd: work,
      env: { ...process.env, SPARKY_ORCHESTRATOR_HOST: "127.0.0.1", SPARKY_ORCHESTRATOR_EVENT_SUB_PORT: String(output) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    cleanup.push(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"));
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Like `head -1`: read the first line, then close the pipe's reading end.
    const firstLine = new Promise<string>((resolve) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) {
          child.stdout.destroy();
          resolve(out.slice(0, out.indexOf("\n")));
        }
      });
    });

    // Events keep coming (a subscriber joins late, and the next write after the reader left is the one that fails).
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

    expect(JSON.parse(await firstLine).type).toBe("run.started");
    const code = await exited;
    expect(stderr).not.toContain("EPIPE");
    expect(stderr).not.toContain("Unhandled");
    expect(code).toBe(0);
  });
});
