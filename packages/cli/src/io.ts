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
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd,
    env: process.env,
    now: () => new Date(),
    resolve: (p) => resolve(cwd, p),
  };
}
