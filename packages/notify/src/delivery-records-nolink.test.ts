import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deliveryRecords } from "./delivery-records.js";

// A volume without hard links (some network shares) refuses link(2) with EPERM.
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return { ...actual, link: async () => Promise.reject(Object.assign(new Error("operation not permitted, link"), { code: "EPERM" })) };
});

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("deliveryRecords.claim on a volume without hard links", () => {
  it("still claims once, by an exclusive create, and leaves no temp file", async () => {
    dir = await mkdtemp(join(tmpdir(), "sparky-claims-nolink-"));
    const records = deliveryRecords(dir, () => new Date("2026-11-26T08:00:00Z"));
    expect(await records.claim("daily-2026-11-26", "succeeded", "slack")).toBe(true);
    expect(await records.claim("daily-2026-11-26", "succeeded", "slack")).toBe(false);
    expect((await records.read("daily-2026-11-26", "succeeded", "slack"))?.state).toBe("sending");
    expect(await readdir(join(dir, "notifications", "daily-2026-11-26"))).toEqual(["succeeded.slack.json"]);
  });
});
