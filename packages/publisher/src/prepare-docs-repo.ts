import { lstat, mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { SparkyError } from "@sparky/messages";
import type { DocsGit } from "./docs-git.js";
import { gitStep } from "./git-step.js";

export interface PrepareDocsRepoOptions {
  /** Absolute path of the docs repository's working folder. */
  dir: string;
  /** The docs repo is the output folder itself: it already holds digests, and is made a repo in place. */
  isOutputDir: boolean;
  branch: string;
  git: (baseDir: string) => DocsGit;
}

/**
 * Make sure `dir` is the root of a git working tree Sparky may commit to, creating it
 * (`git init` on the configured branch) when it is missing or empty; `created` says it did. A folder with other
 * content is never turned into a repository behind the user's back, except the output
 * folder, which holds nothing but Sparky's digests.
 *
 * Only `dir/.git` counts: a folder that merely lies inside another repository (the
 * default `./output` inside a project checkout) must not commit into that project.
 */
export async function prepareDocsRepo(options: PrepareDocsRepoOptions): Promise<{ created: boolean }> {
  const { dir, branch } = options;
  assertBranchName(branch);
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (info && !info.isDirectory()) {
    throw new SparkyError(
      "SPARKY_DOCS_NOT_A_REPO",
      `docs repository ${dir} is a file, not a folder: set [publisher] git_repo to a folder (an existing git clone, or a new or empty folder Sparky will initialise)`,
    );
  }
  if (info && (await exists(join(dir, ".git")))) return { created: false };

  const entries = info ? await readdir(dir) : [];
  if (entries.length > 0 && !options.isOutputDir) {
    const bare = entries.includes("HEAD") && entries.includes("objects") && entries.includes("refs");
    throw new SparkyError(
      "SPARKY_DOCS_NOT_A_REPO",
      bare
        ? `docs repository ${dir} is a bare git repository, which has no working folder to commit in: ` +
            `set [publisher] docs_repo_url to it (with auto_push = true) and git_repo to a working folder`
        : `docs repository ${dir} is a folder with other content but not a git repository: ` +
            `run \`git init\` there (or clone your docs repository there), or set [publisher] git_repo to an empty or new folder`,
    );
  }
  await mkdir(dir, { recursive: true });
  await gitStep("git init", dir, () => options.git(dir).raw(["init", "--quiet", `--initial-branch=${branch}`]));
  return { created: true };
}

async function exists(path: string): Promise<boolean> {
  try {
    // `.git` is a folder in a clone and a file in a linked worktree or submodule: either counts.
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The subset of git's ref-name rules a misconfigured branch would break, checked before git sees it. */
export function assertBranchName(branch: string): void {
  const valid =
    /^[A-Za-z0-9_][A-Za-z0-9._/-]*$/.test(branch) &&
    !branch.includes("..") &&
    !branch.includes("//") &&
    !branch.endsWith("/") &&
    !branch.endsWith(".") &&
    !branch.endsWith(".lock") &&
    !branch.split("/").some((part) => part.startsWith("."));
  if (!valid) {
    throw new SparkyError(
      "SPARKY_BAD_BRANCH",
      `[publisher] branch "${branch}" is not a usable git branch name: use letters, digits, ".", "_", "-" and "/", e.g. main or docs/digests`,
    );
  }
}
