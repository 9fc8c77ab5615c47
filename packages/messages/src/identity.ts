/**
 * One person, one key: the lower-cased email after .mailmap (the name when a commit has
 * no email). Collector and analyzer must agree on it, so it lives in the contract.
 */
export function identityKey(name: string, email: string): string {
  const e = email.trim().toLowerCase();
  return e || `name:${name.trim().toLowerCase()}`;
}

/** A bot is an author whose name or email contains one of the patterns (case-insensitive). */
export function isBotAuthor(name: string, email: string, patterns: readonly string[]): boolean {
  const haystack = `${name}\n${email}`.toLowerCase();
  return patterns.some((p) => haystack.includes(p.toLowerCase()));
}
