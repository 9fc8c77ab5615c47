import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@sparky/harness";
import { afterAll, describe, expect, it } from "vitest";
import { newestCommitTime } from "./newest-commit-time.js";
import { TestRepo, tempDirs } from "./test-git-repo.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe("newestCommitTime", () => {
  it("is the newest committer time anywhere in HEAD's history, not HEAD's", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    repo.commit({ message: "old", committedAt: "2026-01-01T00:00:00Z" });
    repo.commit({ message: "newest, though not at HEAD", committedAt: "2026-03-01T12:00:00Z", authoredAt: "2026-01-02T00:00:00Z" });
    repo.commit({ message: "head, dated earlier", committedAt: "2026-02-01T00:00:00Z", authoredAt: "2026-09-01T00:00:00Z" });
    expect(await newestCommitTime(repo.path)).toEqual(new Date("2026-03-01T12:00:00Z"));
  });

  it("is answered from the collector's scan cache, brought up to HEAD, and equals the answer without it", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    repo.commit({ message: "old", committedAt: "2026-01-01T00:00:00Z" });
    repo.commit({ message: "newest so far", committedAt: "2026-03-01T12:00:00Z" });
    repo.commit({ message: "head, dated earlier", committedAt: "2026-02-01T00:00:00Z" });
    const cache = { cacheDir: dirs.make(), log: createLogger({ service: "test", level: "silent" }) };
    const file = join(cache.cacheDir, "git");
    expect(await newestCommitTime(repo.path, cache)).toEqual(new Date("2026-03-01T12:00:00Z"));
    expect(readdirSync(file)).toHaveLength(1);
    expect(await newestCommitTime(repo.path, cache)).toEqual(new Date("2026-03-01T12:00:00Z"));
    repo.commit({ message: "newer, added since", committedAt: "2026-04-02T08:00:00Z" });
    repo.commit({ message: "head, dated earlier again", committedAt: "2026-02-02T00:00:00Z" });
    expect(await newestCommitTime(repo.path, cache)).toEqual(new Date("2026-04-02T08:00:00Z"));
    repo.git(["reset", "-q", "--hard", "HEAD~2"]);
    expect(await newestCommitTime(repo.path, cache)).toEqual(await newestCommitTime(repo.path));
    expect(await newestCommitTime(repo.path, cache)).toEqual(new Date("2026-03-01T12:00:00Z"));
  });

  it("is null for a repository without commits", async () => {
    expect(await newestCommitTime(TestRepo.init(join(dirs.make(), "empty")).path)).toBeNull();
  });

  it("refuses a path that is not a repository", async () => {
    await expect(newestCommitTime(dirs.make())).rejects.toMatchObject({ code: "SPARKY_NOT_A_GIT_REPO" });
  });
});
