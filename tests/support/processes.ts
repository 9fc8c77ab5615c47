import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const SPARKY_BIN = fileURLToPath(new URL("../../packages/cli/bin/sparky.js", import.meta.url));

/** Ports handed out by this test process, never handed out twice. */
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A port a service can bind a moment later. Not one the kernel picks (port 0): those come
 * from the ephemeral range (32768-60999 on Linux), which outgoing connections, docker's
 * proxies and other tests' clients also draw from, so one could be taken before the
 * service binds it. Random ports below that range rarely are.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error("no free port found between 20000 and 32000");
}

export interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `detached`: the process leads its own process group, so a test can kill it with its children (as a container kill does). */
/** Kill what a test left running (a stopped one is woken first, so it can die) and wait for each to exit. */
export async function killAll(procs: Proc[]): Promise<void> {
  for (const proc of procs.splice(0)) {
    if (proc.child.exitCode === null) {
      proc.child.kill("SIGCONT");
      proc.child.kill("SIGKILL");
      await proc.exited;
    }
  }
}

export function runSparky(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; detached?: boolean }): Proc {
  const child = spawn(process.execPath, [SPARKY_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Run a CLI command to completion. */
export async function sparky(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const child = spawn(process.execPath, [SPARKY_BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stdout, stderr };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

export async function waitReady(port: number): Promise<void> {
  await waitFor(`http://127.0.0.1:${port}/ready`, async () => {
    const response = await fetch(`http://127.0.0.1:${port}/ready`);
    return response.ok ? true : undefined;
  });
}
