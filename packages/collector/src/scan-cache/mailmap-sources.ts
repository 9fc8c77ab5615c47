import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Whether git could map any identity of this repository through a mailmap: a `.mailmap` in
 * the work tree, any mailmap (or include) setting in the configs git reads, or a bare
 * repository (which reads HEAD:.mailmap). When none can, identities are as recorded and
 * the run saves the process that would apply them. In doubt, yes.
 */
export async function mayHaveMailmap(repository: { path: string; bare: boolean; commonGitDir: string }): Promise<boolean> {
  if (repository.bare) return true;
  if (await exists(join(repository.path, ".mailmap"))) return true;
  const home = process.env.HOME ?? homedir();
  const xdg = process.env.XDG_CONFIG_HOME ?? join(home, ".config");
  const configs = [join(repository.commonGitDir, "config"), join(home, ".gitconfig"), join(xdg, "git", "config"), "/etc/gitconfig"];
  for (const file of configs) {
    const text = await readFile(file, "utf8").catch(() => "");
    if (/mailmap|include/i.test(text)) return true;
  }
  return false;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
