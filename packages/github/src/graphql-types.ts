/** The shapes the collector's GraphQL queries (repository-query.ts) get back. */

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
export interface Page<T> {
  pageInfo: PageInfo;
  nodes: T[];
}

export interface GqlActor {
  __typename: string;
  login: string;
  name?: string | null;
}

export interface GqlCommit {
  oid: string;
  url: string;
  message: string;
  messageHeadline: string;
  committedDate: string;
  authoredDate: string;
  additions: number;
  deletions: number;
  changedFilesIfAvailable: number | null;
  parents: { totalCount: number; nodes: { oid: string }[] };
  author: { name: string | null; email: string | null; user: { id: string; login: string; name: string | null } | null } | null;
  committer: { name: string | null; email: string | null; user: { login: string } | null } | null;
}

export interface GqlReview {
  author: GqlActor | null;
  state: "PENDING" | "COMMENTED" | "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED";
  submittedAt: string | null;
  url: string;
}

export interface GqlPullRequest {
  number: number;
  title: string;
  url: string;
  isDraft: boolean;
  state: "OPEN" | "CLOSED" | "MERGED";
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  author: GqlActor | null;
  mergedBy: GqlActor | null;
  labels: { nodes: { name: string }[] } | null;
  reviews: Page<GqlReview> | null;
  /** The first ReadyForReview or ConvertToDraft event: whether the pull request was opened as a draft, and when it stopped being one. */
  timelineItems: { nodes: { __typename: string; createdAt?: string }[] } | null;
}

export interface GqlIssue {
  number: number;
  title: string;
  url: string;
  state: "OPEN" | "CLOSED";
  stateReason: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  author: GqlActor | null;
  labels: { nodes: { name: string }[] } | null;
}

export interface GqlRelease {
  name: string | null;
  tagName: string;
  url: string;
  isDraft: boolean;
  isPrerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
  author: { login: string; name: string | null } | null;
}

export interface GqlRepository {
  name: string;
  owner: { login: string };
  url: string;
  isArchived: boolean;
  isFork: boolean;
  pushedAt: string | null;
  defaultBranchRef: { name: string; target: { __typename: string; oid?: string; history?: Page<GqlCommit> } | null } | null;
  pullRequests: Page<GqlPullRequest>;
  issues: Page<GqlIssue>;
  releases: Page<GqlRelease>;
}

/** The error entries GitHub puts beside `data`; `type` is GitHub's own (NOT_FOUND, RATE_LIMITED, ...). */
export interface GqlError {
  type?: string;
  message: string;
  path?: (string | number)[];
}
