import { describe, expect, it } from "vitest";
import { numbersIn } from "./numbers-in.js";

describe("numbersIn", () => {
  it("finds digit runs, thousands and number words as absolute values", () => {
    expect(numbersIn("12 commits, 1,234 lines, \u22123 merges, twenty people, 2.5 days")).toEqual([12, 1234, 3, 2.5, 20]);
  });
  it("skips digits glued to letters and one used as a pronoun", () => {
    expect(numbersIn("qwen2 in W48 at a1b2c3 in acme/web-2; one of them")).toEqual([]);
  });
  it("reads a multiplier as a figure, not a hex number", () => {
    expect(numbersIn("3x faster, 2.5× smaller, flag 0x1F")).toEqual([2.5, 3]);
  });
  it("reads a date as its parts", () => {
    expect(numbersIn("on 2026-11-23")).toEqual([2026, 11, 23]);
  });
});
