import type { Period } from "@sparky/messages";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** `2026-11` -> `November 2026`; any other text is returned as it is. */
export function monthName(key: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  return match && month ? `${month} ${match[1]}` : key;
}

/** What a digest covers, as plain text: `2026-11-26`, `2026-W48 (2026-11-23 to 2026-11-29)`, `November 2026`. */
export function periodLabel(digest: { period: Period; key: string; firstDay: string; lastDay: string }): string {
  switch (digest.period) {
    case "daily":
      return digest.key;
    case "weekly":
      return `${digest.key} (${digest.firstDay} to ${digest.lastDay})`;
    case "monthly":
      return monthName(digest.key);
  }
}

const KIND: Record<Period, string> = { daily: "Daily", weekly: "Weekly", monthly: "Monthly" };

/** The digest's title, as plain text: the front matter quotes it, the heading escapes it. */
export function digestTitle(digest: { period: Period; key: string; firstDay: string; lastDay: string }): string {
  return `${KIND[digest.period]} digest: ${periodLabel(digest)}`;
}
