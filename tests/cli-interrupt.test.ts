import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOllama } from "@sparky/llm/testing";
import type { FakeOllama } from "@sparky/llm/testing";
import { buildWeekFixture } from "./support/git-fixture.js";
import { runSparky, sparky, waitFor } from "./support/processes.js";

let root: string;
let fixture: ReturnType<typeof buildWeekFixture>;
let slowModel: FakeOllama;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sparky-interrupt-"));
  fixture = buildWeekFixture(join(root, "repos"));
  // A model that takes its time: the run is surely inside the analyze stage when interrupted.
  slowModel = await startFakeOllama({ script: () => ({ content: "{}", delayMs: 5000 }) });
});
afterAll(async () => {
  await slowModel.close();
  rmSync(root, { recursive: true, force: true });
});

describe("sparky digest interrupted with Ctrl-C", () => {
  it("records the run as interrupted, leaves only whole files, and resumes to completion", async () => {
    const work = join(root, "work");
    mkdirSync(work);
    const repoArgs = fixture.repos.flatMap((r) => ["--repo", r]);
    const env = { SPARKY_ANALYZER_OLLAMA_URL: slowModel.url, SPARKY_GENERATOR_OLLAMA_URL: slowModel.url };
    const proc = runSparky(["digest", ...repoArgs, "--period", "weekly", "--date", fixture.date], { cwd: work, env });
    await waitFor("the analyze stage", async () => (proc.output().includes("analyze: started") ? true : undefined));
    proc.child.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    expect(proc.output()).toContain(`sparky: ${fixture.runId} interrupted by SIGINT; continue it with \`sparky resume ${fixture.runId}\``);

    const record = JSON.parse(readFileSync(join(work, "data", "state", "runs", `${fixture.runId}.json`), "utf8"));
    expect(record).toMatchObject({ state: "failed", reason: expect.stringContaining("interrupted by SIGINT") });
    const files = readdirSync(work, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.filter((e) => e.name.includes(".tmp-"))).toEqual([]);

    const status = await sparky(["status"], { cwd: work });
    expect(status.stdout).toContain(`${fixture.runId} failed: interrupted by SIGINT`);

    // Without the slow model this time: the collection is kept and the rest runs.
    const resumed = await sparky(["resume", fixture.runId, "--json", "--quiet"], {
      cwd: work,
      env: { SPARKY_ANALYZER_LLM_ENABLED: "false", SPARKY_GENERATOR_LLM_ENABLED: "false" },
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ runId: fixture.runId, state: "succeeded", commits: 6 });
    const after = JSON.parse(readFileSync(join(work, "data", "state", "runs", `${fixture.runId}.json`), "utf8"));
    expect(after.stages.find((s: { stage: string }) => s.stage === "collect").attempts).toHaveLength(1);
  });
});
