import { z } from "zod";

/**
 * Fields of a message that end up in a file path (run id, period key, organisation,
 * repository names, local repository paths). Each has one pattern, here in the contract,
 * so every service refuses the same values at its boundary before any path is built:
 * `../../x`, `/etc`, NUL bytes, overlong values and unicode look-alikes (`２０２６`, `‥`,
 * U+2010 hyphens) never match, because the patterns admit ASCII only.
 */

/** `2026-11-26`, `2026-W48`, `2026-11`: the only period keys a run id derives. */
export const PERIOD_KEY_PATTERN = /^\d{4}-(?:\d{2}-\d{2}|W\d{2}|\d{2})$/;
/** `daily-2026-11-26`, `weekly-2026-W48`, `monthly-2026-11`. */
export const RUN_ID_PATTERN = /^(?:daily|weekly|monthly)-\d{4}-(?:\d{2}-\d{2}|W\d{2}|\d{2})$/;
/** A GitHub login (user or organisation): letters, digits, single hyphens inside, at most 39. */
export const GITHUB_LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** One file-name segment of a repository (owner or name): no separators, not `.` or `..`. */
export const NAME_SEGMENT_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
/** Longest local repository path accepted in a command. */
export const MAX_REPO_PATH = 1024;

const pathProblem = (value: string): string | null => {
  if (value.length > MAX_REPO_PATH) return `is longer than ${MAX_REPO_PATH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return "contains a control character (NUL, newline, ...)";
  // Bidirectional and invisible format characters make a path read differently than it is.
  if (/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.test(value)) return "contains an invisible or bidirectional formatting character";
  if (value.startsWith("-")) return 'starts with "-" (git would read it as an option)';
  if (value.normalize("NFC") !== value) return "is not in Unicode normal form C";
  return null;
};

export const RunIdSchema = z.string().regex(RUN_ID_PATTERN, {
  message: "invalid run id: expected e.g. daily-2026-11-26, weekly-2026-W48 or monthly-2026-11",
});
export const PeriodKeySchema = z.string().regex(PERIOD_KEY_PATTERN, {
  message: "invalid period key: expected e.g. 2026-11-26, 2026-W48 or 2026-11",
});
export const GithubLoginSchema = z.string().regex(GITHUB_LOGIN_PATTERN, {
  message: "invalid GitHub organisation: letters, digits and single inner hyphens, at most 39 characters",
});
export const NameSegmentSchema = z.string().regex(NAME_SEGMENT_PATTERN, {
  message: 'invalid repository owner or name: letters, digits, ".", "_" and "-", at most 100, not "." or ".."',
});
/** A local repository path in a command: any folder, but no bytes that could smuggle meaning. */
export const RepoPathSchema = z.string().min(1).superRefine((value, ctx) => {
  const problem = pathProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: `invalid repository path: it ${problem}` });
});
/**
 * A path relative to a manifest's folder: segments separated by "/", none empty, `.` or
 * `..`, no backslash or control character. Local folder names may be any unicode, so the
 * segments are not restricted further: what matters is that the path stays in its folder.
 */
export const RelativeFileSchema = z.string().superRefine((value, ctx) => {
  const parts = value.split("/");
  const bad = (part: string) => part === "" || part === "." || part === ".." || /[\\\u0000-\u001f\u007f]/.test(part);
  if (value.length > 1024 || parts.some(bad)) {
    ctx.addIssue({ code: "custom", message: 'invalid relative file: name segments separated by "/", no "..", not absolute' });
  }
});

/** The run id a period and key give; a payload whose run id disagrees names a different folder than it claims. */
export function runIdMatchesKey(ref: { runId: string; period: string; key: string }): boolean {
  return ref.runId === `${ref.period}-${ref.key}`;
}
