/**
 * XML 1.0 text and attribute values for the Atom feed. The five markup characters become
 * entities; characters XML 1.0 cannot carry at all (C0 controls other than tab, newline and
 * carriage return, lone surrogates, U+FFFE and U+FFFF) are dropped, since no escape makes
 * them legal and a feed with one is rejected whole by a reader. Newlines and tabs in an
 * attribute are written as character references so a parser does not fold them to spaces.
 */
export function xmlText(text: string): string {
  return withoutIllegal(text).replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

export function xmlAttribute(text: string): string {
  return withoutIllegal(text).replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function withoutIllegal(text: string): string {
  return text.replace(ILLEGAL, "");
}
