import { SparkyError, countOf, localDay } from "@sparky/messages";
import type { RunRecord, StageResults } from "@sparky/messages";

/** A quiet window is a failed request when the user asked for it explicitly. */
export function checkNotEmpty(record: RunRecord, result: StageResults["collect"], newest: string | null): void {
  // Pull requests, reviews, issues and releases (GitHub's `activity`) make a day worth a digest too.
  if (record.allowEmpty || result.commits + result.merges + (result.activity ?? 0) > 0) return;
  // The day in the run's time zone, as `--date latest` would take it.
  const day = newest ? localDay(Date.parse(newest), record.timezone) : null;
  // GitHub manifests carry the last push (there is no `--date latest` for an organisation).
  const hint = record.org
    ? day
      ? `the newest push is on ${day}: try --date ${day}`
      : "no repository was pushed to since the previous period began"
    : day
      ? `the newest commit is on ${day}: try --date ${day} or --date latest`
      : "the repositories have no commits";
  const where = record.org
    ? `GitHub organisation ${record.org} (${countOf(result.repositories, "repository", "repositories")} pushed to since the previous period began)`
    : countOf(record.repos.length, "repository", "repositories");
  const what = record.org ? "no commits, pull requests, reviews, issues or releases" : "no commits";
  throw new SparkyError("SPARKY_EMPTY_WINDOW", `${what} between ${record.window.start} and ${record.window.end} in ${where}; ${hint}`);
}
