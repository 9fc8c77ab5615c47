import { z } from "zod";
import { MAX_THEMES } from "./theme-prompts.js";

// What the model is asked for (sent as `format`) ...
export const MapFormat = z.object({
  themes: z
    .array(z.object({ title: z.string().min(1).max(60), summary: z.string().max(200), itemIds: z.array(z.string()).min(1) }))
    .max(MAX_THEMES),
});
export const ReduceFormat = z.object({
  themes: z
    .array(z.object({ title: z.string().min(1).max(60), summary: z.string().max(200), parts: z.array(z.string()).min(1) }))
    .max(MAX_THEMES),
});

// ... and what is accepted back: lengths and counts are fixed up afterwards, and an id
// written as 3, "#5933" or garbage is sorted out by validation (`resolveRef`), not by
// refusing the answer.
const Ref = z.unknown();
export const MapAnswer = z.object({
  themes: z.array(z.object({ title: z.string(), summary: z.string().default(""), itemIds: z.array(Ref) })),
});
export const ReduceAnswer = z.object({
  themes: z.array(z.object({ title: z.string(), summary: z.string().default(""), parts: z.array(Ref) })),
});

/** A proposed theme before validation, whichever step proposed it. */
export interface ProposedTheme {
  title: string;
  summary: string;
  refs: unknown[];
}
