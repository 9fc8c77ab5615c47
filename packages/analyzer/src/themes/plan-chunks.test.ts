import { describe, expect, it } from "vitest";
import { estimateTokens } from "@sparky/llm";
import { planChunks } from "./plan-chunks.js";

describe("planChunks", () => {
  const line = (text: string, ref: number) => `${ref}. ${text}`;
  const entries = Array.from({ length: 50 }, (_, i) => `a line about change number ${i} in the parser`);

  it("packs entries in order into prompts that fit, answer room included", () => {
    const budget = { numCtx: 300, fixedTokens: 40, answerTokens: (n: number) => 20 + 2 * n };
    const chunks = planChunks(entries, line, budget);
    expect(chunks.flat()).toEqual(entries);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      const prompt = chunk.reduce((n, e, i) => n + estimateTokens(line(e, i + 1)) + 1, 0);
      expect(budget.fixedTokens + prompt + budget.answerTokens(chunk.length)).toBeLessThanOrEqual(budget.numCtx);
    }
  });

  it("keeps everything in one prompt when it fits, and still makes progress when nothing fits", () => {
    expect(planChunks(entries, line, { numCtx: 100_000, fixedTokens: 0, answerTokens: () => 0 })).toHaveLength(1);
    expect(planChunks(entries.slice(0, 3), line, { numCtx: 10, fixedTokens: 50, answerTokens: () => 0 })).toEqual([[entries[0]], [entries[1]], [entries[2]]]);
  });
});
