import { describe, expect, it } from "vitest";
import type { Theme } from "@sparky/messages";
import { deterministicThemes } from "./deterministic-themes.js";
import { MAX_MODEL_THEMES, refinedThemes } from "./refined-themes.js";
import type { ThemeItem } from "./theme-item.js";

const item = (n: number, title: string): ThemeItem => ({ id: `i${n}`, kind: "commit", repository: "acme/api", title, labels: [], author: `A${n % 2}` });

describe("refinedThemes", () => {
  it("puts the items of model themes past the cap back in their groups: none is lost", () => {
    const items = Array.from({ length: 30 }, (_, i) => item(i, i < 20 ? `fix: bug ${i}` : `docs: page ${i}`));
    const starting = deterministicThemes(items);
    // One theme a fix, 20 of them, plus one for all the docs: only the largest 12 stand.
    const model: Theme[] = [
      { title: "Docs", summary: "Pages.", itemIds: items.slice(20).map((i) => i.id) },
      ...items.slice(0, 20).map((i) => ({ title: `Fix ${i.id}`, summary: "A fix.", itemIds: [i.id] })),
    ];
    const themes = refinedThemes(model, starting, items);
    expect(themes.filter((t) => t.kind === "llm")).toHaveLength(MAX_MODEL_THEMES);
    expect(themes.flatMap((t) => t.itemIds).sort()).toEqual(items.map((i) => i.id).sort());
    const rest = themes.find((t) => t.title === "Fixes")!;
    expect(rest).toEqual({ title: "Fixes", kind: "type", summary: "9 commits in acme/api by 2 authors.", itemIds: items.slice(11, 20).map((i) => i.id) });
    // Largest first: the docs theme (10), the rest of the fixes (9), then the single fixes in the model's order.
    expect(themes.slice(0, 3).map((t) => t.title)).toEqual(["Docs", "Fixes", "Fix i0"]);
  });

  it("keeps Other last, however large", () => {
    const items = [item(1, "Tidy"), item(2, "Tidy more"), item(3, "Tidy again"), item(4, "fix: a")];
    const starting = deterministicThemes(items);
    const themes = refinedThemes([{ title: "Fix", summary: "A fix.", itemIds: ["i4"] }], starting, items);
    expect(themes.map((t) => [t.title, t.kind])).toEqual([
      ["Fix", "llm"],
      ["Other", "other"],
    ]);
  });
});
