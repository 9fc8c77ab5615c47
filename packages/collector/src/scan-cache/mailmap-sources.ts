import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { readOrEmpty } from "./scan-cache-store.js";

/**
 * Where git could take a mailmap from, for this repository:
 * - `none`: nowhere, identities are as recorded and no process is needed to apply them;
 * - `file`: only the work tree's `.mailmap`, so the mapping is a function of its bytes
 *   (`key`, their hash) and can be remembered from one run to the next;
 * - `git`: a mailmap, include or worktreeConfig setting in a config git reads, or a bare repository (which
 *   reads HEAD:.mailmap): only git can say, each time.
 * In doubt, `git`. Synchronous: a few small reads, cheaper than trips through libuv's
 * thread pool (see historyFingerprint).
 */
export type MailmapSource = { kind: "none" } | { kind: "file"; key: string } | { kind: "git" };

export function mailmapSource(repository: { path: string; bare: boolean; commonGitDir: string }): MailmapSource {
  if (repository.bare) return { kind: "git" };
  const home = process.env.HOME ?? homedir();
  const xdg = process.env.XDG_CONFIG_HOME ?? join(home, ".config");
  const configs = [
    join(repository.commonGitDir, "config"),
    join(repository.commonGitDir, "config.worktree"),
    join(home, ".gitconfig"),
    join(xdg, "git", "config"),
    "/etc/gitconfig",
  ];
  // worktreeConfig: a linked work tree's own config.worktree (in its git folder, not read here) may set mailmap.file.
  for (const file of configs) if (/mailmap|include|worktreeConfig/i.test(readOrEmpty(file))) return { kind: "git" };
  const mailmap = join(repository.path, ".mailmap");
  if (!existsSync(mailmap)) return { kind: "none" };
  try {
    return { kind: "file", key: createHash("sha256").update(readFileSync(mailmap)).digest("hex") };
  } catch {
    // There, but not a readable file (a folder, no permission): git knows what to make of it.
    return { kind: "git" };
  }
}
