import { execFile } from "node:child_process";
import { gitArgs, gitEnv } from "./git-command.js";

// `packages/*`, `apps/**`, `./tools/*`: a folder whose children are workspace packages.
const ONE_LEVEL_GLOB = /^(?:\.\/)?([^*!/][^*/]*)\/\*{1,2}\/?$/;

/**
 * HEAD's version of each file, null where HEAD has none (or git cannot say): one
 * `git cat-file --batch` for all of them, each git costing a fork of this whole process.
 */
export function filesAtHead(repoPath: string, paths: readonly string[]): Promise<(string | null)[]> {
  return new Promise((resolve) => {
    // --follow-symlinks: a file committed as a symlink is read where it points, as pnpm and npm read it.
    const child = execFile("git", gitArgs(["cat-file", "--batch", "--follow-symlinks"]), { cwd: repoPath, env: gitEnv(), maxBuffer: 4 << 20, encoding: "buffer" }, (_error, stdout) =>
      // Also on a failure: a file over maxBuffer must not lose the ones printed before it (a cut one reads as null).
      resolve(parseBatch(stdout ?? Buffer.alloc(0), paths.length)),
    );
    // git may exit (no repository) before reading its stdin; its exit status already answers,
    // so the write's EPIPE must not surface as an unhandled error.
    child.stdin?.on("error", () => {});
    child.stdin?.end(paths.map((path) => `HEAD:${path}\n`).join(""));
  });
}

/**
 * `<sha> blob <size>\n<bytes>\n` per object found, `<name> missing\n` (or ambiguous) per one not,
 * `<symlink|dangling|loop|notdir> <size>\n<bytes>\n` per symlink that leads nowhere in the tree.
 */
function parseBatch(out: Buffer, count: number): (string | null)[] {
  // Null until read: a file after the end of the output (git failed, or maxBuffer cut it) stays null.
  const files = Array<string | null>(count).fill(null);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const end = out.indexOf(0x0a, at);
    if (end < 0) break;
    const line = out.toString("utf8", at, end);
    const header = /^[0-9a-f]{40,64} (\w+) (\d+)$/.exec(line) ?? /^(symlink|dangling|loop|notdir) (\d+)$/.exec(line);
    at = end + 1;
    if (!header) continue;
    const size = Number(header[2]);
    if (at + size > out.length) break; // its bytes are not all there
    if (header[1] === "blob") files[i] = out.toString("utf8", at, at + size);
    at += size + 1;
  }
  return files;
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
 * there. One small read of HEAD; none of it is required: a missing or odd file adds nothing.
 */
export async function workspaceFolders(repoPath: string): Promise<string[]> {
  // A byte order mark (Windows editors) is skipped, as pnpm's YAML and npm's JSON readers skip it.
  const [pnpm, pkg] = (await filesAtHead(repoPath, ["pnpm-workspace.yaml", "package.json"])).map((text) => text?.replace(/^\uFEFF/, "") ?? null);
  return [...new Set(foldersOfGlobs([...(pnpm ? pnpmGlobs(pnpm) : []), ...(pkg ? packageJsonGlobs(pkg) : [])]))].sort();
}
