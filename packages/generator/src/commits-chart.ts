import { daysOf } from "@sparky/messages";
import type { Analysis } from "@sparky/messages";
import { mermaidLabel } from "./escape.js";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function dayLabel(day: string, period: Analysis["period"]): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  // A month's 28-31 bars leave room for the day number only; a week's seven can say more.
  if (period === "monthly") return String(d);
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
  return `${weekday} ${day.slice(5)}`;
}

/**
 * A Mermaid bar chart of commits per day, one bar for every day of the period: the days
 * come from the period itself, so a day the analysis left out shows as 0, not as a gap
 * that shifts the bars after it.
 */
export function renderCommitsChart(analysis: Analysis): string {
  const counts = new Map(analysis.perDay.map((entry) => [entry.day, entry.commits]));
  const days = daysOf(analysis);
  const values = days.map((day) => counts.get(day) ?? 0);
  const top = Math.max(1, ...values);
  return [
    "```mermaid",
    "xychart-beta",
    `  title ${mermaidLabel("Commits per day")}`,
    `  x-axis ${mermaidLabel(analysis.period === "monthly" ? "Day of the month" : "Day")} [${days
      .map((day) => mermaidLabel(dayLabel(day, analysis.period)))
      .join(", ")}]`,
    `  y-axis ${mermaidLabel("Commits")} 0 --> ${top}`,
    `  bar [${values.join(", ")}]`,
    "```",
  ].join("\n");
}
