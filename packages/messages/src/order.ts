/**
 * Plain code-unit order for strings, not `localeCompare`: sorted output (digests, prompts and
 * so cache keys, files) must not depend on the host's ICU locale.
 */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
