const WORDS: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100,
};

// Digit runs with thousands separators and decimals, not glued to letters: `W48`, `qwen2`,
// `web-2` and a sha's `1a2b` are names, not figures (a date's `-11-` still counts).
const NOT_AFTER = String.raw`(?<![\p{L}\p{N}_.,]|[\p{L}_]-)`;
const NOT_BEFORE = String.raw`(?![\p{L}\p{N}_])`;
const DIGITS = new RegExp(
  String.raw`${NOT_AFTER}\d{1,3}(?:,\d{3})+(?:\.\d+)?${NOT_BEFORE}|${NOT_AFTER}\d+(?:\.\d+)?${NOT_BEFORE}`,
  "gu",
);
// `3x`: a multiplier is a figure too, though its digits are glued to a letter (`2.5×` is read as digits already).
const MULTIPLIER = new RegExp(String.raw`${NOT_AFTER}(\d+(?:\.\d+)?)x(?![\p{L}\p{N}_])`, "gu");
const NUMBER_WORDS = new RegExp(`\\b(${Object.keys(WORDS).join("|")})\\b`, "gi");

/**
 * Every quantity a text states, as absolute values (`−3` and `3 fewer` say the same
 * figure): digit runs, `1,234`, multipliers (`3x`), and number words from two up. "One" is left out: it is
 * far more often a pronoun than a count.
 */
export function numbersIn(text: string): number[] {
  const found: number[] = [];
  for (const match of text.matchAll(DIGITS)) found.push(Number(match[0].replace(/,/g, "")));
  for (const match of text.matchAll(MULTIPLIER)) found.push(Number(match[1]));
  for (const match of text.matchAll(NUMBER_WORDS)) found.push(WORDS[match[1]!.toLowerCase()]!);
  return found;
}
