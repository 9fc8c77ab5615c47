/**
 * A synthetic GitHub organisation: plain data the fake server serves over REST and
 * GraphQL, and that tests compute their expected figures from.
 */

export interface SyntheticUser {
  login: string;
  id: number;
  name: string | null;
  type: "User" | "Bot";
}

export interface SyntheticSignature {
  name: string;
  email: string;
  /** The account GitHub links the email to, null for an email of no account. */
  login: string | null;
}

export interface SyntheticCommit {
  oid: string;
  message: string;
  author: SyntheticSignature;
  committer: SyntheticSignature;
  authoredAt: string;
  committedAt: string;
  additions: number;
  deletions: number;
  changedFiles: number;
  parents: string[];
}

export interface SyntheticReview {
  id: number;
  author: string;
  state: "COMMENTED" | "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED" | "PENDING";
  submittedAt: string | null;
}

export interface SyntheticPull {
  number: number;
  title: string;
  author: string;
  labels: string[];
  isDraft: boolean;
  state: "OPEN" | "CLOSED" | "MERGED";
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  mergedBy: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  reviews: SyntheticReview[];
  /**
   * Marked ready for review ("ready") or converted to a draft ("draft"), oldest first; none
   * for a pull request opened ready and never made a draft.
   */
  timeline?: { type: "ready" | "draft"; at: string }[];
}

export interface SyntheticIssue {
  number: number;
  title: string;
  author: string;
  labels: string[];
  state: "OPEN" | "CLOSED";
  stateReason: "COMPLETED" | "NOT_PLANNED" | "REOPENED" | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface SyntheticRelease {
  id: number;
  name: string | null;
  tagName: string;
  author: string;
  isDraft: boolean;
  isPrerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
}

export interface SyntheticRepository {
  id: number;
  name: string;
  archived: boolean;
  fork: boolean;
  private: boolean;
  createdAt: string;
  pushedAt: string | null;
  defaultBranch: string;
  /** The default branch's history, newest first (committer time). */
  commits: SyntheticCommit[];
  pulls: SyntheticPull[];
  issues: SyntheticIssue[];
  releases: SyntheticRelease[];
}

export interface SyntheticOrg {
  login: string;
  id: number;
  users: SyntheticUser[];
  repositories: SyntheticRepository[];
}

/** mulberry32: small, seeded, the same numbers on every machine. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

/** A 40-hex object id that depends only on its text. */
export function fakeOid(text: string): string {
  let h1 = 0x811c9dc5;
  let out = "";
  for (let round = 0; out.length < 40; round++) {
    for (const ch of `${round}:${text}`) h1 = Math.imul(h1 ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h1.toString(16).padStart(8, "0");
  }
  return out.slice(0, 40);
}

/** The email GitHub gives a login that keeps its address private. */
export function noreplyEmail(user: SyntheticUser): string {
  return `${user.id}+${user.login}@users.noreply.github.com`;
}

/** When a synthetic pull request first asked for review, by the rule the collector documents (null while a draft). */
export function syntheticReadyAt(pr: SyntheticPull): string | null {
  if (pr.isDraft) return null;
  const first = pr.timeline?.[0];
  return first?.type === "ready" ? first.at : pr.createdAt;
}

/** The first review at or after ready time by a person other than the author, by the collector's rule. */
export function syntheticFirstHumanReview(pr: SyntheticPull, isBot: (login: string) => boolean): string | null {
  const ready = syntheticReadyAt(pr);
  if (ready === null) return null;
  const times = pr.reviews
    .filter((r) => r.state !== "PENDING" && r.submittedAt !== null && r.author !== pr.author && !isBot(r.author))
    .map((r) => r.submittedAt!)
    .filter((t) => Date.parse(t) >= Date.parse(ready))
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return times[0] ?? null;
}

const hours = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 36_000) / 100;

/** The items a window holds, by the same rules the collector and analyzer document: what tests expect. */
export function expectedFigures(org: SyntheticOrg, window: { start: string; end: string }, isBot: (login: string | null, name: string) => boolean) {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  const inside = (t: string | null) => t !== null && Date.parse(t) >= start && Date.parse(t) < end;
  const botLogin = (login: string) => {
    const user = org.users.find((u) => u.login === login);
    return user?.type === "Bot" || isBot(login, user?.name ?? "");
  };
  let commits = 0;
  let merges = 0;
  let pullRequests = 0;
  let reviews = 0;
  let issues = 0;
  let releases = 0;
  const pulls = { opened: 0, merged: 0, closed: 0 };
  const issueCounts = { opened: 0, closed: 0 };
  const cycleTimeHours: number[] = [];
  const firstReviewHours: number[] = [];
  const people = new Set<string>();
  let activeRepositories = 0;
  for (const repo of org.repositories) {
    // The collector's defaults leave archived repositories and forks out.
    if (repo.archived || repo.fork) continue;
    const activeBefore = commits + merges + pullRequests + reviews + issues + releases;
    for (const c of repo.commits) {
      if (!inside(c.committedAt)) continue;
      if (c.parents.length > 1) merges += 1;
      else commits += 1;
      // Contributors author a non-merge commit (`git shortlog --no-merges`): merging alone is not contributing.
      if (c.parents.length <= 1 && !isBot(c.author.login, c.author.name)) people.add(c.author.login ?? c.author.email.toLowerCase());
    }
    for (const p of repo.pulls) {
      const firstHuman = syntheticFirstHumanReview(p, botLogin);
      if (inside(p.createdAt) || inside(p.mergedAt) || inside(p.closedAt) || inside(firstHuman)) pullRequests += 1;
      if (inside(p.createdAt)) pulls.opened += 1;
      if (inside(p.mergedAt)) {
        pulls.merged += 1;
        cycleTimeHours.push(hours(p.createdAt, p.mergedAt!));
      }
      if (p.mergedAt === null && inside(p.closedAt)) pulls.closed += 1;
      if (firstHuman !== null && inside(firstHuman)) firstReviewHours.push(hours(syntheticReadyAt(p)!, firstHuman));
    }
    reviews += repo.pulls.flatMap((p) => p.reviews).filter((r) => r.state !== "PENDING" && inside(r.submittedAt)).length;
    issues += repo.issues.filter((i) => inside(i.createdAt) || inside(i.closedAt)).length;
    issueCounts.opened += repo.issues.filter((i) => inside(i.createdAt)).length;
    issueCounts.closed += repo.issues.filter((i) => inside(i.closedAt)).length;
    releases += repo.releases.filter((r) => !r.isDraft && inside(r.publishedAt)).length;
    // Any commit, merge, pull request, review, issue or release in the window makes a repository active.
    if (commits + merges + pullRequests + reviews + issues + releases > activeBefore) activeRepositories += 1;
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    commits,
    merges,
    pullRequests,
    reviews,
    issues,
    releases,
    contributors: people.size,
    /** Repositories with any commit, merge, pull request, review, issue or release in the window. */
    activeRepositories,
    pulls,
    issuesOpened: issueCounts.opened,
    issuesClosed: issueCounts.closed,
    /** Hours from opened to merged of the pull requests merged in the window, ascending. */
    cycleTimeHours: sorted(cycleTimeHours),
    /** Hours from ready to first human review of the pull requests first reviewed in the window, ascending. */
    firstReviewHours: sorted(firstReviewHours),
  };
}
