import escapeHtml from "escape-html";
import MarkdownIt from "markdown-it";
import taskLists from "markdown-it-task-lists";
import sanitizeHtml from "sanitize-html";
import { posix } from "node:path";
import { trusted } from "./html.js";
import type { SafeHtml } from "./html.js";

// GFM as GitHub renders digests: tables, task lists, strikethrough; raw HTML allowed in, then
// cut down by the sanitizer below. No linkify: a URL or @mention in commit text stays text.
const md = new MarkdownIt({ html: true, linkify: false, typographer: false }).use(taskLists, { enabled: false });
const fence = md.renderer.rules.fence!;
md.renderer.rules.fence = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  // Mermaid draws these client-side from the element's text (see assets/digest.js).
  if (token.info.trim() === "mermaid") return `<pre class="mermaid">${escapeHtml(token.content)}</pre>\n`;
  return fence(tokens, idx, options, env, self);
};

const ALIGN = [/^(left|right|center)$/];

/** What may reach the page: Markdown's own output plus the <details>/<summary> digests use. */
function sanitize(rendered: string, digestPath: string): string {
  return sanitizeHtml(rendered, {
    allowedTags: [
      "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "ul", "ol", "li", "strong", "em", "del", "s",
      "code", "pre", "a", "span", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "input", "sup", "sub", "kbd",
    ],
    allowedAttributes: {
      a: ["href", "title"],
      input: ["type", "checked", "disabled"],
      th: ["style"],
      td: ["style"],
      details: ["open"],
      ol: ["start"],
    },
    allowedClasses: {
      pre: ["mermaid"],
      code: [/^language-[a-z0-9_-]+$/],
      ul: ["contains-task-list"],
      li: ["task-list-item"],
      input: ["task-list-item-checkbox"],
    },
    allowedStyles: { th: { "text-align": ALIGN }, td: { "text-align": ALIGN } },
    allowedSchemes: ["http", "https", "mailto"],
    allowProtocolRelative: false,
    // Images would load from other sites (the CSP refuses them anyway): their alt text stays.
    disallowedTagsMode: "discard",
    transformTags: {
      a: (_tagName, attribs) => linkTarget(attribs, digestPath),
      input: (tagName, attribs) => ({ tagName, attribs: attribs.type === "checkbox" ? { ...attribs, disabled: "" } : {} }),
    },
  });
}

const SAFE_SCHEME = /^(https?|mailto):/i;

/**
 * A relative link between digests (`../weekly/2026-W48.md`) opens the dashboard's page of
 * that digest. A link with any other scheme (javascript:, data:), or relative to something
 * the dashboard does not serve, is no link at all: its text stays, as a span.
 */
function linkTarget(attribs: Record<string, string>, digestPath: string): { tagName: string; attribs: Record<string, string> } {
  const { href, ...rest } = attribs;
  const text = { tagName: "span", attribs: {} };
  if (href === undefined) return text;
  const trimmed = href.trim();
  if (SAFE_SCHEME.test(trimmed) || trimmed.startsWith("#")) return { tagName: "a", attribs };
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith("//")) return text;
  const target = posix.normalize(posix.join(posix.dirname(digestPath), trimmed.split("#")[0]!));
  const digest = /^(daily|weekly|monthly)\/([0-9A-Za-z-]+)\.md$/.exec(target);
  if (digest) return { tagName: "a", attribs: { ...rest, href: `/dashboard/digests/${digest[1]}/${digest[2]}` } };
  if (target === "index.md") return { tagName: "a", attribs: { ...rest, href: "/dashboard/digests" } };
  return text;
}

/** Strip the front matter Sparky writes at the top of a digest. */
export function withoutFrontMatter(text: string): string {
  const match = /^\uFEFF?---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
  return match ? text.slice(match[0].length) : text;
}

/** A digest's Markdown as sanitized HTML, `digestPath` (e.g. `daily/2026-11-26.md`) resolving its relative links. */
export function renderMarkdown(markdown: string, digestPath: string): SafeHtml {
  return trusted(sanitize(md.render(withoutFrontMatter(markdown)), digestPath));
}
