import { getEventListeners } from "node:events";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startGitStream, streamGitRecords } from "./git-log-stream.js";
import { TestRepo, tempDirs } from "./test-git-repo.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe("streamGitRecords", () => {
  it("stops git when the job's signal fires, and fails with its reason", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    for (let i = 0; i < 5; i++) repo.commit({ message: `c${i}`, committedAt: `2026-11-2${i}T10:00:00Z`, files: { [`f${i}`]: "x\n" } });
    const controller = new AbortController();
    const seen: string[] = [];
    const reason = new Error("cancelled by the orchestrator");
    const walking = streamGitRecords(repo.path, ["log", "-z", "--format=%H"], {
      separator: "\0",
      signal: controller.signal,
      onRecord(record) {
        if (record) seen.push(record);
        controller.abort(reason);
      },
    });
    await expect(walking).rejects.toBe(reason);
    expect(seen.length).toBeGreaterThan(0);

    const already = streamGitRecords(repo.path, ["log", "-z", "--format=%H"], { separator: "\0", signal: controller.signal, onRecord: () => {} });
    await expect(already).rejects.toBe(reason);
  });

  it("stops git on request and ends as if git had, handing on no record after", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    for (let i = 0; i < 5; i++) repo.commit({ message: `c${i}`, committedAt: `2026-11-2${i}T10:00:00Z` });
    const seen: string[] = [];
    const stream = startGitStream(repo.path, ["log", "-z", "--format=%s"], {
      separator: "\0",
      onRecord(record) {
        seen.push(record);
        if (seen.length === 2) stream.stop();
      },
    });
    await expect(stream.finish()).resolves.toBeUndefined();
    expect(seen).toEqual(["c4", "c3"]);
  });

  it("leaves no listener on the job's signal once git has exited", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    repo.commit({ message: "c", committedAt: "2026-11-20T10:00:00Z" });
    const controller = new AbortController();
    // Reading tags runs a few short commands per tag on the one signal of the job.
    for (let i = 0; i < 12; i++) {
      await streamGitRecords(repo.path, ["rev-parse", "HEAD"], { separator: "\n", signal: controller.signal, onRecord: () => {} });
    }
    await expect(streamGitRecords(repo.path, ["rev-parse", "nope"], { separator: "\n", signal: controller.signal, onRecord: () => {} })).rejects.toThrow();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});
