import { checkGrounding, numbersIn, oneLine } from "@sparky/llm";
import type { Theme } from "@sparky/messages";
import type { ProposedTheme } from "./theme-answers.js";
import type { ThemeItem } from "./theme-item.js";

const TITLE_CHARS = 80;
const SUMMARY_CHARS = 240;

/** One numbered entry of a prompt: the items it stands for and any text the prompt showed for it. */
export interface PromptEntry {
  items: ThemeItem[];
  /** A partial theme's title and summary, when merging. */
  text?: string[];
}

export interface Dropped {
  /** Ids that name no entry of the prompt (invented, or not a number at all). */
  unknownIds: number;
  /** Ids already used by an earlier theme. */
  repeatedIds: number;
  /** Themes left with no entry. */
  emptyThemes: number;
  /** Themes whose text held a link, an address, markup, or a name or number not in their own entries. */
  ungroundedThemes: number;
}

export interface Validated {
  themes: Theme[];
  /** Prompt entries no kept theme claimed. */
  unclaimed: number[];
  dropped: Dropped;
}

function refOf(value: unknown): number | null {
  const n = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) ? n : null;
}

/**
 * Problems with a theme's text, held to the entries it claims: its names must be their
 * repositories or authors, its capitalised words theirs, its numbers from their titles or a
 * count up to its size, and it may hold no link, address or markup. So a hostile title can
 * lend words to the theme that covers it, never to another, and never a link.
 */
function ungrounded(title: string, summary: string, entries: PromptEntry[]): boolean {
  const items = entries.flatMap((e) => e.items);
  const vocabulary = [...items.flatMap((i) => [i.title, ...i.labels]), ...entries.flatMap((e) => e.text ?? [])];
  const names = [...new Set(items.flatMap((i) => [i.repository, i.author]))];
  const numbers = [...vocabulary.flatMap(numbersIn), ...Array.from({ length: items.length }, (_, i) => i + 1)];
  return title === "" || checkGrounding(`${title}. ${summary}`, { numbers, names, vocabulary }).length > 0;
}

/**
 * Hold a model's proposed themes to the prompt they answer. `entries` maps each number the
 * prompt showed to what it stands for (one item in the first step, a partial theme when
 * merging). Numbers not in the prompt are dropped, an entry is kept by the first theme that
 * claims it, a theme left empty is dropped, and so is one whose title or summary is not
 * grounded in its own entries: a prompt injection that got the model to write a link or
 * an invented name ends here.
 */
export function validateThemes(proposed: ProposedTheme[], entries: ReadonlyMap<number, PromptEntry>): Validated {
  const dropped: Dropped = { unknownIds: 0, repeatedIds: 0, emptyThemes: 0, ungroundedThemes: 0 };
  const claimed = new Set<number>();
  const themes: Theme[] = [];
  for (const theme of proposed) {
    const refs: number[] = [];
    for (const value of theme.refs) {
      const ref = refOf(value);
      if (ref === null || !entries.has(ref)) dropped.unknownIds += 1;
      else if (claimed.has(ref) || refs.includes(ref)) dropped.repeatedIds += 1;
      else refs.push(ref);
    }
    if (refs.length === 0) {
      dropped.emptyThemes += 1;
      continue;
    }
    const own = refs.map((ref) => entries.get(ref)!);
    const title = oneLine(theme.title, TITLE_CHARS);
    const summary = oneLine(theme.summary, SUMMARY_CHARS);
    if (ungrounded(title, summary, own)) {
      dropped.ungroundedThemes += 1;
      continue;
    }
    for (const ref of refs) claimed.add(ref);
    themes.push({ title, summary, itemIds: own.flatMap((e) => e.items.map((i) => i.id)) });
  }
  const unclaimed = [...entries.keys()].filter((ref) => !claimed.has(ref));
  return { themes, unclaimed, dropped };
}
