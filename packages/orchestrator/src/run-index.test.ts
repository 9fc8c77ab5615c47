import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readRunIndex } from "./run-index.js";
import type { RunIndexRead } from "./run-index.js";
import { runRow } from "./run-summary.js";
import { createStateStore } from "./state-store.js";
import type { StateStore } from "./state-store.js";
import { record, tempDir } from "./test-pipeline.js";

/** The index, once the writer has rewritten it in a later clock tick than the folder's change. */
async function settled(dataDir: string): Promise<Extract<RunIndexRead, { fresh: true }>> {
  for (let i = 0; i < 200; i++) {
    const read = await readRunIndex(dataDir);
    if (read.fresh) return read;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the run index never became fresh");
}

let dir: string;
let dataDir: string;
let remove: () => Promise<void>;
let store: StateStore;
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
  dataDir = join(dir, "data");
  store = createStateStore(dataDir);
});
afterEach(async () => {
  await store.close();
  await remove();
});

describe("run index", () => {
  it("is empty and fresh when no run was ever recorded", async () => {
    expect(await readRunIndex(dataDir)).toMatchObject({ fresh: true, rows: [], complete: true, head: { count: 0, lastFinished: null } });
  });

  it("follows each save: the runs' summaries in listRuns order, the last finished run and the noted ones", async () => {
    await store.saveRun(record("2026-11-16", "2026-11-17T06:00:00.000Z"));
    await store.saveRun(record("2026-11-18", "2026-11-19T06:00:00.000Z", "running"));
    await store.saveRun(record("2026-11-17", "2026-11-18T06:00:00.000Z", "failed"));
    const read = await settled(dataDir);
    expect(read.rows).toEqual((await store.listRuns()).map(runRow));
    expect(read.head.lastFinished).toEqual({ runId: "daily-2026-11-17", state: "failed", reason: "collect failed" });
    expect(read.head.noted.map((r) => r.runId)).toEqual(["daily-2026-11-18"]);
  });

  it("reads only as many rows as asked for", async () => {
    for (let day = 10; day < 20; day++) await store.saveRun(record(`2026-11-${day}`, `2026-11-${day}T06:00:00.000Z`));
    await settled(dataDir);
    const read = await readRunIndex(dataDir, (rows) => rows.length >= 3);
    expect(read).toMatchObject({ fresh: true, complete: false });
    expect(read.fresh && read.rows.map((r) => r.runId)).toEqual(["daily-2026-11-19", "daily-2026-11-18", "daily-2026-11-17"]);
  });

  it("is stale once a run file is written, renamed or removed behind the writer's back, and a rebuild catches up", async () => {
    await store.saveRun(record("2026-11-16", "2026-11-17T06:00:00.000Z"));
    await settled(dataDir);
    // As a kill -9 between a run write and the index write leaves it.
    await writeFile(store.layout.run("daily-2026-11-18"), JSON.stringify(record("2026-11-18", "2026-11-19T06:00:00.000Z")));
    expect(await readRunIndex(dataDir)).toMatchObject({ fresh: false, why: "stale" });
    expect((await store.rebuildIndex()).rows.map((r) => r.runId)).toEqual(["daily-2026-11-18", "daily-2026-11-16"]);
    expect((await settledAfterRebuild()).rows.map((r) => r.runId)).toEqual(["daily-2026-11-18", "daily-2026-11-16"]);

    await rm(store.layout.run("daily-2026-11-18"));
    expect(await readRunIndex(dataDir)).toMatchObject({ fresh: false, why: "stale" });
  });

  it("is rebuilt after it is deleted, and a damaged or cut-short index is never trusted", async () => {
    await store.saveRun(record("2026-11-16", "2026-11-17T06:00:00.000Z"));
    await store.saveRun(record("2026-11-17", "2026-11-18T06:00:00.000Z"));
    await settled(dataDir);
    const text = await readFile(store.layout.runIndex, "utf8");

    await rm(store.layout.runIndex);
    expect(await readRunIndex(dataDir)).toMatchObject({ fresh: false, why: "missing" });
    await store.rebuildIndex();
    expect((await settledAfterRebuild()).rows).toHaveLength(2);

    // A power cut can leave a renamed file short; the head's count tells.
    await writeFile(store.layout.runIndex, text.slice(0, text.lastIndexOf("\n", text.length - 2) + 1));
    expect(await readRunIndex(dataDir)).toMatchObject({ fresh: false });
    await writeFile(store.layout.runIndex, "{ not json\n");
    expect(await readRunIndex(dataDir)).toMatchObject({ fresh: false, why: "damaged" });
  });

  it("a store notices a run written by someone else before its next save", async () => {
    await store.saveRun(record("2026-11-16", "2026-11-17T06:00:00.000Z"));
    await writeFile(store.layout.run("daily-2026-11-17"), JSON.stringify(record("2026-11-17", "2026-11-18T06:00:00.000Z")));
    await store.saveRun(record("2026-11-18", "2026-11-19T06:00:00.000Z"));
    expect((await settled(dataDir)).rows.map((r) => r.runId)).toEqual(["daily-2026-11-18", "daily-2026-11-17", "daily-2026-11-16"]);
  });

  /** A rebuild's index may land in the folder's tick; the next rebuild (a later tick) is trusted. */
  async function settledAfterRebuild() {
    for (let i = 0; i < 200; i++) {
      const read = await readRunIndex(dataDir);
      if (read.fresh) return read;
      await new Promise((r) => setTimeout(r, 10));
      await store.rebuildIndex();
    }
    throw new Error("the run index never became fresh");
  }
});
