import { createHash, randomBytes } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";

/**
 * Who wrote a file, told apart across containers that share a volume. A pid alone says
 * little there: every container's main process is pid 1, and a restarted container is
 * pid 1 again. So an owner is
 * - `scope`: a hash of the kernel boot id, the pid namespace and the host name. Two
 *   processes with the same scope see each other's pids; with different scopes neither
 *   can tell whether the other is alive;
 * - `pid`, and `start`: the process's start time in clock ticks since boot (from
 *   /proc/<pid>/stat), so a reused pid is not mistaken for the process that died.
 */
export interface ProcessOwner {
  scope: string;
  pid: number;
  start: string;
}

function read(path: string, how: "file" | "link"): string {
  try {
    return how === "file" ? readFileSync(path, "utf8").trim() : readlinkSync(path);
  } catch {
    return "";
  }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
export function startTicks(pid: number | "self"): string | null {
  const stat = read(`/proc/${pid}/stat`, "file");
  const close = stat.lastIndexOf(")");
  if (close < 0) return null;
  const fields = stat.slice(close + 2).split(" ");
  return fields[19] ?? null;
}

function scopeOf(): string {
  const boot = read("/proc/sys/kernel/random/boot_id", "file");
  const pidns = read("/proc/self/ns/pid", "link");
  // Without /proc (macOS) nothing says which pids we can see: a random scope makes every
  // other process "unknown", judged by age only, which is safe.
  const seed = boot && pidns ? `${boot}\n${pidns}\n${hostname()}` : randomBytes(16).toString("hex");
  return createHash("sha256").update(seed).digest("hex").slice(0, 8);
}

export const SELF: ProcessOwner = {
  scope: scopeOf(),
  pid: process.pid,
  start: startTicks("self") ?? randomBytes(4).toString("hex"),
};

/** `<scope>-<pid>-<start>`: safe in a file name. */
export function ownerToken(owner: ProcessOwner = SELF): string {
  return `${owner.scope}-${owner.pid}-${owner.start}`;
}

/**
 * Whether `owner` is a live process: true or false when this process can tell (same scope),
 * null when it cannot (another container, another machine): the caller falls back to age.
 */
export function ownerAlive(owner: ProcessOwner): boolean | null {
  if (owner.scope !== SELF.scope) return null;
  if (owner.pid === SELF.pid) return owner.start === SELF.start;
  const start = startTicks(owner.pid);
  if (start !== null) return start === owner.start;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}
