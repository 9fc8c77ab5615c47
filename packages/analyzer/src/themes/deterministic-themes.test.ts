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

describe("deterministicThemes", () => {
  it("groups by commit type, then label, then repository, largest first, covering every item once", () => {
    const items = [
      item("1", "feat(api): add limits"),
      item("2", "fix: handle empty input", { author: "Bob" }),
      item("3", "Feat!: breaking change"),
      item("4", "Merge pull request #42 from acme/x"),
      item("5", "Polish the login form", { kind: "pull_request", labels: ["ui", "bug"] }),
      item("6", "Unrelated work", { repository: "acme/web" }),
      item("7", "chore(deps): bump lodash", { author: "dependabot[bot]" }),
      item("8", "wip: not a known type"),
    ];
    const themes = deterministicThemes(items);
    expect(themes).toEqual([
      { title: "Features", summary: "2 commits in acme/api by 1 author.", itemIds: ["1", "3"] },
      { title: "Other work in acme/api", summary: "2 commits in acme/api by 1 author.", itemIds: ["4", "8"] },
      { title: "Fixes", summary: "1 commit in acme/api by 1 author.", itemIds: ["2"] },
      { title: "Label: bug", summary: "1 pull request in acme/api by 1 author.", itemIds: ["5"] },
      { title: "Maintenance", summary: "1 commit in acme/api by 1 author.", itemIds: ["7"] },
      { title: "Other work in acme/web", summary: "1 commit in acme/web by 1 author.", itemIds: ["6"] },
    ]);
    expect(themes.flatMap((t) => t.itemIds).sort()).toEqual(items.map((i) => i.id).sort());
  });

  it("says items when kinds mix and repositories when there are several", () => {
    const [theme] = deterministicThemes([
      item("1", "fix: a", { kind: "issue" }),
      item("2", "fix: b", { repository: "acme/web" }),
    ]);
    expect(theme!.summary).toBe("2 items across 2 repositories by 1 author.");
  });

  it("is empty for no items", () => {
    expect(deterministicThemes([])).toEqual([]);
  });
});
