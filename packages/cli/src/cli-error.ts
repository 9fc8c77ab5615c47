// The subpath: the error class alone, without the schemas (zod) the package index loads.
import { SparkyError } from "@sparky/messages/errors";

/** Wrong arguments: exit code 2, and the message says what to type instead. */
export class UsageError extends SparkyError {
  override readonly name = "UsageError";
  constructor(message: string) {
    super("SPARKY_USAGE", message);
  }
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The one place that decides how an error is shown and which exit code it gets. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof SparkyError) {
    stderr.write(`sparky: ${error.message}\n`);
    const usage = error instanceof UsageError || error.code.startsWith("SPARKY_CONFIG") || error.code.startsWith("SPARKY_BAD_");
    return usage ? EXIT.usage : EXIT.failed;
  }
  const err = error as Error;
  stderr.write(`sparky: unexpected error: ${err?.message ?? String(error)}\n`);
  if (process.env.SPARKY_DEBUG) stderr.write(`${err?.stack}\n`);
  else stderr.write("sparky: set SPARKY_DEBUG=1 for the stack trace, and please report it\n");
  return EXIT.failed;
}
