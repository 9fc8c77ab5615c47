import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { OUTPUT_FILES } from "@sparky/messages";
import type { QuietDay } from "@sparky/messages";
import { writeFileAtomic } from "@sparky/harness";
import { buildDigestIndex, digestIndexBytes, readPreviousIndex } from "./digest-index.js";
import type { IndexSources } from "./digest-index.js";
import { renderFeed } from "./render-feed.js";
import type { FeedOptions } from "./render-feed.js";
import { readDigestEntries, renderIndex } from "./render-index.js";
import { quietDaysBytes, readQuietDays, withQuietDay } from "./quiet-days.js";

export interface ListingResult {
  index: string;
  feed: string;
  digests: number;
}

/**
 * Rewrite what lists the digests: the quiet-day ledger (when `change` alters it), the Atom
 * feed, the index page and the dashboard's JSON index. Called after the digest is in place, so neither lists a digest
 * that is not there yet. Every text is rendered before the first file is replaced, and each
 * replacement is an atomic rename checked by `guard`: a failure part-way leaves each file
 * whole, and the next run rewrites all four from the digests on disk.
 */
export async function writeListing(
  outputDir: string,
  options: {
    change: { add: QuietDay } | { remove: string };
    feed: FeedOptions;
    digestIndex: Omit<IndexSources, "previous">;
    guard?: () => Promise<void>;
  },
): Promise<ListingResult> {
  const before = await readQuietDays(outputDir);
  const ledger = withQuietDay(before, options.change);
  const entries = await readDigestEntries(outputDir);
  const feed = renderFeed(entries, options.feed);
  const index = renderIndex(entries, ledger.days);
  const digestIndex = await buildDigestIndex(entries, ledger.days, { ...options.digestIndex, previous: await readPreviousIndex(outputDir) });
  const paths = {
    ledger: join(outputDir, OUTPUT_FILES.quietDays),
    feed: join(outputDir, OUTPUT_FILES.feed),
    index: join(outputDir, OUTPUT_FILES.index),
    digestIndex: join(outputDir, OUTPUT_FILES.digestIndex),
  };
  const bytes = quietDaysBytes(ledger);
  // No ledger until the first quiet day, and none rewritten when it did not change.
  const existing = await readFile(paths.ledger, "utf8").catch(() => null);
  const writeLedger = existing !== bytes && (existing !== null || ledger.days.length > 0);
  // Side by side: none depends on another, and each waits on its own flush to disk. All have
  // finished, written or not, before a failure is reported.
  const written = await Promise.allSettled([
    writeLedger ? writeFileAtomic(paths.ledger, bytes, { beforeRename: options.guard }) : undefined,
    writeFileAtomic(paths.feed, feed, { beforeRename: options.guard }),
    writeFileAtomic(paths.index, index, { beforeRename: options.guard }),
    writeFileAtomic(paths.digestIndex, digestIndexBytes(digestIndex), { beforeRename: options.guard }),
  ]);
  const failed = written.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  return { index: paths.index, feed: paths.feed, digests: entries.length };
}
