import { basename } from "node:path";
import { parseRemoteUrl } from "./remote-url.js";

export interface RepositoryName {
  owner: string;
  name: string;
  webUrl: string | null;
}

/**
 * The name a repository is filed and shown under: the forge's owner/name when `origin`
 * points at one (so links work), else `local/<folder>`. A bare `x.git` folder is `x`.
 */
export function repositoryName(path: string, originUrl: string | null): RepositoryName {
  const forge = originUrl === null ? null : parseRemoteUrl(originUrl);
  if (forge) return { owner: forge.owner, name: forge.name, webUrl: forge.webUrl };
  const folder = basename(path);
  const name = folder.endsWith(".git") && folder.length > 4 ? folder.slice(0, -4) : folder;
  return { owner: "local", name, webUrl: null };
}

/**
 * Give each repository a distinct owner/name: the second `acme/api` (two clones of one
 * remote, or two folders called `api`) becomes `acme/api-2`, so neither file overwrites the
 * other. Compared without case, as GitHub and some file systems do.
 */
export function uniqueNames<T extends RepositoryName>(names: readonly T[]): T[] {
  const taken = new Set<string>();
  return names.map((entry) => {
    let name = entry.name;
    for (let n = 2; taken.has(`${entry.owner}/${name}`.toLowerCase()); n++) name = `${entry.name}-${n}`;
    taken.add(`${entry.owner}/${name}`.toLowerCase());
    return { ...entry, name };
  });
}
