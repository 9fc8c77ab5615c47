import { forgeLinks } from "@sparky/messages";
import type { Analysis } from "@sparky/messages";
import { cleanText, countDollars, escapePiece } from "./escape.js";
import { safeUrl } from "./markdown.js";

/**
 * What a title's references can point at: the collected repositories (by full name, with
 * their web pages) and the collected pull requests and issues (whose exact pages we have).
 */
export interface RefIndex {
  repositories: Map<string, string | null>;
  items: Map<string, string>;
}

export function refIndexOf(analysis: Analysis): RefIndex {
  const repositories = new Map<string, string | null>();
  for (const r of analysis.repositories) repositories.set(r.fullName, r.webUrl);
  for (const r of analysis.github?.repositories ?? []) if (!repositories.get(r.fullName)) repositories.set(r.fullName, r.webUrl);
  const items = new Map<string, string>();
  for (const item of analysis.items) if (item.kind !== "commit") items.set(`${item.repository}#${item.number}`, item.url);
  return { repositories, items };
}

// `#123`, `owner/repo#123`, and GitLab's `!123` merge requests; not inside a word, a URL
// path or an entity (`&#123;`), nor a section number (`#9.3`): `a#1`, `x/#2`, `&#35;` stay text.
const REFERENCE = /(?<![\p{L}\p{N}_&#/!.-])(?:([A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9_.-]+))?([#!])([0-9]{1,9})(?![\p{L}\p{N}_]|[.,]\d)/gu;

function target(refs: RefIndex, repository: string, sign: string, number: number): string | null {
  if (sign === "#") {
    const collected = refs.items.get(`${repository}#${number}`);
    if (collected) return safeUrl(collected);
  }
  const links = forgeLinks(refs.repositories.get(repository) ?? null);
  // `!123` is a merge request only on GitLab; elsewhere it is just text.
  const url = sign === "!" ? (links.forge === "gitlab" ? links.pull(number) : null) : links.issue(number);
  return safeUrl(url);
}

/**
 * An untrusted title as Markdown, with its `#123` references linked to that repository's
 * pull request or issue page where the forge is known, and `owner/repo#123` only when
 * owner/repo is a repository Sparky collected. Everything else is escaped text: nothing
 * else in a title becomes a link.
 */
export function titleMarkdown(title: string, repository: string, refs: RefIndex, fallback: string): string {
  const text = cleanText(title);
  if (text === "") return fallback;
  const dollars = countDollars(text);
  let out = "";
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const [whole, named, sign, digits] = match;
    const repo = named ?? repository;
    if (named !== undefined && !refs.repositories.has(named)) continue;
    const url = target(refs, repo, sign!, Number(digits));
    if (url === null) continue;
    const at = match.index!;
    out += escapePiece(text.slice(last, at), { atStart: last === 0, dollars });
    out += `[${escapePiece(whole, { atStart: false, dollars: 0 })}](${url})`;
    last = at + whole.length;
  }
  return out + escapePiece(text.slice(last), { atStart: last === 0, dollars });
}
