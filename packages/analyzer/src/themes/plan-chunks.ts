import { estimateTokens } from "@sparky/llm";

export interface ChunkBudget {
  /** The model's context window (`num_ctx`). */
  numCtx: number;
  /** Tokens of the prompt around the lines: system prompt, headings, the repair turn's room. */
  fixedTokens: number;
  /** Tokens to keep free for the answer to `n` lines. */
  answerTokens: (n: number) => number;
}

/**
 * Split `entries` into runs whose prompt (fixed part plus one line each, numbered from 1)
 * and answer fit the context window, in order. Each run holds at least one entry, so a
 * window too small for a single line still makes progress rather than loop.
 */
export function planChunks<T>(entries: readonly T[], lineOf: (entry: T, ref: number) => string, budget: ChunkBudget): T[][] {
  const chunks: T[][] = [];
  const cost = (entry: T, ref: number) => estimateTokens(lineOf(entry, ref)) + 1; // + the newline
  let current: T[] = [];
  let lineTokens = 0;
  for (const entry of entries) {
    let tokens = cost(entry, current.length + 1);
    const fits = budget.fixedTokens + lineTokens + tokens + budget.answerTokens(current.length + 1) <= budget.numCtx;
    if (!fits && current.length > 0) {
      chunks.push(current);
      current = [];
      lineTokens = 0;
      tokens = cost(entry, 1);
    }
    current.push(entry);
    lineTokens += tokens;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
