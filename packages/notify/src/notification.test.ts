import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunRecord } from "@sparky/messages";
import { buildNotification } from "./notification.js";

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), "sparky-notification-"));
});
afterEach(() => rm(out, { recursive: true, force: true }));

const LLM = { calls: 0, cached: 0, promptTokens: 0, warning: null };
function record(generate: Record<string, unknown>): RunRecord {
  return {
    runId: "daily-2026-11-22",
    period: "daily",
    key: "2026-11-22",
    trigger: "schedule",
    state: "succeeded",
    finishedAt: "2026-11-23T06:00:10.000Z",
    reason: null,
    stages: [
      { stage: "generate", state: "succeeded", startedAt: null, finishedAt: null, attempts: [], result: { relativePath: "daily/2026-11-22.md", index: join(out, "index.md"), sha256: "", narrativeSource: "template", narrativeReason: null, llm: LLM, ...generate } },
    ],
  } as unknown as RunRecord;
}

describe("buildNotification", () => {
  it("links the digest by its path in the docs repository, under docs_subdir when set", async () => {
    await mkdir(join(out, "daily"));
    await writeFile(join(out, "daily", "2026-11-22.md"), "---\ntitle: \"Daily digest: 2026-11-22\"\n---\n\n# Daily digest: 2026-11-22\n\nBusy day.\n");
    const options = { outputDir: out, docsWebUrl: "https://github.com/acme/docs/blob/main/{path}", docsSubdir: "docs/digests" };
    const notification = await buildNotification(record({ digest: join(out, "daily", "2026-11-22.md") }), options);
    expect(notification.digest).toMatchObject({ path: "docs/digests/daily/2026-11-22.md", url: "https://github.com/acme/docs/blob/main/docs/digests/daily/2026-11-22.md", summary: "Busy day." });
  });

  it("has no digest to link for a quiet day skipped without one", async () => {
    const notification = await buildNotification(record({ digest: "", skipped: "quiet day" }), { outputDir: out, docsWebUrl: "" });
    expect(notification).toMatchObject({ event: "run.succeeded", digest: null });
  });
});
