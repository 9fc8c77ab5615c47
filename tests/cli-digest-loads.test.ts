import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sparky } from "./support/processes.js";

// `sparky digest --repo` pays at every start for what it loads (issue 14): the GitHub client,
// prom-client (nothing scrapes a one-shot command) and croner (it schedules nothing) are the
// paths of an organisation, a served process and the served orchestrator only.
let root: string;
let repo: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sparky-loads-"));
  repo = join(root, "repo");
  execFileSync("git", ["init", "-q", "-b", "main", repo]);
  const at = "2026-11-20T09:00:00Z";
  const who = { GIT_AUTHOR_NAME: "Dev", GIT_AUTHOR_EMAIL: "dev@example.com", GIT_AUTHOR_DATE: at, GIT_COMMITTER_NAME: "Dev", GIT_COMMITTER_EMAIL: "dev@example.com", GIT_COMMITTER_DATE: at };
  execFileSync("git", ["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "change"], { cwd: repo, env: { ...process.env, ...who } });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("sparky digest --repo (what it loads)", () => {
  // The bundle (packages/cli/bundle, made by the build) and dist/ (SPARKY_BUNDLE=0) alike.
  it.each([
    { from: "the bundle", bundle: "1" },
    { from: "dist", bundle: "0" },
  ])("writes the digest from $from without loading the GitHub client, prom-client or croner", async ({ bundle }) => {
    const log = join(root, `modules-${bundle}.txt`);
    const hook = new URL("./support/module-log.mjs", import.meta.url).href;
    const compiles = join(root, `compiles-${bundle}.txt`);
    const counter = new URL("./support/count-compiles.mjs", import.meta.url).href;
    const result = await sparky(
      ["digest", "--repo", repo, "--date", "2026-11-20", "--data-dir", join(root, `data-${bundle}`), "--output-dir", join(root, `output-${bundle}`), "--json", "--quiet"],
      {
        cwd: root,
        env: { NODE_OPTIONS: `--import=${hook} --import=${counter}`, SPARKY_MODULE_LOG: log, SPARKY_COMPILE_LOG: compiles, SPARKY_BUNDLE: bundle, SPARKY_ANALYZER_LLM_ENABLED: "false", SPARKY_GENERATOR_LLM_ENABLED: "false" },
      },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ commits: 1 });
    const loaded = readFileSync(log, "utf8").split("\n");
    // The hook works: zeromq, which every stage loads, is there; and the stages the digest ran
    // came from the bundle or from dist/ as asked, never both.
    expect(loaded.some((path) => /[/\\]zeromq[/\\]/.test(path))).toBe(true);
    const fromDist = loaded.filter((path) => /[/\\]packages[/\\](collector|publisher)[/\\]dist[/\\]/.test(path));
    const loader = loaded.filter((path) => /[/\\]packages[/\\]cli[/\\]bin[/\\]load-bundle\.js$/.test(path));
    if (bundle === "1") {
      expect(loader).toHaveLength(1);
      expect(fromDist).toEqual([]);
    } else {
      expect(loader).toEqual([]);
      expect(fromDist.length).toBeGreaterThan(1);
    }
    const unwanted = loaded.filter((path) => /[/\\]packages[/\\]github[/\\]|[/\\]@octokit[/\\]|[/\\]bottleneck[/\\]|[/\\]prom-client[/\\]|[/\\]croner[/\\]/.test(path));
    expect(unwanted).toEqual([]);
    // One digest, then exit: zod interprets every schema, none is compiled to code. This holds
    // only if the CLI chose it before the command's modules built their schemas.
    expect(readFileSync(compiles, "utf8")).toBe("");
  });
});
