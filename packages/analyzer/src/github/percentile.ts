import { SparkyError } from "@sparky/messages";
import type { DurationFigures } from "@sparky/messages";

/**
 * The p-th percentile of `values` by the nearest-rank method: sort ascending and take the
 * value at rank ceil(p/100 x n), counting from 1. It is always a value that was measured
 * (no interpolation between two pull requests), p = 50 gives the lower middle value of an
 * even count, and one value is every percentile of itself. Null for no values.
 */
export function nearestRank(values: readonly number[], percent: number): number | null {
  if (!Number.isInteger(percent) || percent <= 0 || percent > 100) {
    throw new SparkyError("SPARKY_ANALYZER_BAD_PERCENTILE", `nearestRank: percent must be a whole number from 1 to 100, got ${percent}`);
  }
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // Whole numbers multiplied before dividing: 0.9 * 70 is 63.00000000000001 in floating point, 90 * 70 / 100 is 63.
  const rank = Math.ceil((percent * sorted.length) / 100);
  return sorted[Math.max(1, rank) - 1]!;
}

const MS_PER_CENTI_HOUR = 36_000;

/** Milliseconds to hours, rounded to 0.01 h (36 s): enough for a digest, and the same bytes everywhere. */
export function toHours(ms: number): number {
  return Math.round(ms / MS_PER_CENTI_HOUR) / 100;
}

/** Median (p50) and p90 by nearest rank, in hours, of durations given in milliseconds. */
export function durationFigures(durationsMs: readonly number[]): DurationFigures {
  const median = nearestRank(durationsMs, 50);
  const p90 = nearestRank(durationsMs, 90);
  return {
    median: median === null ? null : toHours(median),
    p90: p90 === null ? null : toHours(p90),
    count: durationsMs.length,
  };
}
