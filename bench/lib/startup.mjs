import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const PRELOAD = fileURLToPath(new URL("./max-rss.cjs", import.meta.url));

/** One run of `node -r max-rss ARGS`: wall time (ms, spawn included) and peak RSS (MiB). */
export function measure(args, options = {}) {
  const t = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["-r", PRELOAD, ...args], { encoding: "utf8", ...options });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const kb = Number(/max-rss-kb=(\d+)/.exec(child.stderr ?? "")?.[1] ?? NaN);
  if (child.status !== 0) throw new Error(`node ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
  return { ms, mib: kb / 1024, stdout: child.stdout };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const spread = (xs) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;

/**
 * Alternate the cases round by round, so machine noise hits each alike; print each case's
 * median wall time and peak RSS (with the spread over rounds) and its ratio to the first.
 */
export function compare(cases, rounds, options = {}) {
  const results = cases.map(() => ({ ms: [], mib: [] }));
  for (let round = 0; round < rounds; round++) {
    cases.forEach(([, args], i) => {
      const { ms, mib } = measure(args, options);
      results[i].ms.push(ms);
      results[i].mib.push(mib);
    });
  }
  const base = results[0];
  return cases.map(([name], i) => {
    const r = results[i];
    const wall = median(r.ms) / median(base.ms);
    const rss = median(r.mib) / median(base.mib);
    return { name, ms: median(r.ms), mib: median(r.mib), msSpread: spread(r.ms), mibSpread: spread(r.mib), wall, rss };
  });
}

export function printRows(rows, target) {
  for (const r of rows) {
    const ok = r.wall <= target && r.rss <= target ? "OK" : "OVER";
    console.log(
      `${r.name.padEnd(28)} wall ${r.ms.toFixed(0).padStart(5)} ms (${r.msSpread})  peak RSS ${r.mib.toFixed(1).padStart(6)} MiB (${r.mibSpread})` +
        (r === rows[0] ? "  baseline" : `  ratio wall ${r.wall.toFixed(2)}x rss ${r.rss.toFixed(2)}x (target <= ${target}x) ${ok}`),
    );
  }
}
