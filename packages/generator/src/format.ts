// U+2212: a real minus sign lines up with `+` in tables and reads as "minus", not a dash.
const MINUS = "\u2212";

/**
 * `12345` -> `12,345`, by hand: `toLocaleString` and `Intl.NumberFormat` follow the host's
 * ICU data, and the same analysis must give the same bytes on every machine.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let grouped = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) grouped += ",";
    grouped += digits[i];
  }
  return n < 0 ? `${MINUS}${grouped}` : grouped;
}

/** A change with its sign always shown: `+4`, `−3`, `±0`. */
export function formatSigned(n: number): string {
  if (n > 0) return `+${formatCount(n)}`;
  if (n < 0) return formatCount(n);
  return "\u00b10";
}

/** Lines added, shown as a positive figure: `+340` (plain `0` when none). */
export function formatAdded(n: number): string {
  return n === 0 ? "0" : `+${formatCount(n)}`;
}

/** Lines removed, shown as a negative figure: `−120` (plain `0` when none). */
export function formatRemoved(n: number): string {
  return n === 0 ? "0" : `${MINUS}${formatCount(n)}`;
}

/** `1 commit`, `2 commits`, `0 repositories`. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${Math.abs(n) === 1 ? singular : plural}`;
}

/**
 * A duration given in hours, as a reader takes it in: `45 min` under an hour, `3.5 h` under
 * two days, `4.2 d` beyond; an em dash when there is nothing to show. `toFixed` rounds the
 * same way on every host.
 */
export function formatHours(hours: number | null): string {
  if (hours === null) return "\u2014";
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}
