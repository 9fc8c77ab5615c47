import { z } from "zod";

/**
 * `output/quiet-days.json`: the daily runs that found no activity at all and, under
 * `[generator] empty_days = "skip"`, wrote no digest. It is how the index still lists such a
 * day and how the publisher tells a skipped day from a digest that is missing. Sorted by
 * key; the same days give the same bytes.
 */
export const QuietDaySchema = z.object({
  key: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  runId: z.string(),
  /** Repositories collected that day, all without activity. */
  repositories: z.number().int().nonnegative(),
});
export const QuietDaysSchema = z.object({
  schema: z.literal("sparky.quiet-days/1"),
  days: z.array(QuietDaySchema),
});
export type QuietDay = z.infer<typeof QuietDaySchema>;
export type QuietDays = z.infer<typeof QuietDaysSchema>;
