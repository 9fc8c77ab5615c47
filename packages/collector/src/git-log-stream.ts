import { spawn } from "node:child_process";
import { GitCommandError, GitNotFoundError } from "./errors.js";
import { gitArgs, gitEnv } from "./git-command.js";

export interface GitStreamOptions {
  /** Character that ends each record in git's output (NUL with `-z`, or a marker from the format). */
  separator: string;
  /** Called once per record, in order; a throw stops git and fails the stream. */
  onRecord(record: string): void;
  /** Keep stdin open for `write` (for `--stdin` commands); otherwise git gets no stdin. */
  stdin?: boolean;
  /** Stops git when it fires (the job was given up on); the stream then fails with its reason. */
  signal?: AbortSignal;
}

/** A running git whose output is being read. */
export interface GitStream {
  /** Send one line to git's stdin. */
  write(line: string): void;
  /** Close stdin and wait until git has exited and every record was handled. */
  finish(): Promise<void>;
  /** Stop git; `finish` then rejects with `reason`. */
  abort(reason: unknown): void;
  /**
   * Stop git because nothing more of its output is wanted (a walk that found what it needed):
   * later records are not handed on, and `finish` resolves as if git had ended.
   */
  stop(): void;
}

// Keep the tail of stderr only: a failing git can print a lot, the cause is at the end.
const STDERR_LIMIT = 16_384;

/**
 * Start git and hand its stdout to `onRecord` one record at a time, never holding the
 * whole output: a history of a million commits must not need a million-commit string.
 */
export function startGitStream(cwd: string, args: readonly string[], options: GitStreamOptions): GitStream {
  const child = spawn("git", gitArgs(args), {
    cwd,
    // Into a pipe git flushes after every record by default: a write and a wake-up of Node
    // per commit. Full buffering halves the time of a history walk.
    env: { ...gitEnv(), GIT_FLUSH: "0" },
    stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  const { separator, onRecord } = options;
  let failure: unknown = null;
  let stopped = false;
  let settled = false;
  const fail = (error: unknown) => {
    if (failure === null) failure = error;
    child.kill();
  };
  // Removed when git exits: one job signal serves many short git commands (tags read a few
  // per tag), and listeners left behind would pile up on it.
  const onAbort = () => fail(options.signal!.reason);
  if (options.signal) {
    if (options.signal.aborted) fail(options.signal.reason);
    else options.signal.addEventListener("abort", onAbort, { once: true });
  }

  let release: (() => void) | null = null;
  const done = new Promise<void>((resolve, reject) => {
    release = () => {
      if (settled) return;
      settled = true;
      resolve();
    };
    const { stdout, stderr: errors } = child;
    if (!stdout || !errors) throw new Error("git was started without output pipes");
    let rest = "";
    let stderr = "";
    stdout.setEncoding("utf8");
    stdout.on("data", (chunk: string) => {
      if (failure !== null || stopped) return;
      // Search only the new chunk, so one huge record spread over many chunks stays linear.
      const last = chunk.lastIndexOf(separator);
      if (last === -1) {
        rest += chunk;
        return;
      }
      const records = (rest + chunk.slice(0, last)).split(separator);
      rest = chunk.slice(last + separator.length);
      try {
        for (const record of records) {
          onRecord(record);
          if (stopped) return;
        }
      } catch (error) {
        fail(error);
      }
    });
    errors.setEncoding("utf8");
    errors.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_LIMIT);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener("abort", onAbort);
      if (settled) return;
      settled = true;
      reject(error.code === "ENOENT" ? new GitNotFoundError() : error);
    });
    child.on("close", (code) => {
      options.signal?.removeEventListener("abort", onAbort);
      if (settled) return;
      settled = true;
      if (failure !== null) return reject(failure);
      // Killed on purpose: its exit code says so, and what it printed after is not wanted.
      if (stopped) return resolve();
      if (code !== 0) return reject(new GitCommandError(cwd, args[0] ?? "", stderr, code));
      try {
        if (rest !== "") onRecord(rest);
      } catch (error) {
        return reject(error);
      }
      resolve();
    });
  });
  // A failure is reported by finish(); until someone awaits it, it is not "unhandled".
  done.catch(() => {});
  // git exiting early closes the pipe: the exit code, not EPIPE, says what went wrong.
  child.stdin?.on("error", () => {});

  return {
    write(line) {
      if (failure === null) child.stdin?.write(`${line}\n`);
    },
    finish() {
      child.stdin?.end();
      return done;
    },
    abort(reason) {
      fail(reason);
    },
    stop() {
      if (stopped || failure !== null) return;
      stopped = true;
      child.kill();
      // Not waiting for git to exit: a killed process takes a millisecond or more to be
      // reaped, the caller has all it wanted, and the exit handlers above still run.
      release?.();
    },
  };
}

/** Run git to the end, handing each record of its output to `onRecord`. */
export function streamGitRecords(cwd: string, args: readonly string[], options: GitStreamOptions): Promise<void> {
  return startGitStream(cwd, args, options).finish();
}
