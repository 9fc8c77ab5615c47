import { closeSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDirs } from "../test-git-repo.js";
import { HistoryIndex } from "./history-index.js";
import { blockHas, countFrom, encodeBlock, readBlocks, readRange } from "./scan-cache-file.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe("a cache block's searches", () => {
  it("find the rows of a time range, a commit by sha and time, and counts, as a pass over every row would", async () => {
    // 5,000 rows, many sharing a second, added out of time order: well past one read's span.
    const index = new HistoryIndex();
    const rows: { sha: string; time: number }[] = [];
    for (let i = 0; i < 5000; i++) {
      const row = { sha: (i * 7919).toString(16).padStart(40, "a"), time: 1_700_000_000 + ((i * 37) % 1200) * 3 };
      rows.push(row);
      index.add(row.sha, row.time, { name: `A${i % 5}`, email: "a@example.com" }, i % 11 === 0);
    }
    const file = join(dirs.make("sparky-block-"), "block.scan");
    const meta = { repository: "/r", fingerprint: "f", tip: "f".repeat(40), from: null };
    const parts = encodeBlock({ ...meta, authors: index.authors.map((a) => [a.name, a.email]), firstSeen: index.firstSeen(), newest: index.newest() }, index);
    writeFileSync(file, Buffer.concat(parts));
    const fd = openSync(file, "r");
    try {
      const handle = { fd };
      const { blocks } = await readBlocks(handle, parts[0].length + parts[1].length);
      const block = blocks[0]!;
      for (const [start, end] of [[0, 1_700_000_001], [1_700_000_000, 1_700_000_001], [1_700_000_600, 1_700_001_800], [1_700_003_597, 2e9], [2e9, 3e9]] as const) {
        const found = await readRange(handle, block, start, end);
        const expected = rows.filter((r) => r.time >= start && r.time < end);
        expect(found.count, `${start}..${end}`).toBe(expected.length);
        expect(Array.from({ length: found.count }, (_, at) => found.sha(at)).sort()).toEqual(expected.map((r) => r.sha).sort());
        expect(countFrom(handle, block, start)).toBe(rows.filter((r) => r.time >= start).length);
      }
      for (const row of [rows[0]!, rows[2500]!, rows[4999]!]) {
        expect(blockHas(handle, block, Buffer.from(row.sha, "hex"), row.time)).toBe(true);
        expect(blockHas(handle, block, Buffer.from(row.sha, "hex"), row.time + 1)).toBe(false);
      }
      expect(blockHas(handle, block, Buffer.from("b".repeat(40), "hex"), rows[10]!.time)).toBe(false);
    } finally {
      closeSync(fd);
    }
  });
});
