import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { readJson, writeFileAtomic, writeJsonAtomic } from "./fs.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sparky-fs-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const tempFiles = (where = dir) => readdirSync(where).filter((name) => name.includes(".tmp-"));

describe("writeFileAtomic", () => {
  it("leaves no temp file when the process exits in the middle of a write (Ctrl-C's process.exit)", () => {
    const fsModule = new URL("../dist/fs.js", import.meta.url).href;
    const target = join(dir, "cache", "model.json");
    // The write stops just before its rename; the process exits while it waits there.
    const script = `import { writeFileAtomic } from ${JSON.stringify(fsModule)};
      void writeFileAtomic(${JSON.stringify(target)}, "{}", { beforeRename: () => { setTimeout(() => process.exit(130), 50); return new Promise(() => {}); } });`;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(130);
    expect(tempFiles(join(dir, "cache"))).toEqual([]);
    expect(readdirSync(join(dir, "cache"))).toEqual([]);
  });

  it("writes the bytes, creating parent folders, and leaves no temp file", async () => {
    const path = join(dir, "a", "b", "digest.md");
    await writeFileAtomic(path, "# Hello\n");
    expect(await readFile(path, "utf8")).toBe("# Hello\n");
    await writeFileAtomic(path, Uint8Array.from([1, 2, 3]));
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    await writeFileAtomic(path, [Uint8Array.from([4, 5]), Uint8Array.from([]), Buffer.alloc(70_000, 6)]);
    const parts = await readFile(path);
    expect([parts.length, parts[0], parts[1], parts[2], parts.at(-1)]).toEqual([70_002, 4, 5, 6, 6]);
    expect(tempFiles(join(dir, "a", "b"))).toEqual([]);
  });

  it("replaces an existing file", async () => {
    const path = join(dir, "state.json");
    writeFileSync(path, "old old old old");
    await writeFileAtomic(path, "new");
    expect(await readFile(path, "utf8")).toBe("new");
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("fails when the target is a directory, leaving the directory and no temp file", async () => {
    const path = join(dir, "taken");
    mkdirSync(path);
    await expect(writeFileAtomic(path, "x")).rejects.toMatchObject({ code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/) });
    expect(tempFiles()).toEqual([]);
    expect(readdirSync(dir)).toEqual(["taken"]);
  });

  it("fails when the parent cannot be created, leaving nothing behind", async () => {
    writeFileSync(join(dir, "file"), "");
    await expect(writeFileAtomic(join(dir, "file", "child.json"), "x")).rejects.toMatchObject({
      code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/),
    });
    expect(readdirSync(dir)).toEqual(["file"]);
  });

  it("never lets a concurrent reader see a partial file", async () => {
    const path = join(dir, "big.json");
    const versions = ["a", "b", "c"].map((ch, i) => `${i}:${ch.repeat(4 * 1024 * 1024 + i * 1000)}\n`);
    await writeFileAtomic(path, versions[0]!);
    let writing = true;
    const seen = new Set<number>();
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const text = await readFile(path, "utf8");
        const index = versions.indexOf(text);
        if (index < 0) throw new Error(`read a partial or mixed file of ${text.length} bytes`);
        seen.add(index);
        reads++;
      }
    })();
    try {
      for (let round = 0; round < 30; round++) await writeFileAtomic(path, versions[round % 3]!);
    } finally {
      writing = false;
    }
    await reader;
    expect(reads).toBeGreaterThan(3);
    expect(seen.size).toBeGreaterThan(1);
    expect(tempFiles()).toEqual([]);
  });

  it("lets concurrent writers of one file finish with one whole version", async () => {
    const path = join(dir, "race.txt");
    const versions = Array.from({ length: 8 }, (_, i) => String(i).repeat(100_000));
    await Promise.all(versions.map((v) => writeFileAtomic(path, v)));
    expect(versions).toContain(await readFile(path, "utf8"));
    expect(tempFiles()).toEqual([]);
  });
});

describe("readJson", () => {
  const Schema = z.object({ runId: z.string(), stages: z.array(z.object({ state: z.enum(["ok", "failed"]) })) });

  it("reads back what writeJsonAtomic wrote, pretty-printed with a final newline", async () => {
    const path = join(dir, "runs", "daily-2026-11-26.json");
    const value = { runId: "daily-2026-11-26", stages: [{ state: "ok" as const }] };
    await writeJsonAtomic(path, value);
    expect(await readFile(path, "utf8")).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(await readJson(path, Schema)).toEqual(value);
  });

  it("says SPARKY_FILE_MISSING for a missing file, naming what and where", async () => {
    const path = join(dir, "nope.json");
    await expect(readJson(path, Schema, "run record")).rejects.toMatchObject({
      code: "SPARKY_FILE_MISSING",
      message: `run record ${path} does not exist`,
    });
  });

  it("says SPARKY_FILE_CORRUPT for a file that is not JSON", async () => {
    const path = join(dir, "half.json");
    writeFileSync(path, '{"runId": "daily-2026-11-');
    await expect(readJson(path, Schema, "manifest")).rejects.toMatchObject({
      code: "SPARKY_FILE_CORRUPT",
      message: expect.stringContaining(`manifest ${path} is not valid JSON: `),
    });
  });

  it("says SPARKY_FILE_INVALID for JSON off the schema, naming the field", async () => {
    const path = join(dir, "off.json");
    writeFileSync(path, JSON.stringify({ runId: "x", stages: [{ state: "ok" }, { state: "lost" }] }));
    await expect(readJson(path, Schema)).rejects.toMatchObject({
      code: "SPARKY_FILE_INVALID",
      message: expect.stringContaining(`file ${path} does not match its schema: stages.1.state: `),
    });
    writeFileSync(path, "[]");
    await expect(readJson(path, Schema)).rejects.toMatchObject({
      code: "SPARKY_FILE_INVALID",
      message: expect.stringContaining("does not match its schema: (root): "),
    });
  });

  it("passes other read errors through unchanged", async () => {
    await expect(readJson(dir, Schema)).rejects.toMatchObject({ code: "EISDIR" });
  });
});
