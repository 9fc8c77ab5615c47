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

  it("resolves a listed exit code as an answer and rejects any other failure with git's own words", async () => {
    dir = mkdtempSync(join(tmpdir(), "sparky-docs-git-"));
    execFileSync("git", ["init", "-q", dir]);
    const git = docsGit(dir, identity);
    // No commits yet: `--verify -q` exits 1 and prints nothing, which means "no such ref".
    expect(await git.raw(["rev-parse", "--verify", "-q", "HEAD^{commit}"], [1])).toBe("");
    await expect(git.raw(["rev-parse", "--verify", "-q", "HEAD^{commit}"])).rejects.toThrow(/git rev-parse exited with code 1/);
    await expect(git.raw(["log", "-1"])).rejects.toThrow(/does not have any commits yet/);
    await expect(git.raw(["no-such-command"])).rejects.toThrow(/not a git command/);
  });

  it("commits with the configured identity, unsigned even when the user's config asks for signing", async () => {
    dir = mkdtempSync(join(tmpdir(), "sparky-docs-git-"));
    execFileSync("git", ["init", "-q", dir]);
    execFileSync("git", ["-C", dir, "config", "commit.gpgsign", "true"]);
    execFileSync("git", ["-C", dir, "config", "user.signingkey", "NO-SUCH-KEY"]);
    const git = docsGit(dir, identity);
    await git.raw(["commit", "--quiet", "--allow-empty", "-m", "x"]);
    expect((await git.raw(["log", "-1", "--format=%an <%ae>|%G?"])).trim()).toBe("Sparky <sparky@localhost>|N");
  });

  it("stops a git that hangs, on cancellation and after printing nothing for the block timeout", async () => {
    dir = mkdtempSync(join(tmpdir(), "sparky-docs-git-"));
    execFileSync("git", ["init", "-q", dir]);
    // An ssh that never answers: git waits on it without printing anything.
    const pidFile = join(dir, "ssh-pid");
    process.env.GIT_SSH_COMMAND = `sh -c 'echo $$ > ${pidFile}; exec sleep 60' ssh`;
    const remote = "ssh://git@docs-remote.invalid/srv/docs.git";

    const controller = new AbortController();
    const cancelled = docsGit(dir, { ...identity, signal: controller.signal }).raw(["ls-remote", remote]);
    setTimeout(() => controller.abort(), 300);
    await expect(cancelled).rejects.toThrow(/git ls-remote was stopped: the publish was cancelled/);
    stopSsh(pidFile);

    const blocked = docsGit(dir, { ...identity, blockTimeoutMs: 300 }).raw(["ls-remote", remote]);
    await expect(blocked).rejects.toThrow(/git ls-remote printed nothing for 0.3 s and was stopped/);
    stopSsh(pidFile);

    const aborted = new AbortController();
    aborted.abort();
    await expect(docsGit(dir, { ...identity, signal: aborted.signal }).raw(["status"])).rejects.toThrow(/not started/);
  });
});

/** The stand-in ssh outlives the git that started it (git does not pass the signal on). */
function stopSsh(pidFile: string): void {
  try {
    process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
  } catch {
    // already gone
  }
}
