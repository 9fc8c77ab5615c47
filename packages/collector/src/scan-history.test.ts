import { spawn } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "@sparky/harness";
import { openRepository } from "./open-repository.js";
import { scanHistory } from "./scan-history.js";
import type { HistoryScan, ScanOptions } from "./scan-history.js";
import { open } from "node:fs/promises";
import { readBlocks } from "./scan-cache/scan-cache-file.js";
import { scanCachePath } from "./scan-cache/scan-cache-store.js";
import { mailmapSource } from "./scan-cache/mailmap-sources.js";
import { TestRepo, tempDirs } from "./test-git-repo.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

const DAY = 86_400_000;
const ADA = { name: "Ada", email: "ada@example.com" };
const BOB = { name: "Bob", email: "bob@example.com" };
const BOT = { name: "renovate[bot]", email: "bot@example.com" };

function range(start: string, days: number) {
  return { start: Date.parse(start), end: Date.parse(start) + days * DAY };
}

/** A history of 12 days in March 2025, one commit a day, with a bot and two people. */
function seedRepo(): TestRepo {
  const repo = TestRepo.init(dirs.make("sparky-scan-"));
  for (let day = 1; day <= 12; day++) {
    const author = day % 5 === 0 ? BOT : day % 2 === 0 ? ADA : BOB;
    repo.commit({ message: `day ${day}`, committedAt: `2025-03-${String(day).padStart(2, "0")}T12:00:00Z`, author, files: { [`f${day}.txt`]: `${day}\n` } });
  }
  return repo;
}

function harness(repo: TestRepo) {
  const cacheDir = dirs.make("sparky-scan-cache-");
  const logLines: string[] = [];
  const log = createLogger({ service: "scan-test", level: "debug", destination: { write: (line: string) => void logLines.push(line) } });
  const messages = () => logLines.map((line) => JSON.parse(line) as { msg: string; level: number });
  async function scan(window = range("2025-03-10T00:00:00Z", 1), previous = range("2025-03-09T00:00:00Z", 1)) {
    const opened = await openRepository(repo.path);
    const options: ScanOptions = { head: opened.head!, window, previous, botPatterns: ["[bot]"] };
    const cached = await scanHistory(repo.path, {
      ...options,
      cache: { cacheDir, realPath: opened.realPath, commonGitDir: opened.commonGitDir, bare: opened.bare, log },
    });
    await cached.cacheWritten;
    // The reference: the same question answered by reading the whole history, no cache.
    const fresh = await scanHistory(repo.path, options);
    return { cached, fresh, file: scanCachePath(cacheDir, opened.realPath) };
  }
  return { scan, messages, cacheDir };
}

/** What a scan answers, in a form two scans can be compared by. */
function answer(scan: HistoryScan) {
  return {
    commits: scan.commits.map((c) => ({ ...c })).sort((a, b) => (a.sha < b.sha ? -1 : 1)),
    priorAuthors: [...scan.priorAuthors].sort(),
    previous: { ...scan.previous, authors: [...scan.previous.authors].sort() },
    newestCommitAt: scan.newestCommitAt,
  };
}

async function expectSameAsFresh(result: { cached: HistoryScan; fresh: HistoryScan }) {
  expect(answer(result.cached)).toEqual(answer(result.fresh));
}

describe("scanHistory with a scan cache", () => {
  it("reads only the commits added since, and counts a commit added today but dated last year in that year's window", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    const first = await scan();
    expect(first.cached.source).toBe("full");
    await expectSameAsFresh(first);
    expect(first.cached.commits.map((c) => c.subject)).toEqual(["day 10"]);
    expect(first.cached.priorAuthors).toEqual(new Set(["ada@example.com", "bob@example.com"]));

    const again = await scan();
    expect(again.cached.source).toBe("cached");
    await expectSameAsFresh(again);

    repo.commit({ message: "day 13", committedAt: "2025-03-13T12:00:00Z", author: ADA });
    repo.commit({ message: "imported from last year", committedAt: "2024-03-10T08:00:00Z", author: { name: "Cy", email: "cy@example.com" } });
    const appended = await scan(range("2025-03-13T00:00:00Z", 1), range("2025-03-12T00:00:00Z", 1));
    expect(appended.cached.source).toBe("incremental");
    await expectSameAsFresh(appended);
    expect(appended.cached.priorAuthors.has("cy@example.com")).toBe(true);

    const lastYear = await scan(range("2024-03-10T00:00:00Z", 1), range("2024-03-09T00:00:00Z", 1));
    expect(lastYear.cached.source).toBe("cached");
    await expectSameAsFresh(lastYear);
    expect(lastYear.cached.commits.map((c) => c.subject)).toEqual(["imported from last year"]);
  });

  it("reads the whole history again after a force-push that rewrote it", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    await scan();
    repo.git(["reset", "-q", "--hard", "HEAD~4"]);
    repo.commit({ message: "rewritten day 9", committedAt: "2025-03-09T18:00:00Z", author: ADA });
    repo.commit({ message: "rewritten day 10", committedAt: "2025-03-10T18:00:00Z", author: BOB });
    repo.git(["reflog", "expire", "--expire=now", "--all"]);
    repo.git(["gc", "-q", "--prune=now"]);
    const after = await scan();
    expect(after.cached.source).toBe("full");
    await expectSameAsFresh(after);
    expect(after.cached.commits.map((c) => c.subject)).toEqual(["rewritten day 10"]);
  });

  it("reads the whole history again after a rebase that kept out-of-order committer dates", async () => {
    const repo = seedRepo();
    repo.git(["checkout", "-q", "-b", "topic", "HEAD~6"]);
    repo.commit({ message: "topic work", committedAt: "2025-03-10T09:00:00Z", author: ADA, files: { "topic.txt": "t\n" } });
    const { scan } = harness(repo);
    await scan();
    // The rebased commit keeps its old committer date, now behind newer ones.
    repo.git(["rebase", "-q", "--committer-date-is-author-date", "main"], { GIT_COMMITTER_NAME: ADA.name, GIT_COMMITTER_EMAIL: ADA.email });
    const after = await scan();
    expect(after.cached.source).toBe("full");
    await expectSameAsFresh(after);
    expect(after.cached.commits.map((c) => c.subject).sort()).toEqual(["day 10", "topic work"]);
  });

  it("follows HEAD to another branch, and continues the cache when HEAD only moved forward", async () => {
    const repo = seedRepo();
    repo.git(["branch", "old", "HEAD~5"]);
    const { scan } = harness(repo);
    await scan();
    repo.git(["checkout", "-q", "old"]);
    const switched = await scan();
    expect(switched.cached.source).toBe("full");
    await expectSameAsFresh(switched);
    expect(switched.cached.commits).toEqual([]);
    repo.git(["checkout", "-q", "main"]);
    const forward = await scan();
    expect(forward.cached.source).toBe("incremental");
    await expectSameAsFresh(forward);
  });

  it("applies a .mailmap added after the cache was written", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    await scan();
    writeFileSync(join(repo.path, ".mailmap"), "Bob Builder <bob@example.org> Bob <bob@example.com>\n");
    const after = await scan();
    expect(after.cached.source).toBe("cached");
    await expectSameAsFresh(after);
    expect(after.cached.priorAuthors.has("bob@example.org")).toBe(true);
  });

  it("remembers the identities .mailmap gave beside the cache, and asks git again when .mailmap changes", async () => {
    const repo = seedRepo();
    writeFileSync(join(repo.path, ".mailmap"), "Bob Builder <bob@example.org> Bob <bob@example.com>\n");
    const { scan, cacheDir } = harness(repo);
    const first = await scan();
    await expectSameAsFresh(first);
    // Kept only where .mailmap is the only source: not where a config of this machine names one.
    const opened = await openRepository(repo.path);
    if (mailmapSource({ ...opened, path: opened.path }).kind !== "file") return;
    const memoFile = readdirSync(join(cacheDir, "git")).find((name) => name.endsWith(".mailmap.json"))!;
    const memo = () => readFileSync(join(cacheDir, "git", memoFile), "utf8");
    expect(memo()).toContain("bob@example.org");
    repo.commit({ message: "day 13", committedAt: "2025-03-13T12:00:00Z", author: { name: "Cy", email: "cy@example.com" } });
    const next = await scan(range("2025-03-13T00:00:00Z", 1), range("2025-03-12T00:00:00Z", 1));
    expect(next.cached.source).toBe("incremental");
    await expectSameAsFresh(next);
    expect(memo()).toContain("cy@example.com");
    writeFileSync(join(repo.path, ".mailmap"), "Bobby <bobby@example.net> Bob <bob@example.com>\n");
    const changed = await scan();
    await expectSameAsFresh(changed);
    expect(changed.cached.priorAuthors.has("bobby@example.net")).toBe(true);
    writeFileSync(join(cacheDir, "git", memoFile), "{ damaged");
    const damaged = await scan();
    await expectSameAsFresh(damaged);
    expect(damaged.cached.priorAuthors.has("bobby@example.net")).toBe(true);
  });

  it("ignores a damaged, foreign or unknown cache file with a warning and rebuilds it", async () => {
    const repo = seedRepo();
    const other = seedRepo();
    const { scan, messages } = harness(repo);
    const { file } = await scan();
    const whole = readFileSync(file);
    const otherFile = (await harness(other).scan()).file;
    const damages: [string, Buffer][] = [
      ["cut short", whole.subarray(0, whole.length - 7)],
      ["header damaged", Buffer.from(whole.map((byte, at) => (at === 20 ? 0x00 : byte)))],
      ["not a cache", Buffer.from("{\"hello\": 1}\n")],
      ["empty", Buffer.alloc(0)],
    ];
    for (const [what, bytes] of damages) {
      writeFileSync(file, bytes);
      const result = await scan();
      expect(result.cached.source, what).toBe("full");
      await expectSameAsFresh(result);
      expect(readFileSync(file).equals(whole), what).toBe(true);
    }
    copyFileSync(otherFile, file);
    const foreign = await scan();
    expect(foreign.cached.source).toBe("full");
    await expectSameAsFresh(foreign);
    const warnings = messages().filter((m) => m.level === 40).map((m) => m.msg);
    expect(warnings.filter((m) => m === "git scan cache ignored and rebuilt")).toHaveLength(4);
    expect(warnings).toContain("git scan cache belongs to another repository, ignored and rebuilt");
  });

  it("ignores a block torn by a killed append, and writes it again", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    const { file } = await scan();
    const base = readFileSync(file);
    repo.commit({ message: "day 13", committedAt: "2025-03-13T12:00:00Z", author: ADA });
    const appended = await scan();
    expect(appended.cached.source).toBe("incremental");
    const whole = readFileSync(file);
    expect(whole.length).toBeGreaterThan(base.length);
    expect(whole.subarray(0, base.length).equals(base)).toBe(true);
    writeFileSync(file, whole.subarray(0, whole.length - 5));
    const torn = await scan();
    expect(torn.cached.source).toBe("incremental");
    await expectSameAsFresh(torn);
    expect(readFileSync(file).equals(whole)).toBe(true);
  });

  it("rewrites the file as one block once it holds 16, with the same answers", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    const { file } = await scan();
    for (let day = 13; day <= 29; day++) {
      repo.commit({ message: `day ${day}`, committedAt: `2025-03-${day}T12:00:00Z`, author: day % 3 === 0 ? { name: `New ${day}`, email: `n${day}@example.com` } : BOB });
      const result = await scan(range(`2025-03-${day}T00:00:00Z`, 1), range(`2025-03-${day - 1}T00:00:00Z`, 1));
      expect(result.cached.source).toBe("incremental");
      await expectSameAsFresh(result);
    }
    const handle = await open(file, "r");
    const { blocks } = await readBlocks(handle, (await handle.stat()).size);
    await handle.close();
    expect(blocks.length).toBeLessThan(16);
    const all = await scan(range("2025-03-01T00:00:00Z", 40), range("2025-02-01T00:00:00Z", 28));
    await expectSameAsFresh(all);
  });

  it("reads the whole history again when a shallow clone is deepened", async () => {
    const origin = seedRepo();
    const clone = dirs.make("sparky-scan-shallow-");
    origin.git(["clone", "-q", "--depth", "3", `file://${origin.path}`, clone]);
    const repo = new TestRepo(clone);
    const { scan } = harness(repo);
    const day9 = range("2025-03-09T00:00:00Z", 1);
    const shallow = await scan(day9);
    expect(shallow.cached.commits).toEqual([]);
    repo.git(["fetch", "-q", "--unshallow"]);
    const deep = await scan(day9);
    expect(deep.cached.source).toBe("full");
    await expectSameAsFresh(deep);
    expect(deep.cached.commits.map((c) => c.subject)).toEqual(["day 9"]);
  });
});

describe("scanHistory continuing the cache with one walk over the new commits", () => {
  it("finds a new commit dated 200 days back between new commits dated today", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    await scan();
    repo.commit({ message: "today 1", committedAt: "2025-03-13T09:00:00Z", author: ADA });
    repo.commit({ message: "rebased in, dated long ago", committedAt: "2024-08-25T09:00:00Z", author: BOB });
    repo.commit({ message: "today 2", committedAt: "2025-03-13T10:00:00Z", author: ADA });
    const today = await scan(range("2025-03-13T00:00:00Z", 1), range("2025-03-12T00:00:00Z", 1));
    expect(today.cached.source).toBe("incremental");
    await expectSameAsFresh(today);
    expect(today.cached.commits.map((c) => c.subject).sort()).toEqual(["today 1", "today 2"]);
    const then = await scan(range("2024-08-25T00:00:00Z", 1), range("2024-08-24T00:00:00Z", 1));
    expect(then.cached.source).toBe("cached");
    await expectSameAsFresh(then);
    expect(then.cached.commits.map((c) => c.subject)).toEqual(["rebased in, dated long ago"]);
  });

  it("follows a merged branch whose commits are dated before cached ones, and a branch deleted after its merge", async () => {
    const repo = seedRepo();
    const day2 = repo.git(["rev-parse", "HEAD~10"]);
    const { scan } = harness(repo);
    await scan();
    // Branched from day 2; its first commit is dated before day 2 itself, so git prints
    // day 2 (cached, the branch's parent) before the branch's commit reaches it.
    repo.git(["checkout", "-q", "-b", "topic", day2]);
    repo.commit({ message: "topic, dated a month back", committedAt: "2025-02-01T09:00:00Z", author: { name: "Cy", email: "cy@example.com" }, files: { "t1.txt": "1\n" } });
    repo.commit({ message: "topic, dated on day 5", committedAt: "2025-03-05T09:00:00Z", author: BOB, files: { "t2.txt": "2\n" } });
    repo.git(["checkout", "-q", "main"]);
    repo.merge("topic", { message: "Merge topic", committedAt: "2025-03-13T12:00:00Z", author: ADA });
    repo.git(["branch", "-q", "-D", "topic"]);
    const merged = await scan(range("2025-03-13T00:00:00Z", 1), range("2025-03-12T00:00:00Z", 1));
    expect(merged.cached.source).toBe("incremental");
    await expectSameAsFresh(merged);
    expect(merged.cached.commits.map((c) => c.subject)).toEqual(["Merge topic"]);
    const february = await scan(range("2025-02-01T00:00:00Z", 1), range("2025-01-31T00:00:00Z", 1));
    expect(february.cached.source).toBe("cached");
    await expectSameAsFresh(february);
    expect(february.cached.priorAuthors.has("cy@example.com")).toBe(false);
    const day5 = await scan(range("2025-03-05T00:00:00Z", 1), range("2025-03-04T00:00:00Z", 1));
    await expectSameAsFresh(day5);
    expect(day5.cached.commits.map((c) => c.subject).sort()).toEqual(["day 5", "topic, dated on day 5"]);
    expect(day5.cached.priorAuthors.has("cy@example.com")).toBe(true);
  });

  it("reads the window's cached commits and the new ones together, the cached tip among them", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    const day12 = range("2025-03-12T00:00:00Z", 1);
    repo.commit({ message: "day 12, later", committedAt: "2025-03-12T18:00:00Z", author: BOB });
    await scan(day12, range("2025-03-11T00:00:00Z", 1));
    repo.commit({ message: "day 12, after the first run", committedAt: "2025-03-12T20:00:00Z", author: ADA });
    repo.commit({ message: "day 13", committedAt: "2025-03-13T08:00:00Z", author: ADA });
    const again = await scan(day12, range("2025-03-11T00:00:00Z", 1));
    expect(again.cached.source).toBe("incremental");
    await expectSameAsFresh(again);
    expect(again.cached.commits.map((c) => c.subject).sort()).toEqual(["day 12", "day 12, after the first run", "day 12, later"]);
  });

  it("reads the whole history again when HEAD moved back to an older commit, and when it moved to a new root", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    await scan();
    repo.git(["reset", "-q", "--hard", "HEAD~3"]);
    const back = await scan();
    expect(back.cached.source).toBe("full");
    await expectSameAsFresh(back);
    expect(back.cached.commits).toEqual([]);
    repo.git(["checkout", "-q", "--orphan", "fresh"]);
    repo.commit({ message: "a new root on day 10", committedAt: "2025-03-10T15:00:00Z", author: ADA });
    const orphan = await scan();
    expect(orphan.cached.source).toBe("full");
    await expectSameAsFresh(orphan);
    expect(orphan.cached.commits.map((c) => c.subject)).toEqual(["a new root on day 10"]);
  });
});

describe("the scan cache file under kill -9", () => {
  it("is always a whole old or new file, never a torn one", async () => {
    const dir = dirs.make("sparky-scan-kill-");
    const file = join(dir, "git", "kill.scan");
    const script = join(dir, "writer.mjs");
    const dist = new URL("../dist/scan-cache/", import.meta.url).href;
    // A writer that replaces a 200,000-commit cache file, then appends blocks to it, as fast as it can.
    writeFileSync(
      script,
      `import { HistoryIndex } from "${dist}history-index.js";
import { encodeBlock } from "${dist}scan-cache-file.js";
import { appendScanCache, writeScanCache } from "${dist}scan-cache-store.js";
const index = new HistoryIndex();
for (let i = 0; i < 200000; i++) index.add(i.toString(16).padStart(40, "0"), 1700000000 + i, { name: "A" + (i % 7), email: "a@x" }, i % 9 === 0);
const meta = { repository: "/r", fingerprint: "f" };
const authors = index.authors.map((a) => [a.name, a.email]);
const firstSeen = index.firstSeen();
const sha = (n) => n.toString(16).padStart(40, "f");
for (let round = 0; ; round++) {
  const base = Buffer.concat(encodeBlock({ ...meta, tip: sha(0), from: null, authors, firstSeen, newest: 1700199999 }, index));
  await writeScanCache(process.argv[2], [base]);
  let length = base.length;
  for (let k = 1; k <= 3; k++) {
    const block = Buffer.concat(encodeBlock({ ...meta, tip: sha(k), from: sha(k - 1), authors: [], firstSeen, newest: 1700199999 }, index));
    await appendScanCache(process.argv[2], length, [block]);
    length += block.length;
  }
  process.stdout.write(round + "\\n");
}
`,
    );
    for (let attempt = 0; attempt < 4; attempt++) {
      const child = spawn(process.execPath, [script, file], { stdio: ["ignore", "pipe", "inherit"] });
      // Killed after it has written at least `attempt + 1` files, in the middle of the next one or so.
      await new Promise<void>((resolve) => {
        let seen = 0;
        child.stdout.on("data", (chunk: Buffer) => {
          seen += chunk.toString().split("\n").length - 1;
          if (seen > attempt) {
            child.kill("SIGKILL");
            resolve();
          }
        });
      });
      await new Promise((resolve) => child.on("close", resolve));
      const handle = await open(file, "r");
      const { blocks } = await readBlocks(handle, (await handle.stat()).size);
      await handle.close();
      expect(blocks[0]!.header.count).toBe(200000);
      expect(blocks.map((block) => block.header.tip)).toEqual(blocks.map((_, k) => k.toString(16).padStart(40, "f")));
    }
    // The temp files of the killed writers are beside it, under names no reader opens.
    expect(readdirSync(join(dir, "git")).filter((name) => name !== "kill.scan").every((name) => !name.endsWith(".scan"))).toBe(true);
    expect(existsSync(file)).toBe(true);
  });
});

describe("scanHistory when what git walks changes under the cache", () => {
  it("reads the whole history again when a replace ref swaps a cached commit, and when it is removed", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    await scan();
    // day 10 replaced by a commit of Cy's dated on day 10: same sha, other author.
    const day10 = repo.git(["rev-parse", "HEAD~2"]);
    const tree = repo.git(["rev-parse", "HEAD~2^{tree}"]);
    const parent = repo.git(["rev-parse", "HEAD~3"]);
    const swapped = repo.git(["commit-tree", tree, "-p", parent, "-m", "day 10 by Cy"], {
      GIT_AUTHOR_NAME: "Cy", GIT_AUTHOR_EMAIL: "cy@example.com", GIT_AUTHOR_DATE: "@1741608000 +0000",
      GIT_COMMITTER_NAME: "Cy", GIT_COMMITTER_EMAIL: "cy@example.com", GIT_COMMITTER_DATE: "@1741608000 +0000",
    });
    repo.git(["replace", day10, swapped]);
    const replaced = await scan();
    expect(replaced.cached.source).toBe("full");
    await expectSameAsFresh(replaced);
    expect(replaced.cached.commits.map((c) => [c.sha, c.authorName])).toEqual([[day10, "Cy"]]);
    // Packing the refs (as gc does) moves the replace ref, and changes nothing git walks.
    repo.git(["pack-refs", "--all"]);
    const packed = await scan();
    expect(packed.cached.source).toBe("cached");
    await expectSameAsFresh(packed);
    repo.git(["replace", "-d", day10]);
    const restored = await scan();
    expect(restored.cached.source).toBe("full");
    expect(restored.cached.commits.map((c) => c.authorName)).toEqual(["renovate[bot]"]);
  });

  it("reads the whole history again when a graft cuts it, and when a shallow clone is deepened by --deepen", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    await scan();
    writeFileSync(join(repo.path, ".git", "info", "grafts"), `${repo.git(["rev-parse", "HEAD~3"])}\n`);
    const grafted = await scan(range("2025-03-01T00:00:00Z", 30));
    expect(grafted.cached.source).toBe("full");
    await expectSameAsFresh(grafted);
    expect(grafted.cached.commits.map((c) => c.subject)).toEqual(["day 12", "day 11", "day 10", "day 9"]);

    const origin = seedRepo();
    const clone = dirs.make("sparky-scan-deepen-");
    origin.git(["clone", "-q", "--depth", "2", `file://${origin.path}`, clone]);
    const shallow = new TestRepo(clone);
    const shallowScan = harness(shallow).scan;
    expect((await shallowScan(range("2025-03-01T00:00:00Z", 30))).cached.commits).toHaveLength(2);
    shallow.git(["fetch", "-q", "--deepen", "3"]);
    const deeper = await shallowScan(range("2025-03-01T00:00:00Z", 30));
    expect(deeper.cached.source).toBe("full");
    await expectSameAsFresh(deeper);
    expect(deeper.cached.commits).toHaveLength(5);
  });

  it("does not take a cache of a repository deleted and made again at the same path for the new one", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    await scan();
    rmSync(join(repo.path, ".git"), { recursive: true, force: true });
    repo.git(["init", "-q", "-b", "main"]);
    repo.commit({ message: "new repo, day 10", committedAt: "2025-03-10T08:00:00Z", author: { name: "Cy", email: "cy@example.com" } });
    const again = await scan();
    expect(again.cached.source).toBe("full");
    await expectSameAsFresh(again);
    expect(again.cached.commits.map((c) => c.subject)).toEqual(["new repo, day 10"]);
    expect(again.cached.priorAuthors).toEqual(new Set());
  });

  it("answers as a fresh read wherever a kill -9 cut the appended block", async () => {
    const repo = seedRepo();
    const { scan } = harness(repo);
    const { file } = await scan();
    const base = readFileSync(file).length;
    repo.commit({ message: "day 13", committedAt: "2025-03-13T12:00:00Z", author: { name: "Cy", email: "cy@example.com" } });
    await scan();
    const whole = readFileSync(file);
    for (const cut of [base + 1, base + 12, base + 40, whole.length - 30, whole.length - 1]) {
      writeFileSync(file, whole.subarray(0, cut));
      const result = await scan(range("2025-03-13T00:00:00Z", 1), range("2025-03-12T00:00:00Z", 1));
      expect(result.cached.source, `cut at ${cut}`).toBe("incremental");
      await expectSameAsFresh(result);
      expect(readFileSync(file).equals(whole), `cut at ${cut}`).toBe(true);
    }
  });
});

describe("scanHistory in a SHA-256 repository", () => {
  it("reads the whole history each run without warning about or writing a cache it cannot hold", async () => {
    const repo = new TestRepo(dirs.make("sparky-scan-sha256-"));
    repo.git(["init", "-q", "-b", "main", "--object-format=sha256"]);
    for (let day = 9; day <= 11; day++) repo.commit({ message: `day ${day}`, committedAt: `2025-03-${String(day).padStart(2, "0")}T12:00:00Z`, author: ADA });
    const { scan, messages, cacheDir } = harness(repo);
    for (let run = 0; run < 2; run++) {
      const result = await scan();
      expect(result.cached.source).toBe("full");
      await expectSameAsFresh(result);
      expect(result.cached.commits.map((c) => [c.sha.length, c.subject])).toEqual([[64, "day 10"]]);
    }
    expect(messages().filter((m) => m.level >= 40)).toEqual([]);
    expect(existsSync(join(cacheDir, "git")) ? readdirSync(join(cacheDir, "git")) : []).toEqual([]);
  });
});

describe("scanHistory in a linked work tree with a config of its own", () => {
  it("applies a mailmap.file set with git config --worktree to the cached authors too", async () => {
    const main = seedRepo();
    const linked = new TestRepo(join(dirs.make("sparky-scan-linked-"), "wt"));
    main.git(["worktree", "add", "-q", "-b", "topic", linked.path]);
    const mailmap = join(dirs.make("sparky-scan-mailmap-"), "mailmap");
    writeFileSync(mailmap, "Robert <robert@example.com> Bob <bob@example.com>\n");
    main.git(["config", "extensions.worktreeConfig", "true"]);
    linked.git(["config", "--worktree", "mailmap.file", mailmap]);
    const { scan } = harness(linked);
    await expectSameAsFresh(await scan());
    linked.commit({ message: "day 13", committedAt: "2025-03-13T12:00:00Z", author: ADA });
    const after = await scan(range("2025-03-13T00:00:00Z", 1), range("2025-03-11T00:00:00Z", 1));
    expect(after.cached.source).toBe("incremental");
    await expectSameAsFresh(after);
    expect(after.cached.priorAuthors).toContain("robert@example.com");
    expect(after.cached.previous.authors).toEqual(new Set(["robert@example.com"]));
  });
});
