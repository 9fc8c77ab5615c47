// Line breaks, C0/C1 controls and the bidi/line-separator format characters: any of them
// could end a list item or table row early, or make the rendered text read differently
// from the bytes (a right-to-left override hiding what a subject really says).
const CONTROL_RUN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

// Every ASCII punctuation character that opens or closes a Markdown construct somewhere in
// CommonMark or GFM. `:` is here because GFM autolinks `https://x` and `www.x` with no
// brackets at all: a backslash before the `:` or `.` breaks those patterns, and CommonMark
// renders the escaped character as itself. `$` because GitHub renders `$...$` as math.
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~:$]/g;

// GFM finds `a@b.c` email autolinks after escapes are resolved, so `\@` does not stop
// them; an invisible zero-width space after the `@` does (checked against cmark-gfm).
const EMAIL_BREAK = "@&#8203;";

/**
 * Make untrusted text (commit subjects, author and repository names) render as exactly
 * that text when placed inline in a paragraph, list item, heading or table cell: never as
 * HTML, a link, an image, emphasis, code, a heading or a table break.
 */
export function escapeMarkdownInline(text: string): string {
  return text
    .replace(CONTROL_RUN, " ")
    .trim()
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
    .replace(/@/g, EMAIL_BREAK);
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
