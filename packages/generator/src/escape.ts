// Line breaks, C0/C1 controls and the bidi/line-separator format characters: any of them
// could end a list item or table row early, or make the rendered text read differently
// from the bytes (a right-to-left override hiding what a subject really says).
const CONTROL_RUN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

// GFM finds `a@b.c` email autolinks after escapes are resolved, so `\@` does not stop
// them (nor a GitHub @mention); an invisible zero-width space after the `@` does (checked
// against cmark-gfm, markdown-it and remark). Only an `@` that would link gets it.
const ZERO_WIDTH = "&#8203;";
const EMAIL_BREAK = `@${ZERO_WIDTH}`;

const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;
// A character reference CommonMark would decode: `&amp;`, `&#123;`, `&#x1F;`.
const ENTITY = /^&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)/;
// The local part of an email address ends just before `@`; its domain has a dot in it.
const EMAIL_LOCAL = /[A-Za-z0-9.+_-]/;
const EMAIL_DOMAIN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]/;
// At the start of a line these begin a block: heading, quote, list, thematic or setext break.
// (`5.0.0` and `#123` do not: a list marker and a heading need a space after them.)
const BLOCK_START = /^(?:#{1,6}(?=\s|$)|[+*-](?=\s|$)|>|=+$|-{3,}|[0-9]{1,9}[.)](?=\s|$))/;

/**
 * Whether the `@` at `i` would become a link: an email autolink (`x@y.z`, which GFM finds
 * even in `fresh@2.0.0`) or a GitHub @mention (`@name` after a non-word character).
 */
function linkingAt(text: string, i: number): boolean {
  const before = text[i - 1] ?? "";
  const after = text.slice(i + 1);
  if (before !== "" && EMAIL_LOCAL.test(before) && EMAIL_DOMAIN.test(after)) return true;
  return (before === "" || !/[A-Za-z0-9_`]/.test(before)) && /^[A-Za-z0-9]/.test(after);
}

/**
 * Make untrusted text (commit subjects, author and repository names) render as exactly
 * that text when placed inline in a paragraph, list item, heading, link text or table
 * cell: never as HTML, a link, an image, emphasis, code, a mention, a heading or a table
 * break. Only what would change the rendering in its place is escaped, so `5.0.0`,
 * `feat(deps)!:` and `snake_case` stay as they are in the raw file; the rest is checked by
 * rendering with cmark-gfm and markdown-it (escape-gfm.test.ts).
 */
export function escapeMarkdownInline(input: string): string {
  const text = cleanText(input);
  return escapePiece(text, { atStart: true, dollars: countDollars(text) });
}

/** Untrusted text on one line: controls and line breaks as single spaces, trimmed. */
export function cleanText(input: string): string {
  return input.replace(CONTROL_RUN, " ").trim();
}

export function countDollars(text: string): number {
  return (text.match(/\$/g) ?? []).length;
}

/**
 * Escape one piece of a cleaned text that is shown in pieces (a title with links in it):
 * `atStart` when the piece begins the text, `dollars` counted over the whole text, since a
 * `$` in one piece and another in the next would still make math.
 */
export function escapePiece(text: string, context: { atStart: boolean; dollars: number }): string {
  const dollars = context.dollars;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const before = text[i - 1] ?? " ";
    const after = text[i + 1] ?? " ";
    switch (c) {
      case "\\":
      case "`":
      case "[":
      case "]":
      case "~":
      case "|":
        out += `\\${c}`;
        break;
      case "*":
        // Between two spaces a `*` can neither open nor close emphasis.
        out += i > 0 && i < text.length - 1 && SPACE.test(before) && SPACE.test(after) ? c : `\\${c}`;
        break;
      case "_":
        // Inside a word `_` never opens or closes emphasis (snake_case stays as it is).
        out += WORD.test(before) && WORD.test(after) ? c : `\\${c}`;
        break;
      case "$":
        // GitHub renders `$...$` as math: one `$` alone cannot.
        out += dollars > 1 ? `\\${c}` : c;
        break;
      case "<":
        // Any `<`, not only one that could open a tag: MDX (Docusaurus's default for .md)
        // refuses a bare `<` before a digit or a space too.
        out += "&lt;";
        break;
      case "&":
        out += ENTITY.test(text.slice(i)) ? "&amp;" : c;
        break;
      case ":":
        // `scheme://` is an extended autolink, and so is `www.` (whatever its case). remark
        // (Docusaurus) finds them in the text after escapes are resolved, as GitHub finds
        // email addresses, so the same zero-width space breaks all three.
        out += text.startsWith("//", i + 1) ? `:${ZERO_WIDTH}` : c;
        break;
      case ".":
        out += /www$/i.test(text.slice(Math.max(0, i - 3), i)) ? `${ZERO_WIDTH}.` : c;
        break;
      case "@":
        out += linkingAt(text, i) ? EMAIL_BREAK : c;
        break;
      case "{":
      case "}":
        // MDX reads `{...}` as a JavaScript expression, and `{{` opens a Hugo shortcode.
        out += `\\${c}`;
        break;
      case "%":
        // `{%` opens a Liquid tag (Jekyll).
        out += before === "{" && i > 0 ? `\\${c}` : c;
        break;
      case "#":
        // A trailing `#` run would be read as a heading's closing sequence.
        out += /^#*$/.test(text.slice(i)) && (i === 0 || before === " " || before === "#") ? `\\${c}` : c;
        break;
      default:
        out += c;
    }
  }
  // At the start of a line, the first character could open a block.
  return context.atStart && BLOCK_START.test(text) ? escapeBlockStart(out) : out;
}

/** Escape the character that would make `out` (already escaped) start a block. */
function escapeBlockStart(out: string): string {
  const digits = /^[0-9]{1,9}(?=[.)])/.exec(out);
  if (digits) return `${digits[0]}\\${out.slice(digits[0].length)}`;
  return out.startsWith("\\") ? out : `\\${out}`;
}

/**
 * A double-quoted YAML scalar that reads back as `text` for any input. Everything outside
 * printable Unicode is written as an escape, so no input can end the scalar, the line or
 * the front matter block.
 */
export function yamlString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\t") out += "\\t";
    else if (char === "\r") out += "\\r";
    // A lone surrogate has no YAML spelling; it was never text, so say so.
    else if (code >= 0xd800 && code <= 0xdfff) out += "\\uFFFD";
    else if (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0xfeff ||
      code === 0xfffe ||
      code === 0xffff
    ) {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    } else out += char;
  }
  return `${out}"`;
}

/**
 * A quoted Mermaid label. Only our own day labels and titles go there, so rather than
 * learn Mermaid's quoting rules this keeps letters, digits and a few separators and drops
 * the rest: a quote, bracket or backtick could otherwise end the label or the code fence.
 */
export function mermaidLabel(text: string): string {
  return `"${text.replace(/[^A-Za-z0-9 .,:/-]/g, "").trim()}"`;
}
