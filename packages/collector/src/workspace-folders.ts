import { execFile } from "node:child_process";
import { gitArgs, gitEnv } from "./git-command.js";

// `packages/*`, `apps/**`, `./tools/*`: a folder whose children are workspace packages.
const ONE_LEVEL_GLOB = /^(?:\.\/)?([^*!/][^*/]*)\/\*{1,2}\/?$/;

/** HEAD's version of a file, null when HEAD has none (or git cannot say). */
function fileAtHead(repoPath: string, path: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("git", gitArgs(["show", `HEAD:${path}`]), { cwd: repoPath, env: gitEnv(), maxBuffer: 1 << 20 }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });
}

/** The globs of pnpm-workspace.yaml's `packages:` list: the one shape it has in practice, read without a YAML parser. */
export function pnpmGlobs(yaml: string): string[] {
  const globs: string[] = [];
  let inPackages = false;
  for (const line of yaml.split("\n")) {
    if (/^\S/.test(line)) inPackages = /^packages\s*:/.test(line);
    const item = inPackages ? /^\s*-\s*(['"]?)([^'"#]+?)\1\s*(?:#.*)?$/.exec(line) : null;
    if (item) globs.push(item[2]!.trim());
  }
  return globs;
}

/** The globs of package.json's `workspaces` (npm, yarn: an array, or `{ packages: [...] }`). */
export function packageJsonGlobs(json: string): string[] {
  try {
    const workspaces = (JSON.parse(json) as { workspaces?: unknown }).workspaces;
    const list = Array.isArray(workspaces) ? workspaces : (workspaces as { packages?: unknown } | undefined)?.packages;
    return Array.isArray(list) ? list.filter((g): g is string => typeof g === "string") : [];
  } catch {
    return [];
  }
}

/** Top-level folders whose children are packages, from globs such as `packages/*`. */
export function foldersOfGlobs(globs: readonly string[]): string[] {
  return globs.map((glob) => ONE_LEVEL_GLOB.exec(glob.trim())?.[1]).filter((folder): folder is string => folder !== undefined);
}

/**
 * The workspace folders HEAD declares (pnpm-workspace.yaml, package.json `workspaces`),
 * so `tools/<name>` is an area of its own in a repository that says its packages live
 * there. Two small reads of HEAD; none of it is required: a missing or odd file adds nothing.
 */
export async function workspaceFolders(repoPath: string): Promise<string[]> {
  const [pnpm, pkg] = await Promise.all([fileAtHead(repoPath, "pnpm-workspace.yaml"), fileAtHead(repoPath, "package.json")]);
  return [...new Set(foldersOfGlobs([...(pnpm ? pnpmGlobs(pnpm) : []), ...(pkg ? packageJsonGlobs(pkg) : [])]))].sort();
}
