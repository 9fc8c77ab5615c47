import { resolve } from "node:path";

/** What a command may touch of the outside world, so tests can hand over their own. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  now(): Date;
  resolve(path: string): string;
}

export function processIo(): Io {
  const cwd = process.cwd();
  // A reader that went away (`sparky digest 2>&1 | head -3`) makes the next write fail with
  // EPIPE. Unheard, that error killed the process mid-run and left its run "running"; the
  // work goes on to its end and records its outcome, and only what the reader left is lost.
  // (`sparky events` adds its own listener: it stops following.)
  for (const stream of [process.stdout, process.stderr]) if (stream.listenerCount("error") === 0) stream.on("error", ignore);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd,
    env: process.env,
    now: () => new Date(),
    resolve: (p) => resolve(cwd, p),
  };
}

function ignore(): void {}
