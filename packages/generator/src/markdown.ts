import { escapeMarkdownInline } from "./escape.js";

// What may sit in a link destination as is: no spaces, quotes, angle brackets, parentheses
// or backslashes, any of which could end the destination early or start a title.
const SAFE_URL = /^https?:\/\/[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+$/;

/**
 * The URL, when it is an http(s) address that can go in a Markdown link unchanged; null
 * otherwise, so the caller renders text without a link rather than a link that goes
 * somewhere the analysis did not say (or runs `javascript:`).
 */
export function safeUrl(url: string | null | undefined): string | null {
  return url && SAFE_URL.test(url) ? url : null;
}

/** `label` (already Markdown) linked to `url` when the URL is safe, else just the label. */
export function linked(label: string, url: string | null | undefined): string {
  const target = safeUrl(url);
  return target ? `[${label}](${target})` : label;
}

/**
 * Text we produce ourselves from validated figures (dates, period keys, run ids) reads
 * better unescaped in the raw file; anything else that turns up is escaped like user text.
 */
export function plain(text: string): string {
  // Without `[`, `/`, `.` or `<`, none of these can start a link, autolink or HTML.
  return /^[A-Za-z0-9 :()-]*$/.test(text) ? text : escapeMarkdownInline(text);
}

/** A code span for identifier-like text (run ids, timestamps), escaped text otherwise. */
export function code(text: string): string {
  return /^[A-Za-z0-9:./+_-]+$/.test(text) ? `\`${text}\`` : escapeMarkdownInline(text);
}

/** A commit's short sha as a code span; a sha that is not hex is shown escaped instead. */
export function shortSha(sha: string): string {
  return /^[0-9a-fA-F]{4,64}$/.test(sha) ? `\`${sha.slice(0, 7)}\`` : escapeMarkdownInline(sha);
}

/**
 * A relative link target for a path we found on disk: each segment percent-encoded,
 * including the `(`, `)` and `'` that `encodeURIComponent` leaves alone, since a `)`
 * would end the link destination early.
 */
export function relativeHref(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

/** A GFM table: header cells, alignment markers (`:---`, `---:`) and rows, all cells already Markdown. */
export function table(header: string[], align: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `|${align.join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

/** A `##` section. */
export function section(title: string, body: string): string {
  return `## ${title}\n\n${body}`;
}

/** Untrusted text escaped, or `fallback` (our own words) when nothing is left of it. */
export function text(value: string, fallback: string): string {
  const escaped = escapeMarkdownInline(value);
  return escaped === "" ? fallback : escaped;
}
