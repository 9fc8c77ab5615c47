import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SparkyError } from "@sparky/messages";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { publishDigest } from "./publish-digest.js";
import type { PublishContext } from "./publish-digest.js";
import { captureLogger, git, runRef, tempDir, writeDigest } from "./test-git.js";

// Every publish runs against a deliberately hostile user configuration: no identity (and
// no guessing one), commit signing with a signer that always fails, another default
// branch, pull.ff=only and git's push advice switched off. CI machines look like this.
let home: { path: string; cleanup: () => Promise<void> };
const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
beforeAll(async () => {
  home = await tempDir("sparky-home-");
  await writeFile(
    join(home.path, ".gitconfig"),
    [
      "[user]",
      "\tuseConfigOnly = true",
      "[commit]",
      "\tgpgsign = true",
      "[gpg]",
      "\tprogram = false",
      "[init]",
      "\tdefaultBranch = trunk",
      "[pull]",
      "\tff = only",
      "[advice]",
      "\tpushNonFFCurrent = false",
      "\tpushFetchFirst = false",
      "",
    ].join("\n"),
  );
  process.env.HOME = home.path;
  process.env.XDG_CONFIG_HOME = join(home.path, ".config");
});
afterAll(async () => {
  process.env.HOME = saved.HOME;
  if (saved.XDG_CONFIG_HOME === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = saved.XDG_CONFIG_HOME;
  await home.cleanup();
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
async function temp(): Promise<string> {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  return dir.path;
}

function context(outputDir: string, overrides: Partial<PublishContext> = {}): PublishContext & { lines: string[] } {
  const { log, lines } = captureLogger();
  return {
    outputDir,
    docsRepo: outputDir,
    autoPush: false,
    remoteUrl: "",
    branch: "main",
    authorName: "Sparky Bot",
    authorEmail: "sparky@example.com",
    log,
    lines,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<SparkyError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the publish to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SparkyError);
  return error as SparkyError;
}

const count = (repo: string, rev = "HEAD") => Number(git(repo, "rev-list", "--count", rev));

/** A bare remote with one commit on main (a README), as a hosted docs repo starts out. */
async function seededBare(): Promise<string> {
  const root = await temp();
  const bare = join(root, "docs.git");
  git(root, "init", "--quiet", "--bare", "--initial-branch=main", bare);
  const seed = join(root, "seed");
  git(root, "clone", "--quiet", bare, seed);
  await writeFile(join(seed, "README.md"), "# Docs\n");
  git(seed, "add", "README.md");
  git(seed, "commit", "--quiet", "-m", "initial");
  git(seed, "push", "--quiet", "origin", "HEAD:refs/heads/main");
  return bare;
}

async function cloneOf(bare: string): Promise<string> {
  const dir = join(await temp(), "clone");
  git(await temp(), "clone", "--quiet", bare, dir);
  return dir;
}

describe("publishDigest into the output folder (default setup)", () => {
  it("creates the repository on the configured branch and commits both files once", async () => {
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const ctx = context(out);

    const first = await publishDigest(ref, ctx);
    expect(first.created).toBe(true);
    expect(first.pushed).toBe(false);
    expect(first.reason).toBe("committed daily/2026-11-26.md");
    expect(first.commit).toBe(git(out, "rev-parse", "HEAD"));
    expect(git(out, "symbolic-ref", "HEAD")).toBe("refs/heads/main");
    expect(count(out)).toBe(1);
    expect(git(out, "log", "-1", "--format=%s%n%b")).toBe("sparky: daily digest 2026-11-26\nRun: daily-2026-11-26");
    expect(git(out, "log", "-1", "--format=%an <%ae>|%cn <%ce>")).toBe("Sparky Bot <sparky@example.com>|Sparky Bot <sparky@example.com>");
    expect(git(out, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual(["daily/2026-11-26.md", "index.md"]);
    expect(existsSync(join(out, ".git", "sparky-publish.lock"))).toBe(false);

    const again = await publishDigest(ref, ctx);
    expect(again).toEqual({
      commit: first.commit,
      created: false,
      pushed: false,
      reason: `unchanged since ${first.commit!.slice(0, 7)}`,
    });
    expect(count(out)).toBe(1);

    await writeDigest(out, ref, "# Daily digest\n\nOne more merge.\n");
    const changed = await publishDigest(ref, ctx);
    expect(changed.created).toBe(true);
    expect(changed.commit).not.toBe(first.commit);
    expect(count(out)).toBe(2);
    expect(git(out, "show", "HEAD:daily/2026-11-26.md")).toContain("One more merge.");
  });

  it("reports the newest commit of the digest when only other digests changed since", async () => {
    const out = await temp();
    const day1 = runRef("2026-11-25");
    const day2 = runRef("2026-11-26");
    await writeDigest(out, day1, "# 25th\n");
    const ctx = context(out);
    const first = await publishDigest(day1, ctx);
    await writeDigest(out, day2, "# 26th\n", "# Digests\n\n- 2026-11-25\n");
    await publishDigest(day2, ctx);
    await writeDigest(out, day2, "# 26th\n", "# Digests\n\n- 2026-11-25\n");
    await writeFile(join(out, "daily", "2026-11-25.md"), "# 25th\n");
    const rerun = await publishDigest(day1, ctx);
    expect(rerun.created).toBe(false);
    expect(rerun.commit).toBe(first.commit);
  });

  it("makes exactly one commit when the same run is published concurrently", async () => {
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const ctx = context(out);
    const results = await Promise.all([publishDigest(ref, ctx), publishDigest(ref, ctx), publishDigest(ref, ctx)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.commit)).size).toBe(1);
    expect(count(out)).toBe(1);
  });

  it("fails the gate when the digest or the index was not generated", async () => {
    const out = await temp();
    const error = await failure(publishDigest(runRef(), context(out)));
    expect(error.code).toBe("SPARKY_GATE_DIGEST_MISSING");
    expect(error.message).toContain("run the generate stage first");
    expect(existsSync(join(out, ".git"))).toBe(false);

    await mkdir(join(out, "daily"));
    await writeFile(join(out, "daily", "2026-11-26.md"), "# x\n");
    expect((await failure(publishDigest(runRef(), context(out)))).code).toBe("SPARKY_GATE_DIGEST_MISSING");
  });

  it("refuses period keys that would leave the output folder", async () => {
    const out = await temp();
    const error = await failure(publishDigest({ ...runRef(), key: "../../etc/passwd" }, context(out)));
    expect(error.code).toBe("SPARKY_BAD_RUN_REF");
  });

  it("makes an output folder inside another checkout its own repository, leaving the outer one alone", async () => {
    const project = await temp();
    git(project, "init", "--quiet");
    await writeFile(join(project, "README.md"), "project\n");
    git(project, "add", "README.md");
    git(project, "commit", "--quiet", "-m", "project");
    const out = join(project, "output");
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");

    const result = await publishDigest(ref, context(out));
    expect(result.created).toBe(true);
    expect(existsSync(join(out, ".git"))).toBe(true);
    expect(count(project)).toBe(1);
    expect(git(project, "log", "-1", "--format=%s")).toBe("project");
  });

  it("starts an existing repository without commits on the configured branch", async () => {
    const out = await temp();
    git(out, "init", "--quiet", "--initial-branch=master");
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const result = await publishDigest(ref, context(out));
    expect(result.created).toBe(true);
    expect(git(out, "symbolic-ref", "HEAD")).toBe("refs/heads/main");
  });

  it("refuses to commit onto another checked-out branch", async () => {
    const out = await temp();
    git(out, "init", "--quiet", "--initial-branch=main");
    git(out, "commit", "--quiet", "--allow-empty", "-m", "start");
    git(out, "switch", "--quiet", "-c", "feature");
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const error = await failure(publishDigest(ref, context(out)));
    expect(error.code).toBe("SPARKY_DOCS_WRONG_BRANCH");
    expect(error.message).toContain("switch main");
    expect(count(out)).toBe(1);
  });
});

describe("publishDigest reports the commit it made", () => {
  it.each([
    ["on a branch named with a slash", "docs/site", async (docs: string) => {
      await mkdir(docs, { recursive: true });
      git(docs, "init", "--quiet", "--initial-branch=docs/site");
    }],
    ["whose refs are packed", "main", async (docs: string) => {
      await mkdir(docs, { recursive: true });
      git(docs, "init", "--quiet", "--initial-branch=main");
      git(docs, "-c", "user.name=x", "-c", "user.email=x@example.com", "-c", "commit.gpgsign=false", "commit", "--quiet", "--allow-empty", "-m", "start");
      git(docs, "pack-refs", "--all");
    }],
    ["in a linked work tree (HEAD and refs kept apart)", "pages", async (docs: string) => {
      const main = `${docs}-main`;
      git(await temp(), "init", "--quiet", "--initial-branch=main", main);
      git(main, "-c", "user.name=x", "-c", "user.email=x@example.com", "-c", "commit.gpgsign=false", "commit", "--quiet", "--allow-empty", "-m", "start");
      git(main, "worktree", "add", "--quiet", "-b", "pages", docs);
    }],
  ])("in a repository %s", async (_what, branch, make) => {
    const out = await temp();
    const docs = join(await temp(), "docs");
    await make(docs);
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const ctx = context(out, { docsRepo: docs, branch });
    const first = await publishDigest(ref, ctx);
    expect(first.created).toBe(true);
    expect(first.commit).toBe(git(docs, "rev-parse", "HEAD"));
    expect(git(docs, "symbolic-ref", "HEAD")).toBe(`refs/heads/${branch}`);
    // Once more, changed: compared with the commit just made, committed on top of it.
    await writeDigest(out, ref, "# Daily digest, again\n");
    const second = await publishDigest(ref, ctx);
    expect(second.created).toBe(true);
    expect(second.commit).toBe(git(docs, "rev-parse", "HEAD"));
    expect(git(docs, "rev-parse", "HEAD^")).toBe(first.commit);
  });
});

describe("publishDigest into a separate docs repository", () => {
  it("copies the two files at the same paths and commits them there", async () => {
    const out = await temp();
    const docs = join(await temp(), "docs");
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const ctx = context(out, { docsRepo: docs });

    const first = await publishDigest(ref, ctx);
    expect(first.created).toBe(true);
    expect(existsSync(join(out, ".git"))).toBe(false);
    expect(await readFile(join(docs, "daily", "2026-11-26.md"), "utf8")).toBe("# Daily digest\n");
    expect(git(docs, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual(["daily/2026-11-26.md", "index.md"]);

    const before = await stat(join(docs, "daily", "2026-11-26.md"));
    await new Promise((r) => setTimeout(r, 20));
    const again = await publishDigest(ref, ctx);
    expect(again.created).toBe(false);
    expect(again.commit).toBe(first.commit);
    // Identical bytes are not rewritten.
    expect((await stat(join(docs, "daily", "2026-11-26.md"))).mtimeMs).toBe(before.mtimeMs);
    expect(git(docs, "status", "--porcelain")).toBe("");
  });

  it("overwrites uncommitted edits to its own files loudly and leaves every other file alone", async () => {
    const out = await temp();
    const docs = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    await writeFile(join(docs, "README.md"), "readme\n");
    await writeFile(join(docs, "notes.md"), "notes\n");
    git(docs, "init", "--quiet", "--initial-branch=main");
    git(docs, "add", "README.md", "notes.md");
    git(docs, "commit", "--quiet", "-m", "docs");
    const ctx = context(out, { docsRepo: docs });
    await publishDigest(ref, ctx);

    // Someone edits the digest copy, stages a README change and keeps an unstaged note and a scratch file.
    await writeFile(join(docs, "daily", "2026-11-26.md"), "# Daily digest\n\nhand-written remark\n");
    await writeFile(join(docs, "README.md"), "readme, staged edit\n");
    git(docs, "add", "README.md");
    await writeFile(join(docs, "notes.md"), "notes, unstaged edit\n");
    await writeFile(join(docs, "scratch.txt"), "untracked\n");

    await writeDigest(out, ref, "# Daily digest\n\nregenerated\n");
    const result = await publishDigest(ref, ctx);
    expect(result.created).toBe(true);
    expect(git(docs, "show", "--name-only", "--format=", "HEAD")).toBe("daily/2026-11-26.md");
    expect(git(docs, "show", "HEAD:daily/2026-11-26.md")).toContain("regenerated");
    expect(git(docs, "status", "--porcelain").split("\n").sort()).toEqual(["?? scratch.txt", "M  README.md", " M notes.md"].sort());
    expect(await readFile(join(docs, "notes.md"), "utf8")).toBe("notes, unstaged edit\n");

    const warning = ctx.lines.map((l) => JSON.parse(l) as { level: number; savedAs?: string }).find((l) => l.savedAs);
    expect(warning?.level).toBe(40);
    expect(git(docs, "cat-file", "-p", warning!.savedAs!)).toContain("hand-written remark");
  });

  it("refuses a non-empty folder that is not a repository, touching nothing", async () => {
    const out = await temp();
    const docs = await temp();
    await writeFile(join(docs, "mine.txt"), "not yours\n");
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const error = await failure(publishDigest(ref, context(out, { docsRepo: docs })));
    expect(error.code).toBe("SPARKY_DOCS_NOT_A_REPO");
    expect(error.message).toContain("git init");
    expect(existsSync(join(docs, ".git"))).toBe(false);
    expect(existsSync(join(docs, "daily"))).toBe(false);
  });

  it("initialises an existing empty folder", async () => {
    const out = await temp();
    const docs = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const result = await publishDigest(ref, context(out, { docsRepo: docs }));
    expect(result.created).toBe(true);
    expect(git(docs, "symbolic-ref", "HEAD")).toBe("refs/heads/main");
  });
});

describe("publishDigest with auto push", () => {
  it("pushes to a bare repository given as the remote URL", async () => {
    const root = await temp();
    const bare = join(root, "docs.git");
    git(root, "init", "--quiet", "--bare", bare);
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const ctx = context(out, { autoPush: true, remoteUrl: bare });

    const result = await publishDigest(ref, ctx);
    expect(result).toMatchObject({ created: true, pushed: true });
    expect(git(bare, "rev-parse", "refs/heads/main")).toBe(result.commit);

    const again = await publishDigest(ref, ctx);
    expect(again).toMatchObject({ commit: result.commit, created: false, pushed: false });
  });

  it("pushes to origin when no URL is configured", async () => {
    const bare = await seededBare();
    const docs = await cloneOf(bare);
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const result = await publishDigest(ref, context(out, { docsRepo: docs, autoPush: true }));
    expect(result).toMatchObject({ created: true, pushed: true });
    expect(git(bare, "rev-parse", "refs/heads/main")).toBe(result.commit);
    expect(git(bare, "show", "main:README.md")).toBe("# Docs");
  });

  it("says how to configure a remote when there is none", async () => {
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const error = await failure(publishDigest(ref, context(out, { autoPush: true })));
    expect(error.code).toBe("SPARKY_PUSH_NO_REMOTE");
    expect(error.message).toContain("docs_repo_url");
    expect(error.message).toContain("origin");
  });

  it("rebases onto a commit another clone pushed first and retries", async () => {
    const bare = await seededBare();
    const a = await cloneOf(bare);
    const b = await cloneOf(bare);
    const outA = await temp();
    const outB = await temp();
    const day1 = runRef("2026-11-25");
    const day2 = runRef("2026-11-26");
    await writeDigest(outA, day1, "# 25th\n", "# Index\n");
    await writeDigest(outB, day2, "# 26th\n", "# Index\n");

    const first = await publishDigest(day1, context(outA, { docsRepo: a, autoPush: true }));
    expect(first.pushed).toBe(true);
    const second = await publishDigest(day2, context(outB, { docsRepo: b, autoPush: true }));
    expect(second).toMatchObject({ created: true, pushed: true, reason: "committed daily/2026-11-26.md" });
    expect(git(bare, "rev-parse", "refs/heads/main")).toBe(second.commit);
    expect(git(bare, "log", "--format=%s", "main").split("\n")).toEqual([
      "sparky: daily digest 2026-11-26",
      "sparky: daily digest 2026-11-25",
      "initial",
    ]);
    expect(git(b, "status", "--porcelain")).toBe("");
  });

  it("does not add a second commit when another publisher already pushed the same digest", async () => {
    const bare = await seededBare();
    const a = await cloneOf(bare);
    const b = await cloneOf(bare);
    const outA = await temp();
    const outB = await temp();
    const ref = runRef();
    await writeDigest(outA, ref, "# Same\n");
    await writeDigest(outB, ref, "# Same\n");
    const first = await publishDigest(ref, context(outA, { docsRepo: a, autoPush: true }));
    // Within the same second both clones would build the very same commit object; a second
    // later B's commit differs in its date and must be dropped by the rebase instead.
    await new Promise((r) => setTimeout(r, 1_100));
    const second = await publishDigest(ref, context(outB, { docsRepo: b, autoPush: true }));
    expect(second).toEqual({
      commit: first.commit,
      created: false,
      pushed: false,
      reason: `already published as ${first.commit!.slice(0, 7)}`,
    });
    expect(count(bare, "main")).toBe(2);
  });

  it("reports a conflict when both sides changed the same digest, keeping the local commit", async () => {
    const bare = await seededBare();
    const a = await cloneOf(bare);
    const b = await cloneOf(bare);
    const outA = await temp();
    const outB = await temp();
    const ref = runRef();
    await writeDigest(outA, ref, "# Version A\n");
    await writeDigest(outB, ref, "# Version B\n");
    await publishDigest(ref, context(outA, { docsRepo: a, autoPush: true }));
    const error = await failure(publishDigest(ref, context(outB, { docsRepo: b, autoPush: true })));
    expect(error.code).toBe("SPARKY_PUSH_FAILED");
    expect(error.transient).toBe(false);
    expect(existsSync(join(b, ".git", "rebase-merge"))).toBe(false);
    expect(existsSync(join(b, ".git", "rebase-apply"))).toBe(false);
    expect(git(b, "show", "HEAD:daily/2026-11-26.md")).toBe("# Version B");
    expect(existsSync(join(b, ".git", "sparky-publish.lock"))).toBe(false);
  });

  it("fails a push to a missing remote transiently and pushes the kept commit on the next publish", async () => {
    const root = await temp();
    const bare = join(root, "later.git");
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const ctx = context(out, { autoPush: true, remoteUrl: bare });

    const error = await failure(publishDigest(ref, ctx));
    expect(error.code).toBe("SPARKY_PUSH_FAILED");
    expect(error.transient).toBe(true);
    expect(count(out)).toBe(1);

    git(root, "init", "--quiet", "--bare", bare);
    const retry = await publishDigest(ref, ctx);
    expect(retry).toMatchObject({ created: false, pushed: true, commit: git(out, "rev-parse", "HEAD") });
    expect(git(bare, "rev-parse", "refs/heads/main")).toBe(retry.commit);
  });

  it("never shows credentials from the remote URL in errors or logs", async () => {
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const ctx = context(out, { autoPush: true, remoteUrl: "https://user:s3cret@127.0.0.1:9/x.git" });
    const error = await failure(publishDigest(ref, ctx));
    expect(error.code).toBe("SPARKY_PUSH_FAILED");
    expect(error.transient).toBe(true);
    expect(error.message).not.toContain("s3cret");
    expect(error.message).toContain("127.0.0.1:9");
    expect(String(error.stack)).not.toContain("s3cret");
    expect(error.cause).toBeUndefined();
    expect(ctx.lines.join("")).not.toContain("s3cret");
  });
});

describe("publishDigest across processes", () => {
  it("waits for another process's lock and then fails transiently", async () => {
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    git(out, "init", "--quiet", "--initial-branch=main");
    const lock = join(out, ".git", "sparky-publish.lock");
    // A live holder: pid 1 exists on every machine, the host name makes it someone else's.
    await writeFile(lock, JSON.stringify({ token: "x", pid: 1, host: "elsewhere", started: "", since: new Date().toISOString() }));

    const started = Date.now();
    const error = await failure(publishDigest(ref, context(out, { lockWaitMs: 300 })));
    expect(error.code).toBe("SPARKY_DOCS_LOCKED");
    expect(error.transient).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(existsSync(lock)).toBe(true);
    expect(git(out, "rev-list", "--all")).toBe("");
  });

  it("takes over a lock older than ten minutes", async () => {
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    git(out, "init", "--quiet", "--initial-branch=main");
    const lock = join(out, ".git", "sparky-publish.lock");
    await writeFile(lock, JSON.stringify({ token: "x", pid: 1, host: "elsewhere", started: "", since: "2026-01-01T00:00:00Z" }));
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(lock, old, old);

    const result = await publishDigest(ref, context(out, { lockWaitMs: 300 }));
    expect(result.created).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over at once the lock of a dead process on this host", async () => {
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    git(out, "init", "--quiet", "--initial-branch=main");
    const { hostname } = await import("node:os");
    await writeFile(
      join(out, ".git", "sparky-publish.lock"),
      JSON.stringify({ token: "x", pid: 2 ** 22 + 1, host: hostname(), started: "", since: new Date().toISOString() }),
    );
    const result = await publishDigest(ref, context(out, { lockWaitMs: 0 }));
    expect(result.created).toBe(true);
  });
});

describe("publishDigest in docs repositories set up in unusual ways", () => {
  async function docsRepo(): Promise<string> {
    const docs = await temp();
    git(docs, "init", "--quiet", "--initial-branch=main");
    await writeFile(join(docs, "README.md"), "# Docs\n");
    git(docs, "add", "README.md");
    git(docs, "commit", "--quiet", "-m", "start");
    return docs;
  }

  it("refuses a detached HEAD, committing nothing", async () => {
    const out = await temp();
    const docs = await docsRepo();
    git(docs, "checkout", "--quiet", "--detach");
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const error = await failure(publishDigest(ref, context(out, { docsRepo: docs })));
    expect(error.code).toBe("SPARKY_DOCS_WRONG_BRANCH");
    expect(error.message).toContain("a detached HEAD");
    expect(error.message).toContain(`git -C ${docs} switch main`);
    expect(count(docs)).toBe(1);
  });

  it("sees no change in a checkout whose .gitattributes and core.autocrlf turn line ends into CRLF", async () => {
    const out = await temp();
    const docs = await docsRepo();
    await writeFile(join(docs, ".gitattributes"), "*.md text eol=crlf\n");
    git(docs, "add", ".gitattributes");
    git(docs, "commit", "--quiet", "-m", "crlf");
    git(docs, "config", "core.autocrlf", "true");
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n\nline two\n");
    const ctx = context(out, { docsRepo: docs });
    const first = await publishDigest(ref, ctx);
    expect(first.created).toBe(true);
    // Checked out again, as a clone would have it: CRLF in the working folder.
    git(docs, "rm", "--quiet", "--cached", "-r", ".");
    git(docs, "reset", "--quiet", "--hard");
    expect(await readFile(join(docs, "daily", "2026-11-26.md"), "utf8")).toBe("# Daily digest\r\n\r\nline two\r\n");
    const again = await publishDigest(ref, ctx);
    expect(again).toMatchObject({ created: false, commit: first.commit });
    expect(git(docs, "status", "--porcelain")).toBe("");
    expect(ctx.lines.some((line) => line.includes("uncommitted local edits"))).toBe(false);
    await writeDigest(out, ref, "# Daily digest\n\nline three\n");
    const changed = await publishDigest(ref, ctx);
    expect(changed.created).toBe(true);
    expect(git(docs, "cat-file", "-p", `${changed.commit}:daily/2026-11-26.md`)).toBe("# Daily digest\n\nline three");
  });

  it("reports a failing pre-commit hook in its own words, commits nothing, and commits once it passes", async () => {
    const out = await temp();
    const docs = await docsRepo();
    const hook = join(docs, ".git", "hooks", "pre-commit");
    await writeFile(hook, "#!/bin/sh\necho 'markdownlint: line too long' >&2\nexit 1\n", { mode: 0o755 });
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    const ctx = context(out, { docsRepo: docs });
    const error = await failure(publishDigest(ref, ctx));
    expect(error.code).toBe("SPARKY_GIT_FAILED");
    expect(error.message).toContain("git commit");
    expect(error.message).toContain("markdownlint: line too long");
    expect(count(docs)).toBe(1);
    await writeFile(hook, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const result = await publishDigest(ref, ctx);
    expect(result).toMatchObject({ created: true, commit: git(docs, "rev-parse", "HEAD") });
    expect(count(docs)).toBe(2);
  });
});

describe("publishDigest under a user config that shows signatures in git log", () => {
  it("reports the commit holding the digest, not the signature check printed above it", async () => {
    const config = join(home.path, ".gitconfig");
    const before = await readFile(config, "utf8");
    cleanups.push(() => writeFile(config, before));
    const out = await temp();
    const docs = await temp();
    const key = join(await temp(), "key");
    git(docs, "init", "--quiet", "--initial-branch=main");
    git(docs, "config", "gpg.format", "ssh");
    git(docs, "config", "user.signingkey", key);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "someone", "-f", key]);
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    await writeDigest(docs, ref, "# Daily digest\n");
    git(docs, "add", ".");
    // Committed by hand, signed (as GitHub signs what is merged on its web page).
    git(docs, "commit", "--quiet", "-S", "-m", "digest, by hand");
    const signed = git(docs, "rev-parse", "HEAD");
    await writeFile(config, `${before}[log]\n\tshowSignature = true\n`);
    const result = await publishDigest(ref, context(out, { docsRepo: docs }));
    expect(result).toMatchObject({ created: false, commit: signed, reason: `unchanged since ${signed.slice(0, 7)}` });
  });
});
