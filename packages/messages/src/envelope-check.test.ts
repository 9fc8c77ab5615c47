import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createMessage } from "./codec.js";
import { checkEnvelope } from "./envelope-check.js";
import { CommandSchema, EventSchema, ReplySchema } from "./protocol.js";

// What it decides is checked against zod in decode-equivalence.test.ts; these say when it runs.
describe("checkEnvelope", () => {
  it("vouches for valid messages of each protocol union (so zod runs on the payload only)", () => {
    expect(checkEnvelope(createMessage("ping", {}), CommandSchema)).toMatchObject({ type: "ping", payload: {} });
    expect(checkEnvelope(createMessage("pong", { service: "s", pid: 1, uptimeMs: 0 }), ReplySchema)).toMatchObject({ type: "pong" });
    const progress = createMessage("collect.progress", { jobId: "j", message: "m", done: null, total: null });
    expect(checkEnvelope(progress, EventSchema)).toEqual(progress);
  });

  it("leaves invalid messages to zod, which words the error", () => {
    expect(checkEnvelope({ ...createMessage("ping", {}), time: "yesterday" }, CommandSchema)).toBeUndefined();
    expect(checkEnvelope({ ...createMessage("pong", {}) }, ReplySchema)).toBeUndefined();
  });

  it("leaves a schema it does not know to zod whole", () => {
    const other = z.discriminatedUnion("type", [z.object({ type: z.literal("ping"), payload: z.object({}) })]);
    expect(checkEnvelope(createMessage("ping", {}), other)).toBeUndefined();
    const refined = z.discriminatedUnion("type", [CommandSchema.options[5].refine(() => false)]);
    expect(checkEnvelope(createMessage("ping", {}), refined)).toBeUndefined();
  });
});
