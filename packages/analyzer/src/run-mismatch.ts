import type { RunRef, Window } from "@sparky/messages";

/**
 * Two windows are the same when they bound the same instants: the collector may write
 * `+00:00` where the orchestrator wrote `Z`, and that is no reason to refuse a run.
 */
export function sameWindow(a: Window, b: Window): boolean {
  return Date.parse(a.start) === Date.parse(b.start) && Date.parse(a.end) === Date.parse(b.end);
}

/** Why `actual` does not describe the run `expected`, or null when it does. */
export function runMismatch(expected: RunRef, actual: RunRef): string | null {
  const differences: string[] = [];
  for (const field of ["runId", "period", "key", "timezone"] as const) {
    if (expected[field] !== actual[field]) differences.push(`${field} is "${actual[field]}", expected "${expected[field]}"`);
  }
  if (!sameWindow(expected.window, actual.window)) {
    differences.push(
      `window is ${actual.window.start} .. ${actual.window.end}, expected ${expected.window.start} .. ${expected.window.end}`,
    );
  }
  return differences.length === 0 ? null : differences.join("; ");
}
