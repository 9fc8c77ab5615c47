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
  it("writes the digest without loading the GitHub client, prom-client or croner", async () => {
    const log = join(root, "modules.txt");
    const hook = new URL("./support/module-log.mjs", import.meta.url).href;
    const result = await sparky(
      ["digest", "--repo", repo, "--date", "2026-11-20", "--data-dir", join(root, "data"), "--output-dir", join(root, "output"), "--json", "--quiet"],
      {
        cwd: root,
        env: { NODE_OPTIONS: `--import=${hook}`, SPARKY_MODULE_LOG: log, SPARKY_ANALYZER_LLM_ENABLED: "false", SPARKY_GENERATOR_LLM_ENABLED: "false" },
      },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ commits: 1 });
    const loaded = readFileSync(log, "utf8").split("\n");
    // The hook works: the stages the digest ran are there.
    expect(loaded.some((path) => /[/\\]packages[/\\]collector[/\\]dist[/\\]/.test(path))).toBe(true);
    expect(loaded.some((path) => /[/\\]packages[/\\]publisher[/\\]dist[/\\]/.test(path))).toBe(true);
    const unwanted = loaded.filter((path) => /[/\\]packages[/\\]github[/\\]|[/\\]@octokit[/\\]|[/\\]bottleneck[/\\]|[/\\]prom-client[/\\]|[/\\]croner[/\\]/.test(path));
    expect(unwanted).toEqual([]);
  });
});
