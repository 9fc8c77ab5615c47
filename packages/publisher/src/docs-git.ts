import { spawn } from "node:child_process";

export interface DocsGitOptions {
  authorName: string;
  authorEmail: string;
  /** Stops the git child when the publish job is cancelled. */
  signal?: AbortSignal;
  /** Longest a command may print nothing before it is stopped; BLOCK_TIMEOUT_MS by default. */
  blockTimeoutMs?: number;
}

/** Runs git in the docs repository. */
export interface DocsGit {
  /**
   * git's standard output. A non-zero exit rejects with stdout and stderr as the message,
   * unless the exit code is in `answers` (e.g. `rev-parse --verify -q` exits 1 for "no such
   * ref"), which resolves with the output as printed.
   */
  raw(args: readonly string[], answers?: readonly number[]): Promise<string>;
}

/** Longest a git command may go without printing anything before it is killed (a hung remote). */
export const BLOCK_TIMEOUT_MS = 120_000;

// Editors, pagers and askpass helpers could make a git wait on a person who is not there.
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
 * git for the docs repository that behaves the same on every machine: the commit identity
 * comes from Sparky's config (CI has no global identity), and a user's `commit.gpgsign`
 * cannot make commits (or rebased commits) wait on a signing key.
 *
 * A plain `spawn` rather than simple-git: simple-git waits 50 ms after every command that
 * prints nothing (`add`, `commit --quiet`, `rev-parse -q`), which was two thirds of a
 * publish's time.
 */
export function docsGit(baseDir: string, options: DocsGitOptions): DocsGit {
  // log.showSignature=false: a user's `true` prints the check of a signed commit above `log --format=%H`'s sha.
  const config = [`user.name=${options.authorName}`, `user.email=${options.authorEmail}`, "commit.gpgsign=false", "log.showSignature=false"];
  const global = config.flatMap((setting) => ["-c", setting]);
  return {
    raw: (args, answers = []) => runGit(baseDir, [...global, ...args], answers, options.signal, options.blockTimeoutMs ?? BLOCK_TIMEOUT_MS),
  };
}

function runGit(
  cwd: string,
  args: string[],
  answers: readonly number[],
  signal: AbortSignal | undefined,
  blockTimeoutMs: number,
): Promise<string> {
  const command = args.find((arg, i) => !arg.startsWith("-") && args[i - 1] !== "-c") ?? "git";
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) return reject(new Error(`git ${command} was not started: the publish was cancelled`));
    const child = spawn("git", args, { cwd, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stopped: string | null = null;
    const stop = (why: string) => {
      stopped = why;
      child.kill("SIGTERM");
    };
    // Reset by every chunk of output: a slow push that keeps printing is not hung.
    const idle = setTimeout(() => stop(`printed nothing for ${blockTimeoutMs / 1000} s and was stopped`), blockTimeoutMs).unref();
    const alive = () => idle.refresh();
    const onAbort = () => stop("was stopped: the publish was cancelled");
    signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => (stdout.push(chunk), alive()));
    child.stderr.on("data", (chunk: Buffer) => (stderr.push(chunk), alive()));
    const settle = () => {
      clearTimeout(idle);
      signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (error) => {
      settle();
      reject(error);
    });
    child.on("close", (code) => {
      settle();
      const out = Buffer.concat(stdout).toString("utf8");
      if (stopped !== null) return reject(new Error(`git ${command} ${stopped}\n${out}${Buffer.concat(stderr).toString("utf8")}`));
      if (code === 0 || (code !== null && answers.includes(code))) return resolvePromise(out);
      const text = `${out}${Buffer.concat(stderr).toString("utf8")}`.trim();
      reject(new Error(text === "" ? `git ${command} exited with code ${code ?? "null"}` : text));
    });
  });
}
