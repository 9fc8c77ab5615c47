import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { SparkyError, githubIdentityKey, identityKey, isBotAuthor } from "@sparky/messages";
import type { GithubActor } from "@sparky/messages";

const PersonSchema = z
  .strictObject({
    /** The name digests show for this person. */
    name: z.string().min(1).optional(),
    /** GitHub logins of this person; the first is the one the person is known by. */
    logins: z.array(z.string().min(1)).default([]),
    /** Commit email addresses of this person that GitHub does not link to a login. */
    emails: z.array(z.string().min(1)).default([]),
  })
  .refine((p) => p.logins.length + p.emails.length > 0, { message: "a person needs at least one login or email" });
const IdentitiesFileSchema = z.strictObject({ person: z.array(PersonSchema).default([]) });
export type IdentityOverride = z.infer<typeof PersonSchema>;

/**
 * Read the identities file (`[collector] identities_file`, TOML, `[[person]]` tables).
 * "" means none. Every problem names the file and says what to change.
 */
export async function loadIdentities(file: string): Promise<IdentityOverride[]> {
  if (!file) return [];
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new SparkyError(
      "SPARKY_IDENTITIES_MISSING",
      `identities file ${file} (from [collector] identities_file) cannot be read: create it or set identities_file = ""`,
    );
  }
  let data: unknown;
  try {
    data = parseToml(text);
  } catch (error) {
    throw new SparkyError("SPARKY_IDENTITIES_INVALID", `identities file ${file} is not valid TOML: ${(error as Error).message.split("\n")[0]}`);
  }
  const parsed = IdentitiesFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SparkyError(
      "SPARKY_IDENTITIES_INVALID",
      `identities file ${file}: ${issue.path.join(".") || "(root)"}: ${issue.message} (expected [[person]] tables with name, logins and emails)`,
    );
  }
  const seen = new Map<string, number>();
  parsed.data.person.forEach((person, i) => {
    for (const id of [...person.logins.map((l) => `login ${l}`), ...person.emails.map((e) => `email ${e}`)]) {
      const key = id.toLowerCase();
      const other = seen.get(key);
      if (other !== undefined) {
        throw new SparkyError("SPARKY_IDENTITIES_INVALID", `identities file ${file}: ${id} is listed for person ${other + 1} and person ${i + 1}: keep it in one`);
      }
      seen.set(key, i);
    }
  });
  return parsed.data.person;
}

export interface IdentityInput {
  login?: string | null | undefined;
  email?: string | null | undefined;
  name?: string | null | undefined;
  /** GraphQL `__typename` of an actor: "Bot" marks an app account. */
  type?: string | null | undefined;
}

export interface IdentityResolver {
  resolve(input: IdentityInput): GithubActor;
  /** Changes whenever the outcome of `resolve` could: kept with collected files to know when they are stale. */
  readonly fingerprint: string;
}

/** The login in a GitHub noreply address: `123+octocat@users.noreply.github.com` or `octocat@users.noreply.github.com`. */
export function noreplyLogin(email: string | null | undefined): string | null {
  const match = /^(?:\d+\+)?([^@\s]+)@users\.noreply\.[^@\s]+$/i.exec(email ?? "");
  return match ? match[1]! : null;
}

/**
 * One contributor per person: the login GitHub linked to a commit, the login in a noreply
 * address and the overrides' logins and emails all lead to one identity key. Bots are
 * recognised by `[bot]` logins, the Bot account type and `bot_patterns`.
 */
export function createIdentityResolver(overrides: readonly IdentityOverride[], botPatterns: readonly string[]): IdentityResolver {
  const byLogin = new Map<string, IdentityOverride>();
  const byEmail = new Map<string, IdentityOverride>();
  for (const person of overrides) {
    for (const login of person.logins) byLogin.set(login.toLowerCase(), person);
    for (const email of person.emails) byEmail.set(email.toLowerCase(), person);
  }
  // `rules` names how files count people: 2 since the previous period's authors leave
  // merge-only people out (contributors author a non-merge commit). Files made under other
  // rules are fetched again rather than reused.
  const fingerprint = createHash("sha256").update(JSON.stringify({ rules: 2, overrides, botPatterns })).digest("hex").slice(0, 16);

  return {
    fingerprint,
    resolve(input) {
      const email = input.email?.trim() || null;
      const seenLogin = input.login?.trim() || noreplyLogin(email);
      const person = (seenLogin && byLogin.get(seenLogin.toLowerCase())) || (email && byEmail.get(email.toLowerCase())) || null;
      const login = person?.logins[0] ?? seenLogin ?? null;
      // A person from the file is keyed by the file alone, so all their commits agree.
      const key = person
        ? person.logins[0]
          ? githubIdentityKey(person.logins[0])
          : person.emails[0]!.toLowerCase()
        : seenLogin
          ? githubIdentityKey(seenLogin)
          : identityKey(input.name ?? "", email ?? "");
      const name = person?.name ?? (input.name?.trim() || login || email || "unknown");
      const isBot =
        input.type === "Bot" ||
        /\[bot\]$/i.test(seenLogin ?? "") ||
        isBotAuthor(input.name ?? "", email ?? "", botPatterns) ||
        (seenLogin !== null && isBotAuthor(seenLogin, "", botPatterns));
      return { login, key, name, isBot };
    },
  };
}
