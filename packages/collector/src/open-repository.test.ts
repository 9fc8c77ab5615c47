import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openRepository } from "./open-repository.js";
import { TestRepo, tempDirs } from "./test-git-repo.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe("openRepository", () => {
  it("accepts the top folder of a clone, through a symlink too", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "clone"));
    const head = repo.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
    repo.git(["remote", "add", "origin", "git@github.com:acme/clone.git"]);
    symlinkSync(repo.path, join(root, "link"));
    const opened = await openRepository(join(root, "link"));
    expect(opened).toMatchObject({ bare: false, shallow: false, head, branch: "main", originUrl: "git@github.com:acme/clone.git" });
    expect(opened.realPath).toBe((await openRepository(repo.path)).realPath);
  });

  it("reads HEAD's commit and branch, or that HEAD is detached", async () => {
    const repo = TestRepo.init(join(dirs.make(), "clone"));
    const first = repo.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
    repo.git(["checkout", "-q", "-b", "feature/x,y"]);
    const second = repo.commit({ message: "two", committedAt: "2026-11-26T11:00:00Z" });
    expect(await openRepository(repo.path)).toMatchObject({ head: second, branch: "feature/x,y", originUrl: null, bare: false });
    repo.git(["checkout", "-q", "--detach", first]);
    expect(await openRepository(repo.path)).toMatchObject({ head: first, branch: "HEAD" });
  });

  it("accepts a bare repository with commits", async () => {
    const root = dirs.make();
    const source = TestRepo.init(join(root, "source"));
    const head = source.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
    execFileSync("git", ["clone", "-q", "--bare", source.path, join(root, "server.git")]);
    const opened = await openRepository(join(root, "server.git"));
    expect(opened).toMatchObject({ bare: true, head, branch: "main", originUrl: source.path });
    expect(opened.commonGitDir).toBe(join(root, "server.git"));
  });

  it("accepts a bare repository and reports an unborn HEAD as no commit", async () => {
    const root = dirs.make();
    const bare = TestRepo.init(join(root, "server.git"), { bare: true });
    expect(await openRepository(bare.path)).toMatchObject({ bare: true, head: null, branch: "main", originUrl: null });
  });

  it("accepts a bare repository whose folder name ends in a space", async () => {
    const root = dirs.make();
    const source = TestRepo.init(join(root, "source"));
    const head = source.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
    execFileSync("git", ["clone", "-q", "--bare", source.path, join(root, "server ")]);
    const opened = await openRepository(join(root, "server "));
    expect(opened).toMatchObject({ bare: true, head, branch: "main", commonGitDir: join(root, "server ") });
  });

  it("accepts a linked worktree and a submodule checkout, with the git folder their history lives in", async () => {
    const root = dirs.make("sparky collector é-");
    const repo = TestRepo.init(join(root, "clone"));
    const head = repo.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
    repo.git(["worktree", "add", "-q", "-b", "topic/ü", join(root, "linked")]);
    expect(await openRepository(join(root, "linked"))).toMatchObject({ head, branch: "topic/ü", bare: false, commonGitDir: join(repo.path, ".git") });
    const outer = TestRepo.init(join(root, "outer"));
    outer.git(["-c", "protocol.file.allow=always", "submodule", "add", "-q", repo.path, "vendor/lib"]);
    expect(await openRepository(join(outer.path, "vendor", "lib"))).toMatchObject({
      head,
      branch: "main",
      originUrl: repo.path,
      commonGitDir: join(outer.path, ".git", "modules", "vendor", "lib"),
    });
  });

  it("is not misled by GIT_DIR or GIT_WORK_TREE in its own environment", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "clone"));
    const head = repo.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
    const other = TestRepo.init(join(root, "other"));
    other.commit({ message: "other", committedAt: "2026-11-26T11:00:00Z" });
    const saved = { dir: process.env.GIT_DIR, tree: process.env.GIT_WORK_TREE };
    process.env.GIT_DIR = join(other.path, ".git");
    process.env.GIT_WORK_TREE = other.path;
    try {
      expect(await openRepository(repo.path)).toMatchObject({ head, commonGitDir: join(repo.path, ".git") });
    } finally {
      for (const [key, value] of [["GIT_DIR", saved.dir], ["GIT_WORK_TREE", saved.tree]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("refuses a missing path with SPARKY_REPO_NOT_FOUND", async () => {
    const missing = join(dirs.make(), "missing");
    await expect(openRepository(missing)).rejects.toMatchObject({
      name: "RepositoryNotFoundError",
      code: "SPARKY_REPO_NOT_FOUND",
      message: `${missing} does not exist: pass the folder of a git clone on this machine`,
    });
  });

  it.each([
    ["a plain folder", (root: string) => (mkdirSync(join(root, "plain")), join(root, "plain")), "is not a git repository: pass the top folder"],
    ["a file", (root: string) => (writeFileSync(join(root, "file.txt"), "x"), join(root, "file.txt")), "(it is a file)"],
    [
      "a folder inside a clone",
      (root: string) => {
        const repo = TestRepo.init(join(root, "clone"));
        mkdirSync(join(repo.path, "src"));
        return join(repo.path, "src");
      },
      "(it is a folder inside the clone",
    ],
    ["the .git folder of a clone", (root: string) => join(TestRepo.init(join(root, "clone")).path, ".git"), "(it is the git folder of a clone"],
    [
      "a folder inside a clone with commits",
      (root: string) => {
        const repo = TestRepo.init(join(root, "clone"));
        repo.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z", files: { "src/deep/a.txt": "a" } });
        return join(repo.path, "src", "deep");
      },
      "(it is a folder inside the clone",
    ],
    [
      "the .git folder of a clone with commits",
      (root: string) => {
        const repo = TestRepo.init(join(root, "clone"));
        repo.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
        return join(repo.path, ".git");
      },
      "(it is the git folder of a clone",
    ],
    [
      "a folder inside a bare repository with commits",
      (root: string) => {
        const source = TestRepo.init(join(root, "source"));
        source.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
        execFileSync("git", ["clone", "-q", "--bare", source.path, join(root, "server.git")]);
        return join(root, "server.git", "refs");
      },
      "(it is inside the bare repository",
    ],
    [
      "a folder inside a bare repository",
      (root: string) => join(TestRepo.init(join(root, "server.git"), { bare: true }).path, "refs"),
      "(it is inside the bare repository",
    ],
  ])("refuses %s with SPARKY_NOT_A_GIT_REPO", async (_what, make, detail) => {
    const path = make(dirs.make());
    const error = await openRepository(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "NotAGitRepositoryError", code: "SPARKY_NOT_A_GIT_REPO" });
    expect((error as Error).message).toContain(`${path} is not a git repository`);
    expect((error as Error).message).toContain(detail);
    expect((error as Error).message).toContain("(see git rev-parse --show-toplevel)");
  });
});
