import { afterAll, describe, expect, it } from "vitest";
import { readTags } from "./read-tags.js";
import { TestRepo, tempDirs } from "./test-git-repo.js";
import type { Person } from "./test-git-repo.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const ALICE_OLD: Person = { name: "alice", email: "alice@old.example" };
const ALICE: Person = { name: "Alice Example", email: "alice@example.com" };
const CAROL: Person = { name: "Carol", email: "carol@example.com" };
const BOT: Person = { name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com" };

// The window is the day 2026-11-26 (UTC).
const WINDOW = { start: Date.parse("2026-11-26T00:00:00Z"), end: Date.parse("2026-11-27T00:00:00Z") };

/** An annotated tag whose tagger date is `at`, made by `by`. */
function annotate(repo: TestRepo, name: string, target: string, at: string, by: Person = ALICE): void {
  repo.git(["tag", "-a", "-m", `Release ${name}`, name, target], {
    GIT_COMMITTER_NAME: by.name,
    GIT_COMMITTER_EMAIL: by.email,
    GIT_COMMITTER_DATE: `@${Date.parse(at) / 1000} +0000`,
  });
}

/**
 *   main:  c1 (11-20) - c2 (11-25) - c3 (11-26) - c4 bot (11-26) - c5 (11-26)
 *            \- maint: f1 (11-26)
 *
 *   v1.0.0 (annotated, 11-20) and legacy (annotated, dated 11-26!) on c1; 1.1.0-beta.1 (lightweight) and
 *   pkg@1.0.0 on c2; other@3.0.0 on c3 dated 11-25; v1.1.0 (annotated by alice's old address, 11-26),
 *   nightly (lightweight) and pkg@2.0.0 on c5; v1.2.0 on c5 tagged 11-27 (after the window);
 *   v1.0.1 (lightweight) on maint.
 */
function buildRepo() {
  const repo = TestRepo.init(dirs.make());
  const sha: Record<string, string> = {};
  sha.c1 = repo.commit({
    message: "Initial",
    committedAt: "2026-11-20T10:00:00Z",
    author: ALICE,
    files: { ".mailmap": "Alice Example <alice@example.com> <alice@old.example>\n", "a.txt": "a\n" },
  });
  sha.c2 = repo.commit({ message: "Beta", committedAt: "2026-11-25T10:00:00Z", author: CAROL, files: { "b.txt": "b\n" } });
  sha.c3 = repo.commit({ message: "Carol fixes", committedAt: "2026-11-26T09:00:00Z", author: CAROL, files: { "c.txt": "c\n" } });
  sha.c4 = repo.commit({ message: "Bump", committedAt: "2026-11-26T09:30:00Z", author: BOT, files: { "d.json": "{}\n" } });
  sha.c5 = repo.commit({ message: "Alice ships", committedAt: "2026-11-26T10:00:00Z", author: ALICE_OLD, files: { "e.txt": "e\n" } });
  repo.git(["checkout", "-q", "-b", "maint", sha.c1]);
  sha.f1 = repo.commit({ message: "Backport", committedAt: "2026-11-26T08:00:00Z", author: CAROL, files: { "a.txt": "a2\n" } });
  repo.git(["checkout", "-q", "main"]);

  annotate(repo, "v1.0.0", sha.c1, "2026-11-20T12:00:00Z");
  annotate(repo, "legacy", sha.c1, "2026-11-26T07:00:00Z");
  repo.git(["tag", "1.1.0-beta.1", sha.c2]);
  repo.git(["tag", "pkg@1.0.0", sha.c2]);
  annotate(repo, "other@3.0.0", sha.c3, "2026-11-25T23:00:00Z");
  annotate(repo, "v1.1.0", sha.c5, "2026-11-26T12:00:00Z", ALICE_OLD);
  repo.git(["tag", "nightly", sha.c5]);
  annotate(repo, "pkg@2.0.0", sha.c5, "2026-11-26T13:00:00Z");
  annotate(repo, "v1.2.0", sha.c5, "2026-11-27T09:00:00Z");
  repo.git(["tag", "v1.0.1", sha.f1]);
  return { repo, sha };
}

describe("readTags", () => {
  it("keeps tags dated in the window, each with the tag it follows and the commits since", async () => {
    const { repo, sha } = buildRepo();
    const tags = await readTags(repo.path, { window: WINDOW, botPatterns: ["[bot]"] });
    const byName = new Map(tags.map((t) => [t.name, t]));

    // Dated by tagger (annotated) or by commit (lightweight), never by the other.
    expect(tags.map((t) => t.name)).toEqual(["legacy", "v1.0.1", "nightly", "v1.1.0", "pkg@2.0.0"]);

    // The prerelease precedes its release; the lightweight v1.0.1 on another branch follows v1.0.0 only.
    expect(byName.get("v1.1.0")).toEqual({
      name: "v1.1.0",
      sha: sha.c5,
      annotated: true,
      taggedAt: "2026-11-26T12:00:00.000Z",
      tagger: "Alice Example",
      previousTag: "1.1.0-beta.1",
      commits: 3,
      authors: [
        { key: "alice@example.com", name: "Alice Example", commits: 1 },
        { key: "carol@example.com", name: "Carol", commits: 1 },
      ],
    });
    expect(byName.get("v1.0.1")).toMatchObject({
      sha: sha.f1,
      annotated: false,
      tagger: null,
      taggedAt: "2026-11-26T08:00:00.000Z",
      previousTag: "v1.0.0",
      commits: 1,
      authors: [{ key: "carol@example.com", name: "Carol", commits: 1 }],
    });
    // A monorepo tag follows the same package, not other@3.0.0 or v1.x.
    expect(byName.get("pkg@2.0.0")).toMatchObject({ previousTag: "pkg@1.0.0", commits: 3 });
    // Not version-like: the nearest tag behind it.
    expect(byName.get("nightly")).toMatchObject({ previousTag: "other@3.0.0", commits: 2 });
    // On the root commit: no tag before it, all of its history.
    expect(byName.get("legacy")).toMatchObject({ previousTag: null, commits: 1, authors: [{ name: "Alice Example", commits: 1 }] });
  });

  it("costs nothing more when no tag is in the window, and reads a repository without tags", async () => {
    const { repo } = buildRepo();
    const early = { start: Date.parse("2026-10-01T00:00:00Z"), end: Date.parse("2026-10-02T00:00:00Z") };
    expect(await readTags(repo.path, { window: early, botPatterns: [] })).toEqual([]);
    const bare = TestRepo.init(dirs.make());
    bare.commit({ message: "x", committedAt: "2026-11-26T10:00:00Z" });
    expect(await readTags(bare.path, { window: WINDOW, botPatterns: [] })).toEqual([]);
  });

  it("stops when the job is given up on", async () => {
    const { repo } = buildRepo();
    const controller = new AbortController();
    controller.abort(new Error("cancelled"));
    await expect(readTags(repo.path, { window: WINDOW, botPatterns: [], signal: controller.signal })).rejects.toThrow("cancelled");
  });
});
