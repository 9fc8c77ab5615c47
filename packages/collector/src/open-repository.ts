import { realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { execFile } from "node:child_process";
import { GitCommandError, GitNotFoundError, NotAGitRepositoryError, RepositoryNotFoundError } from "./errors.js";
import { gitArgs, gitEnv } from "./git-command.js";

/** A repository checked to be usable, with the facts a collection records about it. */
export interface OpenedRepository {
  /** Absolute path as given. */
  path: string;
  /** The same path with symlinks resolved, to spot one repository listed twice. */
  realPath: string;
  bare: boolean;
  shallow: boolean;
  /** The git folder shared by all work trees (where shallow, grafts and refs live), absolute. */
  commonGitDir: string;
  /** Commit HEAD points to, null when the repository has no commits yet. */
  head: string | null;
  /** Branch HEAD points to, or "HEAD" when it is detached. */
  branch: string;
  /** URL of the `origin` remote, null when there is none. Can hold credentials: never log it. */
  originUrl: string | null;
}

/**
 * Check that `path` is the top folder of a clone or a bare repository and read HEAD.
 * A folder inside a clone is refused rather than silently widened to the whole clone:
 * the user named that folder, and would get a digest of more than they asked for.
 */
export async function openRepository(path: string): Promise<OpenedRepository> {
  const absolute = resolve(path);
  try {
    const info = await stat(absolute);
    if (!info.isDirectory()) throw new NotAGitRepositoryError(absolute, "it is a file");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new RepositoryNotFoundError(absolute);
    throw error;
  }
  const realPath = await realpath(absolute);
  // Each git forks this whole process, so the usual case asks everything in one rev-parse:
  // the layout, HEAD's commit and branch, and where the folder sits in its work tree. It
  // fails where HEAD has no commit yet (or the folder is no repository): then the layout is
  // asked alone, and the rest one question at a time, as `openSlowly` does.
  const [facts, originUrl] = await Promise.all([
    git(absolute, [...PROBE, "--show-prefix", "HEAD^{commit}", "--symbolic-full-name", "HEAD"]).then(
      (out) => lines(out),
      () => null,
    ),
    optional(absolute, ["remote", "get-url", "origin"], /no such remote/i).catch((error: unknown) => error as Error),
  ]);
  const opened = facts && facts.length >= 8 ? await fromFacts(absolute, realPath, facts) : await openSlowly(absolute, realPath);
  if (originUrl instanceof Error) throw originUrl;
  return { ...opened, originUrl };
}

/** What rev-parse tells of the layout, in this order. */
const PROBE = ["rev-parse", "--is-bare-repository", "--is-inside-work-tree", "--absolute-git-dir", "--is-shallow-repository", "--git-common-dir"];

type Opened = Omit<OpenedRepository, "originUrl">;

async function fromFacts(absolute: string, realPath: string, facts: string[]): Promise<Opened> {
  const [bareFlag, workTreeFlag, gitDir, shallowFlag, commonDir, prefix, head, symbolic] = facts;
  const bare = bareFlag === "true";
  if (bare) await refuseInsideBare(absolute, realPath, gitDir);
  else if (workTreeFlag !== "true") throw new NotAGitRepositoryError(absolute, `it is the git folder of a clone, not the clone`);
  else if (prefix) {
    const top = resolve(absolute, prefix.split("/").filter(Boolean).map(() => "..").join("/"));
    throw new NotAGitRepositoryError(absolute, `it is a folder inside the clone ${top}`);
  }
  return {
    path: absolute,
    realPath,
    bare,
    shallow: shallowFlag === "true",
    // Printed relative to the folder git ran in, unless it is elsewhere.
    commonGitDir: resolve(absolute, commonDir || gitDir || ""),
    head: head || null,
    // `refs/heads/main` on a branch, `HEAD` when detached (as `symbolic-ref --short` tells).
    branch: symbolic?.startsWith("refs/heads/") ? symbolic.slice("refs/heads/".length) : symbolic || "HEAD",
  };
}

/**
 * Where HEAD has no commit yet, HEAD^{commit} and --symbolic-full-name fail the whole
 * rev-parse: the layout is asked without them, the branch of symbolic-ref.
 */
async function openSlowly(absolute: string, realPath: string): Promise<Opened> {
  let probe: string[];
  try {
    probe = lines(await git(absolute, [...PROBE, "--show-prefix"]));
  } catch (error) {
    const message = errorText(error);
    if (/not a git repository/i.test(message)) throw new NotAGitRepositoryError(absolute);
    throw gitFailure(absolute, "rev-parse", error);
  }
  // A detached HEAD answers nothing, as --symbolic-full-name answers "HEAD".
  const symbolic = await optional(absolute, ["symbolic-ref", "--quiet", "HEAD"]);
  const [bare = "", workTree = "", gitDir = "", shallow = "", commonDir = "", prefix = ""] = probe;
  return fromFacts(absolute, realPath, [bare, workTree, gitDir, shallow, commonDir, prefix, "", symbolic ?? "HEAD"]);
}

async function refuseInsideBare(absolute: string, realPath: string, gitDir: string | undefined): Promise<void> {
  if ((await realpath(gitDir ?? "")) !== realPath) {
    throw new NotAGitRepositoryError(absolute, `it is inside the bare repository ${gitDir}`);
  }
}

/** git's stdout; a failure's message carries its stderr (LC_ALL=C, see gitEnv). */
function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", gitArgs(args), { cwd, env: gitEnv(), maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const spawnFailed = typeof error.code === "string";
      reject(spawnFailed ? error : Object.assign(new Error(stderr.trim()), { exitCode: error.code }));
    });
  });
}

/** Output of a query that may have no answer: a git that fails saying nothing, or saying what `noAnswer` matches. */
async function optional(path: string, args: string[], noAnswer?: RegExp): Promise<string | null> {
  try {
    const out = (await git(path, args)).trim();
    return out === "" ? null : out;
  } catch (error) {
    const message = errorText(error);
    if (message.trim() === "" || noAnswer?.test(message)) return null;
    throw gitFailure(path, args[0] ?? "", error);
  }
}

function lines(text: string): string[] {
  // Not trimmed: a folder name may end in a space ("/srv/repo .git"), and git prints it as is.
  return text.split("\n");
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function gitFailure(path: string, what: string, error: unknown): Error {
  const message = errorText(error);
  if (/spawn git ENOENT/.test(message)) return new GitNotFoundError();
  return new GitCommandError(path, what, message, null);
}
