import { z } from "zod";

/**
 * For a process that validates each schema a handful of times and exits (`sparky digest`,
 * `sparky resume`): zod then interprets its schemas instead of compiling each one to code
 * on first use. The compile pays off over thousands of messages in a long-running service,
 * but for one digest it was a large share of start-up (about 0.1 s for the config schema
 * alone). Validation is the same either way; only how it runs differs.
 *
 * zod decides when a schema is built, so this must run before any module that builds schemas
 * is imported: import it alone, as "@sparky/messages/one-shot" (the CLI does, before loading
 * the command).
 */
export function validateForOneShot(): void {
  z.config({ jitless: true });
}
