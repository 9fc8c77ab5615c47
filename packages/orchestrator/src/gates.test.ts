import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMessage, dataLayout, periodFor } from "@sparky/messages";
import type { Command, CommandOf, RunRef, StageResults } from "@sparky/messages";
import type { SparkyConfig } from "@sparky/harness";
import { checkGate } from "./gates.js";
import { goodWork, tempDir, testConfig } from "./test-pipeline.js";

const spec = periodFor("daily", "2026-11-18");
const ref: RunRef = { runId: spec.runId, period: spec.period, key: spec.key, window: spec.window, timezone: spec.timezone };
const collectCommand = createMessage<Command>("collect", { ...ref, repos: ["/src/a"], refresh: false }) as CommandOf<"collect">;
const stageCommand = <S extends "analyze" | "generate">(stage: S) => createMessage<Command>(stage, ref) as CommandOf<S>;

let config: SparkyConfig;
let remove: () => Promise<void>;
let work: ReturnType<typeof goodWork>;
beforeEach(async () => {
  const dir = await tempDir();
  remove = dir.remove;
  config = testConfig(dir.dir);
  work = goodWork(config);
});
afterEach(() => remove());

const ctx = () => ({ dataDir: config.data_dir, docsRepo: config.publisher.git_repo });
const gateError = (message: RegExp) => expect.objectContaining({ code: "SPARKY_GATE_FAILED", transient: false, message: expect.stringMatching(message) });

describe("collect gate", () => {
  it("passes a complete manifest for the run whose files exist", async () => {
    const result = await work.collect(collectCommand);
    await expect(checkGate("collect", result, ref, ctx())).resolves.toBeUndefined();
  });

  it("fails when the manifest is missing, naming its path", async () => {
    const result = { manifest: "x", repositories: 0, commits: 0, merges: 0 };
    await expect(checkGate("collect", result, ref, ctx())).rejects.toEqual(
      gateError(/^collect gate: raw manifest \S+\/raw\/2026-11-18\/manifest\.json does not exist$/),
    );
  });

  it("fails when the manifest does not validate", async () => {
    const result = await work.collect(collectCommand);
    await writeFile(result.manifest, JSON.stringify({ schema: "sparky.raw.manifest/1" }));
    await expect(checkGate("collect", result, ref, ctx())).rejects.toEqual(gateError(/^collect gate: raw manifest .* does not match its schema/));
  });

  it("fails when the collection is marked incomplete", async () => {
    const result = await work.collect(collectCommand);
    const manifest = JSON.parse(await readFile(result.manifest, "utf8"));
    await writeFile(result.manifest, JSON.stringify({ ...manifest, complete: false }));
    await expect(checkGate("collect", result, ref, ctx())).rejects.toEqual(gateError(/incomplete/));
  });

  it("fails when a repository file the manifest lists is missing", async () => {
    const result = await work.collect(collectCommand);
    await rm(dataLayout(config.data_dir).rawRepository(ref.key, "local", "repo"));
    await expect(checkGate("collect", result, ref, ctx())).rejects.toEqual(gateError(/manifest lists local\/repo\.json but the file is missing/));
  });

  it("fails when the manifest covers another window", async () => {
    const shifted = goodWork(config, { manifestFor: (r) => ({ ...r, window: { start: r.window.start, end: "2026-11-20T00:00:00.000Z" } }) });
    const result = await shifted.collect(collectCommand);
    await expect(checkGate("collect", result, ref, ctx())).rejects.toEqual(
      gateError(/^collect gate: output is for daily-2026-11-18 \S+\.\.2026-11-20T00:00:00\.000Z, not daily-2026-11-18 /),
    );
  });
});

describe("analyze gate", () => {
  it("passes the analysis of the run and fails one of another run", async () => {
    const result = await work.analyze(stageCommand("analyze"));
    await expect(checkGate("analyze", result, ref, ctx())).resolves.toBeUndefined();
    const other = periodFor("daily", "2026-11-17");
    await expect(checkGate("analyze", result, { ...ref, runId: other.runId, window: other.window }, ctx())).rejects.toEqual(
      gateError(/^analyze gate: output is for daily-2026-11-18/),
    );
  });

  it("fails when the analysis is missing", async () => {
    const result = {
      analysis: "x", commits: 0, merges: 0, contributors: 0, repositories: 0,
      themes: 0, themesSource: "deterministic" as const, themesReason: null, llm: { calls: 0, cached: 0, promptTokens: 0, warning: null },
    };
    await expect(checkGate("analyze", result, ref, ctx())).rejects.toEqual(gateError(/^analyze gate: analysis .* does not exist$/));
  });
});

describe("generate gate", () => {
  it("passes a digest with its checksum and run id, quoted or not", async () => {
    const result = await work.generate(stageCommand("generate"));
    await expect(checkGate("generate", result, ref, ctx())).resolves.toBeUndefined();
    const bare = "---\nrun_id: daily-2026-11-18\n---\n";
    await writeFile(result.digest, bare);
    const sha256 = createHash("sha256").update(bare).digest("hex");
    await expect(checkGate("generate", { ...result, sha256 }, ref, ctx())).resolves.toBeUndefined();
  });

  it("fails when the digest is missing or changed", async () => {
    const result = await work.generate(stageCommand("generate"));
    await writeFile(result.digest, (await readFile(result.digest, "utf8")) + "edited\n");
    await expect(checkGate("generate", result, ref, ctx())).rejects.toEqual(gateError(/changed after it was generated/));
    await rm(result.digest);
    await expect(checkGate("generate", result, ref, ctx())).rejects.toEqual(gateError(/^generate gate: digest \S+ is missing$/));
  });

  it("fails when the digest is for another run", async () => {
    const result = await work.generate(stageCommand("generate"));
    const other = { ...ref, runId: "daily-2026-11-1" };
    await expect(checkGate("generate", result, other, ctx())).rejects.toEqual(gateError(/is not for run daily-2026-11-1$/));
  });
});

describe("generate gate for a quiet day skipped without a digest", () => {
  const skipped = (index: string): StageResults["generate"] => ({
    digest: "",
    relativePath: "daily/2026-11-18.md",
    sha256: "",
    index,
    narrativeSource: "template",
    narrativeReason: "quiet day: no activity to narrate",
    llm: { calls: 0, cached: 0, promptTokens: 0, warning: null },
    skipped: "quiet day",
  });
  const ledger = (runIds: string[]) =>
    JSON.stringify({ schema: "sparky.quiet-days/1", days: runIds.map((runId) => ({ key: runId.slice("daily-".length), runId, repositories: 1 })) });

  it("passes when the generator's ledger lists the run, and fails when it does not or is missing", async () => {
    const out = config.generator.output_dir;
    await mkdir(out, { recursive: true });
    const result = skipped(join(out, "index.md"));
    await expect(checkGate("generate", result, ref, ctx())).rejects.toEqual(gateError(/quiet-day ledger \S+quiet-days\.json does not exist/));
    await writeFile(join(out, "quiet-days.json"), ledger(["daily-2026-11-17"]));
    await expect(checkGate("generate", result, ref, ctx())).rejects.toEqual(gateError(/no digest was written \(quiet day\) but \S+ does not list daily-2026-11-18$/));
    await writeFile(join(out, "quiet-days.json"), ledger(["daily-2026-11-17", "daily-2026-11-18"]));
    await expect(checkGate("generate", result, ref, ctx())).resolves.toBeUndefined();
  });
});

describe("publish gate", () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@x", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@x" },
    }).trim();
  const published = (commit: string | null): StageResults["publish"] => ({ commit, created: true, pushed: false, reason: "committed" });

  it("passes when nothing was published", async () => {
    await expect(checkGate("publish", published(null), ref, ctx())).resolves.toBeUndefined();
  });

  it("checks the commit exists in the docs repository", async () => {
    const repo = config.publisher.git_repo;
    await mkdir(repo, { recursive: true });
    git(repo, "init", "-q");
    await writeFile(join(repo, "index.md"), "# Digests\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "digest");
    const head = git(repo, "rev-parse", "HEAD");
    await expect(checkGate("publish", published(head), ref, ctx())).resolves.toBeUndefined();
    await expect(checkGate("publish", published("0".repeat(40)), ref, ctx())).rejects.toEqual(
      gateError(new RegExp(`^publish gate: docs repository ${repo} has no commit 0{40}$`)),
    );
  });

  it("fails when the docs repository does not exist", async () => {
    await expect(checkGate("publish", published("abc123"), ref, ctx())).rejects.toEqual(gateError(/has no commit abc123/));
  });
});
