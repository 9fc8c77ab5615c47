import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openEtagCache } from "./etag-cache.js";
import { tempDirs } from "./test-github.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe("ETag cache", () => {
  it("prunes the oldest entries of a kind, keeping the others and what it was told to keep", async () => {
    const file = join(dirs.make(), "cache.json");
    let t = Date.parse("2026-11-01T00:00:00Z");
    const cache = await openEtagCache(file, () => new Date((t += 1000)));
    cache.set("GET /orgs/acme/repos?page=1", { etag: "e", body: [], hasNext: false });
    for (let i = 0; i < 5; i++) cache.set(`SEARCH day ${i}`, { etag: "final", body: { repositories: [] }, hasNext: false });
    cache.prune("SEARCH ", 2);
    await cache.save();
    const again = await openEtagCache(file, () => new Date());
    expect(["SEARCH day 0", "SEARCH day 1", "SEARCH day 2"].map((k) => again.get(k))).toEqual([undefined, undefined, undefined]);
    expect(again.get("SEARCH day 3")).toBeDefined();
    expect(again.get("SEARCH day 4")).toBeDefined();
    expect(again.get("GET /orgs/acme/repos?page=1")).toBeDefined();
  });
});
