import { spawnSync } from "node:child_process";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { escapeMarkdownInline } from "./escape.js";
import { renderDigest } from "./render-digest.js";
import { weeklyAnalysis } from "./test-analysis.js";

// GitHub's own renderer, when the machine has it (Debian: `apt-get install cmark-gfm`).
// The other escaping tests check the bytes; these check what a reader would actually see.
const hasCmark = spawnSync("cmark-gfm", ["--version"]).status === 0;

function toHtml(markdown: string): string {
  const result = spawnSync(
    "cmark-gfm",
    ["-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter", "--to", "html"],
    { input: markdown, encoding: "utf8", maxBuffer: 1 << 28 },
  );
  return result.stdout;
}

// The other common renderer (VS Code, many static-site generators), raw HTML allowed so that
// any HTML that got through would show.
const markdownIt = new MarkdownIt({ html: true });

const RENDERERS: Array<[string, (markdown: string) => string]> = [
  ...(hasCmark ? [["cmark-gfm", toHtml] as [string, (markdown: string) => string]] : []),
  ["markdown-it", (markdown: string) => markdownIt.render(markdown)],
];

// What GitHub would turn into a mention or an email link in rendered text.
const MENTION = /(^|[^A-Za-z0-9_`])@[A-Za-z0-9]/;
const EMAIL = /[A-Za-z0-9.+_-]@[A-Za-z0-9_-]+\.[A-Za-z0-9_-]/;

function decode(html: string): string {
  return html
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\u200b/g, "");
}

// A fixed-seed generator, so a failure names an input that reproduces.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PIECES = [
  "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "-", ".", "!", "|", "<", ">", "~", "&", ":", "@",
  "$", "=", "'", '"', "/", " ", "a", "1", "https://", "http://", "ftp://", "www.", "WWW.", "x@y.com", "&amp;",
  "&#60;", "<a href=x>", "<script>", "<!--", "-->", "mailto:", "javascript:", "<https://e.com>", "]: /u", "[^1]",
  "1.", "1)", "---", "===", "***", "```", "~~~", "\n", "\r\n", "\t", "    ", "\u202e", "\u00a0", "é", "漢",
];

const CONTEXTS: Array<[string, (escaped: string) => string, RegExp]> = [
  ["list item start", (e) => `- ${e} Z`, /<li>([^]*?) Z<\/li>/g],
  ["list item middle", (e) => `- x ${e} Z`, /<li>x ([^]*?) Z<\/li>/g],
  ["heading", (e) => `### ${e} Z`, /<h3>([^]*?) Z<\/h3>/g],
  ["link text", (e) => `[${e} Z](https://ok.example)`, /<a href="https:\/\/ok\.example">([^]*?) Z<\/a>/g],
];

describe.each(RENDERERS)("escaping, as rendered by %s", (_renderer, render) => {
  const next = random(20261126);
  const inputs = Array.from({ length: 4000 }, () =>
    Array.from({ length: 1 + Math.floor(next() * 16) }, () => PIECES[Math.floor(next() * PIECES.length)]).join(""),
  ).filter((text) => escapeMarkdownInline(text) !== "");
  const expected = inputs.map((text) =>
    text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, " ").trim(),
  );

  it.each(CONTEXTS)("shows any text literally in a %s", (_name, wrap, pattern) => {
    const html = render(inputs.map((text) => wrap(escapeMarkdownInline(text))).join("\n\n<!-- -->\n\n"));
    const shown = [...html.matchAll(pattern)].map((m) => m[1]!);
    expect(shown).toHaveLength(inputs.length);
    shown.forEach((text, i) => {
      expect(text, JSON.stringify(inputs[i])).not.toMatch(/<[a-z]/i);
      const shownText = text.replace(/&amp;/g, "&");
      expect(shownText, JSON.stringify(inputs[i])).not.toMatch(MENTION);
      expect(shownText, JSON.stringify(inputs[i])).not.toMatch(EMAIL);
      expect(shownText, JSON.stringify(inputs[i])).not.toMatch(/(?:https?|ftp):\/\/|www\./i);
      expect(decode(text), JSON.stringify(inputs[i])).toBe(expected[i]);
    });
  });

  it("shows any text literally in a table cell", () => {
    const rows = inputs.map((text) => `| ${escapeMarkdownInline(text)} Z | z |`);
    const html = render(`| a | b |\n|---|---|\n${rows.join("\n")}\n`);
    const shown = [...html.matchAll(/<tr>\n<td>([^]*?) Z<\/td>\n<td>z<\/td>/g)].map((m) => m[1]!);
    expect(shown).toHaveLength(inputs.length);
    shown.forEach((text, i) => expect(decode(text), JSON.stringify(inputs[i])).toBe(expected[i]));
  });

  it("renders a digest with hostile subjects with only the analysis's own links", () => {
    const analysis = weeklyAnalysis();
    const html = render(renderDigest(analysis, { maxItems: 50 }));
    expect(html).not.toMatch(/<script|<img|<b>|<em>the\b|<strong>bold/);
    const allowed = new Set([
      ...analysis.items.map((i) => i.url),
      ...analysis.repositories.map((r) => r.webUrl),
      "https://github.com/acme/api/issues/42",
    ]);
    const hrefs = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(allowed.has(href), href).toBe(true);
  });
});
