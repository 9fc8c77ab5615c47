import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Whether git could map any identity of this repository through a mailmap: a `.mailmap` in
 * the work tree, any mailmap (or include) setting in the configs git reads, or a bare
 * repository (which reads HEAD:.mailmap). When none can, identities are as recorded and
 * the run saves the process that would apply them. In doubt, yes. Synchronous: a few small
 * reads, cheaper than trips through libuv's thread pool (see historyFingerprint).
 */
export function mayHaveMailmap(repository: { path: string; bare: boolean; commonGitDir: string }): boolean {
  if (repository.bare) return true;
  if (existsSync(join(repository.path, ".mailmap"))) return true;
  const home = process.env.HOME ?? homedir();
  const xdg = process.env.XDG_CONFIG_HOME ?? join(home, ".config");
  const configs = [join(repository.commonGitDir, "config"), join(home, ".gitconfig"), join(xdg, "git", "config"), "/etc/gitconfig"];
  for (const file of configs) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      // No such config: nothing in it can name a mailmap.
    }
    if (/mailmap|include/i.test(text)) return true;
  }
  return false;
}
