import { simpleGit } from "simple-git";
import type { SimpleGit } from "simple-git";

export interface GitIdentity {
  authorName: string;
  authorEmail: string;
  /** Stops the git child when the publish job is cancelled. */
  signal?: AbortSignal;
}

/** Longest a git command may go without printing anything before it is killed (a hung remote). */
export const BLOCK_TIMEOUT_MS = 120_000;

// Names simple-git refuses to pass through `.env()` (its environment guard): they are
// dropped here so the child gets the rest of our environment plus GIT_TERMINAL_PROMPT.
const GUARDED = new Set(["editor", "visual", "pager", "prefix", "ssh_askpass"]);
// The one git variable an operator sets for the push: which key and known_hosts ssh uses
// (docker-compose.push.yml mounts them as secrets). Every other GIT_* stays out.
const PASSED = ["GIT_SSH_COMMAND"];

function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    const lower = name.toLowerCase();
    if (value === undefined || PASSED.includes(name)) continue;
    if (lower.startsWith("git_") || GUARDED.has(lower)) continue;
    env[name] = value;
  }
  for (const name of PASSED) if (process.env[name]) env[name] = process.env[name]!;
  // A service has nobody to type a password: fail at once instead of waiting on a tty prompt.
  env.GIT_TERMINAL_PROMPT = "0";
  return env;
}

/**
 * A simple-git instance for the docs repository that behaves the same on every machine:
 * the commit identity comes from Sparky's config (CI has no global identity), and a
 * user's `commit.gpgsign` cannot make commits (or rebased commits) wait on a signing key.
 */
export function docsGit(baseDir: string, identity: GitIdentity): SimpleGit {
  return simpleGit({
    baseDir,
    config: [
      `user.name=${identity.authorName}`,
      `user.email=${identity.authorEmail}`,
      "commit.gpgsign=false",
    ],
    allowEnvironment: ["GIT_TERMINAL_PROMPT", ...PASSED],
    // simple-git refuses GIT_SSH_COMMAND unless told: it is the operator's, from the deployment.
    unsafe: { allowUnsafeSshCommand: true },
    timeout: { block: BLOCK_TIMEOUT_MS },
    ...(identity.signal ? { abort: identity.signal } : {}),
  }).env(childEnv());
}
