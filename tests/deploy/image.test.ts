// The Dockerfile, read statically (no Docker engine here), and the production layout its
// build produces (compiled packages plus production dependencies only), made the same way
// in a temp folder and run: `sparky serve` starts from it and the image's health check passes.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "@sparky/harness";
import { ROOT, read } from "./support.js";
import { freePort, waitReady } from "../support/processes.js";

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions with continuations joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  let stage = -1;
  return joined
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [, op, args] = /^(\w+)\s+(.*)$/.exec(line)!;
      if (op!.toUpperCase() === "FROM") stage++;
      return { op: op!.toUpperCase(), args: args!.replace(/\s+/g, " "), stage };
    });
}

const dockerfile = instructions(read("Dockerfile"));
const finalStage = Math.max(...dockerfile.map((i) => i.stage));
const final = dockerfile.filter((i) => i.stage === finalStage);
const ignore = read(".dockerignore").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));

describe("Dockerfile", () => {
  it("is multi-stage on Node 20 slim, with the pnpm the repository pins", () => {
    const froms = dockerfile.filter((i) => i.op === "FROM");
    expect(froms.length).toBeGreaterThanOrEqual(3);
    expect(read("Dockerfile")).toMatch(/^ARG NODE_IMAGE=node:20-[a-z]+-slim$/m);
    const pnpm = /^ARG PNPM_VERSION=(\S+)$/m.exec(read("Dockerfile"))![1];
    const pinned = /^pnpm@([^+]+)/.exec(JSON.parse(read("package.json")).packageManager)![1];
    expect(pnpm).toBe(pinned);
    expect(froms.at(-1)!.args).toMatch(/^\$\{NODE_IMAGE\} AS runtime$/);
  });

  it("installs production dependencies only, after a build stage that compiles", () => {
    const runs = dockerfile.filter((i) => i.op === "RUN").map((i) => i.args);
    expect(runs.some((r) => r.includes("pnpm install --offline --frozen-lockfile") && r.includes("pnpm run build"))).toBe(true);
    expect(runs.some((r) => r.includes("pnpm install --prod --frozen-lockfile"))).toBe(true);
    // The runtime stage copies the production tree, not the build stage's.
    expect(final.filter((i) => i.op === "COPY" && i.args.includes("--from")).map((i) => i.args)).toEqual(["--from=prod /app/ ./"]);
  });

  it("runs `sparky serve <service>` as a non-root user, with git, a health check and the config", () => {
    const run = final.filter((i) => i.op === "RUN").map((i) => i.args).join(" ");
    for (const pkg of ["git", "openssh-client", "ca-certificates", "tini"]) expect(run).toMatch(new RegExp(`install .*\\b${pkg}\\b`));
    const user = final.find((i) => i.op === "USER")!.args;
    expect(user).toMatch(/^\d+:\d+$/);
    expect(Number(user.split(":")[0])).toBeGreaterThan(0);
    expect(JSON.parse(final.find((i) => i.op === "ENTRYPOINT")!.args)).toEqual([
      "/usr/bin/tini",
      "--",
      "node",
      "/app/packages/cli/bin/sparky.js",
      "serve",
    ]);
    expect(JSON.parse(final.find((i) => i.op === "CMD")!.args)).toEqual(["orchestrator"]);
    expect(final.find((i) => i.op === "HEALTHCHECK")!.args).toMatch(/CMD \["node", "\/app\/docker\/healthcheck\.mjs"\]$/);
    expect(final.find((i) => i.op === "ENV")!.args).toContain("SPARKY_ENV=production");
  });

  it("exposes every port config/production.toml uses", () => {
    const { config } = loadConfig({ file: `${ROOT}/config/production.toml`, env: {}, cwd: ROOT });
    const exposed = final.find((i) => i.op === "EXPOSE")!.args.split(" ").map(Number);
    const o = config.orchestrator;
    const ports = [o.http_port, o.event_port, o.event_sub_port];
    for (const s of ["collector", "analyzer", "generator", "publisher"] as const) {
      ports.push(config[s].http_port, Number(/:(\d+)$/.exec(config[s].endpoint)![1]));
    }
    expect(exposed.sort()).toEqual(ports.sort());
  });

  it("copies only files that exist and that .dockerignore lets through", () => {
    const copies = dockerfile.filter((i) => i.op === "COPY" && !i.args.includes("--from"));
    const sources = copies.flatMap((i) => i.args.split(" ").slice(0, -1).filter((a) => !a.startsWith("--")));
    expect(sources).toContain("docker/healthcheck.mjs");
    for (const source of sources) {
      if (source === ".") continue;
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(ignore.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)), `${source} is ignored`).toBe(false);
    }
    for (const pattern of ["**/node_modules", "**/dist", ".git", "data", "output"]) expect(ignore).toContain(pattern);
    // Nothing the build reads is ignored.
    for (const needed of ["packages", "config", "docker", "pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json", "tsconfig.base.json", "tsconfig.json"]) {
      expect(ignore, needed).not.toContain(needed);
    }
  });
});

describe("the image's production layout", () => {
  const dir = mkdtempSync(join(tmpdir(), "sparky-image-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "runs from compiled output plus production dependencies, and passes the image's health check",
    async () => {
      // What the build stage's RUN does after `pnpm run build` (the test command built already).
      const app = join(dir, "app");
      for (const name of readdirSync(join(ROOT, "packages"))) {
        const from = join(ROOT, "packages", name);
        if (!existsSync(join(from, "package.json"))) continue;
        mkdirSync(join(app, "packages", name), { recursive: true });
        cpSync(join(from, "package.json"), join(app, "packages", name, "package.json"));
        for (const part of ["dist", "bin"]) if (existsSync(join(from, part))) cpSync(join(from, part), join(app, "packages", name, part), { recursive: true });
      }
      for (const file of ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml"]) cpSync(join(ROOT, file), join(app, file));
      // The prod stage: from the local store (filled by the workspace's own install).
      execFileSync("npx", ["-y", "pnpm@10.34.9", "install", "--prod", "--frozen-lockfile", "--ignore-scripts", "--offline", "--reporter=silent"], {
        cwd: app,
        stdio: "pipe",
        env: { ...process.env, CI: "true" },
      });
      // The runtime stage's COPYs.
      cpSync(join(ROOT, "config"), join(app, "config"), { recursive: true });
      cpSync(join(ROOT, "docker"), join(app, "docker"), { recursive: true });

      const hoisted = readdirSync(join(app, "node_modules", ".pnpm"));
      for (const dev of ["typescript@", "vitest@", "kubernetes-models@", "nushell@"]) {
        expect(hoisted.some((p) => p.startsWith(dev)), `${dev} is a devDependency`).toBe(false);
      }

      const [http, events, eventsOut] = [await freePort(), await freePort(), await freePort()];
      const env = {
        ...process.env,
        SPARKY_ENV: "development",
        SPARKY_DATA_DIR: join(dir, "data"),
        SPARKY_ORCHESTRATOR_HTTP_PORT: String(http),
        SPARKY_ORCHESTRATOR_EVENT_PORT: String(events),
        SPARKY_ORCHESTRATOR_EVENT_SUB_PORT: String(eventsOut),
        SPARKY_ORCHESTRATOR_SCHEDULES_ENABLED: "false",
        SPARKY_LOG_LEVEL: "warn",
      };
      const health = () => spawnSync(process.execPath, [join(app, "docker/healthcheck.mjs"), "orchestrator"], { cwd: app, env, encoding: "utf8" });
      expect(health().status).toBe(1);
      const child = spawn(process.execPath, [join(app, "packages/cli/bin/sparky.js"), "serve", "orchestrator"], { cwd: app, env, stdio: "ignore" });
      try {
        await waitReady(http);
        const result = health();
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
      } finally {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.on("exit", resolve));
      }
    },
    90_000,
  );
});
