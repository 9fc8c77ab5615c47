// Conventional Commits types (and common spellings) and what a reader calls that work.
const TYPES: Record<string, string> = {
  feat: "Features",
  feature: "Features",
  fix: "Fixes",
  bugfix: "Fixes",
  hotfix: "Fixes",
  docs: "Documentation",
  doc: "Documentation",
  refactor: "Refactoring",
  perf: "Performance",
  test: "Tests",
  tests: "Tests",
  build: "Build",
  ci: "Continuous integration",
  chore: "Maintenance",
  deps: "Dependencies",
  style: "Code style",
  revert: "Reverts",
  security: "Security",
};

// The verb a plain-English subject opens with ("Fix handling of ...", "Add support for ..."),
// and the kind of work it names. Vague verbs ("update", "change") name none.
const VERBS: Record<string, string> = {};
const VERB_FORMS: [string, string[]][] = [
  ["Fixes", ["fix", "fixes", "fixed", "fixing", "resolve", "resolves", "resolved", "correct", "corrects", "corrected", "prevent", "prevents", "prevented", "hotfix"]],
  ["Features", ["add", "adds", "added", "adding", "implement", "implements", "implemented", "introduce", "introduces", "introduced", "support", "supports", "allow", "allows", "enable", "enables"]],
  ["Removals", ["remove", "removes", "removed", "removing", "delete", "deletes", "deleted", "drop", "drops", "dropped", "deprecate", "deprecates", "deprecated"]],
  ["Refactoring", ["refactor", "refactors", "refactored", "rename", "renames", "renamed", "move", "moves", "moved", "simplify", "simplifies", "simplified", "cleanup", "clean", "extract", "extracts", "reorganize", "restructure"]],
  ["Performance", ["optimize", "optimizes", "optimized", "optimise", "speed", "perf"]],
  ["Documentation", ["document", "documents", "documented", "docs", "doc"]],
  ["Tests", ["test", "tests", "tested"]],
  ["Dependencies", ["bump", "bumps", "bumped", "upgrade", "upgrades", "upgraded"]],
  ["Reverts", ["revert", "reverts", "reverted"]],
];
for (const [title, forms] of VERB_FORMS) for (const form of forms) VERBS[form] = title;

// `type(scope)!: rest`, and plain-English `area: rest` (`deps: cookie@0.6.0`, `net/http: ...`, `sync: ...`).
const PREFIX = /^\s*([A-Za-z][\w./-]*)(?:\(([^)]*)\))?!?:\s+(.*)$/s;

export interface SubjectSignals {
  /** The kind of work (`Fixes`), from a Conventional Commits type, else from the opening verb. */
  type: string | null;
  /** True when `type` comes from a Conventional Commits type rather than a verb. */
  conventional: boolean;
  /** What the subject says it is about: a conventional scope (`router`), or an `area:` prefix that is no type (`sync`). */
  scope: string | null;
}

function verbType(text: string): string | null {
  const word = /^[\p{L}]+/u.exec(text.trim())?.[0]?.toLowerCase();
  return word ? (VERBS[word] ?? null) : null;
}

/** What a title says about its work, in its own words: type, scope, opening verb. */
export function subjectSignals(title: string): SubjectSignals {
  const prefix = PREFIX.exec(title);
  if (!prefix) return { type: verbType(title), conventional: false, scope: null };
  const head = prefix[1]!.toLowerCase();
  // `feat(router,ssr)` is about its first scope; `fix(*)` about none.
  const scope = prefix[2]?.split(",")[0]?.trim().toLowerCase() || null;
  const known = TYPES[head];
  if (known) return { type: known, conventional: true, scope: scope === "*" ? null : scope };
  return { type: verbType(prefix[3]!), conventional: false, scope: head };
}
