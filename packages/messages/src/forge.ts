/**
 * The forges Sparky knows how to link into, recognised from a repository's web URL. A
 * self-hosted forge is recognised only when its host says what it is (`gitlab.example.com`,
 * `gitea.example.com`); an unknown host gets no links rather than links that 404.
 */
export type Forge = "github" | "gitlab" | "gitea" | "bitbucket";

export function forgeOf(webUrl: string | null | undefined): Forge | null {
  if (!webUrl) return null;
  let host: string;
  try {
    host = new URL(webUrl).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (host === "github.com" || host.startsWith("github.")) return "github";
  if (host === "gitlab.com" || host.startsWith("gitlab.") || host.includes(".gitlab.")) return "gitlab";
  if (host === "bitbucket.org" || host.startsWith("bitbucket.")) return "bitbucket";
  if (host === "codeberg.org" || /(^|\.)(gitea|forgejo)\./.test(host) || host.startsWith("gitea") || host.startsWith("forgejo")) return "gitea";
  return null;
}

/** Web pages of one repository on its forge; every method returns null when the forge is unknown. */
export interface ForgeLinks {
  forge: Forge | null;
  tag(name: string): string | null;
  /** Commits between two tags (or a tag and a commit). */
  compare(from: string, to: string): string | null;
  /** A `#123` reference: the issue page, which GitHub, Gitea and Forgejo redirect to a pull request of that number. */
  issue(number: number): string | null;
  /** A GitLab `!123` merge request or a pull request page. */
  pull(number: number): string | null;
}

const seg = (s: string) => encodeURIComponent(s);

export function forgeLinks(webUrl: string | null | undefined): ForgeLinks {
  const forge = forgeOf(webUrl);
  const base = webUrl?.replace(/\/+$/, "") ?? "";
  const none = () => null;
  if (forge === null) return { forge, tag: none, compare: none, issue: none, pull: none };
  switch (forge) {
    case "github":
      return {
        forge,
        tag: (t) => `${base}/releases/tag/${seg(t)}`,
        compare: (a, b) => `${base}/compare/${seg(a)}...${seg(b)}`,
        issue: (n) => `${base}/issues/${n}`,
        pull: (n) => `${base}/pull/${n}`,
      };
    case "gitlab":
      return {
        forge,
        tag: (t) => `${base}/-/tags/${seg(t)}`,
        compare: (a, b) => `${base}/-/compare/${seg(a)}...${seg(b)}`,
        issue: (n) => `${base}/-/issues/${n}`,
        pull: (n) => `${base}/-/merge_requests/${n}`,
      };
    case "gitea":
      return {
        forge,
        tag: (t) => `${base}/releases/tag/${seg(t)}`,
        compare: (a, b) => `${base}/compare/${seg(a)}...${seg(b)}`,
        issue: (n) => `${base}/issues/${n}`,
        pull: (n) => `${base}/pulls/${n}`,
      };
    case "bitbucket":
      return {
        forge,
        tag: (t) => `${base}/src/${seg(t)}`,
        compare: (a, b) => `${base}/branches/compare/${seg(b)}%0D${seg(a)}`,
        issue: (n) => `${base}/issues/${n}`,
        pull: (n) => `${base}/pull-requests/${n}`,
      };
  }
}
