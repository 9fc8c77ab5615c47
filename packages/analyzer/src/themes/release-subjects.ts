import { byText } from "@sparky/messages";
// A version as release commits write it: `5.0.0`, `v4.20.0`, `v5.0.0-beta.3`, `1.2.3+build.4`.
const VERSION = String.raw`v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)`;
// A package a monorepo releases alone: `plugin-legacy@8.2.3`, `tokio-macros v2.7.2`.
const PACKAGE = String.raw`(?:(@?[\w./-]+?)(?:@|\s+))?`;
// A pull request reference a squash merge appends: `chore: prepare Tokio v1.53.1 (#8303)`.
const PR_SUFFIX = String.raw`(?:\s+\(#\d+\))?`;

/**
 * Subjects that are a release, not work: the version alone (`5.0.0`, npm version's
 * commit), `Release 1.2.3`, `release: plugin-legacy@8.2.3`, `chore(release): 1.2.3`,
 * `Bumped v4.26.2` and `chore: prepare Tokio v1.53.1`. A dependency bump (`bump hbs from
 * 4.2.0 to 4.2.1`) names a version too, but never right after the verb, so it is none.
 */
const RELEASE_SUBJECTS = [
  new RegExp(`^${VERSION}$`),
  new RegExp(`^(?:chore\\(release\\)!?:\\s*|release(?:\\s*:\\s*|\\s+))(?:version\\s+)?${PACKAGE}${VERSION}${PR_SUFFIX}$`, "i"),
  new RegExp(`^(?:chore(?:\\([^)]*\\))?:\\s*)?(?:bump(?:ed)?|prepare|publish(?:ed)?)\\s+(?:version\\s+(?:to\\s+)?)?${PACKAGE}${VERSION}${PR_SUFFIX}$`, "i"),
];

/**
 * What a release commit's subject releases: the version without its `v`, after its
 * package when it names one (`plugin-legacy@8.2.3`); null for a subject that is not a
 * release. Only the subject's own text, so it reads the same in every locale.
 */
export function releaseOfSubject(subject: string): string | null {
  const text = subject.trim();
  for (const pattern of RELEASE_SUBJECTS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [version, pkg] = match.length > 2 ? [match[2]!, match[1]] : [match[1]!, undefined];
    return pkg ? `${pkg}@${version}` : version;
  }
  return null;
}

/** A tag's name as a release label: `v5.0.0` is `5.0.0`; a name that is no version stays as it is. */
export function releaseOfTag(tag: string): string {
  return /^v\d+\.\d+/.test(tag) ? tag.slice(1) : tag;
}

interface Parsed {
  pkg: string;
  numbers: number[];
  pre: string[] | null;
}

function parse(label: string): Parsed | null {
  const match = /^(?:(.*)@)?v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(label);
  if (!match) return null;
  return { pkg: match[1] ?? "", numbers: match[2]!.split(".").map(Number), pre: match[3] ? match[3].split(".") : null };
}

function comparePre(a: string[] | null, b: string[] | null): number {
  // A pre-release comes before its release (semver 11).
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    const order = numeric ? Number(x) - Number(y) : /^\d+$/.test(x) ? -1 : /^\d+$/.test(y) ? 1 : byText(x, y);
    if (order !== 0) return order;
  }
  return 0;
}

/** Release labels in version order (a package's releases together), names that are not versions after, by text. */
export function compareReleases(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? -1 : y ? 1 : byText(a, b);
  if (x.pkg !== y.pkg) return byText(x.pkg, y.pkg);
  for (let i = 0; i < Math.max(x.numbers.length, y.numbers.length); i++) {
    const order = (x.numbers[i] ?? 0) - (y.numbers[i] ?? 0);
    if (order !== 0) return order;
  }
  return comparePre(x.pre, y.pre) || byText(a, b);
}
