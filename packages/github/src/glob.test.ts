import { describe, expect, it } from "vitest";
import { globToRegExp, repositoryFilter } from "./glob.js";

describe("repository globs", () => {
  it.each([
    ["api-*", "api-gateway", true],
    ["api-*", "web-api", false],
    ["*-archive", "old-archive", true],
    ["svc-?", "svc-a", true],
    ["svc-?", "svc-ab", false],
    ["svc-[ab]", "svc-b", true],
    ["svc-[!ab]", "svc-b", false],
    ["{api,web}-*", "web-ui", true],
    ["a.b", "aXb", false],
    ["API-*", "api-x", true],
  ])("%s matches %s: %s", (glob, name, expected) => {
    expect(globToRegExp(glob).test(name)).toBe(expected);
  });

  it("matches owner/name when the glob has a slash, and applies exclude after include", () => {
    const keep = repositoryFilter(["acme/api-*", "web"], ["*-legacy"]);
    expect(keep("acme", "api-core")).toBe(true);
    expect(keep("other", "api-core")).toBe(false);
    expect(keep("acme", "web")).toBe(true);
    expect(keep("acme", "api-legacy")).toBe(false);
    expect(repositoryFilter([], [])("acme", "anything")).toBe(true);
  });
});
