import { describe, expect, it } from "vitest";
import { durationFigures, nearestRank, toHours } from "./percentile.js";

const HOUR = 3_600_000;

describe("nearestRank", () => {
  it("is the value itself for one value, at every percentile", () => {
    expect(nearestRank([7], 50)).toBe(7);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([7], 100)).toBe(7);
  });

  it("takes the lower value as the median of two, the higher as their p90", () => {
    // rank ceil(0.5 x 2) = 1 and ceil(0.9 x 2) = 2
    expect(nearestRank([30, 10], 50)).toBe(10);
    expect(nearestRank([30, 10], 90)).toBe(30);
  });

  it("sorts, and picks the value at rank ceil(p/100 x n)", () => {
    const values = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    expect(nearestRank(values, 50)).toBe(5); // rank 5
    expect(nearestRank(values, 90)).toBe(9); // rank 9
    expect(nearestRank(values, 91)).toBe(10); // rank ceil(9.1) = 10
    expect(values).toEqual([9, 1, 8, 2, 7, 3, 6, 4, 5, 10]); // the input is left alone
  });

  it("does not round up past the rank floating point would (0.9 x 70 = 63.00000000000001)", () => {
    const values = Array.from({ length: 70 }, (_, i) => i + 1);
    expect(nearestRank(values, 90)).toBe(63);
  });

  it("is null with no values and refuses a percentile outside 1..100", () => {
    expect(nearestRank([], 50)).toBeNull();
    for (const percent of [0, 101, 12.5]) {
      expect(() => nearestRank([1], percent)).toThrow(expect.objectContaining({ code: "SPARKY_ANALYZER_BAD_PERCENTILE" }));
    }
  });
});

describe("durationFigures", () => {
  it("gives median and p90 in hours rounded to 0.01, with the count", () => {
    expect(durationFigures([2 * HOUR, 24 * HOUR, 6 * HOUR])).toEqual({ median: 6, p90: 24, count: 3 });
    expect(durationFigures([HOUR / 3])).toEqual({ median: 0.33, p90: 0.33, count: 1 });
    expect(durationFigures([])).toEqual({ median: null, p90: null, count: 0 });
    expect(toHours(90 * 60_000)).toBe(1.5);
  });
});
