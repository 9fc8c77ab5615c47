// The image, built from the Dockerfile and run as Kubernetes runs it: uid 10001, a read-only
// root filesystem, a tmpfs /tmp, volumes for /data and /output.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILD_TIMEOUT_MS, IMAGE, ROOT, buildImage, containersUnavailable, docker, ensureBaseImage, inspect } from "./docker.js";
import { waitFor } from "../support/processes.js";

const unavailable = containersUnavailable();
if (unavailable) console.log(`container tests skipped: ${unavailable}`);

const suffix = randomBytes(3).toString("hex");
const containers: string[] = [];
const volumes: string[] = [];

/** `docker run` as the k8s securityContext has it, plus whatever else is given. */
function runArgs(name: string, extra: string[] = []) {
  const data = `sparky-it-data-${suffix}`;
  const output = `sparky-it-output-${suffix}`;
  if (!volumes.includes(data)) volumes.push(data, output);
  return ["--name", name, "--read-only", "--tmpfs", "/tmp", "--user", "10001:10001", "-v", `${data}:/data`, "-v", `${output}:/output`, ...extra];
}

describe.skipIf(unavailable)("the image", () => {
  beforeAll(async () => {
    await ensureBaseImage();
    await buildImage(IMAGE, "classic");
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    for (const c of containers) await docker(["rm", "--force", c], { check: false });
    for (const v of volumes) await docker(["volume", "rm", "--force", v], { check: false });
  });

  it("builds with BuildKit too", async () => {
    await buildImage(`${IMAGE}-buildkit`, "buildkit");
    expect((await docker(["image", "inspect", `${IMAGE}-buildkit`])).code).toBe(0);
    await docker(["image", "rm", `${IMAGE}-buildkit`], { check: false });
  }, BUILD_TIMEOUT_MS);

  it("holds production dependencies only, runs as uid 10001, and has sparky, git and ssh", async () => {
    const size = Number((await docker(["image", "inspect", "--format", "{{.Size}}", IMAGE])).stdout.trim());
    console.log(`image ${IMAGE}: ${(size / 1e6).toFixed(0)} MB`);
    expect(await inspect<string>(IMAGE, ".Config.User")).toBe("10001:10001");
    const probe = (await docker(["run", "--rm", "--read-only", "--tmpfs", "/tmp", "--entrypoint", "sh", IMAGE, "-c", [
      "id -u",
      "sparky --help | head -1",
      "git --version",
      "ssh -V 2>&1",
      // No compilers, no test tools, no TypeScript sources or types.
      "for tool in gcc cc make python3 tsc vitest pnpm; do command -v $tool && echo \"unexpected $tool\"; done",
      "ls /app/node_modules/.pnpm | grep -E '^(typescript|vitest|@vitest|vite)@' | sed 's/^/unexpected /'",
      "find /app/packages -name '*.ts' -not -name '*.d.ts' | head -3 | sed 's/^/unexpected /'",
      "touch /app/written 2>/dev/null && echo 'unexpected: the root filesystem is writable'",
      "true",
    ].join("; ")])).stdout;
    const lines = probe.trim().split("\n");
    expect(lines[0]).toBe("10001");
    expect(lines[1]).toMatch(/^sparky: /);
    expect(probe).toMatch(/^git version \d/m);
    expect(probe).toMatch(/^OpenSSH_\d/m);
    expect(probe).not.toContain("unexpected");
  });

  it("runs a digest of a read-only repository with only its volumes writable", async () => {
    // This checkout is a git repository at hand: its history is real.
    const name = `sparky-it-digest-${suffix}`;
    containers.push(name);
    const result = await docker(["run", ...runArgs(name, ["-v", `${ROOT}:/repos/self:ro`, "-e", "SPARKY_ENV=development", "-w", "/tmp", "--entrypoint", "sparky"]), IMAGE,
      "digest", "--repo", "/repos/self", "--period", "weekly", "--date", "latest", "--data-dir", "/data", "--output-dir", "/output", "--json", "--quiet"], { timeoutMs: 180_000 });
    const report = JSON.parse(result.stdout) as { commits: number; published: unknown };
    expect(report.commits).toBeGreaterThan(0);
    const digests = (await docker(["run", "--rm", "-v", `sparky-it-output-${suffix}:/output`, "--entrypoint", "sh", IMAGE, "-c", "ls /output/weekly && git -C /output log --format=%s"])).stdout;
    expect(digests).toMatch(/^\d{4}-W\d{2}\.md$/m);
    expect(digests).toMatch(/^sparky: weekly digest \d{4}-W\d{2}$/m);
  }, 240_000);

  it("passes its own HEALTHCHECK, and stops on SIGTERM with exit 0 within the grace period", async () => {
    const name = `sparky-it-health-${suffix}`;
    containers.push(name);
    // The image's HEALTHCHECK command, run every second instead of every 30 s.
    await docker(["run", "--detach", ...runArgs(name, ["--health-interval", "1s", "--health-start-period", "30s", "-e", "SPARKY_ENV=development", "-e", "SPARKY_ORCHESTRATOR_BIND_ADDRESS=0.0.0.0"]), IMAGE, "orchestrator"]);
    const health = await waitFor(`${name} to be healthy`, async () => {
      const state = await inspect<{ Status: string; Health?: { Status: string } }>(name, ".State");
      if (state.Status !== "running") throw new Error(`${name} is ${state.Status}: ${(await docker(["logs", name], { check: false })).stderr}`);
      return state.Health?.Status === "healthy" ? state.Health.Status : undefined;
    }, 90_000);
    expect(health).toBe("healthy");
    await docker(["stop", "--time", "20", name]);
    const state = await inspect<{ ExitCode: number }>(name, ".State");
    expect(state.ExitCode, (await docker(["logs", name], { check: false })).stdout).toBe(0);
  }, 120_000);
});
