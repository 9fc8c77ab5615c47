import { byText } from "./order.js";
/**
 * Version-like tag names, read by the collector (which tag a release follows) and the
 * analyzer (release order) alike, so both agree on what a version is and how they sort.
 */
export interface TagVersion {
  /** The version without prefixes: `5.0.0`, `1.2.3-beta.1`. */
  version: string;
  /** `pkg` of a monorepo tag `pkg@1.2.3`, null otherwise: versions of different packages are not compared. */
  scope: string | null;
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated prerelease identifiers; empty for a release. */
  prerelease: string[];
}

// Semver 2.0 core, optional prerelease and build metadata. A leading zero is tolerated in
// identifiers (old tags carry them); numbers compare as numbers either way.
const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** The version a tag spells (`v5.0.0`, `5.0.0`, `pkg@1.2.3`, `@scope/pkg@v1.2.3`), null when it is not version-like. */
export function parseTagVersion(tag: string): TagVersion | null {
  const at = tag.lastIndexOf("@");
  // `@scope/pkg@1.2.3`: the version follows the last `@`; a tag starting with `@` and no other is not a version.
  const scope = at > 0 ? tag.slice(0, at) : null;
  let rest = at > 0 ? tag.slice(at + 1) : tag;
  if (rest.startsWith("v") || rest.startsWith("V")) rest = rest.slice(1);
  const match = SEMVER.exec(rest);
  if (!match) return null;
  return {
    version: rest,
    scope,
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] ? match[4].split(".") : [],
  };
}

const NUMERIC = /^\d+$/;

function compareIdentifiers(a: string, b: string): number {
  const an = NUMERIC.test(a);
  const bn = NUMERIC.test(b);
  if (an && bn) return Number(a) - Number(b);
  // Numeric identifiers have lower precedence than alphanumeric ones (semver 2.0, rule 11.4.3).
  if (an !== bn) return an ? -1 : 1;
  return byText(a, b);
}

/** Semver 2.0 precedence: negative when `a` is lower; build metadata is ignored. */
export function compareVersions(a: TagVersion, b: TagVersion): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  // A prerelease comes before its release.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return (a.prerelease.length === 0 ? 1 : 0) - (b.prerelease.length === 0 ? 1 : 0);
  }
  const n = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const c = compareIdentifiers(a.prerelease[i]!, b.prerelease[i]!);
    if (c !== 0) return Math.sign(c);
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}
