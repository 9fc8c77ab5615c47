/**
 * Whether `text` is a time exactly as `Date#toISOString` writes it (YYYY-MM-DDTHH:mm:ss.sssZ)
 * and a real calendar time. When true, zod's datetime pattern accepts it too; when false the
 * caller asks the pattern, which also takes other precisions and offsets. Every message's
 * `time` is checked: this skips the pattern, the larger cost, in the common case.
 */
export function isPlainIsoTime(text: string): boolean {
  if (text.length !== 24 || text.charCodeAt(23) !== 0x5a /* Z */) return false;
  for (let i = 0; i < 23; i++) {
    const code = text.charCodeAt(i);
    const separator = SEPARATORS[i];
    if (separator === undefined ? code < 0x30 || code > 0x39 : code !== separator) return false;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days && digits(text, 11, 2) <= 23 && digits(text, 14, 2) <= 59 && digits(text, 17, 2) <= 59;
}

const SEPARATORS: (number | undefined)[] = [];
SEPARATORS[4] = SEPARATORS[7] = 0x2d; // -
SEPARATORS[10] = 0x54; // T
SEPARATORS[13] = SEPARATORS[16] = 0x3a; // :
SEPARATORS[19] = 0x2e; // .

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) value = value * 10 + text.charCodeAt(i) - 0x30;
  return value;
}
