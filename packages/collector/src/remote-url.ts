/** A repository on a forge (GitHub, GitLab, Gitea, ...), as named by a remote URL. */
export interface ForgeRepository {
  host: string;
  /** Owner, or `group/subgroup` on forges that nest. */
  owner: string;
  name: string;
  /** The repository's web page. */
  webUrl: string;
}

const NETWORK_SCHEMES = new Set(["https", "http", "ssh", "git", "git+ssh", "ssh+git"]);
// `[user@]host:path`, git's scp-like syntax; a one-letter host would be a Windows drive.
const SCP_LIKE = /^(?:[^@/]+@)?([^:/]{2,}):(?!\/\/)(.+)$/;
const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/**
 * Owner and name from a remote URL, or null when the remote is not a forge (a local path,
 * `file://`, something unrecognised). Only host and path are read, so user names and
 * tokens embedded in the URL (`https://user:token@host/o/r`) never reach the result.
 */
export function parseRemoteUrl(url: string): ForgeRepository | null {
  const text = url.trim();
  let host: string;
  let path: string;
  let web = "https";
  let port = "";
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) {
    const protocol = scheme[1]!.toLowerCase();
    if (!NETWORK_SCHEMES.has(protocol)) return null;
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return null;
    }
    host = parsed.hostname;
    path = parsed.pathname;
    if (protocol === "http" || protocol === "https") {
      web = protocol;
      // An ssh or git port says nothing about where the web server listens; an http one does.
      port = parsed.port;
    }
  } else {
    const scp = SCP_LIKE.exec(text);
    if (!scp) return null;
    host = scp[1]!;
    path = scp[2]!;
  }
  host = host.toLowerCase();
  if (!HOST.test(host)) return null;
  let segments: string[];
  try {
    // Decode after splitting, so an encoded slash cannot add a path level.
    segments = path.replace(/\/+$/, "").replace(/\.git$/, "").split("/").filter((s) => s !== "").map(decodeURIComponent);
  } catch {
    return null;
  }
  if (segments.length < 2) return null;
  // Owner and name become folder and file names: nothing that could climb out of a folder.
  if (!segments.every((s) => SEGMENT.test(s) && s !== "." && s !== "..")) return null;
  const name = segments[segments.length - 1]!;
  const owner = segments.slice(0, -1).join("/");
  return { host, owner, name, webUrl: `${web}://${host}${port ? `:${port}` : ""}/${owner}/${name}` };
}
