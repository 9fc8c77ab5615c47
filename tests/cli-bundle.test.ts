import { execFile, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The CLI's bundle and its code cache (packages/cli/bin, scripts/bundle-cli.mjs), on a copy of
// bin/ and bundle/ so this file's damage cannot reach other tests' `sparky`. The copy sits as
// deep under the checkout as packages/cli does: the bundle reaches node_modules by a relative
// path.
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "packages", "cli");
const run = promisify(execFile);
let copy: string;

const sparky = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [join(copy, "bin", "sparky.js"), ...args], { env: { ...process.env, ...env }, encoding: "utf8" });

beforeAll(() => {
  if (!existsSync(join(CLI, "bundle", "main.cjs"))) throw new Error("no packages/cli/bundle: run `pnpm build` (or `pnpm test`, which builds it) first");
  copy = join(ROOT, ".tmp-tests", `cli-${process.pid}`);
  mkdirSync(copy, { recursive: true });
  cpSync(join(CLI, "bin"), join(copy, "bin"), { recursive: true });
  cpSync(join(CLI, "bundle"), join(copy, "bundle"), { recursive: true, filter: (path) => !path.includes(`${join("bundle", "cache")}`) });
  symlinkSync(join(CLI, "dist"), join(copy, "dist"));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("sparky from its bundle", () => {
  const cache = (command: string) => join(copy, "bundle", "cache", `${command}.v8`);

  it("keeps a code cache per command after its first run, and answers the same with it", async () => {
    const first = await sparky(["backfill", "--help"]);
    expect(existsSync(cache("backfill"))).toBe(true);
    const second = await sparky(["backfill", "--help"]);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).toContain("Usage: sparky backfill");
    expect(existsSync(cache("resume"))).toBe(false);
  });

  it("replaces a damaged code cache, and the command still works", async () => {
    mkdirSync(join(copy, "bundle", "cache"), { recursive: true });
    writeFileSync(cache("resume"), "not a V8 code cache");
    const result = await sparky(["resume", "--help"]);
    expect(result.stdout).toContain("Usage: sparky resume");
    expect(result.stderr).toBe("");
    expect(readFileSync(cache("resume"), "utf8")).not.toBe("not a V8 code cache");
  });

  it("removes the temp files of runs killed while writing the cache, not those of a live run", async () => {
    const dir = join(copy, "bundle", "cache");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // A pid that surely names no process: one that has exited.
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    const orphan = join(dir, `resume.v8.${gone}.tmp`);
    const live = join(dir, `resume.v8.${process.pid}.tmp`);
    const otherCommand = join(dir, `backfill.v8.${gone}.tmp`);
    for (const file of [orphan, live, otherCommand]) writeFileSync(file, "half a cache");
    await sparky(["resume", "--help"]);
    expect(existsSync(cache("resume"))).toBe(true);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(live)).toBe(true);
    // Another command's leftovers go when that command writes its own cache.
    expect(existsSync(otherCommand)).toBe(true);
  });

  it("runs from dist/ when a package was built after the bundle, or when SPARKY_BUNDLE=0", async () => {
    rmSync(join(copy, "bundle", "cache"), { recursive: true, force: true });
    // A package built since the bundle was made (the copy is its own package beside it).
    writeFileSync(join(copy, "tsconfig.tsbuildinfo"), "{}");
    utimesSync(join(copy, "bundle", "stamp"), new Date("2001-01-01"), new Date("2001-01-01"));
    const stale = await sparky(["digest", "--help"]);
    expect(stale.stdout).toContain("Usage: sparky digest");
    // Only a run from the bundle keeps a code cache.
    expect(existsSync(cache("digest"))).toBe(false);

    const now = new Date();
    utimesSync(join(copy, "bundle", "stamp"), now, now);
    const off = await sparky(["digest", "--help"], { SPARKY_BUNDLE: "0" });
    expect(off.stdout).toBe(stale.stdout);
    expect(existsSync(cache("digest"))).toBe(false);
    await sparky(["digest", "--help"]);
    expect(existsSync(cache("digest"))).toBe(true);
  });
});
