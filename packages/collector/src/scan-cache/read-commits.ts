import { isBotAuthor } from "@sparky/messages";
import { startGitStream } from "../git-log-stream.js";
import type { RawIdentity } from "./history-index.js";

/** A commit as read from `git log`: its details, and its author before and after .mailmap. */
export interface LoggedCommit {
  sha: string;
  parents: string[];
  /** As recorded (`%an`, `%ae`): what the cache keeps. */
  raw: RawIdentity;
  /** After .mailmap (`%aN`, `%aE`): what the digest shows. */
  authorName: string;
  authorEmail: string;
  authoredAt: number;
  committedAt: number;
  subject: string;
  isMerge: boolean;
}

const FIELD = "\x1f";
// The subject goes last: it is the only field that could hold a stray separator, and
// everything after the last fixed field belongs to it.
const FIELDS = ["%H", "%P", "%an", "%ae", "%aN", "%aE", "%at", "%ct", "%s"];
const FORMAT = FIELDS.join("%x1f");

/** Log arguments for reading commits in the format `parseCommit` reads. */
export function logArgs(revisions: readonly string[], options: { noWalk?: boolean } = {}): string[] {
  return [
    "log",
    "-z",
    "--no-color",
    ...(options.noWalk ? ["--no-walk=unsorted", "--stdin"] : []),
    `--format=${FORMAT}`,
    ...revisions,
    "--",
  ];
}

export function parseCommit(record: string): LoggedCommit {
  const fields = record.split(FIELD);
  if (fields.length < FIELDS.length) throw new Error(`unexpected git log record: ${JSON.stringify(record.slice(0, 200))}`);
  const [sha, parentList, rawName, rawEmail, authorName, authorEmail, authored, committed] = fields as [
    string, string, string, string, string, string, string, string,
  ];
  const parents = parentList === "" ? [] : parentList.split(" ");
  return {
    sha,
    parents,
    raw: { name: rawName, email: rawEmail },
    authorName,
    authorEmail,
    authoredAt: Number(authored) * 1000,
    committedAt: Number(committed) * 1000,
    subject: fields.slice(FIELDS.length - 1).join(FIELD),
    isMerge: parents.length > 1,
  };
}

/** Read the commits named by `shas` (no walk), in any order. */
export async function readCommitsBySha(repoPath: string, shas: readonly string[], signal?: AbortSignal): Promise<LoggedCommit[]> {
  if (shas.length === 0) return [];
  const commits: LoggedCommit[] = [];
  const stream = startGitStream(repoPath, logArgs([], { noWalk: true }), {
    separator: "\0",
    stdin: true,
    ...(signal ? { signal } : {}),
    onRecord(record) {
      if (record !== "") commits.push(parseCommit(record));
    },
  });
  for (const sha of shas) stream.write(sha);
  await stream.finish();
  return commits;
}

/** Thrown when the cache's tip is no longer an ancestor of HEAD (force-push, rebase, branch switch, reset). */
export class HistoryRewritten extends Error {
  constructor(readonly sha: string) {
    super(`commit ${sha} of the cached history is no longer reachable from HEAD`);
  }
}

/** Apply .mailmap to identities as `git log %aN %aE` would, in one git process. */
export async function mapIdentities(repoPath: string, identities: readonly RawIdentity[], signal?: AbortSignal): Promise<RawIdentity[]> {
  if (identities.length === 0) return [];
  const mapped: RawIdentity[] = [];
  const stream = startGitStream(repoPath, ["check-mailmap", "--stdin"], {
    separator: "\n",
    stdin: true,
    ...(signal ? { signal } : {}),
    onRecord(line) {
      if (line === "") return;
      const open = line.lastIndexOf("<");
      if (open === -1 || !line.endsWith(">")) throw new Error(`unexpected git check-mailmap line: ${JSON.stringify(line)}`);
      mapped.push({ name: line.slice(0, open).trim(), email: line.slice(open + 1, -1) });
    },
  });
  for (const identity of identities) stream.write(identity.name === "" ? `<${identity.email}>` : `${identity.name} <${identity.email}>`);
  await stream.finish();
  if (mapped.length !== identities.length) throw new Error(`git check-mailmap answered ${mapped.length} of ${identities.length} identities`);
  return mapped;
}

/** Whether an identity is a bot, by the configured patterns (after .mailmap, as shown). */
export function isBot(identity: RawIdentity, botPatterns: readonly string[]): boolean {
  return isBotAuthor(identity.name, identity.email, botPatterns);
}
