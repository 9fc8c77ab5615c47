import { describe, expect, it } from "vitest";
import { lazyNumstat } from "./read-numstat.js";
import type { LineCounts, NumstatReader } from "./read-numstat.js";

/** A reader that records what reaches it, as git's diff-tree would receive it. */
function recording() {
  const seen: string[] = [];
  let aborted: unknown = null;
  const reader: NumstatReader = {
    add: (sha) => void seen.push(sha),
    finish: async () => new Map<string, LineCounts>(seen.map((sha) => [sha, { additions: 1, deletions: 0, filesChanged: 1, areas: [] }])),
    abort: (reason) => void (aborted = reason),
  };
  return { reader, seen, aborted: () => aborted };
}

describe("lazyNumstat", () => {
  it("starts nothing when no commit is added, and finishes with no counts", async () => {
    let starts = 0;
    const numstat = lazyNumstat(async () => {
      starts += 1;
      return recording().reader;
    });
    expect(await numstat.finish()).toEqual(new Map());
    numstat.abort(new Error("stopped"));
    expect(starts).toBe(0);
  });

  it("starts once, with the first commit, and passes every commit on in order", async () => {
    const inner = recording();
    let starts = 0;
    const numstat = lazyNumstat(async () => {
      starts += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return inner.reader;
    });
    for (const sha of ["a", "b", "c"]) numstat.add(sha);
    const counts = await numstat.finish();
    expect(starts).toBe(1);
    expect(inner.seen).toEqual(["a", "b", "c"]);
    expect([...counts.keys()]).toEqual(["a", "b", "c"]);
  });

  it("reports a start that failed when finishing, and hands an abort to the reader", async () => {
    const failing = lazyNumstat(async () => {
      throw new Error("git is missing");
    });
    failing.add("a");
    await expect(failing.finish()).rejects.toThrow("git is missing");

    const inner = recording();
    const numstat = lazyNumstat(async () => inner.reader);
    numstat.add("a");
    const reason = new Error("cancelled");
    numstat.abort(reason);
    await numstat.finish();
    expect(inner.aborted()).toBe(reason);
  });
});
