import { describe, expect, it } from "vitest";
import { commitItemIds, numberedItemId } from "./item-ids.js";

describe("commitItemIds", () => {
  it("uses seven hex digits, more only where two shas of a repository share them", () => {
    const ids = commitItemIds([
      { repository: "acme/api", sha: "1234567aaaa" },
      { repository: "acme/api", sha: "1234567bbbb" },
      { repository: "acme/api", sha: "89abcdef000" },
      { repository: "acme/web", sha: "1234567cccc" },
    ]);
    expect([...ids.values()]).toEqual(["acme/api@1234567a", "acme/api@1234567b", "acme/api@89abcde", "acme/web@1234567"]);
    expect(ids.get("acme/web 1234567cccc")).toBe("acme/web@1234567");
  });

  it("gives the same ids whatever the order", () => {
    const commits = [
      { repository: "r", sha: "abcdef01" },
      { repository: "r", sha: "abcdef02" },
    ];
    expect([...commitItemIds(commits)].sort()).toEqual([...commitItemIds([...commits].reverse())].sort());
  });

  it("numbers pull requests and issues like GitHub", () => {
    expect(numberedItemId("acme/api", 42)).toBe("acme/api#42");
  });
});
