import { afterAll, describe, expect, it } from "vitest";
import { TestRepo, tempDirs } from "../test-git-repo.js";
import { startHistoryLog } from "./history-log.js";
import { parseCommit } from "./read-commits.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe("startHistoryLog", () => {
  it("hands on the records printed before it was read, stops where the reader says, and can be given up unread", async () => {
    const repo = TestRepo.init(dirs.make("sparky-history-log-"));
    for (let day = 1; day <= 6; day++) repo.commit({ message: `day ${day}`, committedAt: `2025-05-0${day}T12:00:00Z` });
    const head = repo.git(["rev-parse", "HEAD"]);
    const log = startHistoryLog(repo.path, head);
    // Let git print everything before anyone reads.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen: string[] = [];
    await log.read((record) => {
      seen.push(parseCommit(record).subject);
      return seen.length === 3;
    });
    expect(seen).toEqual(["day 6", "day 5", "day 4"]);
    await log.cancel();

    const all: string[] = [];
    await startHistoryLog(repo.path, head).read((record) => void all.push(parseCommit(record).subject));
    expect(all).toHaveLength(6);
    await expect(startHistoryLog(repo.path, head).cancel()).resolves.toBeUndefined();
    const failing = startHistoryLog(repo.path, head);
    await expect(failing.read(() => { throw new Error("unreadable record"); })).rejects.toThrow("unreadable record");
  });
});
