import type { BackfillProgress } from "@sparky/orchestrator";

/** 95 s -> "1m 35s"; an hour and more -> "2h 05m". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** `12/91 done, 1 failed, now daily-2026-09-13, ETA 3m 20s` */
export function formatProgress(p: BackfillProgress): string {
  const parts = [`${p.done}/${p.total} done`];
  if (p.skipped) parts.push(`${p.skipped} already succeeded`);
  parts.push(`${p.failed.length} failed`);
  if (p.current) parts.push(`now ${p.current}`);
  parts.push(`ETA ${p.etaMs === null ? "estimating" : formatDuration(p.etaMs)}`);
  return parts.join(", ");
}

/**
 * Progress on stderr: on a terminal one line rewritten in place; otherwise (a log file, CI)
 * one plain line as each period starts, so nothing is lost and no escape codes appear.
 */
export function progressWriter(stderr: NodeJS.WritableStream): { update(p: BackfillProgress): void; end(): void } {
  const tty = (stderr as { isTTY?: boolean }).isTTY === true;
  let drawn = false;
  return {
    update(p) {
      if (tty) {
        stderr.write(`\r\x1b[Ksparky backfill: ${formatProgress(p)}`);
        drawn = true;
      } else if (p.current) {
        stderr.write(`sparky backfill: ${formatProgress(p)}\n`);
      }
    },
    end() {
      if (drawn) stderr.write("\n");
      drawn = false;
    },
  };
}
