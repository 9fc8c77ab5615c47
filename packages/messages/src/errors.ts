/**
 * Every error Sparky shows a user or sends over a socket carries a stable code, so
 * callers branch on `code`, never on message text, and the CLI decides in one place
 * how each is printed.
 */
export class SparkyError extends Error {
  readonly code: string;
  /** Retrying the same operation later may succeed (peer down, timeout, lock held). */
  readonly transient: boolean;

  constructor(code: string, message: string, options: { transient?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SparkyError";
    this.code = code;
    this.transient = options.transient ?? false;
  }
}

/** The wire form of an error: what replies and events carry. */
export interface ErrorInfo {
  code: string;
  message: string;
  transient: boolean;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof SparkyError) {
    return { code: error.code, message: error.message, transient: error.transient };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "SPARKY_INTERNAL", message, transient: false };
}

export function fromErrorInfo(info: ErrorInfo): SparkyError {
  return new SparkyError(info.code, info.message, { transient: info.transient });
}
