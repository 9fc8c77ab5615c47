import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { gitStep } from "./git-step.js";

const run = promisify(execFile);
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const IDENTITY = ["-c", "user.name=x", "-c", "user.email=x@example.com", "-c", "commit.gpgsign=false"];
async function repoWithCommit(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "sparky-git-step-"));
  made.push(dir);
  await run("git", ["init", "-q", "--initial-branch=main", dir]);
  writeFileSync(join(dir, "a.md"), "a\n");
  await run("git", ["-C", dir, "add", "a.md"]);
  await run("git", ["-C", dir, ...IDENTITY, "commit", "-q", "-m", "first"]);
  return dir;
}

describe("gitStep", () => {
  it.each([
    ["the index", "index.lock"],
    ["the branch", "refs/heads/main.lock"],
  ])("reports git failing on %s's lock as SPARKY_DOCS_LOCKED, retryable, naming the lock", async (_what, name) => {
    const dir = await repoWithCommit();
    writeFileSync(join(dir, "a.md"), "b\n");
    await run("git", ["-C", dir, "add", "a.md"]);
    writeFileSync(join(dir, ".git", name), "");
    const error = await gitStep("commit", dir, () => run("git", ["-C", dir, ...IDENTITY, "commit", "-q", "-m", "second"])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SPARKY_DOCS_LOCKED", transient: true });
    expect((error as Error).message).toContain(join(dir, ".git", name));
  });

  it("reports any other failure as SPARKY_GIT_FAILED, saying what failed where", async () => {
    const dir = await repoWithCommit();
    const error = await gitStep("checkout", dir, () => run("git", ["-C", dir, "checkout", "-q", "no-such-branch"])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SPARKY_GIT_FAILED" });
    expect((error as Error).message).toMatch(new RegExp(`^checkout in ${dir} failed:`));
  });
});
