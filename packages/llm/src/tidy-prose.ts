// A short first line that introduces the answer ("Sure! Here is the paragraph:") rather than being it.
const PREAMBLE_LINE = /^[^\n]{0,100}:[ \t]*\r?\n/;
const CHATTY_OPENER = /^(?:(?:sure|certainly|of course|okay|ok|absolutely)\b[!,.]?\s*)?(?:here(?:'s| is)\b[^:.!?\n]{0,80}:\s*)?/i;
// Emphasis a model adds for show: `**bold**`, `__bold__`, `*italic*`, `_italic_`, `code`.
const STRONG = /(\*\*|__)(?=\S)([^]*?\S)\1/g;
const STAR = /(?<![\p{L}\p{N}*\\])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])/gu;
const UNDERSCORE = /(?<![\p{L}\p{N}_\\])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])/gu;
const CODE = /`([^`\n]+)`/g;
const QUOTED = /^["“](.*)["”]$/s;

/**
 * Model prose as a reader would take it: the chatty preamble, the emphasis markers and
 * quotes round the whole answer that small models add are dropped, so an honest answer is
 * judged on its words. What they wrapped stays, and is checked like the rest: this removes
 * form only, never a claim.
 */
export function tidyProse(text: string): string {
  let out = text.trim();
  const preamble = PREAMBLE_LINE.exec(out);
  if (preamble && out.slice(preamble[0].length).trim() !== "" && !/[.!?][^:]*:/.test(preamble[0])) out = out.slice(preamble[0].length).trim();
  out = out.replace(CHATTY_OPENER, "");
  out = out.replace(STRONG, "$2").replace(STAR, "$1").replace(UNDERSCORE, "$1").replace(CODE, "$1");
  out = out.trim();
  return QUOTED.exec(out)?.[1]?.trim() ?? out;
}
