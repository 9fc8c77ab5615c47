import { describe, expect, it } from "vitest";
import { deterministicThemes } from "./deterministic-themes.js";
import type { ThemeItem } from "./theme-item.js";

const item = (id: string, title: string, extra: Partial<ThemeItem> = {}): ThemeItem => ({
  id,
  kind: "commit",
  repository: "acme/api",
  title,
  labels: [],
  author: "Alice",
  ...extra,
});

const shape = (themes: ReturnType<typeof deterministicThemes>) => themes.map((t) => [t.kind, t.title, t.itemIds]);

describe("deterministicThemes", () => {
  it("prefers release, merge, scope, type, label, area, verb, and leaves Other for what fits nothing", () => {
    const items = [
      item("1", "4.19.2", { areas: ["/"] }),
      item("2", "Prepare the release", { tag: "v4.20.0", areas: ["/"] }),
      item("3", "Merge branch '5.0'", { isMerge: true }),
      item("4", "fix(router): a", { areas: ["lib"] }),
      item("5", "feat(router): b", { areas: ["lib"] }),
      item("6", "router: c", { areas: ["lib"] }),
      item("7", "fix(cli): one scope alone joins its type", { areas: ["bin"] }),
      item("8", "Polish the login form", { kind: "pull_request", labels: ["ui", "bug"], number: 7 }),
      item("9", "Update Security.md", { areas: ["/"] }),
      item("10", "Prevent open redirect", { areas: ["/", "lib", "test"] }),
      item("11", "Fix handling of headers", { kind: "pull_request", number: 8 }),
      item("12", "Tidy things", { kind: "issue", number: 9 }),
    ];
    // Largest first, then by title in code-unit order (capitals first), Other last.
    expect(shape(deterministicThemes(items))).toEqual([
      ["scope", "router", ["4", "5", "6"]],
      ["type", "Fixes", ["7", "11"]],
      ["release", "Releases 4.19.2 and 4.20.0", ["1", "2"]],
      ["type", "Merges", ["3"]],
      ["area", "Top-level files", ["9"]],
      ["label", "bug", ["8"]],
      ["area", "lib", ["10"]],
      ["other", "Other", ["12"]],
    ]);
  });

  it("names a scope after its type when all its items share one, and areas after their repository when there are several", () => {
    const items = [
      item("1", "fix(router): a"),
      item("2", "fix(router): b", { author: "Bob" }),
      item("3", "fix(router): c"),
      item("4", "Tweak", { repository: "acme/web", areas: ["/"] }),
      item("5", "Tweak", { repository: "acme/api", areas: ["src"] }),
    ];
    const themes = deterministicThemes(items);
    expect(shape(themes)).toEqual([
      ["scope", "Fixes in router", ["1", "2", "3"]],
      ["area", "Top-level files in acme/web", ["4"]],
      ["area", "src in acme/api", ["5"]],
    ]);
    expect(themes[0]!.summary).toBe("3 commits in acme/api by 2 authors.");
  });

  it("sorts a release theme's versions semantically and counts those past five", () => {
    const versions = ["4.10.0", "4.9.0", "5.0.0-beta.1", "5.0.0", "3.0.0", "4.0.0", "2.0.0"];
    const [theme] = deterministicThemes(versions.map((v, i) => item(String(i), v)));
    expect(theme).toMatchObject({ kind: "release", title: "Releases 2.0.0, 3.0.0, 4.0.0, 4.9.0 and 3 more" });
  });

  it("says items when kinds mix and repositories when there are several", () => {
    const [theme] = deterministicThemes([item("1", "fix: a", { kind: "issue" }), item("2", "fix: b", { repository: "acme/web" })]);
    expect(theme!.summary).toBe("2 items across 2 repositories by 1 author.");
  });

  it("is the same whatever order the items come in, and empty for no items", () => {
    const items = [item("1", "fix: a", { areas: ["lib"] }), item("2", "Change", { areas: ["lib", "test"] }), item("3", "Other", { areas: ["test"] })];
    const forward = deterministicThemes(items);
    const backward = deterministicThemes([...items].reverse());
    expect(backward.map((t) => [t.title, [...t.itemIds].sort()])).toEqual(forward.map((t) => [t.title, [...t.itemIds].sort()]));
    expect(deterministicThemes([])).toEqual([]);
  });
});
