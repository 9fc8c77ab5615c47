import { join } from "node:path";
import { OUTPUT_FILES, QuietDaysSchema, SparkyError, byText } from "@sparky/messages";
import type { QuietDay, QuietDays } from "@sparky/messages";
import { readJson } from "@sparky/harness";

/** The ledger of skipped quiet days in `outputDir`; empty when there is none yet. */
export async function readQuietDays(outputDir: string): Promise<QuietDays> {
  try {
    return await readJson(join(outputDir, OUTPUT_FILES.quietDays), QuietDaysSchema, "quiet-day ledger");
  } catch (error) {
    if (error instanceof SparkyError && error.code === "SPARKY_FILE_MISSING") return { schema: "sparky.quiet-days/1", days: [] };
    if (error instanceof SparkyError) {
      throw new SparkyError(
        "SPARKY_QUIET_DAYS_INVALID",
        `${error.message}; it lists the quiet days the index shows: fix it or delete it (the next quiet day starts a new one)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** The ledger with `day` recorded (replacing an older record of the same key), or without `key`. */
export function withQuietDay(ledger: QuietDays, change: { add: QuietDay } | { remove: string }): QuietDays {
  const key = "add" in change ? change.add.key : change.remove;
  const days = ledger.days.filter((d) => d.key !== key);
  if ("add" in change) days.push(change.add);
  days.sort((a, b) => byText(a.key, b.key));
  return { schema: "sparky.quiet-days/1", days };
}

export function quietDaysBytes(ledger: QuietDays): string {
  return `${JSON.stringify(ledger, null, 2)}\n`;
}
