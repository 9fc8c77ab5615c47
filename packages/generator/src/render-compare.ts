import type { Analysis, TrendPoint } from "@sparky/messages";
import { formatCount, formatHours } from "./format.js";
import { section } from "./markdown.js";
import { PERIOD_NOUN } from "./narrative.js";

type Figure = "commits" | "contributors" | "pullsMerged" | "medianCycleHours" | "medianReviewHours";

const FIGURES: Array<{ figure: Figure; label: string; hours: boolean; most: string; fewest: string }> = [
  { figure: "commits", label: "Commits", hours: false, most: "the most", fewest: "the fewest" },
  { figure: "contributors", label: "Contributors", hours: false, most: "the most", fewest: "the fewest" },
  { figure: "pullsMerged", label: "Pull requests merged", hours: false, most: "the most", fewest: "the fewest" },
  { figure: "medianCycleHours", label: "Median cycle time", hours: true, most: "the longest", fewest: "the shortest" },
  { figure: "medianReviewHours", label: "Median time to first review", hours: true, most: "the longest", fewest: "the shortest" },
];

const PLURAL = { daily: "days", weekly: "weeks", monthly: "months" } as const;

/** The trend points, or, for an analysis written before trends, this period and the previous one from its change figures. */
function pointsOf(analysis: Analysis): TrendPoint[] {
  if (analysis.trends && analysis.trends.length > 0) return analysis.trends;
  const point = (key: string, commits: number, contributors: number): TrendPoint => ({
    key,
    firstDay: "",
    lastDay: "",
    missing: false,
    commits,
    merges: null,
    contributors,
    pullsMerged: null,
    medianCycleHours: null,
    medianReviewHours: null,
  });
  return [
    point("previous", analysis.change.commits.previous, analysis.change.contributors.previous),
    point(analysis.key, analysis.change.commits.current, analysis.change.contributors.current),
  ];
}

/**
 * How this period compares with the ones before it, one line per figure: the figure, the
 * previous period's, and whether it is the highest or lowest of the periods collected in
 * the trend window. Only figures this period has are told; nothing is averaged, so every
 * number is one the Trends table shows.
 */
export function renderCompare(analysis: Analysis): string | null {
  const points = pointsOf(analysis);
  const current = points.at(-1)!;
  const before = points.slice(0, -1);
  const previous = before.at(-1);
  const noun = PERIOD_NOUN[analysis.period];
  const lines: string[] = [];
  for (const { figure, label, hours, most, fewest } of FIGURES) {
    const value = current[figure];
    if (value === null) continue;
    const show = (n: number) => (hours ? formatHours(n) : formatCount(n));
    const earlier = previous === undefined || previous.missing ? null : previous[figure];
    const against =
      previous === undefined
        ? null
        : previous.missing
          ? `the previous ${noun} was not collected`
          : earlier === null
            ? null
            : earlier === value
              ? `as in the previous ${noun}`
              : `${value > earlier ? "up" : "down"} from ${show(earlier)} the previous ${noun}`;
    const others = before.filter((p) => !p.missing && p[figure] !== null).map((p) => p[figure]!);
    let rank: string | null = null;
    if (others.length >= 3) {
      const span =
        others.length === before.length
          ? `of the last ${points.length} ${PLURAL[analysis.period]}`
          : `of the ${others.length + 1} ${PLURAL[analysis.period]} collected in the last ${points.length}`;
      if (value > Math.max(...others)) rank = `${most} ${span}`;
      else if (value < Math.min(...others)) rank = `${fewest} ${span}`;
    }
    const notes = [against, rank].filter((n) => n !== null);
    if (notes.length === 0) continue;
    lines.push(`- ${label}: ${show(value)}, ${notes.join("; ")}.`);
  }
  if (lines.length === 0) return null;
  return section(`Compared with earlier ${PLURAL[analysis.period]}`, lines.join("\n"));
}
