import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { createLogLimiter } from "./log-limiter.js";

function capture() {
  const lines: string[] = [];
  const log = createLogger({ service: "collector", destination: { write: (line: string) => void lines.push(line) } });
  return { log, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("createLogLimiter", () => {
  it("writes a handful of lines for 2,000 garbage frames, then says how many it left out", () => {
    const { log, records } = capture();
    let t = 0;
    const limiter = createLogLimiter(log, { burst: 5, windowMs: 60_000, now: () => t });
    for (let i = 0; i < 2000; i++) limiter.warn("SPARKY_MSG_FRAMES", { code: "SPARKY_MSG_FRAMES" }, "refused a malformed command");
    expect(records()).toHaveLength(5);
    expect(records()[4]).toHaveProperty("rateLimited");
    t = 60_000;
    limiter.warn("SPARKY_MSG_FRAMES", { code: "SPARKY_MSG_FRAMES" }, "refused a malformed command");
    expect(records()).toHaveLength(6);
    expect(records()[5]).toMatchObject({ suppressed: 1995 });
  });

  it("limits each key apart", () => {
    const { log, records } = capture();
    const limiter = createLogLimiter(log, { burst: 1, now: () => 0 });
    limiter.warn("A", {}, "a");
    limiter.warn("A", {}, "a");
    limiter.warn("B", {}, "b");
    expect(records().map((r) => r.msg)).toEqual(["a", "b"]);
  });
});
