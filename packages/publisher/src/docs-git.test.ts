import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { docsGit } from "./docs-git.js";

const identity = { authorName: "Sparky", authorEmail: "sparky@localhost" };
const saved = { ...process.env };
let dir: string;

afterEach(() => {
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

describe("docsGit", () => {
  it("passes GIT_SSH_COMMAND to git (how compose's push override names the key) and keeps other GIT_* variables out", async () => {
    dir = mkdtempSync(join(tmpdir(), "sparky-docs-git-"));
    execFileSync("git", ["init", "-q", dir]);
    const marker = join(dir, "ssh-was-called");
    process.env.GIT_SSH_COMMAND = `sh -c 'echo "$*" > ${marker}; exit 1' ssh`;
    process.env.GIT_DIR = "/nonexistent";
    const git = docsGit(dir, identity);
    expect((await git.raw(["rev-parse", "--git-dir"])).trim()).toBe(".git");
    await expect(git.raw(["ls-remote", "ssh://git@docs-remote.invalid/srv/docs.git"])).rejects.toThrow();
    expect(readFileSync(marker, "utf8")).toContain("docs-remote.invalid");
  });
});
