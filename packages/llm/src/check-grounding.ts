import { numbersIn } from "./numbers-in.js";
import { unsafeTextProblem } from "./unsafe-text.js";

export interface GroundingFacts {
  /** Every figure the text may state (counts, changes, days of the period, ...). */
  numbers: Iterable<number>;
  /** Contributors and repositories of the period: the only names the text may use. */
  names: Iterable<string>;
  /** Other words the facts contain and the text may capitalise (theme titles, the period's label). */
  vocabulary?: Iterable<string>;
  /**
   * Tokens that name something rather than count it (`#5933`, `4.17.21`): the text may
   * hold them as written, and their digits are not read as figures.
   */
  identifiers?: Iterable<string>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The text with each identifier that stands alone (not part of a longer token) blanked out. */
function withoutIdentifiers(text: string, identifiers: Iterable<string>): string {
  const sorted = [...new Set(identifiers)].filter((id) => id !== "").sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return text;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_.#])(?:${sorted.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}_]|\\.\\p{N})`, "gu");
  return text.replace(pattern, " ");
}

// Words a sentence may start with, capitalised, without being a name.
const OPENERS = new Set(
  (
    "a an the this that these those there here it its in on at by for from of to with within without into over under " +
    "during across after before since until while when where as and but or so yet also additionally meanwhile overall " +
    "together notably most many much more several some few both each every all no not none only just other another " +
    "work activity development progress contributions contributors commits merges repositories changes lines compared " +
    "new previous last next first second total altogether however although though still even again instead besides " +
    "they their we our he she his her one two three four five six seven eight nine ten twelve twenty thirty fifty hundred " +
    "fixes features documentation maintenance refactoring tests testing performance build builds bug bugs dependencies " +
    "updates improvements highlights themes theme key main major minor significant notable busy quiet steady"
  ).split(" "),
);

// Verbs a summary sentence opens with ("Added ...", "Fixing ..."), as stems: see `stemsOf`.
const VERBS = new Set(
  (
    "add fix improve update refactor remove introduce rework clean bump upgrade migrate implement land merge release ship " +
    "continue focus bring tighten harden simplify replace rename move support enable disable drop document test speed " +
    "make made saw see brought sped kept keep polish prepare address resolve handle extend expand reduce cut raise lower " +
    "streamline reorganize reorganise restructure adjust tweak correct revert deprecate delete create build set start finish " +
    "complete work contribute"
  ).split(" "),
);

/** The word and what it may be an inflection of: `added` -> `add`, `improved` -> `improve`, `shipped` -> `ship`. */
function stemsOf(word: string): string[] {
  const stems = [word];
  for (const suffix of ["ing", "ed", "es", "s", "d", "ly"]) {
    if (!word.endsWith(suffix) || word.length <= suffix.length + 2) continue;
    const base = word.slice(0, -suffix.length);
    stems.push(base, `${base}e`);
    if (/(.)\1$/.test(base)) stems.push(base.slice(0, -1)); // shipped -> ship
  }
  return stems;
}

// Proper nouns any digest may use.
const ALWAYS = [
  "monday tuesday wednesday thursday friday saturday sunday",
  "january february march april may june july august september october november december",
  "iso utc git github pr prs ci",
].join(" ").split(" ");

// A leading `@` is kept: `@mallory` is a handle, a name to check.
const WORD = /@?[\p{L}\p{N}](?:[\p{L}\p{N}'’._/@-]*[\p{L}\p{N}])?/gu;

function normal(word: string): string {
  return word.toLowerCase().replace(/['’]s$/, "");
}

/** The lower-cased words and whole forms a name may be written as: `Alice Liddell`, `alice`, `acme/api`, `api`. */
function formsOf(name: string): string[] {
  const lower = name.toLowerCase().trim();
  return [lower, ...lower.split(/[\s/]+/)].filter((form) => form !== "");
}

/**
 * What in `text` is not backed by the facts: each number must equal one of the figures,
 * each name (a capitalised word that does not open a sentence, or anything with `/`, `@`,
 * `_` or a dot inside) must be part of a contributor's or repository's name or of the
 * facts' own words, and no link, address or markup may appear. Empty when grounded.
 *
 * A heuristic, and deliberately a strict one: a sentence it wrongly refuses costs a
 * regeneration or the template paragraph, a name it wrongly accepts would be a claim the
 * digest cannot back.
 */
export function checkGrounding(text: string, facts: GroundingFacts): string[] {
  const problems: string[] = [];
  const unsafe = unsafeTextProblem(text);
  if (unsafe) problems.push(`it ${unsafe}`);

  const figures = new Set([...facts.numbers].map((n) => Math.abs(n)));
  for (const n of new Set(numbersIn(withoutIdentifiers(text, facts.identifiers ?? [])))) {
    if (!figures.has(n)) problems.push(`${n} is not one of the figures`);
  }

  const known = new Set(ALWAYS);
  for (const name of facts.names) for (const form of formsOf(name)) known.add(form);
  for (const phrase of facts.vocabulary ?? []) {
    for (const word of phrase.matchAll(WORD)) known.add(normal(word[0]));
  }
  const unknown = new Set<string>();
  // A colon or semicolon opens a clause that may start with a capital too.
  for (const sentence of text.split(/(?<=[.!?:;])\s+/)) {
    let first = true;
    for (const match of sentence.matchAll(WORD)) {
      const word = match[0].replace(/\.+$/, "");
      const lower = normal(word);
      const opening = first;
      first = false;
      if (/^[\d.,]+$/.test(word)) continue;
      if (/[/@_]/.test(word) || /\p{L}\.\p{L}/u.test(word)) {
        if (!known.has(lower)) unknown.add(word);
      } else if (/\p{Lu}/u.test(word) && !known.has(lower)) {
        // A sentence may open with a common word or a verb ("Added ...", "Fixes to ..."), in
        // any inflection; anywhere else a capital marks a name.
        const common = opening && stemsOf(lower).some((stem) => OPENERS.has(stem) || VERBS.has(stem) || known.has(stem));
        if (!common) unknown.add(word);
      }
    }
  }
  for (const word of unknown) problems.push(`"${word}" is not a contributor or repository of the period`);
  return problems;
}
