import { readFile, realpath } from "node:fs/promises";
import { join, resolve } from "node:path";
import { OUTPUT_FILES, SparkyError, digestRelativePath } from "@sparky/messages";
import type { PublishResult, RunRef } from "@sparky/messages";
import { writeFileAtomic } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import { acquireDocsLock } from "./docs-lock.js";
import { docsGit } from "./docs-git.js";
import type { DocsGit } from "./docs-git.js";
import { gitStep } from "./git-step.js";
import { prepareDocsRepo } from "./prepare-docs-repo.js";
import { docsFolder, publishedFiles } from "./published-files.js";
import { pushBranch } from "./push-branch.js";
import { redactUrl } from "./redact-url.js";
import { recoverStaleGitLocks } from "./stale-git-locks.js";

export interface PublishContext {
  /** The generator's output folder (holds `<period>/<key>.md` and `index.md`). */
  outputDir: string;
  /** Working folder of the docs repository; may be `outputDir` itself. */
  docsRepo: string;
  autoPush: boolean;
  /** Remote to push to; empty means the repository's `origin`. May embed credentials. */
  remoteUrl: string;
  branch: string;
  authorName: string;
  authorEmail: string;
  log: Logger;
  /** How long to wait for another process's publish to the same repo (default 5 s). */
  lockWaitMs?: number;
  /** Stops git when the job is cancelled. */
  signal?: AbortSignal;
  /** Checked before files are copied in and before the commit: a cancelled or fenced-off job commits nothing. */
  guard?: () => Promise<void>;
  /** `[publisher] docs_subdir`: the docs repository's folder the output goes to ("" = its root). */
  docsSubdir?: string;
}
const DEFAULT_LOCK_WAIT_MS = 5_000;

/**
 * Commit the digest of one run (with the index page, the feed and the quiet-day ledger) to
 * the docs repository, or under its `docsSubdir`, and push it when configured. Idempotent:
 * publishing the same content again makes no commit and reports the commit that already
 * holds it. A quiet day the generator skipped commits the listing only, when it changed.
 */
export async function publishDigest(ref: RunRef, ctx: PublishContext): Promise<PublishResult> {
  const relative = digestPath(ref);
  // Two publishes to one repo in this process would race on its index; the file lock
  // below covers other processes, this queue covers our own concurrent calls.
  return serialise(resolve(ctx.docsRepo), () => publishExclusive(ref, relative, ctx));
}

async function publishExclusive(ref: RunRef, relative: string, ctx: PublishContext): Promise<PublishResult> {
  const outputDir = resolve(ctx.outputDir);
  const dir = resolve(ctx.docsRepo);
  const { files, quiet } = await publishedFiles(outputDir, ref, relative);
  const subdir = ctx.docsSubdir ?? "";
  // Paths in the docs repository: the commit names only these, whatever else is in it.
  const inRepo = (path: string) => (subdir === "" ? path : `${subdir}/${path}`);
  const paths = files.map(inRepo);
  // The commit a quiet day points at when it has nothing new: the last one to change the index.
  const anchor = inRepo(quiet ? OUTPUT_FILES.index : relative);

  const isOutputDir = await sameFolder(outputDir, dir);
  const git = (baseDir: string) => docsGit(baseDir, { authorName: ctx.authorName, authorEmail: ctx.authorEmail, signal: ctx.signal });
  // A repository made just now by `git init` (no GIT_* reaches git, see docs-git.ts) keeps
  // its git folder in `.git`, on the configured branch, without a commit: nothing to ask.
  const { created: fresh } = await prepareDocsRepo({ dir, isOutputDir, branch: ctx.branch, git });
  await docsFolder(dir, subdir, isOutputDir);
  const repo = git(dir);
  const gitDir = fresh ? join(dir, ".git") : (await gitStep("git rev-parse", dir, () => repo.raw(["rev-parse", "--absolute-git-dir"]))).trim();
  const lock = await acquireDocsLock(gitDir, { waitMs: ctx.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, repoLabel: dir });
  try {
    // A publisher killed with its git child during a commit leaves git's own locks behind.
    await recoverStaleGitLocks({ workDir: dir, gitDir, branch: ctx.branch, inherited: lock.inherited, log: ctx.log });
    await ensureBranch(repo, dir, gitDir, ctx.branch);
    await ctx.guard?.();
    if (!isOutputDir) {
      for (const path of files) await copyIfChanged(repo, join(outputDir, path), dir, inRepo(path), ctx.log);
    }
    await gitStep("git add", dir, () => repo.raw(["add", "--", ...paths]));

    // Unless another publisher committed between that `git init` and our lock.
    const changed = (fresh && (await branchTip(gitDir, ctx.branch)) === null) || (await stagedChanges(repo, dir, paths));
    let commit: string;
    let created = false;
    if (changed) {
      await ctx.guard?.();
      // Pathspec commit: only Sparky's files, even if the user has other changes staged.
      const message = quiet
        ? ["-m", `sparky: quiet day ${ref.key}`, "-m", `No activity: no digest ([generator] empty_days = "skip"); the index lists the day.\n\nRun: ${ref.runId}`]
        : ["-m", `sparky: ${ref.period} digest ${ref.key}`, "-m", `Run: ${ref.runId}`];
      await gitStep("git commit", dir, () => repo.raw(["commit", "--quiet", ...message, "--", ...paths]));
      commit = (await branchTip(gitDir, ctx.branch)) ?? (await revParse(repo, dir, "HEAD"))!;
      created = true;
    } else {
      commit = await lastCommitTouching(repo, dir, anchor);
    }

    let pushed = false;
    let reason = quiet
      ? `quiet day, no digest: ${created ? `committed the index` : `index unchanged since ${commit.slice(0, 7)}`}`
      : created
        ? `committed ${anchor}`
        : `unchanged since ${commit.slice(0, 7)}`;
    if (ctx.autoPush) {
      const remote = await pushTarget(repo, dir, ctx.remoteUrl);
      // Also when unchanged: a commit whose push failed earlier is still waiting to go out.
      const outcome = await pushBranch({ git: repo, dir, gitDir, remote, branch: ctx.branch, log: ctx.log });
      pushed = outcome.pushed;
      if (outcome.rebased) commit = await lastCommitTouching(repo, dir, anchor);
      // Another publisher got the same content out first: either our commit vanished in the
      // rebase, or it came out byte-identical to theirs (same parent, content, identity and
      // second), so the remote was already up to date. Either way nothing new was published.
      if (created && (outcome.absorbed || (!outcome.pushed && !outcome.rebased))) {
        created = false;
        reason = `already published as ${commit.slice(0, 7)}`;
      }
    }

    ctx.log.info(
      {
        runId: ref.runId,
        path: anchor,
        quiet,
        docsRepo: dir,
        commit,
        created,
        pushed,
        ...(ctx.autoPush ? { remote: redactUrl(ctx.remoteUrl || "origin") } : {}),
      },
      created ? "digest committed to the docs repository" : "digest already in the docs repository",
    );
    return { commit, created, pushed, reason };
  } finally {
    await lock.release();
  }
}

function digestPath(ref: RunRef): string {
  // The key becomes a file name in someone's repository: refuse anything that could leave its folder.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(ref.key) || ref.key.includes("..")) {
    throw new SparkyError("SPARKY_BAD_RUN_REF", `invalid period key "${ref.key}" in run ${ref.runId}: expected e.g. 2026-11-26, 2026-W48 or 2026-11`);
  }
  return digestRelativePath(ref.period, ref.key);
}

async function sameFolder(a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  // Different spellings of one folder (a symlink) still mean "the output folder is the repo".
  const [ra, rb] = await Promise.all([realpath(a).catch(() => null), realpath(b).catch(() => null)]);
  return ra !== null && ra === rb;
}

// Each git forks this whole process (5 to 10 ms in a digest): what git's own files answer
// plainly is read from them, and anything else asks git.

async function ensureBranch(repo: DocsGit, dir: string, gitDir: string, branch: string): Promise<void> {
  const wanted = `refs/heads/${branch}`;
  // HEAD's file names the branch outright in the usual case; a ref store without it
  // (reftable writes a placeholder there) falls through to symbolic-ref.
  if ((await readFile(join(gitDir, "HEAD"), "utf8").catch(() => "")).trim() === `ref: ${wanted}`) return;
  // `-q`: a detached HEAD prints nothing and exits 1 instead of an error.
  const current = (await gitStep("git symbolic-ref", dir, () => repo.raw(["symbolic-ref", "-q", "HEAD"], [1]))).trim();
  if (current === wanted) return;
  const head = await revParse(repo, dir, "HEAD");
  if (head === null && current !== "" && (await revParse(repo, dir, wanted)) === null) {
    // A repository without commits (e.g. created by `git init` with another default branch):
    // nothing is lost by starting it on the configured branch instead.
    await gitStep("git symbolic-ref", dir, () => repo.raw(["symbolic-ref", "HEAD", wanted]));
    return;
  }
  const where = current === "" ? "a detached HEAD" : `branch ${current.replace(/^refs\/heads\//, "")}`;
  throw new SparkyError(
    "SPARKY_DOCS_WRONG_BRANCH",
    `docs repository ${dir} has ${where} checked out, but [publisher] branch is "${branch}": ` +
      `run \`git -C ${dir} switch ${branch}\`, or set [publisher] branch to the branch digests should go to`,
  );
}

/** Whether the index holds changes to `paths` against HEAD; everything is a change before the first commit. */
async function stagedChanges(repo: DocsGit, dir: string, paths: readonly string[]): Promise<boolean> {
  try {
    return (await repo.raw(["diff", "--cached", "--name-only", "HEAD", "--", ...paths])).trim() !== "";
  } catch (error) {
    // No HEAD to compare with: a first commit. Any other failure is git's to report.
    if ((await revParse(repo, dir, "HEAD")) === null) return true;
    return gitStep<boolean>("git diff", dir, () => Promise.reject(error));
  }
}

/** The branch's commit as its loose ref holds it, which a commit has just written; null if it is stored otherwise. */
async function branchTip(gitDir: string, branch: string): Promise<string | null> {
  const sha = (await readFile(join(gitDir, "refs", "heads", ...branch.split("/")), "utf8").catch(() => "")).trim();
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha) ? sha : null;
}

async function revParse(repo: DocsGit, dir: string, rev: string): Promise<string | null> {
  // `--verify -q` prints nothing and exits 1 for a missing ref.
  const out = (await gitStep("git rev-parse", dir, () => repo.raw(["rev-parse", "--verify", "-q", `${rev}^{commit}`], [1]))).trim();
  return out === "" ? null : out;
}

async function lastCommitTouching(repo: DocsGit, dir: string, path: string): Promise<string> {
  const out = (await gitStep("git log", dir, () => repo.raw(["log", "-1", "--format=%H", "--", path]))).trim();
  return out || ((await revParse(repo, dir, "HEAD")) ?? "");
}

/**
 * Copy one generated file into a separate docs repo, only when its bytes differ (an
 * identical rewrite would still churn mtimes and editors). Uncommitted edits someone made
 * to the copy are overwritten, since Sparky owns the path, but never silently: the edited
 * version is stored as a git object first and the log says how to get it back.
 */
async function copyIfChanged(repo: DocsGit, source: string, dir: string, path: string, log: Logger): Promise<void> {
  const next = await readFile(source);
  const target = join(dir, path);
  const current = await readFile(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (current !== null && current.equals(next)) return;
  if (current !== null) {
    const status = (await gitStep("git status", dir, () => repo.raw(["status", "--porcelain", "--", path]))).trim();
    if (status !== "") {
      const blob = (await gitStep("git hash-object", dir, () => repo.raw(["hash-object", "-w", "--", path]))).trim();
      log.warn(
        { path, docsRepo: dir, savedAs: blob },
        `${path} had uncommitted local edits in the docs repository; Sparky overwrites its own files, ` +
          `the edited version is saved as git object ${blob} (recover it with: git -C ${dir} show ${blob})`,
      );
    }
  }
  await writeFileAtomic(target, next);
}

async function pushTarget(repo: DocsGit, dir: string, remoteUrl: string): Promise<string> {
  if (remoteUrl !== "") return remoteUrl;
  const remotes = (await gitStep("git remote", dir, () => repo.raw(["remote"]))).split("\n").map((r) => r.trim());
  if (remotes.includes("origin")) return "origin";
  throw new SparkyError(
    "SPARKY_PUSH_NO_REMOTE",
    `auto_push is on but there is nowhere to push the docs repository ${dir}: set [publisher] docs_repo_url ` +
      `(or SPARKY_PUBLISHER_DOCS_REPO_URL), or add an origin remote (git -C ${dir} remote add origin <url>), or turn auto_push off`,
  );
}

const queues = new Map<string, Promise<unknown>>();

function serialise<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}
