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

// `v3`, `v3.0.0`, `3.0.0`: a version, whether `numbersIn` would read digits in it or not.
const VERSION = /(?<![\p{L}\p{N}_.])(?:v\d+(?:\.\d+)*|\d+(?:\.\d+){2,})(?:-[0-9A-Za-z.]*[0-9A-Za-z])?(?![\p{L}\p{N}_]|\.\p{N})/gu;

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
    "updates improvements highlights themes theme key main major minor significant notable busy quiet steady " +
    // The words of a digest's own sections and of a period, as small models echo them.
    "today yesterday tonight sure yes thanks day week month year period team people pull pulls request requests issue issues " +
    "release releases review reviews reviewer reviewers bot bots merge commit repository reviewed opened closed merged " +
    "newcomer newcomers contributor top busiest largest lines added removed summary digest figures " +
    // Comparatives and adjectives a sentence opens with ("Smaller than ...", "Busier than ...").
    "small smaller smallest large larger largest big bigger biggest busier busiest quieter quietest light lighter heavy heavier " +
    "fast faster fastest slow slower slowest high higher highest low lower lowest less least fewer fewest more most " +
    "short shorter long longer good better best strong stronger similar same different active inactive recent early late later " +
    "here there then now first finally lastly again too ahead behind up down " +
    // English's closed classes, complete enough: prepositions, conjunctions, pronouns,
    // determiners and the adverbs that open sentences. None of them is anybody's name.
    "about above according against along alongside amid among amongst around aside away because before behind below beneath " +
    "beside between beyond concerning considering despite down except excluding following inside including instead like minus " +
    "near nearly next notwithstanding off onto opposite out outside past per plus regarding round save than through throughout " +
    "till toward towards underneath unlike upon versus via whereas whether whilst why how what which who whom whose whoever " +
    "whatever whichever if unless once because since so though nor either neither both either each any anyone anybody anything " +
    "everyone everybody everything nobody nothing nowhere someone somebody something somewhere elsewhere everywhere anywhere " +
    "i me my mine you your yours him hers us ours them theirs itself themselves ourselves myself yourself such same own " +
    "almost already always also altogether apparently around certainly clearly currently especially eventually fortunately " +
    "generally hence interestingly just largely likewise mainly mostly namely naturally never often otherwise perhaps possibly " +
    "primarily probably quite rather really recently roughly shortly similarly simply slightly sometimes soon specifically " +
    "thereafter therefore thus typically ultimately unfortunately usually very well yet " +
    "unusual usual nothing unremarkable notable noteworthy remarkable interesting important " +
    // The common nouns of software work that theme titles open with ("Routing work",
    // "Dependency updates"). Proper nouns (products, tools, people) are deliberately absent.
    "dependency dependencies routing router security performance docs documentation testing ci build release refactoring " +
    "cleanup tooling tools infrastructure infra deployment deployments configuration config logging monitoring api apis ui ux " +
    "auth authentication authorization database databases caching cache error errors handling validation parsing parser " +
    "localization translations accessibility styling styles layout migration migrations upgrade upgrades bug bugfixes feature " +
    "improvement maintenance chores chore housekeeping internal internals core developer experience workflow workflows pipeline " +
    "pipelines packaging package packages version versions compatibility stability reliability observability telemetry metrics " +
    "alerts onboarding examples samples typo typos formatting lint linting types typing schema schemas storage network " +
    "networking frontend backend server client mobile web cli sdk plugin plugins extension extensions integration integrations " +
    "service services endpoint endpoints request response session sessions cookie cookies header headers template templates " +
    "rendering redirect redirects location url urls query queries search cleanup code coverage edge cases case location " +
    "login logout signup account accounts user users permission permissions payment payments checkout billing invoice invoices " +
    "notification notifications email emails file files upload uploads download downloads image images asset assets " +
    "rate limit limits limiting retry retries timeout timeouts concurrency memory cpu speed startup shutdown flaky"
  ).split(" "),
);

// Verbs a summary sentence opens with ("Added ...", "Fixing ..."), as stems: see `stemsOf`.
const VERBS = new Set(
  (
    "add fix improve update refactor remove introduce rework clean bump upgrade migrate implement land merge release ship " +
    "continue focus bring tighten harden simplify replace rename move support enable disable drop document test speed " +
    "make made saw see brought sped kept keep polish prepare address resolve handle extend expand reduce cut raise lower " +
    "streamline reorganize reorganise restructure adjust tweak correct revert deprecate delete create build set start finish " +
    "complete work contribute cover include centre center concentrate dominate lead led follow round rise rose fall fell grow " +
    "shrink drop go went come came open close review publish land join hold held stay remain touch span show"
  ).split(" "),
);

/** The word and what it may be an inflection of: `added` -> `add`, `improved` -> `improve`, `shipped` -> `ship`. */
function stemsOf(word: string): string[] {
  const stems = [word];
  for (const suffix of ["ing", "ed", "es", "s", "d", "ly", "er", "est"]) {
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

/**
 * The lower-cased words and whole forms a name may be written as: `Alice Liddell`, `alice`,
 * `acme/api`, `api`; `J. R. Hartley`, `j`, `r`, `hartley` (initials without their dots).
 */
function formsOf(name: string): string[] {
  const lower = name.toLowerCase().trim();
  const words = [...lower.matchAll(WORD)].map((m) => normal(m[0]));
  return [lower, ...lower.split(/[\s/]+/), ...words, ...words.flatMap(partsOf)].filter((form) => form !== "");
}

/** The parts of a dotted or slashed word: `res.location` -> `res`, `location`. */
function partsOf(word: string): string[] {
  return /[./_-]/.test(word) ? word.split(/[./_-]+/).filter((part) => part !== "") : [];
}

/** A common word, in any inflection: see OPENERS and VERBS. */
function isCommon(lower: string): boolean {
  return stemsOf(lower).some((stem) => OPENERS.has(stem) || VERBS.has(stem));
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
  const rest = withoutIdentifiers(text, facts.identifiers ?? []);
  for (const n of new Set(numbersIn(rest))) {
    if (!figures.has(n)) problems.push(`${n} is not one of the figures`);
  }
  // A version is not a figure, and `numbersIn` skips `v3.0.0`: one not among the identifiers is invented.
  for (const version of new Set([...rest.matchAll(VERSION)].map((m) => m[0]))) {
    problems.push(`${version} is not a version of the data`);
  }

  const known = new Set(ALWAYS);
  for (const name of facts.names) for (const form of formsOf(name)) known.add(form);
  for (const phrase of facts.vocabulary ?? []) {
    for (const word of phrase.matchAll(WORD)) {
      const lower = normal(word[0]);
      // The word, its parts and what it inflects: `URLs` lends `URL`, `res.location` lends `Location`.
      for (const form of [lower, ...partsOf(lower)]) for (const stem of stemsOf(form)) known.add(stem);
    }
  }
  // Words the text itself uses in lower case are common words where it capitalises them.
  const lowerInText = new Set([...text.matchAll(WORD)].map((m) => m[0]).filter((w) => w === w.toLowerCase()).map(normal));
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
        // any inflection, or with an inflection of a word of the data. Within a sentence a
        // capital marks a name unless the word is common: Title Case ("New Contributors")
        // is how small models write headings, not names.
        const stems = stemsOf(lower);
        const common = isCommon(lower) || lowerInText.has(lower) || (opening && stems.some((stem) => known.has(stem)));
        if (!common) unknown.add(word);
      }
    }
  }
  for (const word of unknown) problems.push(`"${word}" is not a contributor or repository of the period`);
  return problems;
}
