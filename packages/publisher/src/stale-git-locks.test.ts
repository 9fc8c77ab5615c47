import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { publishDigest } from "./publish-digest.js";
import { captureLogger, git, runRef, tempDir, writeDigest } from "./test-git.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

// The built publisher, run in a child process as the service would run it.
const PUBLISHER = fileURLToPath(new URL("../dist/index.js", import.meta.url));

async function docsRepoWithSlowHook(): Promise<string> {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  git(dir.path, "init", "-q", "-b", "main");
  // A pre-commit hook runs while git holds index.lock: a kill lands mid-commit.
  await writeFile(join(dir.path, ".git/hooks/pre-commit"), "#!/bin/sh\nsleep 60\n");
  await chmod(join(dir.path, ".git/hooks/pre-commit"), 0o755);
  await writeDigest(dir.path, runRef(), "# digest\n");
  return dir.path;
}

async function waitForFile(path: string): Promise<void> {
  for (let i = 0; i < 300 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(path)) throw new Error(`${path} never appeared`);
}

function context(dir: string) {
  const { log, lines } = captureLogger();
  return {
    ctx: { outputDir: dir, docsRepo: dir, autoPush: false, remoteUrl: "", branch: "main", authorName: "Sparky", authorEmail: "sparky@localhost", log, lockWaitMs: 500 },
    lines,
  };
}

describe("a publisher killed with its git child during git commit", () => {
  it("leaves index.lock behind, which the next publish removes (logging it) and then commits once", async () => {
    const dir = await docsRepoWithSlowHook();
    const script = `import { publishDigest } from ${JSON.stringify(PUBLISHER)};
      import { createLogger } from "@sparky/harness";
      await publishDigest(${JSON.stringify(runRef())}, { outputDir: ${JSON.stringify(dir)}, docsRepo: ${JSON.stringify(dir)}, autoPush: false,
        remoteUrl: "", branch: "main", authorName: "Sparky", authorEmail: "sparky@localhost", log: createLogger({ service: "publisher", level: "silent" }) });`;
    // Its own process group: killing the group kills node, git and the hook, as a container kill does.
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      detached: true,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await waitForFile(join(dir, ".git/index.lock"));
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    expect(existsSync(join(dir, ".git/index.lock"))).toBe(true);
    expect(existsSync(join(dir, ".git/sparky-publish.lock"))).toBe(true);

    await writeFile(join(dir, ".git/hooks/pre-commit"), "#!/bin/sh\nexit 0\n");
    const { ctx, lines } = context(dir);
    const result = await publishDigest(runRef(), ctx);
    expect(result.created).toBe(true);
    expect(git(dir, "log", "--format=%s")).toBe("sparky: daily digest 2026-11-26");
    expect(existsSync(join(dir, ".git/index.lock"))).toBe(false);
    const removal = lines.map((line) => JSON.parse(line) as Record<string, string>).find((r) => r.msg?.startsWith("removed a stale git lock"));
    expect(removal?.lock).toBe(join(dir, ".git/index.lock"));
    expect(removal?.reason).toMatch(/died holding the docs lock/);
  });

  it("never removes a lock held by a live git process", async () => {
    const dir = await docsRepoWithSlowHook();
    git(dir, "add", "--", "index.md");
    const live = spawn("git", ["-c", "user.name=x", "-c", "user.email=x@x", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "by hand", "--", "index.md"], {
      cwd: dir,
      detached: true,
      stdio: "ignore",
      env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
    });
    cleanups.push(async () => {
      try {
        process.kill(-live.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    });
    await waitForFile(join(dir, ".git/index.lock"));
    const { ctx, lines } = context(dir);
    await expect(publishDigest(runRef(), ctx)).rejects.toMatchObject({ code: "SPARKY_DOCS_LOCKED", transient: true });
    expect(existsSync(join(dir, ".git/index.lock"))).toBe(true);
    expect(lines.join("")).toMatch(/held by a running git process/);
  });
});

describe("stale git locks in a linked work tree", () => {
  it("are looked for where git takes them: the branch's ref lock in the shared git folder", async () => {
    const root = await tempDir();
    cleanups.push(root.cleanup);
    const main = join(root.path, "main");
    const docs = join(root.path, "pages");
    git(root.path, "init", "-q", "-b", "main", main);
    git(main, "-c", "user.name=x", "-c", "user.email=x@x", "-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "start");
    git(main, "worktree", "add", "-q", "-b", "pages/site", docs);
    await writeDigest(docs, runRef(), "# digest\n");
    // Left by a commit killed long ago: git takes a branch's ref lock beside the refs all work trees share.
    const lock = join(main, ".git", "refs", "heads", "pages", "site.lock");
    await writeFile(lock, "");
    const old = new Date(Date.now() - 60 * 60_000);
    await utimes(lock, old, old);
    const { ctx, lines } = context(docs);
    const result = await publishDigest(runRef(), { ...ctx, branch: "pages/site" });
    expect(result.created).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(lines.join("")).toContain("removed a stale git lock");
  });
});
