import type { ThemeItem } from "./theme-item.js";

/** One numbered entry of a prompt: the items it stands for and any text the prompt showed for it. */
export interface PromptEntry {
  items: ThemeItem[];
  /** A partial theme's title and summary, when merging. */
  text?: string[];
}

// Letters an entry's id may start with: the first that no text of the prompt uses before a number wins.
const PREFIXES = ["i", "k", "q", "x", "z"];

/**
 * The letter of a prompt's entry ids (`i1`, `i2`, ...). Items' titles are full of numbers
 * (`(#5933)`, `v2`, `3 retries`); an id of a letter and a number that no title of the
 * prompt contains cannot be mistaken for any of them, by the model or by the reader of
 * its answer.
 */
export function refPrefix(texts: readonly string[]): string {
  return PREFIXES.find((p) => !texts.some((t) => new RegExp(`(?<![\\p{L}\\p{N}_])${p}\\d+(?![\\p{L}\\p{N}_])`, "iu").test(t))) ?? PREFIXES[0]!;
}

export type RefResolution = { kind: "entry"; ref: number } | { kind: "unknown" } | { kind: "ambiguous" };

/** The numbers an entry can be called by besides its id: its pull requests' and issues' numbers, and `#n` in its titles. */
function numbersNaming(entry: PromptEntry): Set<number> {
  const numbers = new Set<number>();
  for (const item of entry.items) {
    if (item.number !== undefined) numbers.add(item.number);
    for (const match of item.title.matchAll(/#(\d+)\b/g)) numbers.add(Number(match[1]));
  }
  return numbers;
}

/**
 * Which entry a model's reference names. Its id as shown (`i3`, any case) names that
 * entry. A bare number, or `#n`, is what a model writes when it copies numbers from the
 * titles, or drops the letter: it names the entry it could only mean (the one entry whose
 * pull request, issue or title carries `#n`, or the entry numbered n), and none when it
 * could mean two; anything else names none.
 */
export function resolveRef(value: unknown, entries: ReadonlyMap<number, PromptEntry>, prefix: string): RefResolution {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const id = new RegExp(`^${prefix}(\\d+)$`, "i").exec(text);
  if (id) {
    const ref = Number(id[1]);
    return entries.has(ref) ? { kind: "entry", ref } : { kind: "unknown" };
  }
  const bare = /^#?(\d+)$/.exec(text);
  if (!bare) return { kind: "unknown" };
  const n = Number(bare[1]);
  const candidates = new Set<number>();
  if (!text.startsWith("#") && entries.has(n)) candidates.add(n);
  for (const [ref, entry] of entries) if (numbersNaming(entry).has(n)) candidates.add(ref);
  if (candidates.size === 1) return { kind: "entry", ref: [...candidates][0]! };
  return candidates.size === 0 ? { kind: "unknown" } : { kind: "ambiguous" };
}
