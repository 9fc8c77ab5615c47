import { byText } from "@sparky/messages";
/** Most areas a commit records: a sweeping change is "everywhere", not a list of forty folders. */
export const MAX_AREAS = 10;

/** The area of a file at the repository's root. */
export const ROOT_AREA = "/";

// Folders whose children are the units of a monorepo: `packages/router` is an area, `packages` is not.
const MONOREPO_FOLDERS = new Set(["packages", "apps", "libs", "crates", "services", "plugins", "modules"]);

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

/**
 * A path as `git diff-tree` prints it: C-quoted (`"caf\303\251.txt"`) when it holds bytes
 * outside printable ASCII (core.quotePath), plain otherwise. The octal escapes are UTF-8
 * bytes, so they are decoded together.
 */
export function unquotePath(printed: string): string {
  if (!(printed.length >= 2 && printed.startsWith('"') && printed.endsWith('"'))) return printed;
  const bytes: number[] = [];
  const body = printed.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== "\\") {
      bytes.push(...Buffer.from(char, "utf8"));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      const next = body[i + 1] ?? "";
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * The path a numstat line names, after a rename: git prints a rename as
 * `old => new`, or with the common parts outside braces, `src/{a => b}/x.ts` (either side
 * may be empty: `src/{ => lib}/x.ts`). The commit changed the new path.
 */
export function changedPath(printed: string): string {
  const braces = /\{([^{}]*) => ([^{}]*)\}/.exec(printed);
  if (braces) {
    const joined = printed.slice(0, braces.index) + braces[2]! + printed.slice(braces.index + braces[0].length);
    return unquotePath(joined).replace(/\/{2,}/g, "/").replace(/^\//, "");
  }
  const arrow = printed.indexOf(" => ");
  return unquotePath(arrow >= 0 ? printed.slice(arrow + 4) : printed);
}

/**
 * The area of one file: its top-level folder, a monorepo package's two levels, or `/` at
 * the root. `workspaces`: more folders whose children are packages (see workspaceFolders).
 */
export function areaOf(path: string, workspaces: ReadonlySet<string> = new Set()): string {
  const parts = path.split("/");
  if (parts.length === 1) return ROOT_AREA;
  if (parts.length > 2 && (MONOREPO_FOLDERS.has(parts[0]!) || workspaces.has(parts[0]!))) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

/**
 * Where a commit changed files, from the paths of its numstat lines: each file's area,
 * deduped and sorted. Past MAX_AREAS the areas with the most files are kept (the name
 * breaks ties), so a sweeping change keeps where most of it happened.
 */
export function areasOf(paths: readonly string[], workspaces: ReadonlySet<string> = new Set()): string[] {
  const files = new Map<string, number>();
  for (const path of paths) {
    const area = areaOf(path, workspaces);
    files.set(area, (files.get(area) ?? 0) + 1);
  }
  return [...files]
    .sort((a, b) => b[1] - a[1] || byText(a[0], b[0]))
    .slice(0, MAX_AREAS)
    .map(([area]) => area)
    .sort(byText);
}
