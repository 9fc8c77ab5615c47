/**
 * Whether `text` is a time exactly as `Date#toISOString` writes it (YYYY-MM-DDTHH:mm:ss.sssZ)
 * and a real calendar time. When true, zod's datetime pattern accepts it too; when false the
 * caller asks the pattern, which also takes other precisions and offsets. Every message's
 * `time` is checked: this skips the pattern, the larger cost, in the common case.
 */
export function isPlainIsoTime(text: string): boolean {
  if (text.length !== 24) return false;
  // Messages sent within one millisecond share their time: the last one accepted is remembered
  // (after the length test, so that the empty string it starts as is never accepted).
  if (text === lastAccepted) return true;
  if (
    text.charCodeAt(23) !== 0x5a /* Z */ ||
    text.charCodeAt(4) !== 0x2d /* - */ ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 /* T */ ||
    text.charCodeAt(13) !== 0x3a /* : */ ||
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(19) !== 0x2e /* . */ ||
    digits(text, 20, 3) < 0
  ) {
    return false;
  }
  // Each field is -1 when a character is not a digit, which every range test below refuses.
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (day > days || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  lastAccepted = text;
  return true;
}

let lastAccepted = "";

/** The decimal number in text[from, from + count), or -1 if any of it is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
