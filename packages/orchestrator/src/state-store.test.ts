import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunRecord } from "@sparky/messages";
import { createStateStore } from "./state-store.js";
import type { StateStore } from "./state-store.js";
import { record, tempDir } from "./test-pipeline.js";

let dir: string;
let remove: () => Promise<void>;
let store: StateStore;
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
  store = createStateStore(join(dir, "data"));
});
afterEach(async () => {
  await store.close();
  await remove();
});

describe("state store", () => {
  it("answers null for a run or status it has not written, and an empty list", async () => {
    expect(await store.loadRun("daily-2026-11-18")).toBeNull();
    expect(await store.loadStatus()).toBeNull();
    expect(await store.listRuns()).toEqual([]);
  });

  it("writes a run to data/state/runs/<runId>.json and reads it back", async () => {
    const run = record("2026-11-18", "2026-11-19T06:00:00.000Z");
    await store.saveRun(run);
    expect(store.layout.run(run.runId)).toBe(join(dir, "data", "state", "runs", "daily-2026-11-18.json"));
    expect(JSON.parse(await readFile(store.layout.run(run.runId), "utf8"))).toEqual(run);
    expect(await store.loadRun(run.runId)).toEqual(run);
  });

  it("writes status.json with the newest state when asked several times while a write waits", async () => {
    const status = (pending: string[]) => () => ({
      schema: "sparky.status/1" as const,
      updatedAt: "2026-11-19T06:00:00.000Z",
      orchestrator: { pid: 1, startedAt: "2026-11-19T05:00:00.000Z", mode: "embedded" as const },
      running: [],
      pending,
      lastCheck: null,
      lastRun: null,
    });
    // A run save holds the line: the three asks meet one waiting rewrite.
    const saving = store.saveRun(record("2026-11-18", "2026-11-19T06:00:00.000Z"));
    const asks = [store.saveStatus(status(["a"])), store.saveStatus(status(["a", "b"])), store.saveStatus(status(["b"]))];
    expect(new Set(asks).size).toBe(1);
    await Promise.all([saving, ...asks]);
    expect((await store.loadStatus())?.pending).toEqual(["b"]);
    // Once written, the next ask writes again.
    await store.saveStatus(status([]));
    expect((await store.loadStatus())?.pending).toEqual([]);
  });

  it("refuses to write a record that does not match its schema", async () => {
    const bad = { ...record("2026-11-18", "2026-11-19T06:00:00.000Z"), state: "done" } as unknown as RunRecord;
    await expect(store.saveRun(bad)).rejects.toThrow();
    expect(await store.loadRun("daily-2026-11-18")).toBeNull();
  });

  it("reports a damaged record it is asked for by name", async () => {
    await mkdir(store.layout.runsDir, { recursive: true });
    await writeFile(store.layout.run("daily-2026-11-18"), "{ not json");
    await expect(store.loadRun("daily-2026-11-18")).rejects.toMatchObject({ code: "SPARKY_FILE_CORRUPT" });
  });

  it("lists runs most recently updated first, skipping damaged and foreign files", async () => {
    await store.saveRun(record("2026-11-16", "2026-11-17T06:00:00.000Z"));
    await store.saveRun(record("2026-11-18", "2026-11-19T06:00:00.000Z", "failed"));
    await store.saveRun(record("2026-11-17", "2026-11-18T06:00:00.000Z"));
    await writeFile(store.layout.run("daily-2026-11-15"), "{ not json");
    await writeFile(store.layout.run("daily-2026-11-14"), JSON.stringify({ schema: "sparky.run/0" }));
    await writeFile(join(store.layout.runsDir, "notes.txt"), "hello");
    const runs = await store.listRuns();
    expect(runs.map((r) => [r.runId, r.state])).toEqual([
      ["daily-2026-11-18", "failed"],
      ["daily-2026-11-17", "succeeded"],
      ["daily-2026-11-16", "succeeded"],
    ]);
  });

  it("keeps the newest state when saves of one run overlap, and leaves no temp files", async () => {
    const run = record("2026-11-18", "2026-11-19T06:00:00.000Z", "running");
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      run.updatedAt = `2026-11-19T06:00:${String(i).padStart(2, "0")}.000Z`;
      saves.push(store.saveRun(run));
    }
    run.state = "succeeded";
    saves.push(store.saveRun(run));
    await Promise.all(saves);
    expect(await store.loadRun(run.runId)).toMatchObject({ state: "succeeded", updatedAt: "2026-11-19T06:00:19.000Z" });
    expect(await readdir(store.layout.runsDir)).toEqual(["daily-2026-11-18.json"]);
  });
});
