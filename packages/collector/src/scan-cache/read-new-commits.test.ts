import { afterAll, describe, expect, it } from "vitest";
import { TestRepo, tempDirs } from "../test-git-repo.js";
import { HistoryRewritten } from "./read-commits.js";
import { readNewCommits } from "./read-new-commits.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** 30 commits, one a day in April 2025; returns the repository and the shas, oldest first. */
function history(): { repo: TestRepo; shas: string[] } {
  const repo = TestRepo.init(dirs.make("sparky-new-commits-"));
  const shas: string[] = [];
  for (let day = 1; day <= 30; day++) {
    shas.push(repo.commit({ message: `day ${day}`, committedAt: `2025-04-${String(day).padStart(2, "0")}T12:00:00Z` }));
  }
  return { repo, shas };
}

/** A cache holding exactly the history of `shas[0..n)`; counts its look-ups. */
function cacheOf(shas: string[], n: number) {
  const held = new Set(shas.slice(0, n));
  const lookups: string[] = [];
  return { lookups, isCached: (sha: string) => (lookups.push(sha), held.has(sha)) };
}

describe("readNewCommits", () => {
  it("reads the new commits and stops at the cached tip, asking the cache about nothing older", async () => {
    const { repo, shas } = history();
    const cache = cacheOf(shas, 27);
    const found = await readNewCommits(repo.path, { head: shas[29]!, oldTip: shas[26]!, isCached: cache.isCached, wanted: [], wantedBudget: 10 });
    expect(found.added.map((c) => c.subject)).toEqual(["day 30", "day 29", "day 28"]);
    expect(cache.lookups).toEqual([shas[29], shas[28], shas[27]]);
  });

  it("reads wanted cached commits on the walk within its budget, and by sha beyond it", async () => {
    const { repo, shas } = history();
    const wanted = [shas[24]!, shas[3]!];
    for (const budget of [0, 2, 100]) {
      const found = await readNewCommits(repo.path, { head: shas[29]!, oldTip: shas[26]!, isCached: cacheOf(shas, 27).isCached, wanted, wantedBudget: budget });
      expect(found.added, `budget ${budget}`).toHaveLength(3);
      expect(found.wanted.map((c) => c.subject).sort(), `budget ${budget}`).toEqual(["day 25", "day 4"]);
    }
    // Nothing new: only the wanted commits are read.
    const same = await readNewCommits(repo.path, { head: shas[29]!, oldTip: shas[29]!, isCached: () => true, wanted: [shas[0]!], wantedBudget: 0 });
    expect(same).toMatchObject({ added: [], wanted: [{ subject: "day 1" }] });
  });

  it("says the history was rewritten when the walk never meets the cached tip", async () => {
    const { repo, shas } = history();
    // HEAD moved back: HEAD itself is cached, and it is not the tip.
    await expect(
      readNewCommits(repo.path, { head: shas[20]!, oldTip: shas[26]!, isCached: cacheOf(shas, 27).isCached, wanted: [], wantedBudget: 10 }),
    ).rejects.toBeInstanceOf(HistoryRewritten);
    // A tip no longer in the history: the walk ends at the first cached commit without it.
    repo.git(["reset", "-q", "--hard", shas[25]!]);
    const rewritten = repo.commit({ message: "day 27, rewritten", committedAt: "2025-04-27T13:00:00Z" });
    await expect(
      readNewCommits(repo.path, { head: rewritten, oldTip: shas[26]!, isCached: cacheOf(shas, 27).isCached, wanted: [shas[26]!], wantedBudget: 10 }),
    ).rejects.toBeInstanceOf(HistoryRewritten);
  });
});
