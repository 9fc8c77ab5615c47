import { describe, expect, it } from "vitest";
import { checkNarrative } from "./check-narrative.js";

const GROUNDING = { numbers: [3, 12, 4, 2026], names: ["Alice Liddell", "acme/api"], vocabulary: ["week 2026-W48"] };
const check = (text: string, doneReason: string | null = "stop") => checkNarrative({ text, doneReason }, GROUNDING);

describe("checkNarrative", () => {
  it("keeps a whole, grounded paragraph, without the preamble and emphasis a model adds", () => {
    expect(check("Sure! Here is the paragraph:\n\n**Alice Liddell** made 12 commits in acme/api.")).toEqual({
      text: "Alice Liddell made 12 commits in acme/api.",
      problems: [],
    });
  });

  it("refuses an answer cut off by the length limit, whatever it says", () => {
    expect(check("Alice Liddell made 12 commits.", "length").problems).toEqual(["it was cut off by the length limit (done_reason: length)"]);
  });

  it("refuses a paragraph that stops mid-sentence or lists bare numbers", () => {
    expect(check("Alice Liddell made 12 commits, 3, contributors, 4, act").problems).toEqual([
      "it does not end a sentence (it may have been cut off)",
      "it reads as a list of bare numbers, not sentences",
    ]);
    expect(check("12, 3, 4.").problems).toEqual(["it reads as a list of bare numbers, not sentences"]);
  });

  it("lets figures in prose through", () => {
    expect(check("In week 2026-W48, 3 contributors made 12 commits, 4 merges and 3 reviews.").problems).toEqual([]);
  });
});
