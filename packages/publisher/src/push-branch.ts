import { access } from "node:fs/promises";
import { join } from "node:path";
import { SparkyError } from "@sparky/messages";
import type { Logger } from "@sparky/harness";
import type { DocsGit } from "./docs-git.js";
import { gitErrorText, gitStep } from "./git-step.js";
import { redactUrl } from "./redact-url.js";

export interface PushBranchOptions {
  git: DocsGit;
  dir: string;
  gitDir: string;
  /** A URL or path, or `origin` when no URL is configured. */
  remote: string;
  branch: string;
  log: Logger;
}

export interface PushOutcome {
  /** The remote branch moved (false when it already had everything). */
  pushed: boolean;
  /** Remote commits were rebased under ours before the push succeeded. */
  rebased: boolean;
  /** After the rebase nothing of ours was left to push: the remote already had the same content. */
  absorbed: boolean;
}

/**
 * Push the local branch to the remote. When someone else pushed first (non-fast-forward),
 * rebase onto theirs once and retry: Sparky's commits touch only its own files, so this is
 * safe unless both sides changed the same digest, which is reported as a conflict.
 */
export async function pushBranch(options: PushBranchOptions): Promise<PushOutcome> {
  const { git, remote, branch, log } = options;
  const shown = redactUrl(remote);
  const first = await tryPush(git, remote, branch);
  if (first.ok) return { pushed: first.pushed, rebased: false, absorbed: false };
  if (!first.nonFastForward) throw pushFailed(shown, branch, first.detail);

  log.info({ remote: shown, branch }, "push rejected as non-fast-forward; rebasing onto the remote branch and retrying once");
  await rebaseOnto(options, shown);
  const ahead = Number(
    (await gitStep("git rev-list", options.dir, () => git.raw(["rev-list", "--count", "FETCH_HEAD..HEAD"]))).trim(),
  );
  if (ahead === 0) {
    // Every local commit was already upstream (another publisher pushed the same content).
    return { pushed: false, rebased: true, absorbed: true };
  }
  const second = await tryPush(git, remote, branch);
  if (second.ok) return { pushed: second.pushed, rebased: true, absorbed: false };
  throw pushFailed(shown, branch, second.detail);
}

type PushAttempt = { ok: true; pushed: boolean } | { ok: false; nonFastForward: boolean; detail: string };

async function tryPush(git: DocsGit, remote: string, branch: string): Promise<PushAttempt> {
  const ref = `refs/heads/${branch}`;
  try {
    // --porcelain: one machine-readable line per ref; `=` means the remote was already up to date.
    const out = await git.raw(["push", "--porcelain", remote, `${ref}:${ref}`]);
    const line = out.split("\n").find((l) => l.includes(`\t${ref}:${ref}\t`));
    return { ok: true, pushed: line === undefined ? true : !line.startsWith("=") };
  } catch (error) {
    const detail = gitErrorText(error);
    // The porcelain ref line says "(fetch first)" or "(non-fast-forward)"; git's hints can be
    // switched off by a user's config, the ref line cannot.
    const nonFastForward = /\[rejected\].*\((fetch first|non-fast-forward)\)/.test(detail);
    return { ok: false, nonFastForward, detail };
  }
}

async function rebaseOnto(options: PushBranchOptions, shown: string): Promise<void> {
  const { git, remote, branch, dir, gitDir } = options;
  try {
    // --autostash: when the docs repo is the output folder, other generated files may be modified.
    await git.raw(["pull", "--rebase", "--autostash", "--quiet", remote, branch]);
  } catch (error) {
    const detail = gitErrorText(error);
    const inRebase = (await present(join(gitDir, "rebase-merge"))) || (await present(join(gitDir, "rebase-apply")));
    if (inRebase) {
      // Leave the repository exactly as before the pull: our commit intact, nothing half-applied.
      await gitStep("git rebase --abort", dir, () => git.raw(["rebase", "--abort"]));
      throw new SparkyError(
        "SPARKY_PUSH_FAILED",
        `push to ${shown} (branch ${branch}) was rejected because the remote has newer commits, and rebasing onto them conflicts ` +
          `(the same digest was changed on both sides). The local commit is kept in ${dir}; resolve it there ` +
          `(git pull --rebase, fix the conflict, git push) and publish again.\n${detail}`,
      );
    }
    throw pushFailed(shown, branch, `git pull --rebase failed:\n${detail}`);
  }
}

function pushFailed(shown: string, branch: string, detail: string): SparkyError {
  return new SparkyError(
    "SPARKY_PUSH_FAILED",
    `push to ${shown} (branch ${branch}) failed; the commit is kept locally and is pushed on the next publish:\n${redactUrl(detail)}`,
    { transient: true },
  );
}

async function present(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
