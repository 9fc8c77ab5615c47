import { byText } from "@sparky/messages";
import type { ThemeItem } from "./theme-item.js";

// Folders that go with the code they test, document or build: a commit that also touches
// code is about that code. Matched on the area's last segment, so `packages/x/test` is one too.
const SUPPORTING = new Set([
  ".changeset",
  ".github",
  "__tests__",
  "bench",
  "benches",
  "benchmark",
  "benchmarks",
  "doc",
  "docs",
  "example",
  "examples",
  "fixtures",
  "spec",
  "specs",
  "test",
  "tests",
]);

/** The areas a commit is about: root files only when it touched nothing else, supporting folders only when it touched no code. */
function candidates(areas: readonly string[]): string[] {
  const folders = areas.filter((area) => area !== "/");
  if (folders.length === 0) return [...areas];
  const code = folders.filter((area) => !SUPPORTING.has(area.slice(area.lastIndexOf("/") + 1)));
  return code.length > 0 ? code : folders;
}

/**
 * The one area each commit is grouped by, by item id (items without areas have none): of
 * its candidate areas, the one most of the period's commits in its repository are about,
 * so a change to `lib` and `test` joins the `lib` work rather than making a group of one.
 */
export function mainArea(items: readonly ThemeItem[]): Map<string, string> {
  const counts = new Map<string, number>();
  const of = new Map<string, string[]>();
  for (const item of items) {
    if (!item.areas || item.areas.length === 0) continue;
    const areas = candidates(item.areas);
    of.set(item.id, areas);
    for (const area of areas) counts.set(`${item.repository} ${area}`, (counts.get(`${item.repository} ${area}`) ?? 0) + 1);
  }
  const chosen = new Map<string, string>();
  for (const item of items) {
    const areas = of.get(item.id);
    if (!areas) continue;
    const count = (area: string) => counts.get(`${item.repository} ${area}`)!;
    chosen.set(item.id, [...areas].sort((a, b) => count(b) - count(a) || byText(a, b))[0]!);
  }
  return chosen;
}
