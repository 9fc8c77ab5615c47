import { SparkyError } from "@sparky/messages";
import { redactUrl } from "./redact-url.js";

/** The message of a git failure, redacted, without blank lines and without git's advice hints. */
export function gitErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactUrl(
    text
      .split("\n")
      .map((line) => line.trimEnd())
      .filter((line) => line !== "" && !line.startsWith("hint:"))
      .join("\n"),
  );
}

/**
 * Run one git operation and turn a failure into a coded error that says which operation
 * failed where. The raw error is not attached as `cause`: it holds unredacted git output,
 * and loggers print causes.
 */
export async function gitStep<T>(what: string, where: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SparkyError) throw error;
    const detail = gitErrorText(error);
    // The index, HEAD, a branch or packed-refs: git names the lock it could not take.
    const lock = /Unable to create '([^']+\.lock)': File exists/i.exec(detail)?.[1];
    if (lock) {
      // Someone (a person or another tool) is running git in the docs repo right now.
      throw new SparkyError(
        "SPARKY_DOCS_LOCKED",
        `${what} in ${redactUrl(where)} failed because another git process holds the lock ${lock}: retry later, ` +
          `or remove that file if no git command is running there\n${detail}`,
        { transient: true },
      );
    }
    throw new SparkyError("SPARKY_GIT_FAILED", `${what} in ${redactUrl(where)} failed:\n${detail}`);
  }
}
