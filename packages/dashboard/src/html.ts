import escapeHtml from "escape-html";

/** Markup that is already safe: built by `html`, or the sanitizer's output. Nothing else may make one. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  // Every interpolated string is escaped: names, titles and messages are untrusted.
  return escapeHtml(String(value));
}

/**
 * The one way the dashboard writes HTML: a tagged template that escapes every value (with
 * `escape-html`, in text and in double-quoted attributes alike) unless it is a SafeHtml.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Trust markup that came out of the sanitizer (see render-markdown.ts), and only that. */
export function trusted(sanitized: string): SafeHtml {
  return new SafeHtml(sanitized);
}
