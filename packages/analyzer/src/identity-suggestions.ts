import { byText } from "@sparky/messages";
import type { IdentitySuggestion } from "@sparky/messages";

/** One person as the analysis counted them. */
export interface Counted {
  key: string;
  name: string;
}

type Reason = IdentitySuggestion["reason"];

// The GitHub identity key (githubIdentityKey) and the noreply addresses GitHub gives commits.
const GITHUB_KEY = /^(?:\d+\+)?([^@\s]+)@users\.noreply\.github\.com$/;

// Local parts many unrelated people share: matching on them would merge strangers.
const SHARED_LOCAL_PARTS = new Set(["admin", "contact", "dev", "git", "github", "hello", "info", "mail", "me", "no-reply", "noreply", "root", "user"]);

/** Case, spacing and accents do not tell two spellings of a name apart: "José  Núñez" is "jose nunez". */
export function normalizeName(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

function loginOf(key: string): string | null {
  return GITHUB_KEY.exec(key)?.[1] ?? null;
}

function emailOf(key: string): string | null {
  return key.includes("@") && !key.startsWith("name:") && loginOf(key) === null ? key : null;
}

/**
 * People who are likely one person under several identities, grouped: the same name once
 * normalised; the same email local part; a GitHub login equal to someone's name without
 * spaces, email local part, or the only personal domain of that name (`ctcpip` and
 * chris@ctcpip.dev). Each group is reported once, under the first rule that joined it.
 */
export function identitySuggestions(people: readonly Counted[]): IdentitySuggestion[] {
  // A key met twice (a contributor who also merged) keeps the name it was first counted under.
  const byKey = new Map<string, Counted>();
  for (const p of people) if (!byKey.has(p.key)) byKey.set(p.key, p);
  const unique = [...byKey.values()].sort((a, b) => byText(a.key, b.key));
  const parent = unique.map((_, i) => i);
  const reasonOf = new Map<number, Reason>();
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const join = (a: number, b: number, reason: Reason) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    // A group keeps the reason of the rule that joined it first (rules run name, email, login).
    const first = reasonOf.get(ra) ?? reasonOf.get(rb) ?? reason;
    const root = Math.min(ra, rb);
    parent[Math.max(ra, rb)] = root;
    reasonOf.set(root, first);
  };
  const joinAll = (groups: Map<string, number[]>, reason: Reason) => {
    for (const members of groups.values()) for (const i of members.slice(1)) join(members[0]!, i, reason);
  };
  const group = (pick: (p: Counted) => string | null) => {
    const groups = new Map<string, number[]>();
    unique.forEach((p, i) => {
      const value = pick(p);
      if (value) groups.set(value, [...(groups.get(value) ?? []), i]);
    });
    return groups;
  };

  joinAll(group((p) => normalizeName(p.name) || null), "name");
  const localPart = (p: Counted) => {
    const local = emailOf(p.key)?.split("@")[0] ?? null;
    return local && !SHARED_LOCAL_PARTS.has(local) ? local : null;
  };
  joinAll(group(localPart), "email");
  // A login names one person; a domain label (chris@ctcpip.dev) only when one person uses it.
  const domains = group((p) => emailOf(p.key)?.split("@")[1]?.split(".")[0] ?? null);
  unique.forEach((p, i) => {
    const login = loginOf(p.key);
    if (!login) return;
    unique.forEach((other, j) => {
      if (i === j || loginOf(other.key) !== null) return;
      const spelled = normalizeName(other.name).replace(/ /g, "");
      const domain = emailOf(other.key)?.split("@")[1]?.split(".")[0] ?? null;
      if (spelled === login || localPart(other) === login || (domain === login && domains.get(domain)!.length === 1)) join(i, j, "login");
    });
  });

  const members = new Map<number, Counted[]>();
  unique.forEach((p, i) => members.set(find(i), [...(members.get(find(i)) ?? []), p]));
  const suggestions: IdentitySuggestion[] = [];
  for (const [root, group] of members) {
    if (group.length < 2) continue;
    const toml = personToml(group);
    // A group of people known by name alone cannot be written in the identities file.
    if (toml !== null) suggestions.push({ reason: reasonOf.get(root)!, people: group.map(({ key, name }) => ({ key, name })), toml });
  }
  return suggestions;
}

/**
 * The `[[person]]` block that merges a group (config/identities.example.toml): the fullest
 * name, then the logins and the emails, sorted.
 */
export function personToml(group: readonly Counted[]): string | null {
  const logins = [...new Set(group.flatMap((p) => loginOf(p.key) ?? []))].sort(byText);
  const emails = [...new Set(group.flatMap((p) => emailOf(p.key) ?? []))].sort(byText);
  if (logins.length + emails.length === 0) return null;
  const name = fullest(group).name;
  const lines = ["[[person]]", `name = ${tomlString(name)}`];
  if (logins.length > 0) lines.push(`logins = [${logins.map(tomlString).join(", ")}]`);
  if (emails.length > 0) lines.push(`emails = [${emails.map(tomlString).join(", ")}]`);
  return `${lines.join("\n")}\n`;
}

/** A TOML basic string: JSON's escapes are TOML's, except DEL, which TOML wants escaped too. */
function tomlString(value: string): string {
  return JSON.stringify(value).replace(/\x7f/g, "\\u007F");
}

/** The spelling that lost nothing: a full name, with its accents and capitals, before "jose nunez". */
function fullest(group: readonly Counted[]): Counted {
  const score = (n: string) => [n.includes(" "), /[^\x00-\x7f]/.test(n), /\p{Lu}/u.test(n)].filter(Boolean).length;
  return [...group]
    .map((p) => ({ key: p.key, name: p.name.replace(/\s+/g, " ").trim() }))
    .sort((a, b) => score(b.name) - score(a.name) || b.name.length - a.name.length || byText(a.name, b.name) || byText(a.key, b.key))[0]!;
}

/**
 * The same merge as `.mailmap` lines, for local git collections, whose identity keys are
 * the commit emails themselves: each other address maps to the fullest name's address.
 * Null when fewer than two people have an email to map.
 */
export function mailmapLines(group: readonly Counted[]): string | null {
  const withEmail = group.filter((p) => p.key.includes("@") && !p.key.startsWith("name:"));
  if (withEmail.length < 2) return null;
  const canonical = fullest(withEmail);
  const aliases = withEmail.map((p) => p.key).filter((key) => key !== canonical.key).sort(byText);
  return aliases.map((alias) => `${canonical.name} <${canonical.key}> <${alias}>\n`).join("");
}
