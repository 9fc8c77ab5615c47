import { realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { SparkyError } from "@sparky/messages";

export interface RepoAllowlist {
  /** `[collector] repos`: always allowed, as written or resolved. */
  repos: readonly string[];
  /** `[collector] repo_roots`: any folder below one of these is allowed. */
  roots: readonly string[];
  /** Where relative paths in config and requests are resolved from (the service's working folder). */
  cwd: string;
}

function under(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

async function real(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

/**
 * The HTTP API never reads an arbitrary path on the host: a repository named in `POST /runs`
 * must be one of the configured repositories or lie under a configured root. Paths are
 * compared after resolving `..` and, where they exist here, symlinks, so neither can lead
 * out of a root. Returns the paths as given.
 */
export async function assertReposAllowed(requested: readonly string[], allow: RepoAllowlist): Promise<void> {
  const repos = new Set(allow.repos.map((r) => resolve(allow.cwd, r)));
  const realRepos = new Set(await Promise.all([...repos].map(real)));
  const roots = await Promise.all(allow.roots.map(async (r) => ({ lexical: resolve(allow.cwd, r), real: await real(resolve(allow.cwd, r)) })));
  for (const path of requested) {
    const lexical = resolve(allow.cwd, path);
    const actual = await real(lexical);
    const listed = repos.has(lexical) && realRepos.has(actual);
    const rooted = roots.some((root) => under(root.lexical, lexical) && under(root.real, actual));
    if (!listed && !rooted) {
      const where = allow.roots.length ? `under [collector] repo_roots (${allow.roots.join(", ")})` : "under [collector] repo_roots (none configured)";
      throw new SparkyError(
        "SPARKY_REPO_NOT_ALLOWED",
        `repository ${JSON.stringify(path)} is not one of the configured repositories ([collector] repos) nor ${where}: ` +
          "add it, or a folder above it, to the orchestrator's config, or leave repos out to collect the configured ones",
      );
    }
  }
}
