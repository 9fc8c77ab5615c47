import { realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { SimpleGit } from "simple-git";
import { GitCommandError, GitNotFoundError, NotAGitRepositoryError, RepositoryNotFoundError } from "./errors.js";
import { gitConfig, gitEnv } from "./git-command.js";

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
  // Loaded with the first repository opened: an idle `serve collector` does without it.
  const { simpleGit } = await import("simple-git");
  const git = simpleGit({ baseDir: absolute, config: [...gitConfig] }).env(gitEnv());

  let probe: string[];
  try {
    probe = lines(await git.raw(["rev-parse", "--is-bare-repository", "--is-inside-work-tree", "--absolute-git-dir", "--is-shallow-repository", "--git-common-dir"]));
  } catch (error) {
    const message = errorText(error);
    if (/not a git repository/i.test(message)) throw new NotAGitRepositoryError(absolute);
    throw gitFailure(absolute, "rev-parse", error);
  }
  // Asked together while the folder is checked below: one git's start-up instead of three.
  const facts = Promise.all([
    optional(git, absolute, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]),
    optional(git, absolute, ["symbolic-ref", "--quiet", "--short", "HEAD"]),
    // get-url applies the user's `insteadOf` rewrites, so a short alias resolves to its forge.
    optional(git, absolute, ["remote", "get-url", "origin"], /no such remote/i),
  ]);
  facts.catch(() => undefined); // a refusal below is the error to report
  const [bareFlag, workTreeFlag, gitDir, shallowFlag, commonDir] = probe;
  const bare = bareFlag === "true";
  if (bare) {
    if ((await realpath(gitDir ?? "")) !== realPath) {
      throw new NotAGitRepositoryError(absolute, `it is inside the bare repository ${gitDir}`);
    }
  } else if (workTreeFlag === "true") {
    const top = (await git.raw(["rev-parse", "--show-toplevel"])).trim();
    if ((await realpath(top)) !== realPath) {
      throw new NotAGitRepositoryError(absolute, `it is a folder inside the clone ${top}`);
    }
  } else {
    throw new NotAGitRepositoryError(absolute, `it is the git folder of a clone, not the clone`);
  }

  return {
    path: absolute,
    realPath,
    bare,
    shallow: shallowFlag === "true",
    // Printed relative to the folder git ran in, unless it is elsewhere.
    commonGitDir: resolve(absolute, commonDir ?? gitDir ?? ""),
    ...(await facts.then(([head, branch, originUrl]) => ({ head, branch: branch ?? "HEAD", originUrl }))),
  };
}

/**
 * Output of a query that may have no answer: simple-git resolves a failing git that printed
 * nothing on stderr with empty output, and `noAnswer` matches stderr that means "none".
 */
async function optional(git: SimpleGit, path: string, args: string[], noAnswer?: RegExp): Promise<string | null> {
  try {
    const out = (await git.raw(args)).trim();
    return out === "" ? null : out;
  } catch (error) {
    const message = errorText(error);
    if (message.trim() === "" || noAnswer?.test(message)) return null;
    throw gitFailure(path, args[0] ?? "", error);
  }
}

function lines(text: string): string[] {
  return text.split("\n").map((line) => line.trim());
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function gitFailure(path: string, what: string, error: unknown): Error {
  const message = errorText(error);
  if (/spawn git ENOENT/.test(message)) return new GitNotFoundError();
  return new GitCommandError(path, what, message, null);
}
