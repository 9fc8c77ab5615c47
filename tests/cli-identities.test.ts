import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIdentities } from "@sparky/github";
import { AnalysisSchema, RunRecordSchema } from "@sparky/messages";
import { GitFixture } from "./support/git-fixture.js";
import { sparky } from "./support/processes.js";

let root: string;
let repo: GitFixture;
let work: string;

const FIX = Array.from({ length: 40 }, (_, i) => `check(${i});`).join("\n") + "\n";

/** An annotated tag dated `at` (the tagger date), as `git tag -a` makes it. */
function annotatedTag(fixture: GitFixture, name: string, at: string): void {
  execFileSync("git", ["tag", "-a", "-m", `Release ${name}`, name], {
    cwd: fixture.dir,
    env: { ...process.env, HOME: fixture.dir, GIT_CONFIG_NOSYSTEM: "1", GIT_COMMITTER_NAME: "Chris de Almeida", GIT_COMMITTER_EMAIL: "chris@ctcpip.dev", GIT_COMMITTER_DATE: at },
  });
}

/**
 * One day (2026-11-26) of a repository where one person commits under two spellings of
 * their name, another under a name and a GitHub noreply address, a fix lands on main and
 * is backported to 4.x, and v1.0.0 is tagged after v0.9.0.
 */
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sparky-identities-"));
  repo = new GitFixture(join(root, "widgets"));
  repo.commit({ at: "2026-11-20T09:00:00Z", author: "José Núñez", email: "jose@work.example", subject: "Initial", files: { "README.md": "w\n" } });
  repo.git("tag", "v0.9.0");
  repo.git("checkout", "-q", "-b", "4.x");
  repo.commit({ at: "2026-11-26T11:00:00Z", author: "ctcpip", email: "123+ctcpip@users.noreply.github.com", subject: "Fix open redirect (#5952)", files: { "lib/redirect.js": FIX } });
  repo.git("checkout", "-q", "main");
  repo.commit({ at: "2026-11-26T08:00:00Z", author: "José Núñez", email: "jose@work.example", subject: "Docs", files: { "README.md": "w\nx\n" } });
  repo.commit({ at: "2026-11-26T09:00:00Z", author: "jose  nunez", email: "jnunez@home.example", subject: "Add parser", files: { "lib/parser.js": "p\n" } });
  repo.commit({ at: "2026-11-26T10:00:00Z", author: "Chris de Almeida", email: "chris@ctcpip.dev", subject: "Fix open redirect (#5951)", files: { "lib/redirect.js": FIX } });
  repo.merge("4.x", { at: "2026-11-26T12:00:00Z", author: "Chris de Almeida", email: "chris@ctcpip.dev", subject: "Merge branch '4.x'" });
  annotatedTag(repo, "v1.0.0", "2026-11-26T13:00:00Z");
  work = join(root, "work");
  mkdirSync(work);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("releases, highlights and identity suggestions from a real repository", () => {
  it("records the release and each change once, and suggests the duplicate people in the run record and the CLI", async () => {
    const digest = await sparky(["digest", "--repo", repo.dir, "--date", "2026-11-26", "--quiet"], { cwd: work });
    expect(digest.stderr).not.toMatch(/error/i);
    expect(digest.code).toBe(0);
    expect(digest.stdout).toContain("People: 2 people may be counted under two names: `sparky identities --suggest --run daily-2026-11-26`\n");

    const analysis = AnalysisSchema.parse(JSON.parse(readFileSync(join(work, "data", "processed", "daily", "2026-11-26.json"), "utf8")));
    expect(analysis.releases).toEqual([
      expect.objectContaining({
        tagName: "v1.0.0",
        version: "1.0.0",
        sources: ["tag"],
        previousTag: "v0.9.0",
        // The docs, the parser, the fix, its backport and the merge.
        commits: 5,
        publishedAt: "2026-11-26T13:00:00.000Z",
        author: "Chris de Almeida",
      }),
    ]);
    expect(analysis.releases![0]!.authors.map((a) => a.name).sort()).toEqual(["Chris de Almeida", "José Núñez", "ctcpip", "jose  nunez"]);
    // The fix and its backport are one change: the newest copy (4.x, 11:00) is kept.
    expect(analysis.highlights.map((h) => h.subject)).toEqual(["Fix open redirect (#5952)", "Add parser", "Docs"]);

    const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(work, "data", "state", "runs", "daily-2026-11-26.json"), "utf8")));
    const recorded = record.stages.find((s) => s.stage === "analyze")?.result?.identitySuggestions as { reason: string }[];
    expect(recorded.map((s) => s.reason).sort()).toEqual(["login", "name"]);

    const text = await sparky(["identities", "--suggest"], { cwd: work });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("2 likely duplicate identities in daily-2026-11-26");
    expect(text.stdout).toContain("the same name once case, spacing and accents are set aside");
    expect(text.stdout).toContain('   name = "José Núñez"\n   emails = ["jnunez@home.example", "jose@work.example"]');
    expect(text.stdout).toContain('   name = "Chris de Almeida"\n   logins = ["ctcpip"]\n   emails = ["chris@ctcpip.dev"]');
    expect(text.stdout).toContain("point [collector] identities_file at it");
    expect(text.stdout).toContain("   José Núñez <jose@work.example> <jnunez@home.example>\n");
    expect(text.stdout).toContain("   Chris de Almeida <chris@ctcpip.dev> <123+ctcpip@users.noreply.github.com>\n");
    expect(text.stdout).toContain("Nothing is merged until you do");

    // What it prints is what the collector's reader accepts, pasted as is.
    const json = await sparky(["identities", "--suggest", "--run", "daily-2026-11-26", "--json"], { cwd: work });
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as { analyses: string[]; identitiesFile: string | null; suggestions: { toml: string }[] };
    expect(answer.analyses).toEqual(["daily-2026-11-26"]);
    expect(answer.identitiesFile).toBeNull();
    const file = join(root, "identities.toml");
    writeFileSync(file, answer.suggestions.map((s) => s.toml).join("\n"));
    expect(await loadIdentities(file)).toEqual([
      { name: "Chris de Almeida", logins: ["ctcpip"], emails: ["chris@ctcpip.dev"] },
      { name: "José Núñez", logins: [], emails: ["jnunez@home.example", "jose@work.example"] },
    ]);
  });

  it("counts each as one once the user has added the .mailmap lines it printed", async () => {
    const text = await sparky(["identities", "--suggest"], { cwd: work });
    const lines = text.stdout.split("\n").filter((l) => /^ {3}\S.* <[^>]+> <[^>]+>$/.test(l)).map((l) => l.trim());
    expect(lines).toHaveLength(2);
    writeFileSync(join(repo.dir, ".mailmap"), `${lines.join("\n")}\n`);
    const again = await sparky(["digest", "--repo", repo.dir, "--date", "2026-11-26", "--json", "--quiet"], { cwd: work });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ contributors: 2 });
    const none = await sparky(["identities", "--suggest"], { cwd: work });
    expect(none.stdout).toBe("No likely duplicate identities in daily-2026-11-26.\n");
  });

  it("says what to do when asked nothing, or about a run never analyzed", async () => {
    const bare = await sparky(["identities"], { cwd: work });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("sparky identities --suggest");
    const missing = await sparky(["identities", "--suggest", "--run", "daily-2026-01-01"], { cwd: work });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no analysis of daily-2026-01-01");
    const empty = await sparky(["identities", "--suggest"], { cwd: mkdtempSync(join(root, "empty-")) });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("run `sparky digest` first");
  });
});
