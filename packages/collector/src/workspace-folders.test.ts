import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestRepo, tempDirs } from "./test-git-repo.js";
import { filesAtHead, workspaceFolders } from "./workspace-folders.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe("filesAtHead", () => {
  it("reads each file as HEAD has it, in order, null for what HEAD lacks or holds as a folder", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    repo.commit({
      message: "files",
      committedAt: "2026-11-20T09:00:00Z",
      files: { "a.txt": "first\nsecond line, ünïcode ✓\n\n", "empty.txt": "", "folder/inner.txt": "x", "no-newline": "end" },
    });
    // Uncommitted changes are not HEAD's.
    writeFileSync(join(repo.path, "a.txt"), "changed");
    expect(await filesAtHead(repo.path, ["missing.txt", "a.txt", "folder", "empty.txt", "no-newline"])).toEqual([
      null,
      "first\nsecond line, ünïcode ✓\n\n",
      null,
      "",
      "end",
    ]);
  });

  it("answers null for every file when there is no HEAD or no repository", async () => {
    const empty = TestRepo.init(join(dirs.make(), "empty"));
    expect(await filesAtHead(empty.path, ["a", "b"])).toEqual([null, null]);
    expect(await filesAtHead(dirs.make(), ["a"])).toEqual([null]);
  });

  it("answers null, without an unhandled EPIPE, when git exits before reading more than a pipe's worth of names", async () => {
    // 200 KB of names cannot fit a 64 KB pipe: git, finding no repository, exits with most unwritten.
    const paths = Array.from({ length: 8000 }, (_, i) => `some/long/folder/name/file-${i}.json`);
    const answer = await filesAtHead(dirs.make(), paths);
    expect(answer).toHaveLength(paths.length);
    expect(answer.every((file) => file === null)).toBe(true);
  });
});

describe("workspaceFolders", () => {
  it("joins pnpm-workspace.yaml's packages and package.json's workspaces", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    repo.commit({
      message: "workspace",
      committedAt: "2026-11-20T09:00:00Z",
      files: { "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n  - tools/**\n", "package.json": JSON.stringify({ workspaces: { packages: ["apps/*", "packages/*"] } }) },
    });
    expect(await workspaceFolders(repo.path)).toEqual(["apps", "packages", "tools"]);
  });

  it("still reads pnpm-workspace.yaml when HEAD's package.json is too big to read", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    const huge = JSON.stringify({ workspaces: ["libs/*"], fixtures: "x".repeat(5 << 20) });
    repo.commit({ message: "big", committedAt: "2026-11-20T09:00:00Z", files: { "pnpm-workspace.yaml": "packages:\n  - apps/*\n", "package.json": huge } });
    expect(await workspaceFolders(repo.path)).toEqual(["apps"]);
  });

  it("reads files committed as symlinks where they point, and nothing for links that lead out of the tree", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    repo.commit({
      message: "shared config",
      committedAt: "2026-11-20T09:00:00Z",
      files: { "config/pnpm-workspace.yaml": "packages:\n  - apps/*\n", "config/package.json": JSON.stringify({ workspaces: ["libs/*"] }) },
    });
    symlinkSync("config/pnpm-workspace.yaml", join(repo.path, "pnpm-workspace.yaml"));
    symlinkSync("config/package.json", join(repo.path, "package.json"));
    repo.commit({ message: "links", committedAt: "2026-11-20T10:00:00Z" });
    expect(await workspaceFolders(repo.path)).toEqual(["apps", "libs"]);
    repo.commit({ message: "out", committedAt: "2026-11-20T11:00:00Z", files: { "pnpm-workspace.yaml": null, "package.json": null } });
    symlinkSync("/etc/hostname", join(repo.path, "pnpm-workspace.yaml"));
    symlinkSync("gone.json", join(repo.path, "package.json"));
    repo.commit({ message: "links out", committedAt: "2026-11-20T12:00:00Z", files: { "a.txt": "a" } });
    expect(await filesAtHead(repo.path, ["pnpm-workspace.yaml", "package.json", "a.txt"])).toEqual([null, null, "a"]);
  });

  it("reads files saved with a byte order mark and CRLF line ends", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    repo.commit({
      message: "windows",
      committedAt: "2026-11-20T09:00:00Z",
      files: { "pnpm-workspace.yaml": "\uFEFFpackages:\r\n  - apps/*\r\n  - 'tools/**'\r\n", "package.json": '\uFEFF{\r\n  "workspaces": ["libs/*"]\r\n}\r\n' },
    });
    expect(await workspaceFolders(repo.path)).toEqual(["apps", "libs", "tools"]);
  });

  it("adds nothing for a submodule or a folder where the files would be", async () => {
    const repo = TestRepo.init(join(dirs.make(), "repo"));
    const lib = TestRepo.init(join(dirs.make(), "lib"));
    lib.commit({ message: "lib", committedAt: "2026-11-20T09:00:00Z", files: { "x.txt": "x" } });
    repo.commit({ message: "folder", committedAt: "2026-11-20T09:00:00Z", files: { "package.json/inner.txt": "x", "pnpm-workspace.yaml": "packages:\n  - apps/*\n" } });
    expect(await workspaceFolders(repo.path)).toEqual(["apps"]);
    repo.commit({ message: "no yaml", committedAt: "2026-11-20T10:00:00Z", files: { "pnpm-workspace.yaml": null } });
    repo.git(["-c", "protocol.file.allow=always", "submodule", "add", "-q", lib.path, "pnpm-workspace.yaml"]);
    repo.commit({ message: "submodule", committedAt: "2026-11-20T11:00:00Z" });
    expect(await filesAtHead(repo.path, ["pnpm-workspace.yaml", "package.json", ".gitmodules"])).toEqual([null, null, expect.stringContaining("[submodule")]);
  });
});
