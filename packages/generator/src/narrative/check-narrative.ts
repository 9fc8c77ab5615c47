import { checkGrounding, oneLine, tidyProse } from "@sparky/llm";
import type { GroundingFacts } from "@sparky/llm";

export const MAX_CHARS = 900;

export interface NarrativeCheck {
  /** The paragraph as it would be shown: one line, preamble and emphasis removed. */
  text: string;
  /** Why it may not be shown; empty when it may. */
  problems: string[];
}

// A sentence ends with . ! or ?, perhaps inside a closing quote or bracket.
const SENTENCE_END = /[.!?]["'”’)\]]*$/;
const BARE_NUMBER = /^[-+−]?\d[\d.,]*%?$/u;

/**
 * Whether the text reads as a list of figures rather than sentences: two or more
 * comma-separated parts that are a number alone ("..., 3, contributors, 1, act"), or mostly
 * numbers. A model that runs out of room or loses the thread writes this, not prose.
 */
function readsAsNumberList(text: string): boolean {
  const parts = text.split(/[,;]/).map((p) => p.trim().replace(/[.!?]+$/, ""));
  if (parts.filter((p) => BARE_NUMBER.test(p)).length >= 2) return true;
  const tokens = text.split(/[\s,;:]+/).map((t) => t.replace(/[.!?]+$/, "")).filter((t) => t !== "");
  return tokens.length >= 4 && tokens.filter((t) => BARE_NUMBER.test(t)).length * 2 >= tokens.length;
}

/** Problems of form: a paragraph cut off, empty, too long, unfinished or a list of numbers. */
function shapeProblems(text: string, doneReason: string | null): string[] {
  if (doneReason === "length") return ["it was cut off by the length limit (done_reason: length)"];
  if (text === "") return ["it is empty"];
  if (text.length > MAX_CHARS) return [`it is longer than ${MAX_CHARS} characters`];
  const problems: string[] = [];
  if (!SENTENCE_END.test(text)) problems.push("it does not end a sentence (it may have been cut off)");
  if (readsAsNumberList(text)) problems.push("it reads as a list of bare numbers, not sentences");
  return problems;
}

/**
 * Whether a model's paragraph may open the digest: whole (not cut off by `num_predict`,
 * ending a sentence, prose rather than a list of numbers) and grounded (every number a
 * figure, every name a contributor or repository, no link or markup). Form it merely
 * decorates with (a preamble, emphasis) is removed first; see `tidyProse`.
 */
export function checkNarrative(answer: { text: string; doneReason: string | null }, grounding: GroundingFacts): NarrativeCheck {
  const text = oneLine(tidyProse(answer.text), Number.MAX_SAFE_INTEGER);
  const shape = shapeProblems(text, answer.doneReason);
  // A cut-off answer is refused whatever it says: its grounding is beside the point.
  if (shape.length > 0 && (answer.doneReason === "length" || text === "")) return { text, problems: shape };
  return { text, problems: [...shape, ...checkGrounding(text, grounding)] };
}
