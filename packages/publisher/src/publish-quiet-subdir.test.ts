import { mkdir, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { publishDigest } from "./publish-digest.js";
import type { PublishContext } from "./publish-digest.js";
import { captureLogger, git, runRef, tempDir, writeDigest } from "./test-git.js";

// A HOME with no git identity: the publisher must bring its own, as on a CI machine.
let home: { path: string; cleanup: () => Promise<void> };
const savedHome = process.env.HOME;
beforeAll(async () => {
  home = await tempDir("sparky-home-");
  await writeFile(join(home.path, ".gitconfig"), "[user]\n\tuseConfigOnly = true\n");
  process.env.HOME = home.path;
});
afterAll(async () => {
  process.env.HOME = savedHome;
  await home.cleanup();
});
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
async function temp(): Promise<string> {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  return dir.path;
}

function context(outputDir: string, overrides: Partial<PublishContext> = {}): PublishContext {
  const { log } = captureLogger();
  return { outputDir, docsRepo: outputDir, autoPush: false, remoteUrl: "", branch: "main", authorName: "Sparky Bot", authorEmail: "sparky@example.com", log, ...overrides };
}

const changed = (repo: string) => git(repo, "show", "--name-only", "--format=", "HEAD").split("\n").sort();
const ledger = (...keys: string[]) =>
  `${JSON.stringify({ schema: "sparky.quiet-days/1", days: keys.map((key) => ({ key, runId: `daily-${key}`, repositories: 2 })) }, null, 2)}\n`;

/** An existing MkDocs project: a README, mkdocs.yml and two pages, committed by someone else. */
async function docsProject(): Promise<string> {
  const docs = await temp();
  await mkdir(join(docs, "docs"), { recursive: true });
  await writeFile(join(docs, "README.md"), "# Team docs\n");
  await writeFile(join(docs, "mkdocs.yml"), "site_name: Team docs\n");
  await writeFile(join(docs, "docs", "index.md"), "# Home\n");
  await writeFile(join(docs, "docs", "guide.md"), "# Guide\n");
  git(docs, "init", "--quiet", "--initial-branch=main");
  git(docs, "add", ".");
  git(docs, "commit", "--quiet", "-m", "docs");
  return docs;
}

describe("publishDigest with [publisher] docs_subdir", () => {
  it("commits the digest, index, feed and ledger under the folder only, leaving the rest of the repository alone", async () => {
    const out = await temp();
    const docs = await docsProject();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    await writeFile(join(out, "feed.xml"), "<feed/>\n");
    await writeFile(join(out, "quiet-days.json"), ledger("2026-11-22"));
    // Work in progress in the docs repository: a staged edit, an unstaged one, an untracked file.
    await writeFile(join(docs, "docs", "guide.md"), "# Guide\n\nstaged\n");
    git(docs, "add", "docs/guide.md");
    await writeFile(join(docs, "README.md"), "# Team docs\n\nunstaged\n");
    await writeFile(join(docs, "draft.md"), "draft\n");

    const ctx = context(out, { docsRepo: docs, docsSubdir: "docs/digests" });
    const first = await publishDigest(ref, ctx);
    expect(first).toMatchObject({ created: true, reason: "committed docs/digests/daily/2026-11-26.md" });
    expect(changed(docs)).toEqual(["docs/digests/daily/2026-11-26.md", "docs/digests/feed.xml", "docs/digests/index.md", "docs/digests/quiet-days.json"]);
    expect(git(docs, "log", "--format=%s")).toBe("sparky: daily digest 2026-11-26\ndocs");
    // Staged stays staged, unstaged stays unstaged (the helper trims the first line's leading space).
    expect(git(docs, "status", "--porcelain").split("\n").map((l) => l.trim()).sort()).toEqual(["?? draft.md", "M  docs/guide.md", "M README.md"]);
    expect(git(docs, "diff", "--name-only")).toBe("README.md");
    expect(git(docs, "ls-files").split("\n")).not.toContain("index.md");

    const again = await publishDigest(ref, ctx);
    expect(again).toMatchObject({ created: false, commit: first.commit });
  });

  it("refuses a docs_subdir when the docs repository is the output folder itself", async () => {
    const out = await temp();
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    await expect(publishDigest(ref, context(out, { docsSubdir: "docs/digests" }))).rejects.toMatchObject({
      code: "SPARKY_DOCS_SUBDIR_IN_OUTPUT",
      message: expect.stringContaining("set [publisher] git_repo to a clone of your docs repository"),
    });
  });

  it("refuses a docs_subdir that a symbolic link leads out of the repository, writing nothing there", async () => {
    const out = await temp();
    const docs = await docsProject();
    const elsewhere = await temp();
    await symlink(elsewhere, join(docs, "docs", "digests"));
    const ref = runRef();
    await writeDigest(out, ref, "# Daily digest\n");
    await expect(publishDigest(ref, context(out, { docsRepo: docs, docsSubdir: "docs/digests" }))).rejects.toMatchObject({
      code: "SPARKY_DOCS_SUBDIR_OUTSIDE",
    });
    expect(git(docs, "log", "--format=%s")).toBe("docs");
    expect(await readdir(elsewhere)).toEqual([]);
  });
});

describe("publishDigest for a quiet day skipped without a digest", () => {
  it("commits the index and the ledger that list the day, once, and says it was a quiet day", async () => {
    const out = await temp();
    const docs = await docsProject();
    const ref = runRef("2026-11-28");
    await writeFile(join(out, "index.md"), "# Sparky digests\n\n| 2026-11-28 (quiet day, no digest) |\n");
    await writeFile(join(out, "feed.xml"), "<feed/>\n");
    await writeFile(join(out, "quiet-days.json"), ledger("2026-11-28"));

    const ctx = context(out, { docsRepo: docs });
    const first = await publishDigest(ref, ctx);
    expect(first).toMatchObject({ created: true, reason: "quiet day, no digest: committed the index" });
    expect(changed(docs)).toEqual(["feed.xml", "index.md", "quiet-days.json"]);
    expect(git(docs, "log", "-1", "--format=%s")).toBe("sparky: quiet day 2026-11-28");
    expect(git(docs, "log", "-1", "--format=%b")).toContain("Run: daily-2026-11-28");

    const again = await publishDigest(ref, ctx);
    expect(again).toMatchObject({ created: false, commit: first.commit, reason: `quiet day, no digest: index unchanged since ${first.commit!.slice(0, 7)}` });
    expect(await readFile(join(docs, "index.md"), "utf8")).toContain("quiet day");
  });

  it("still fails the gate when a digest is missing and the ledger does not list the run", async () => {
    const out = await temp();
    await writeFile(join(out, "index.md"), "# Sparky digests\n");
    await writeFile(join(out, "quiet-days.json"), ledger("2026-11-27"));
    await expect(publishDigest(runRef("2026-11-28"), context(out))).rejects.toMatchObject({ code: "SPARKY_GATE_DIGEST_MISSING" });
  });
});
