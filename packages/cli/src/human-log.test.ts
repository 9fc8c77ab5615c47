import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@sparky/harness";
import { humanLine, humanLogStream } from "./human-log.js";

describe("human log lines", () => {
  it("turns pino's JSON into one readable line per entry, secrets still redacted", async () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (d) => (text += d));
    const log = createLogger({ service: "analyzer", level: "warn", destination: humanLogStream(out) });
    log.info("not shown");
    log.warn({ token: "s3cret" }, "Ollama is not reachable");
    log.error("boom");
    await new Promise((r) => setImmediate(r));
    expect(text).toBe("sparky: warning (analyzer): Ollama is not reachable\nsparky: error (analyzer): boom\n");
    expect(text).not.toContain("s3cret");
  });

  it("leaves out the run log's transitions, which the command reports itself", () => {
    expect(humanLine(JSON.stringify({ level: 50, service: "orchestrator", event: "run.failed", msg: "daily-2026-11-18 failed: boom" }))).toBe("");
    expect(humanLine(JSON.stringify({ level: 50, service: "orchestrator", msg: "boom" }))).toBe("sparky: error (orchestrator): boom\n");
  });

  it("passes a line that is not JSON through unchanged", () => {
    expect(humanLine("plain text")).toBe("plain text\n");
  });
});
