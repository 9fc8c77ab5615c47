import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CollectPayload, RawManifestSchema, RawRepositorySchema, dataLayout, periodFor } from "@sparky/messages";
import type { RawRepository } from "@sparky/messages";
import { createLogger, readJson } from "@sparky/harness";
import { collectGit } from "./collect-git.js";
import type { CollectContext } from "./collect-git.js";
import { TestRepo, tempDirs } from "./test-git-repo.js";
import type { Person } from "./test-git-repo.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const ALICE_OLD: Person = { name: "alice", email: "alice@old.example" };
const ALICE: Person = { name: "Alice E.", email: "alice@example.com" };
const CAROL: Person = { name: "Carol", email: "carol@example.com" };
const DAVE: Person = { name: "Dave", email: "dave@example.com" };
const ERIN: Person = { name: "Erin", email: "erin@example.com" };
const FRANK: Person = { name: "Frank", email: "frank@example.com" };
const BOT: Person = { name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com" };
const BOT_PATTERNS = ["[bot]"];

const DAY = "2026-11-26"; // window [2026-11-26T00:00Z, 2026-11-27T00:00Z), previous day 2026-11-25

function payload(repos: string[], day = DAY) {
  return CollectPayload.parse({ ...periodFor("daily", day, "UTC"), repos });
}

function context(dataDir: string, progress: CollectContext["progress"] = () => {}) {
  const logLines: string[] = [];
  const log = createLogger({ service: "collector-test", level: "debug", destination: { write: (line: string) => void logLines.push(line) } });
  const ctx: CollectContext = {
    dataDir,
    botPatterns: BOT_PATTERNS,
    log,
    clock: { now: () => new Date("2026-11-27T06:00:00.000Z") },
    progress,
  };
  return { ctx, logLines };
}

/**
 * A history whose dates are out of order, as rebases and imports leave them:
 *
 *   c1 (11-20) - c2 (11-25) - c3 bot (11-25) - m1 (11-25) - c6 (11-27!) - c7 (11-26) - c8 (11-24!) - c10 bot (11-26) - m2 (11-26)
 *                                  \- c4 (11-25) -/                                          \- c9 (11-26) ------------/
 */
function buildScenario(path: string) {
  const repo = TestRepo.init(path);
  const sha: Record<string, string> = {};
  sha.c1 = repo.commit({
    message: "Initial commit",
    committedAt: "2026-11-20T10:00:00Z",
    author: ALICE_OLD,
    files: {
      ".mailmap": "Alice Example <alice@example.com>\nAlice Example <alice@example.com> <alice@old.example>\n",
      "README.md": "a\nb\nc\n",
      "logo.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
    },
  });
  sha.c2 = repo.commit({ message: "Carol's notes", committedAt: "2026-11-25T09:00:00Z", author: CAROL, files: { "notes.txt": "carol\n" } });
  sha.c3 = repo.commit({ message: "Bump a", committedAt: "2026-11-25T10:00:00Z", author: BOT, files: { "deps.json": '{"a":1}\n' } });
  repo.git(["checkout", "-q", "-b", "feature"]);
  sha.c4 = repo.commit({ message: "Feature", committedAt: "2026-11-25T11:00:00Z", author: ALICE, files: { "feature.txt": "x\n" } });
  repo.git(["checkout", "-q", "main"]);
  sha.m1 = repo.merge("feature", { message: "Merge feature", committedAt: "2026-11-25T12:00:00Z", author: CAROL });
  // Authored inside the window but committed after it: outside.
  sha.c6 = repo.commit({
    message: "Dave's change",
    authoredAt: "2026-11-26T09:00:00Z",
    committedAt: "2026-11-27T08:00:00Z",
    author: DAVE,
    files: { "dave.txt": "d\n" },
  });
  // In the window, behind a parent dated after it.
  sha.c7 = repo.commit({
    message: "Erin edits the README",
    committedAt: "2026-11-26T10:00:00Z",
    author: ERIN,
    files: { "README.md": "a\nB\nc\nd\n", "logo.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 0]) },
  });
  // Newer in the graph, dated before the window.
  sha.c8 = repo.commit({ message: "Frank's fix", committedAt: "2026-11-24T10:00:00Z", author: FRANK, files: { "frank.txt": "f\n" } });
  repo.git(["checkout", "-q", "-b", "topic"]);
  // Authored long ago, committed (rebased) in the window: inside, by its old email mapped by .mailmap.
  sha.c9 = repo.commit({
    message: "Topic work",
    authoredAt: "2026-11-20T08:00:00Z",
    committedAt: "2026-11-26T11:00:00Z",
    author: ALICE_OLD,
    files: { "topic.txt": "1\n2\n3\n4\n5\n" },
  });
  repo.git(["checkout", "-q", "main"]);
  sha.c10 = repo.commit({ message: "Bump a again", committedAt: "2026-11-26T12:00:00Z", author: BOT, files: { "deps.json": '{"a":2}\n' } });
  sha.m2 = repo.merge("topic", { message: "Merge topic", committedAt: "2026-11-26T13:00:00Z", author: ERIN });
  return { repo, sha };
}

async function readRepository(dataDir: string, owner: string, name: string, key = DAY): Promise<RawRepository> {
  return readJson(dataLayout(dataDir).rawRepository(key, owner, name), RawRepositorySchema, "raw repository");
}

describe("collectGit on a history with out-of-order dates", async () => {
  const root = dirs.make();
  const { repo, sha } = buildScenario(join(root, "widgets"));
  const dataDir = join(root, "data");
  const progress: [string, number | null, number | null][] = [];
  const { ctx } = context(dataDir, (message, done, total) => void progress.push([message, done, total]));
  const result = await collectGit(payload([repo.path]), ctx);
  const raw = await readRepository(dataDir, "local", "widgets");
  const bySubject = (subject: string) => raw.commits.find((c) => c.subject === subject);

  it("keeps exactly the commits whose committer time is in the window, newest first", () => {
    expect(raw.commits.map((c) => c.sha)).toEqual([sha.m2, sha.c10, sha.c9, sha.c7]);
    expect(raw.commits.map((c) => c.committedAt)).toEqual([
      "2026-11-26T13:00:00.000Z",
      "2026-11-26T12:00:00.000Z",
      "2026-11-26T11:00:00.000Z",
      "2026-11-26T10:00:00.000Z",
    ]);
    expect(bySubject("Topic work")?.authoredAt).toBe("2026-11-20T08:00:00.000Z");
  });

  it("marks merges, with no line counts", () => {
    const merge = bySubject("Merge topic");
    expect(merge).toMatchObject({ isMerge: true, additions: 0, deletions: 0, filesChanged: 0, isBot: false });
    expect(merge?.parents).toEqual([sha.c10, sha.c9]);
    expect(bySubject("Erin edits the README")).toMatchObject({ isMerge: false, parents: [sha.c6] });
  });

  it("counts lines with numstat, a binary file as one file and no lines", () => {
    expect(bySubject("Erin edits the README")).toMatchObject({ additions: 2, deletions: 1, filesChanged: 2 });
    expect(bySubject("Topic work")).toMatchObject({ additions: 5, deletions: 0, filesChanged: 1 });
    expect(bySubject("Bump a again")).toMatchObject({ additions: 1, deletions: 1, filesChanged: 1 });
  });

  it("applies .mailmap to author name and email", () => {
    expect(bySubject("Topic work")).toMatchObject({ authorName: "Alice Example", authorEmail: "alice@example.com" });
  });

  it("keeps bot commits, marked, but never counts a bot as an author", () => {
    expect(bySubject("Bump a again")).toMatchObject({ isBot: true, authorName: "dependabot[bot]" });
    expect(raw.priorAuthors.some((key) => key.includes("[bot]"))).toBe(false);
    expect(raw.previous.authors.some((key) => key.includes("[bot]"))).toBe(false);
  });

  it("lists human authors with a commit before the window by committer time, merged by .mailmap", () => {
    // Frank committed before the window although his commit is newer in the graph; Dave only after it.
    expect(raw.priorAuthors).toEqual(["alice@example.com", "carol@example.com", "frank@example.com"]);
  });

  it("summarises the previous period of the same kind", () => {
    expect(raw.previous).toEqual({
      window: { start: "2026-11-25T00:00:00.000Z", end: "2026-11-26T00:00:00.000Z" },
      commits: 3,
      merges: 1,
      authors: ["alice@example.com", "carol@example.com"],
    });
  });

  it("records HEAD, branch, window and a local name", () => {
    expect(raw).toMatchObject({
      source: "git",
      owner: "local",
      name: "widgets",
      path: repo.path,
      webUrl: null,
      head: sha.m2,
      branch: "main",
      window: { start: "2026-11-26T00:00:00.000Z", end: "2026-11-27T00:00:00.000Z" },
    });
  });

  it("writes a manifest that validates, with counts and the newest commit of the whole history", async () => {
    const manifest = await readJson(result.manifest, RawManifestSchema, "manifest");
    expect(result).toEqual({ manifest: dataLayout(dataDir).rawManifest(DAY), repositories: 1, commits: 3, merges: 1 });
    expect(manifest).toMatchObject({
      runId: "daily-2026-11-26",
      period: "daily",
      key: DAY,
      timezone: "UTC",
      complete: true,
      collectedAt: "2026-11-27T06:00:00.000Z",
      repositories: [
        { owner: "local", name: "widgets", file: "local/widgets.json", commits: 3, merges: 1, newestCommitAt: "2026-11-27T08:00:00.000Z" },
      ],
    });
    expect(existsSync(join(dirname(result.manifest), manifest.repositories[0]!.file))).toBe(true);
  });

  it("reports progress once per repository", () => {
    expect(progress).toEqual([["collected local/widgets: 3 commits, 1 merge", 1, 1]]);
  });

  it("gives the same answer from a bare clone, with .mailmap read from HEAD", async () => {
    const bare = join(root, "widgets-bare.git");
    repo.git(["clone", "-q", "--bare", repo.path, bare]);
    const bareData = join(root, "bare-data");
    await collectGit(payload([bare]), context(bareData).ctx);
    const fromBare = await readRepository(bareData, "local", "widgets-bare");
    expect(fromBare.commits).toEqual(raw.commits);
    expect(fromBare.priorAuthors).toEqual(raw.priorAuthors);
    expect(fromBare.previous).toEqual(raw.previous);
  });
});

describe("collectGit and people who only merged", () => {
  it("leaves someone whose only commit in the previous period is a merge out of its contributors", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "merges"));
    repo.commit({ message: "Start", committedAt: "2026-11-20T10:00:00Z", author: ALICE, files: { "a.txt": "a\n" } });
    repo.git(["checkout", "-q", "-b", "topic"]);
    repo.commit({ message: "Topic", committedAt: "2026-11-25T09:00:00Z", author: ALICE, files: { "b.txt": "b\n" } });
    repo.git(["checkout", "-q", "main"]);
    repo.merge("topic", { message: "Merge topic", committedAt: "2026-11-25T10:00:00Z", author: DAVE });
    repo.commit({ message: "Today", committedAt: "2026-11-26T10:00:00Z", author: ALICE, files: { "c.txt": "c\n" } });
    const dataDir = join(root, "data");
    await collectGit(payload([repo.path]), context(dataDir).ctx);
    const raw = await readRepository(dataDir, "local", "merges");
    // As `git shortlog --no-merges` counts them: Dave merged, he did not contribute.
    expect(raw.previous).toMatchObject({ commits: 1, merges: 1, authors: ["alice@example.com"] });
  });
});

describe("collectGit line counts", () => {
  it("counts the root commit, renames, empty commits and non-ASCII subjects", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "counts"));
    const at = (hour: number) => `2026-11-26T${String(hour).padStart(2, "0")}:00:00Z`;
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const first = repo.commit({
      message: "Root: three lines and a binary",
      committedAt: at(1),
      files: { "a.txt": "1\n2\n3\n", "b.bin": new Uint8Array([0, 1, 2, 0, 255]), "long.txt": lines },
    });
    repo.git(["mv", "long.txt", "renamed.txt"]);
    const renamed = repo.commit({
      message: "Rename with one line changed",
      committedAt: at(2),
      files: { "renamed.txt": lines.replace("line 7", "line seven") },
    });
    const empty = repo.commit({ message: "Empty", committedAt: at(3) });
    const unicode = repo.commit({
      message: "Fix für Überlänge 🚀 — done\n\nBody line\nmore",
      committedAt: at(4),
      files: { "a.txt": null },
    });
    const dataDir = join(root, "data");
    await collectGit(payload([repo.path]), context(dataDir).ctx);
    const raw = await readRepository(dataDir, "local", "counts");
    const of = (sha: string) => raw.commits.find((c) => c.sha === sha);
    expect(of(first)).toMatchObject({ additions: 23, deletions: 0, filesChanged: 3, parents: [] });
    expect(of(renamed)).toMatchObject({ additions: 1, deletions: 1, filesChanged: 1 });
    expect(of(empty)).toMatchObject({ additions: 0, deletions: 0, filesChanged: 0 });
    expect(of(unicode)).toMatchObject({ additions: 0, deletions: 3, filesChanged: 1, subject: "Fix für Überlänge 🚀 — done" });

    // Settings a user may have that change what git log prints; the collector pins them all.
    const settings: [string, string][] = [
      ["log.showRoot", "false"],
      ["diff.renames", "false"],
      ["log.showSignature", "true"],
      ["log.mailmap", "false"],
      ["color.ui", "always"],
      ["core.quotepath", "true"],
      ["format.pretty", "oneline"],
      ["log.decorate", "full"],
      ["i18n.logOutputEncoding", "ISO-8859-1"],
    ];
    for (const [key, value] of settings) repo.git(["config", key, value]);
    const configuredData = join(root, "configured-data");
    await collectGit(payload([repo.path]), context(configuredData).ctx);
    expect((await readRepository(configuredData, "local", "counts")).commits).toEqual(raw.commits);
  });
});

describe("collectGit tags", () => {
  it("writes the window's tags with the repository", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "tagged"));
    repo.commit({ message: "one", committedAt: "2026-11-25T10:00:00Z", author: CAROL });
    repo.git(["tag", "v0.9.0"]);
    const sha = repo.commit({ message: "two", committedAt: "2026-11-26T10:00:00Z", author: DAVE });
    repo.git(["tag", "v1.0.0"]);
    const dataDir = join(root, "data");
    await collectGit(payload([repo.path]), context(dataDir).ctx);
    const raw = await readRepository(dataDir, "local", "tagged");
    expect(raw.tags).toEqual([
      {
        name: "v1.0.0",
        sha,
        annotated: false,
        taggedAt: "2026-11-26T10:00:00.000Z",
        tagger: null,
        previousTag: "v0.9.0",
        commits: 1,
        authors: [{ key: "dave@example.com", name: "Dave", commits: 1 }],
      },
    ]);
  });
});

describe("collectGit repository names", () => {
  it("names a repository after its forge remote, without credentials anywhere", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "checkout"));
    repo.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
    repo.git(["remote", "add", "origin", "https://sparky-user:ghp_s3cretT0ken@github.com/acme/widgets.git"]);
    const dataDir = join(root, "data");
    const { ctx, logLines } = context(dataDir);
    const result = await collectGit(payload([repo.path]), ctx);
    const raw = await readRepository(dataDir, "acme", "widgets");
    expect(raw).toMatchObject({ owner: "acme", name: "widgets", webUrl: "https://github.com/acme/widgets" });
    const written = readFileSync(dataLayout(dataDir).rawRepository(DAY, "acme", "widgets"), "utf8") + readFileSync(result.manifest, "utf8");
    for (const text of [written, logLines.join("")]) {
      expect(text).not.toContain("ghp_s3cretT0ken");
      expect(text).not.toContain("sparky-user");
    }
  });

  it("suffixes -2 when two repositories resolve to the same owner/name, and collects a repeated path once", async () => {
    const root = dirs.make();
    const paths = ["one/api", "two/api", "x/widgets", "y/widgets"].map((p) => join(root, p));
    for (const path of paths) {
      const repo = TestRepo.init(path);
      repo.commit({ message: `commit in ${path}`, committedAt: "2026-11-26T10:00:00Z" });
      if (path.endsWith("widgets")) repo.git(["remote", "add", "origin", "git@github.com:acme/widgets.git"]);
    }
    const dataDir = join(root, "data");
    const result = await collectGit(payload([...paths, paths[0]!]), context(dataDir).ctx);
    const manifest = await readJson(result.manifest, RawManifestSchema, "manifest");
    expect(manifest.repositories.map((r) => `${r.owner}/${r.name}`)).toEqual([
      "local/api",
      "local/api-2",
      "acme/widgets",
      "acme/widgets-2",
    ]);
    const second = await readRepository(dataDir, "local", "api-2");
    expect(second.commits[0]?.subject).toBe(`commit in ${paths[1]}`);
    expect((await readRepository(dataDir, "acme", "widgets-2")).webUrl).toBe("https://github.com/acme/widgets");
  });
});

describe("collectGit edge cases", () => {
  it("collects an empty repository as zero commits", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "empty"));
    const dataDir = join(root, "data");
    const result = await collectGit(payload([repo.path]), context(dataDir).ctx);
    const raw = await readRepository(dataDir, "local", "empty");
    expect(raw).toMatchObject({ commits: [], priorAuthors: [], head: "", branch: "main" });
    expect(raw.previous).toMatchObject({ commits: 0, merges: 0, authors: [] });
    const manifest = await readJson(result.manifest, RawManifestSchema, "manifest");
    expect(manifest.repositories).toEqual([{ owner: "local", name: "empty", file: "local/empty.json", commits: 0, merges: 0, newestCommitAt: null }]);
    expect(result).toMatchObject({ repositories: 1, commits: 0, merges: 0 });
  });

  it("records a detached HEAD as branch HEAD", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "detached"));
    const first = repo.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
    repo.commit({ message: "two", committedAt: "2026-11-26T11:00:00Z" });
    repo.git(["checkout", "-q", "--detach", first]);
    const dataDir = join(root, "data");
    await collectGit(payload([repo.path]), context(dataDir).ctx);
    const raw = await readRepository(dataDir, "local", "detached");
    expect(raw).toMatchObject({ branch: "HEAD", head: first });
    expect(raw.commits.map((c) => c.subject)).toEqual(["one"]);
  });

  it("writes the manifest last, after removing the one of an earlier run", async () => {
    const root = dirs.make();
    const repos = ["a", "b"].map((name) => {
      const repo = TestRepo.init(join(root, name));
      repo.commit({ message: name, committedAt: "2026-11-26T10:00:00Z" });
      return repo.path;
    });
    const dataDir = join(root, "data");
    const layout = dataLayout(dataDir);
    mkdirSync(layout.rawDir(DAY), { recursive: true });
    writeFileSync(layout.rawManifest(DAY), '{"stale": true}\n');
    const seen: boolean[] = [];
    await collectGit(
      payload(repos),
      context(dataDir, (_message, done) => {
        seen.push(existsSync(layout.rawManifest(DAY)));
        expect(existsSync(layout.rawRepository(DAY, "local", done === 1 ? "a" : "b"))).toBe(true);
      }).ctx,
    );
    expect(seen).toEqual([false, false]);
    const manifest = await readJson(layout.rawManifest(DAY), RawManifestSchema, "manifest");
    expect(manifest.repositories.map((r) => r.name)).toEqual(["a", "b"]);
  });

  it("fails with SPARKY_GIT_FAILED and leaves no manifest when git cannot read the repository", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "broken"));
    repo.commit({ message: "one", committedAt: "2026-11-25T10:00:00Z", files: { "a.txt": "1\n" } });
    repo.commit({ message: "two", committedAt: "2026-11-26T10:00:00Z", files: { "a.txt": "1\n2\n" } });
    // Lose the first a.txt (not in the work tree, which git may read instead): the history
    // walk still works, the line counts of the second commit cannot.
    const blob = repo.git(["rev-parse", "HEAD~1:a.txt"]);
    rmSync(join(repo.path, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
    const dataDir = join(root, "data");
    const layout = dataLayout(dataDir);
    mkdirSync(layout.rawDir(DAY), { recursive: true });
    writeFileSync(layout.rawManifest(DAY), '{"stale": true}\n');
    const error = await collectGit(payload([repo.path]), context(dataDir).ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GitCommandError", code: "SPARKY_GIT_FAILED" });
    expect((error as Error).message).toContain(`git diff-tree failed in ${repo.path}`);
    expect(existsSync(layout.rawManifest(DAY))).toBe(false);
  });

  it("fails with SPARKY_GIT_FAILED, stopping the line counts too, when the history cannot be walked", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "cut"));
    repo.commit({ message: "one", committedAt: "2026-11-25T10:00:00Z" });
    const lost = repo.commit({ message: "two", committedAt: "2026-11-26T09:00:00Z" });
    repo.commit({ message: "three", committedAt: "2026-11-26T10:00:00Z" });
    rmSync(join(repo.path, ".git", "objects", lost.slice(0, 2), lost.slice(2)));
    const error = await collectGit(payload([repo.path]), context(join(root, "data")).ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SPARKY_GIT_FAILED", message: expect.stringContaining(`git log failed in ${repo.path}`) });
  });

  it("fails with coded errors, before writing anything, for a missing path or a folder that is not a repository", async () => {
    const root = dirs.make();
    const good = TestRepo.init(join(root, "good"));
    good.commit({ message: "one", committedAt: "2026-11-26T10:00:00Z" });
    const plain = join(root, "plain");
    mkdirSync(plain);
    const dataDir = join(root, "data");
    const missing = join(root, "nope");

    await expect(collectGit(payload([good.path, missing]), context(dataDir).ctx)).rejects.toMatchObject({
      code: "SPARKY_REPO_NOT_FOUND",
      message: expect.stringContaining(missing),
    });
    await expect(collectGit(payload([good.path, plain]), context(dataDir).ctx)).rejects.toMatchObject({
      code: "SPARKY_NOT_A_GIT_REPO",
      message: expect.stringContaining(`${plain} is not a git repository`),
    });
    expect(existsSync(join(dataDir, "raw"))).toBe(false);
  });
});
