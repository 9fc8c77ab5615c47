/**
 * How every git process of the collector is started, so one place decides what a user's
 * configuration may and may not change in the output we parse.
 */

// Pinned because each one changes what `git log` prints: signatures add lines, colour adds
// escapes, quoting mangles paths, showRoot=false drops the first commit's diff, renames and
// copies change line counts, and a legacy log encoding changes bytes.
const PINNED_CONFIG = [
  "log.showSignature=false",
  "log.mailmap=true",
  "log.showRoot=true",
  "core.quotepath=off",
  "color.ui=never",
  "diff.renames=true",
  "i18n.logOutputEncoding=UTF-8",
] as const;

/** Full argument list for a spawned git: global options first, then the command. */
export function gitArgs(args: readonly string[]): string[] {
  return ["--no-pager", ...PINNED_CONFIG.flatMap((setting) => ["-c", setting]), ...args];
}

// What git needs to find itself and the user's global config (safe.directory, insteadOf, mailmap.file).
const PASSED_ENV = ["PATH", "Path", "HOME", "XDG_CONFIG_HOME", "USERPROFILE", "SystemRoot", "TMPDIR", "TEMP", "TMP"];

/**
 * The environment for every git the collector starts, built from an allowlist rather than
 * inherited: a GIT_DIR left by a hook would make git read another repository, and messages
 * must be in English so that "not a git repository" can be recognised.
 */
export function gitEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const key of PASSED_ENV) if (env[key] !== undefined) clean[key] = env[key];
  clean.LC_ALL = "C";
  clean.LANGUAGE = "C";
  return clean;
}
