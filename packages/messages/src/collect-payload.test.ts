import { describe, expect, it } from "vitest";
import { CollectPayload } from "./protocol.js";
import { periodFor } from "./period.js";

const ref = periodFor("daily", "2026-11-26", "UTC");

describe("CollectPayload", () => {
  it("takes local repositories or a GitHub organisation", () => {
    expect(CollectPayload.parse({ ...ref, repos: ["/src/a"] })).toMatchObject({ repos: ["/src/a"], org: null, refresh: false });
    expect(CollectPayload.parse({ ...ref, org: "acme", refresh: true })).toMatchObject({ repos: [], org: "acme", refresh: true });
  });

  it.each([
    ["neither", {}],
    ["both", { org: "acme", repos: ["/src/a"] }],
    ["an empty list", { repos: [] }],
  ])("refuses %s with a message that says what is needed", (_what, extra) => {
    const parsed = CollectPayload.safeParse({ ...ref, ...extra });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/exactly one source: a GitHub organisation \(org\) or at least one local repository \(repos\)/);
  });
});
