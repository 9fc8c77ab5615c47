import type { Analysis } from "@sparky/messages";
import { mermaidLabel } from "./escape.js";
import { formatCount, formatHours } from "./format.js";
import { plain, section, table } from "./markdown.js";

const NOT_COLLECTED = "not collected";

function axisLabel(key: string): string {
  // `2026-W48` -> `W48`, `2026-11` -> `2026-11`, `2026-11-26` -> `11-26`: short enough for an axis.
  const week = /^\d{4}-(W\d{2})$/.exec(key);
  if (week) return week[1]!;
  const day = /^\d{4}-(\d{2}-\d{2})$/.exec(key);
  return day ? day[1]! : key;
}

/**
 * The Trends section of weekly and monthly digests: this period and the 7 before it, read
 * from the processed data of earlier runs, as a Mermaid chart (commits as bars, contributors
 * as a line) and a table. A period never collected is marked so in the table and left out
 * of the chart, never drawn as zero.
 */
export function renderTrends(analysis: Analysis): string | null {
  const points = analysis.trends ?? [];
  if (analysis.period === "daily" || points.length < 2) return null;
  const collected = points.filter((p) => !p.missing);
  const github = points.some((p) => p.pullsMerged !== null);
  const top = Math.max(1, ...collected.map((p) => Math.max(p.commits ?? 0, p.contributors ?? 0)));
  const chart = [
    "```mermaid",
    "xychart-beta",
    `  title ${mermaidLabel("Commits as bars, contributors as a line")}`,
    `  x-axis [${collected.map((p) => mermaidLabel(axisLabel(p.key))).join(", ")}]`,
    `  y-axis ${mermaidLabel("Count")} 0 --> ${top}`,
    `  bar [${collected.map((p) => p.commits ?? 0).join(", ")}]`,
    `  line [${collected.map((p) => p.contributors ?? 0).join(", ")}]`,
    "```",
  ].join("\n");
  const count = (n: number | null) => (n === null ? "\u2014" : formatCount(n));
  const header = ["Period", "Commits", "Contributors", ...(github ? ["Pull requests merged", "Median cycle time", "Median time to first review"] : [])];
  const rows = points.map((p) => {
    const label = p.key === analysis.key ? `**${plain(p.key)}**` : plain(p.key);
    if (p.missing) return [label, NOT_COLLECTED, NOT_COLLECTED, ...(github ? [NOT_COLLECTED, NOT_COLLECTED, NOT_COLLECTED] : [])];
    return [
      label,
      count(p.commits),
      count(p.contributors),
      ...(github ? [count(p.pullsMerged), formatHours(p.medianCycleHours), formatHours(p.medianReviewHours)] : []),
    ];
  });
  const missing = points.filter((p) => p.missing).map((p) => p.key);
  const note =
    missing.length === 0
      ? null
      : `_Not collected: ${missing.map(plain).join(", ")}; left out of the chart, not counted as zero. \`sparky backfill\` collects them._`;
  const body = [
    collected.length >= 2 ? chart : null,
    table(header, header.map((_, i) => (i === 0 ? ":---" : "---:")), rows),
    note,
  ].filter((b) => b !== null);
  return section("Trends", body.join("\n\n"));
}
