import { describe, expect, it } from "vitest";
import type { RunRecord } from "@sparky/messages";
import { runNote } from "./run-note.js";

const record = (generate: Record<string, unknown> | null) =>
  ({
    runId: "daily-2026-11-22",
    state: "succeeded",
    collection: null,
    waiting: null,
    stages: [{ stage: "generate", state: "succeeded", startedAt: null, finishedAt: null, attempts: [], result: generate }],
  }) as unknown as RunRecord;

describe("runNote", () => {
  it("says a quiet day got no digest, and why", () => {
    expect(runNote(record({ skipped: "quiet day", digest: "" }))).toBe(
      'quiet day: no activity, no digest written ([generator] empty_days = "skip"); the index lists the day',
    );
  });

  it("says nothing of a run that wrote its digest, or of an older record without the field", () => {
    expect(runNote(record({ digest: "/out/daily/2026-11-22.md" }))).toBeNull();
    expect(runNote(record(null))).toBeNull();
  });
});
