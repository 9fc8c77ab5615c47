import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { SELF, ownerToken, startTicks } from "./process-identity.js";
import { STALE_TEMP_MS, sweepTempFiles, tempPathFor } from "./temp-files.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sparky-temp-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const log = createLogger({ service: "test", level: "silent" });

function touch(name: string, ageMs = 0): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, "half");
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(path, t, t);
  return path;
}

describe("sweepTempFiles", () => {
  it("removes the temp file of a writer killed with SIGKILL, keeps a live writer's, and counts it", async () => {
    const child = spawn("sleep", ["60"], { stdio: "ignore" });
    await new Promise((resolve) => child.once("spawn", resolve));
    const token = ownerToken({ scope: SELF.scope, pid: child.pid!, start: startTicks(child.pid!)! });
    touch(`raw/2026-11-26/local/a.json.tmp-${token}-0123abcd`);
    const registry = new Registry();

    expect(await sweepTempFiles([dir], { log, registry, recursive: true })).toBe(0);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await sweepTempFiles([dir], { log, registry, recursive: true })).toBe(1);
    expect(readdirSync(join(dir, "raw/2026-11-26/local"))).toEqual([]);
    expect(await registry.metrics()).toMatch(/sparky_temp_files_removed_total\{reason="owner-gone"\} 1/);
  });

  it("keeps this process's own writes in progress", async () => {
    const mine = tempPathFor(join(dir, "state.json"));
    writeFileSync(mine, "{");
    expect(await sweepTempFiles([dir], { log })).toBe(0);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("tells a restarted process with the same pid from its predecessor", async () => {
    touch(`status.json.tmp-${ownerToken({ ...SELF, start: "1" })}-0123abcd`);
    expect(await sweepTempFiles([dir], { log })).toBe(1);
  });

  it("leaves another container's recent temp file alone, and removes it once older than any write", async () => {
    touch("index.md.tmp-deadbeef-1-12345-0123abcd");
    expect(await sweepTempFiles([dir], { log })).toBe(0);
    touch("index.md.tmp-deadbeef-1-12345-0123abcd", STALE_TEMP_MS + 60_000);
    touch("old.json.tmp-4242-0123abcd", STALE_TEMP_MS + 60_000); // the format before owners were recorded
    expect(await sweepTempFiles([dir], { log })).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("touches neither ordinary files nor anything inside .git", async () => {
    touch("daily/2026-11-26.md");
    touch(".git/index.md.tmp-deadbeef-1-12345-0123abcd", STALE_TEMP_MS + 60_000);
    expect(await sweepTempFiles([dir], { log, recursive: true })).toBe(0);
  });
});
