// Shared by the container tests: is a Docker engine (and Compose v2) here, build the images
// they run, and small wrappers over the docker and docker compose CLIs.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const IMAGE = process.env.SPARKY_TEST_IMAGE ?? "sparky:container-test";
export const PROMETHEUS_IMAGE = "sparky-test/prometheus:debian";
export const GIT_REMOTE_IMAGE = "sparky-test/git-remote:debian";
/** Image builds and compose stacks take minutes on a cold 2-core machine. */
export const BUILD_TIMEOUT_MS = 20 * 60_000;

interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}
interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A command run without blocking: a build takes minutes, and a test worker whose event
 * loop is blocked that long loses its link to vitest.
 */
function run(cmd: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}${String(error)}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr: signal ? `${stderr}\n(killed by ${signal})` : stderr });
    });
    // A command that exits without reading its input must not fail the test with EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

export async function docker(args: string[], options: RunOptions & { check?: boolean } = {}): Promise<RunResult> {
  const r = await run("docker", args, options);
  if (options.check !== false && r.code !== 0) throw new Error(`docker ${args.join(" ")} exited ${r.code}:\n${r.stderr || r.stdout}`);
  return r;
}

/** Quick synchronous probe, for deciding at collection time whether to skip. */
function probe(args: string[]): RunResult {
  const r = spawnSync("docker", args, { encoding: "utf8", timeout: 15_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error) : "") };
}

/**
 * Why the container tests cannot run here, or null when they can: they need a reachable
 * Docker engine and Compose v2 (`docker compose`). `.ci/run` starts dockerd when it can.
 */
export function containersUnavailable(): string | null {
  if (process.env.SPARKY_SKIP_CONTAINER_TESTS) return `SPARKY_SKIP_CONTAINER_TESTS is set (${process.env.SPARKY_SKIP_CONTAINER_TESTS})`;
  const info = probe(["info", "--format", "{{.ServerVersion}}"]);
  if (info.code !== 0) return `no Docker engine answers (docker info: ${(info.stderr || info.stdout).trim().split("\n")[0] || `exit ${info.code}`})`;
  const compose = probe(["compose", "version", "--short"]);
  if (compose.code !== 0 || !/^v?2\./.test(compose.stdout.trim())) return `Compose v2 is missing (docker compose version: ${(compose.stdout || compose.stderr).trim() || "not found"})`;
  return null;
}

/** The base image the Dockerfile names: pulled where a registry answers, else the local stand-in. */
export async function ensureBaseImage(): Promise<string> {
  const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(readFileSync(`${ROOT}/Dockerfile`, "utf8"))![1]!;
  if ((await docker(["image", "inspect", base], { check: false })).code === 0) return base;
  if ((await docker(["pull", base], { check: false, timeoutMs: 300_000 })).code === 0) return base;
  const standin = await run("bash", [`${ROOT}/scripts/ci/standin-base.sh`, base], { timeoutMs: 15 * 60_000 });
  if (standin.code !== 0) throw new Error(`cannot pull ${base} and could not build its stand-in:\n${standin.stderr || standin.stdout}`);
  return base;
}

/**
 * Builds the Dockerfile as users do, with the classic builder (`DOCKER_BUILDKIT=0`) or
 * BuildKit. Where package registries are reached only from the host network (CI here),
 * SPARKY_TEST_BUILD_NETWORK=host passes `--network host` to both.
 */
export async function buildImage(tag: string, builder: "classic" | "buildkit", dockerfile = "Dockerfile", context = "."): Promise<void> {
  const network = process.env.SPARKY_TEST_BUILD_NETWORK ? ["--network", process.env.SPARKY_TEST_BUILD_NETWORK] : [];
  await withBuildLock(() =>
    docker(["build", ...network, "--tag", tag, "--file", dockerfile, context], {
      env: { DOCKER_BUILDKIT: builder === "classic" ? "0" : "1" },
      timeoutMs: BUILD_TIMEOUT_MS,
    }),
  );
}

/**
 * Test files run in parallel workers: one builds at a time, so the second finds every
 * layer cached instead of doing the same work at the same time on two cores.
 */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), "sparky-container-tests.build-lock");
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch {
      const owner = Number(readFileSync(join(lock, "pid"), { encoding: "utf8", flag: "a+" }) || 0);
      if (owner && !alive(owner)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another test process holds ${lock}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The Sparky image and the compose test's helpers (Prometheus, a git remote); layers are cached. */
export async function buildImages(): Promise<void> {
  await ensureBaseImage();
  await buildImage(IMAGE, "classic");
  await buildImage(PROMETHEUS_IMAGE, "classic", "tests/containers/prometheus.Dockerfile", "tests/containers");
  await buildImage(GIT_REMOTE_IMAGE, "classic", "tests/containers/git-remote.Dockerfile", "tests/containers");
}

export async function inspect<T>(container: string, format: string): Promise<T> {
  return JSON.parse((await docker(["inspect", "--format", `{{json ${format}}}`, container])).stdout) as T;
}
