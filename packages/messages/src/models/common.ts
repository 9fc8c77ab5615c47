import { z } from "zod";
import { PERIODS } from "../period.js";

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
  runId: z.string().min(1),
  period: PeriodSchema,
  key: z.string().min(1),
  window: WindowSchema,
  timezone: z.string().min(1),
});
export type RunRef = z.infer<typeof RunRefSchema>;
