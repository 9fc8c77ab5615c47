import { z } from "zod";
import { PERIODS } from "../period.js";
import { PeriodKeySchema, RunIdSchema } from "../path-fields.js";

export const IsoTime = z.string().datetime({ offset: true });
export const PeriodSchema = z.enum(PERIODS);
export const WindowSchema = z.object({ start: IsoTime, end: IsoTime });
export const ErrorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  transient: z.boolean(),
});

/** What identifies one run of one period; every command and manifest carries it. */
export const RunRefSchema = z.object({
  // Both become file names (state/runs/<runId>.json, raw/<key>/, processed/<period>/<key>.json).
  runId: RunIdSchema,
  period: PeriodSchema,
  key: PeriodKeySchema,
  window: WindowSchema,
  timezone: z.string().min(1),
});
export type RunRef = z.infer<typeof RunRefSchema>;
