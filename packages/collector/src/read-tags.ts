import { compareVersions, identityKey, isBotAuthor, parseTagVersion, byText } from "@sparky/messages";
import type { RawTag } from "@sparky/messages";
import { GitCommandError } from "./errors.js";
import { streamGitRecords } from "./git-log-stream.js";
import type { TimeRange } from "./scan-history.js";

/** One tag as `for-each-ref` lists it, peeled to its commit. */
interface TagRef {
  name: string;
  sha: string;
  annotated: boolean;
  /** Epoch ms: tagger date of an annotated tag, committer date of the commit otherwise. */
  at: number;
  tagger: { name: string; email: string } | null;
}

const NUL = "\0";
// %00 is a NUL in git's output; each ref ends with a newline, which a ref name cannot hold.
// `*` fields are those of the object an annotated tag points at.
const FORMAT = [
  "%(refname:strip=2)",
  "%(objecttype)",
  "%(objectname)",
  "%(*objecttype)",
  "%(*objectname)",
  "%(taggerdate:unix)",
  "%(committerdate:unix)",
  "%(*committerdate:unix)",
  "%(taggername)",
  "%(taggeremail)",
].join("%00");

interface Options {
  window: TimeRange;
  botPatterns: readonly string[];
  signal?: AbortSignal | undefined;
}

/**
 * The tags dated in the window, each with the tag it follows and the commits since it.
 * One `for-each-ref` lists every tag; only tags of the window cost more (an ancestry check
 * or a `describe`, and one log of their commits), so a repository with thousands of old
 * tags and none this week pays for one command.
 */
export async function readTags(repoPath: string, options: Options): Promise<RawTag[]> {
  const all = await listTags(repoPath, options.signal);
  const inWindow = all
    .filter((tag) => tag.at >= options.window.start && tag.at < options.window.end)
    // Stable order whatever git's ref order: oldest first, then by name.
    .sort((a, b) => a.at - b.at || byText(a.name, b.name));
  if (inWindow.length === 0) return [];
  const taggers = await mailmapped(repoPath, inWindow.flatMap((t) => (t.tagger ? [t.tagger] : [])), options.signal);
  const tags: RawTag[] = [];
  for (const tag of inWindow) {
    options.signal?.throwIfAborted();
    const previousTag = await previousTagOf(repoPath, tag, all, options.signal);
    const { commits, authors } = await commitsSince(repoPath, previousTag, tag.name, options);
    tags.push({
      name: tag.name,
      sha: tag.sha,
      annotated: tag.annotated,
      taggedAt: new Date(tag.at).toISOString(),
      tagger: tag.tagger ? taggers.get(contact(tag.tagger))!.name : null,
      previousTag,
      commits,
      authors,
    });
  }
  return tags;
}

async function listTags(repoPath: string, signal: AbortSignal | undefined): Promise<TagRef[]> {
  const tags: TagRef[] = [];
  await streamGitRecords(repoPath, ["for-each-ref", `--format=${FORMAT}`, "refs/tags"], {
    separator: "\n",
    ...(signal ? { signal } : {}),
    onRecord(record) {
      if (record === "") return;
      const [name, type, sha, peeledType, peeledSha, taggerDate, commitDate, peeledCommitDate, taggerName, taggerEmail] =
        record.split(NUL) as [string, string, string, string, string, string, string, string, string, string];
      if (type === "commit") {
        tags.push({ name, sha, annotated: false, at: Number(commitDate) * 1000, tagger: null });
      } else if (type === "tag" && peeledType === "commit") {
        // A tag made without a tagger (very old git) is dated by its commit.
        const seconds = taggerDate !== "" ? Number(taggerDate) : Number(peeledCommitDate);
        const tagger = taggerName !== "" ? { name: taggerName, email: taggerEmail.replace(/^<|>$/g, "") } : null;
        tags.push({ name, sha: peeledSha, annotated: true, at: seconds * 1000, tagger });
      }
      // Tags of trees and blobs (and tags of tags of them) are no releases.
    },
  });
  return tags;
}

const contact = (p: { name: string; email: string }) => `${p.name} <${p.email}>`;

/** Taggers after .mailmap, as commit authors are: for-each-ref of git 2.39 cannot apply it itself. */
async function mailmapped(
  repoPath: string,
  people: { name: string; email: string }[],
  signal: AbortSignal | undefined,
): Promise<Map<string, { name: string; email: string }>> {
  const contacts = [...new Set(people.map(contact))];
  const mapped = new Map<string, { name: string; email: string }>();
  if (contacts.length === 0) return mapped;
  const lines: string[] = [];
  await streamGitRecords(repoPath, ["check-mailmap", ...contacts], {
    separator: "\n",
    ...(signal ? { signal } : {}),
    onRecord: (line) => void (line !== "" && lines.push(line)),
  });
  contacts.forEach((original, i) => {
    const match = /^(.*?) ?<([^>]*)>$/.exec(lines[i] ?? "");
    mapped.set(original, match ? { name: match[1]!, email: match[2]! } : people.find((p) => contact(p) === original)!);
  });
  return mapped;
}

/**
 * A version-like tag follows the highest lower version of the same package that it
 * contains (so 4.20.0 on a maintenance branch follows 4.19.x, not 5.0.0-beta); any other
 * tag, or a version with no such predecessor, follows the nearest tag behind it.
 * Candidates are tried highest first with `merge-base --is-ancestor`, which stops at the
 * first that is contained: usually the first, a short walk. (`for-each-ref --merged` would
 * decide it for every tag of the repository at once, a third of a second per tag on a
 * 2,000-tag history: see bench/read-tags.mjs.)
 */
async function previousTagOf(repoPath: string, tag: TagRef, all: TagRef[], signal: AbortSignal | undefined): Promise<string | null> {
  const version = parseTagVersion(tag.name);
  if (version) {
    const candidates = all
      .flatMap((other) => {
        if (other.sha === tag.sha) return [];
        const v = parseTagVersion(other.name);
        return v && v.scope === version.scope && compareVersions(v, version) < 0 ? [{ name: other.name, sha: other.sha, version: v }] : [];
      })
      .sort((a, b) => compareVersions(b.version, a.version) || byText(a.name, b.name));
    for (const candidate of candidates) {
      signal?.throwIfAborted();
      if (await isAncestor(repoPath, candidate.sha, tag.sha, signal)) return candidate.name;
    }
  }
  return describeBefore(repoPath, tag.sha, signal);
}

/** `git merge-base --is-ancestor`: exit code 0 yes, 1 no, anything else a failure. */
async function isAncestor(repoPath: string, ancestor: string, of: string, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await streamGitRecords(repoPath, ["merge-base", "--is-ancestor", ancestor, of], { separator: "\n", ...(signal ? { signal } : {}), onRecord: () => {} });
    return true;
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode === 1) return false;
    throw error;
  }
}

/** `git describe --tags --abbrev=0 <sha>^`: the nearest tag behind the commit, null when there is none. */
async function describeBefore(repoPath: string, sha: string, signal: AbortSignal | undefined): Promise<string | null> {
  let name: string | null = null;
  try {
    await streamGitRecords(repoPath, ["describe", "--tags", "--abbrev=0", `${sha}^`], {
      separator: "\n",
      ...(signal ? { signal } : {}),
      onRecord: (line) => void (line !== "" && (name = line)),
    });
  } catch (error) {
    // No tag behind it, or a root commit with no parent: a first release.
    if (error instanceof GitCommandError && /No names found|No tags can describe|cannot describe|Not a valid object name/i.test(error.stderr)) {
      return null;
    }
    throw error;
  }
  return name;
}

const FIELD = "\x1f";

/** Commits in `previous..tag` (all of the tag's history without one) and their human authors, most commits first. */
async function commitsSince(
  repoPath: string,
  previous: string | null,
  tag: string,
  options: Options,
): Promise<Pick<RawTag, "commits" | "authors">> {
  const range = previous === null ? [`refs/tags/${tag}`] : [`^refs/tags/${previous}`, `refs/tags/${tag}`];
  let commits = 0;
  const authors = new Map<string, { key: string; name: string; commits: number }>();
  // %aN/%aE apply .mailmap, as the history walk does; log lists newest first, so a person's
  // first name seen is the one they use now.
  await streamGitRecords(repoPath, ["log", "-z", "--no-color", `--format=%aN${"%x1f"}%aE${"%x1f"}%P`, ...range, "--"], {
    separator: "\0",
    ...(options.signal ? { signal: options.signal } : {}),
    onRecord(record) {
      if (record === "") return;
      commits += 1;
      const [name, email, parents] = record.split(FIELD) as [string, string, string];
      // Authors are those of non-merge commits, as contributors are counted everywhere else.
      if (parents.includes(" ") || isBotAuthor(name, email, options.botPatterns)) return;
      const key = identityKey(name, email);
      const entry = authors.get(key) ?? { key, name, commits: 0 };
      entry.commits += 1;
      authors.set(key, entry);
    },
  });
  const sorted = [...authors.values()].sort(
    (a, b) => b.commits - a.commits || byText(a.name, b.name) || byText(a.key, b.key),
  );
  return { commits, authors: sorted };
}
