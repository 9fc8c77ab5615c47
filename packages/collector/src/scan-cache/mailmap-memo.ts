import { readFileSync } from "node:fs";
import { writeFileAtomic } from "@sparky/harness";
import type { RawIdentity } from "./history-index.js";
import type { MailmapSource } from "./mailmap-sources.js";
import { mapIdentities } from "./read-commits.js";

/**
 * Identities as the work tree's `.mailmap` maps them, remembered beside the scan cache
 * (`<cache>.mailmap.json`) under the hash of that file: a daily run then needs no
 * `git check-mailmap` for the authors it already knows. Keyed by the recorded identity, not
 * by author id, so a cache read again from scratch (new ids) still finds them.
 */
export class MailmapMemo {
  private constructor(
    private readonly file: string,
    private readonly key: string,
    private readonly known: Map<string, RawIdentity>,
  ) {}

  /** The memo for `key`; an empty one when the file is missing, unreadable or for another .mailmap. */
  static read(file: string, key: string): MailmapMemo {
    const known = new Map<string, RawIdentity>();
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as { key?: unknown; identities?: unknown };
      if (saved.key === key && Array.isArray(saved.identities)) {
        for (const entry of saved.identities) {
          if (!Array.isArray(entry) || entry.length !== 4 || !entry.every((part) => typeof part === "string")) continue;
          const [name, email, toName, toEmail] = entry as [string, string, string, string];
          known.set(idOf({ name, email }), { name: toName, email: toEmail });
        }
      }
    } catch {
      // Missing (first run) or damaged: it is only a memo, rebuilt from git's answers.
    }
    return new MailmapMemo(file, key, known);
  }

  get(raw: RawIdentity): RawIdentity | undefined {
    return this.known.get(idOf(raw));
  }

  /** Whether something was learnt since the memo was read: it is then worth writing. */
  changed = false;

  /** Remember that `raw[i]` maps to `mapped[i]`. */
  learn(raw: readonly RawIdentity[], mapped: readonly RawIdentity[]): void {
    raw.forEach((identity, at) => {
      const id = idOf(identity);
      if (this.known.has(id)) return;
      this.known.set(id, mapped[at]!);
      this.changed = true;
    });
  }

  async write(): Promise<void> {
    const identities = [...this.known].map(([id, to]) => [...id.split("\n"), to.name, to.email]);
    await writeFileAtomic(this.file, `${JSON.stringify({ key: this.key, identities })}\n`);
  }
}

// A separator that cannot occur in a git identity (git strips control characters from them).
function idOf(identity: RawIdentity): string {
  return `${identity.name}\n${identity.email}`;
}

/**
 * The cached authors as .mailmap maps them, by author id: as recorded when there is no
 * mailmap, from the memo with git asked only about authors it lacks, or all from git.
 */
export async function mapAuthors(
  repoPath: string,
  authors: readonly RawIdentity[],
  mailmap: { source: MailmapSource; memo: MailmapMemo | null },
  signal?: AbortSignal,
): Promise<RawIdentity[]> {
  const { source, memo } = mailmap;
  if (source.kind === "none") return authors.slice();
  if (!memo) return mapIdentities(repoPath, authors, signal);
  const missing = authors.filter((author) => !memo.get(author));
  if (missing.length > 0) memo.learn(missing, await mapIdentities(repoPath, missing, signal));
  return authors.map((author) => memo.get(author)!);
}
