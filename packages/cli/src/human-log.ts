import { Writable } from "node:stream";

const LEVELS: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warning", 50: "error", 60: "fatal" };

/**
 * pino's JSON lines, as one readable line each, for a person running `sparky digest`:
 * `sparky: warning (analyzer): Ollama is not reachable ...`. Services run with
 * `sparky serve` keep JSON logs, and so does `--log-level`, which is for debugging.
 */
export function humanLogStream(out: NodeJS.WritableStream): Writable {
  let pending = "";
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString("utf8");
      for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
        out.write(humanLine(pending.slice(0, end)));
        pending = pending.slice(end + 1);
      }
      done();
    },
  });
}

export function humanLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { level?: number; service?: string; msg?: string; event?: unknown };
    // The run log's transitions (run.stage.failed, run.failed, ...) are for operators: the
    // command prints its own progress and result, so a person would read each failure twice.
    if (typeof entry.event === "string" && entry.event.startsWith("run.")) return "";
    const level = LEVELS[entry.level ?? 30] ?? "log";
    return `sparky: ${level}${entry.service ? ` (${entry.service})` : ""}: ${entry.msg ?? ""}\n`;
  } catch {
    return `${line}\n`;
  }
}
