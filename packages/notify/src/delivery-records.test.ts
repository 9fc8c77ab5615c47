import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deliveryRecords } from "./delivery-records.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("deliveryRecords.claim", () => {
  it("lets exactly one of many claims made at once send, and leaves only the whole record", async () => {
    dir = await mkdtemp(join(tmpdir(), "sparky-claims-"));
    const records = deliveryRecords(dir, () => new Date("2026-11-26T08:00:00Z"));
    for (let round = 0; round < 20; round++) {
      const runId = `daily-2026-11-${String(round + 1).padStart(2, "0")}`;
      const claims = await Promise.all(Array.from({ length: 8 }, () => records.claim(runId, "succeeded", "slack")));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await records.read(runId, "succeeded", "slack"))?.state).toBe("sending");
      expect(await readdir(join(dir, "notifications", runId))).toEqual(["succeeded.slack.json"]);
    }
  });
});
