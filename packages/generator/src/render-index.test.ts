import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Period } from "@sparky/messages";
import { readDigestEntries, renderIndex } from "./render-index.js";
import { renderDigest } from "./render-digest.js";
import { analysisFor } from "./test-analysis.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sparky-index-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeDigest(period: Period, date: string, commits = 4): Promise<void> {
  const base = analysisFor(period, {}, date);
  const analysis = { ...base, totals: { ...base.totals, commits } };
  await mkdir(join(dir, period), { recursive: true });
  await writeFile(join(dir, period, `${analysis.key}.md`), renderDigest(analysis, { maxItems: 5 }));
}

function linksOf(markdown: string): string[] {
  return [...markdown.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]!);
}

describe("readDigestEntries and renderIndex", () => {
  it("lists every digest grouped by period, newest first, with its headline figures", async () => {
    // Written out of order on purpose: the listing must not follow the file system's order.
    await writeDigest("daily", "2026-11-25", 7);
    await writeDigest("daily", "2026-11-26", 4);
    await writeDigest("daily", "2026-11-24", 1);
    await writeDigest("weekly", "2026-11-19");
    await writeDigest("weekly", "2026-11-26");
    await writeDigest("monthly", "2026-10-10");
    await writeDigest("monthly", "2026-11-26");
    await writeDigest("monthly", "2025-12-01");

    const entries = await readDigestEntries(dir);
    expect(entries).toHaveLength(8);
    const index = renderIndex(entries);

    expect(linksOf(index)).toEqual([
      "daily/2026-11-26.md",
      "daily/2026-11-25.md",
      "daily/2026-11-24.md",
      "weekly/2026-W48.md",
      "weekly/2026-W47.md",
      "monthly/2026-11.md",
      "monthly/2026-10.md",
      "monthly/2025-12.md",
    ]);
    expect([...index.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(["Daily digests", "Weekly digests", "Monthly digests"]);
    expect(index).toContain("| [2026-11-25](daily/2026-11-25.md) | 7 | 1 | 3 | 1 | 2 | +239 / \u221249 |");
    expect(index).toContain("| [2026-W48 (2026-11-23 to 2026-11-29)](weekly/2026-W48.md) | 4 |");
    expect(index).toContain("| [November 2026](monthly/2026-11.md) | 4 |");
    expect(index.endsWith("\n") && !index.endsWith("\n\n")).toBe(true);
  });

  it("leaves out files that are not Sparky digests, and does not crash on them", async () => {
    await writeDigest("daily", "2026-11-26");
    await writeDigest("weekly", "2026-11-26");
    await writeFile(join(dir, "daily", "garbage.md"), "# Notes\n\nnot a digest\n");
    await writeFile(join(dir, "daily", "binary.md"), Buffer.from([0xff, 0xfe, 0x00, 0x2d, 0x2d, 0x2d, 0x0a]));
    await writeFile(join(dir, "daily", "half.md"), "---\ntitle: \"Daily digest: 2026-11-20\"\nperiod: \"daily\"\n");
    await writeFile(join(dir, "daily", "empty.md"), "");
    await writeFile(join(dir, "daily", "notes.txt"), "---\n");
    await mkdir(join(dir, "daily", "folder.md"));
    // A weekly digest filed under daily/ would be listed under a heading it contradicts.
    await writeFile(
      join(dir, "daily", "misfiled.md"),
      renderDigest(analysisFor("weekly", {}, "2026-11-12"), { maxItems: 5 }),
    );
    await writeFile(join(dir, "monthly"), "a file where a folder should be");

    const entries = await readDigestEntries(dir);
    expect(entries.map((e) => e.relativePath).sort()).toEqual(["daily/2026-11-26.md", "weekly/2026-W48.md"]);
    expect(linksOf(renderIndex(entries))).toEqual(["daily/2026-11-26.md", "weekly/2026-W48.md"]);
  });

  it("says so when there are no digests yet", async () => {
    expect(await readDigestEntries(join(dir, "does-not-exist"))).toEqual([]);
    expect(renderIndex([])).toContain("\n\nNo digests yet.\n");
  });

  it("escapes what a hand-edited front matter says and encodes odd file names in links", async () => {
    const base = analysisFor("daily");
    const markdown = renderDigest(base, { maxItems: 5 }).replace('key: "2026-11-26"', 'key: "[x](https://evil.example)"');
    await mkdir(join(dir, "daily"), { recursive: true });
    await writeFile(join(dir, "daily", "odd (name).md"), markdown);
    const index = renderIndex(await readDigestEntries(dir));
    expect(linksOf(index)).toEqual(["daily/odd%20%28name%29.md"]);
    expect(index).not.toContain("](https://evil");
  });
});
