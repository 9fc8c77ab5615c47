import type { components } from "@octokit/openapi-types";
import type { SyntheticCommit, SyntheticIssue, SyntheticOrg, SyntheticPull, SyntheticRepository, SyntheticReview, SyntheticUser } from "./synthetic-org.js";

/**
 * REST bodies typed by GitHub's OpenAPI description: the compiler holds every field the
 * fake sends to the published shape, so a client reading a field GitHub does not send
 * (or sends differently) is caught here, not in production.
 */
type Schemas = components["schemas"];

export interface RestContext {
  /** REST root the fake answers on, e.g. http://127.0.0.1:1234 (or .../api/v3). */
  api: string;
  /** Web root for html_url links. */
  web: string;
  org: SyntheticOrg;
}

export function simpleUser(ctx: RestContext, login: string): Schemas["simple-user"] {
  const user: SyntheticUser = ctx.org.users.find((u) => u.login === login) ?? { login, id: 1, name: null, type: "User" };
  const url = `${ctx.api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "BOT" : "U", user.id),
    avatar_url: `${ctx.web}/avatars/u/${user.id}`,
    gravatar_id: "",
    url,
    html_url: `${ctx.web}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    site_admin: false,
    user_view_type: "public",
  };
}

export function nodeId(prefix: string, id: number): string {
  return Buffer.from(`${prefix}_${id}`).toString("base64").replace(/=+$/, "");
}

function repoUrls(ctx: RestContext, repo: SyntheticRepository) {
  const url = `${ctx.api}/repos/${ctx.org.login}/${repo.name}`;
  return {
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    hooks_url: `${url}/hooks`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
  };
}

export function minimalRepository(ctx: RestContext, repo: SyntheticRepository): Schemas["minimal-repository"] {
  return {
    id: repo.id,
    node_id: nodeId("R", repo.id),
    name: repo.name,
    full_name: `${ctx.org.login}/${repo.name}`,
    owner: { ...simpleUser(ctx, ctx.org.login), id: ctx.org.id, type: "Organization" },
    private: repo.private,
    html_url: `${ctx.web}/${ctx.org.login}/${repo.name}`,
    description: `The ${repo.name} service`,
    fork: repo.fork,
    ...repoUrls(ctx, repo),
    git_url: `git:${ctx.web.replace(/^https?:/, "")}/${ctx.org.login}/${repo.name}.git`,
    ssh_url: `git@${new URL(ctx.web).host}:${ctx.org.login}/${repo.name}.git`,
    clone_url: `${ctx.web}/${ctx.org.login}/${repo.name}.git`,
    default_branch: repo.defaultBranch,
    archived: repo.archived,
    disabled: false,
    visibility: repo.private ? "private" : "public",
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt ?? repo.createdAt,
  };
}

function repository(ctx: RestContext, repo: SyntheticRepository): Schemas["repository"] {
  const { permissions: _permissions, ...minimal } = minimalRepository(ctx, repo);
  return {
    ...minimal,
    permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
    owner: minimal.owner,
    description: minimal.description ?? null,
    git_url: minimal.git_url!,
    ssh_url: minimal.ssh_url!,
    clone_url: minimal.clone_url!,
    mirror_url: null,
    svn_url: `${ctx.web}/${ctx.org.login}/${repo.name}`,
    homepage: null,
    language: "TypeScript",
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 1024,
    default_branch: repo.defaultBranch,
    open_issues_count: repo.issues.filter((i) => i.state === "OPEN").length,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: repo.archived,
    disabled: false,
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt ?? repo.createdAt,
    license: null,
    forks: 0,
    open_issues: 0,
    watchers: 0,
  };
}

export function commitItem(ctx: RestContext, repo: SyntheticRepository, c: SyntheticCommit): Schemas["commit"] {
  const url = `${ctx.api}/repos/${ctx.org.login}/${repo.name}/commits/${c.oid}`;
  return {
    url,
    sha: c.oid,
    node_id: nodeId("C", parseInt(c.oid.slice(0, 8), 16)),
    html_url: `${ctx.web}/${ctx.org.login}/${repo.name}/commit/${c.oid}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${ctx.api}/repos/${ctx.org.login}/${repo.name}/git/commits/${c.oid}`,
      author: { name: c.author.name, email: c.author.email, date: c.authoredAt },
      committer: { name: c.committer.name, email: c.committer.email, date: c.committedAt },
      message: c.message,
      comment_count: 0,
      tree: { sha: c.oid.split("").reverse().join(""), url: `${ctx.api}/repos/${ctx.org.login}/${repo.name}/git/trees/${c.oid}` },
    },
    author: c.author.login ? simpleUser(ctx, c.author.login) : null,
    committer: c.committer.login ? simpleUser(ctx, c.committer.login) : null,
    parents: c.parents.map((sha) => ({ sha, url: `${ctx.api}/repos/${ctx.org.login}/${repo.name}/commits/${sha}` })),
  };
}

function labels(ctx: RestContext, repo: SyntheticRepository, names: string[]) {
  return names.map((name, i) => ({
    id: 3_000_000 + i,
    node_id: nodeId("LA", 3_000_000 + i),
    url: `${ctx.api}/repos/${ctx.org.login}/${repo.name}/labels/${encodeURIComponent(name)}`,
    name,
    description: name,
    color: "ededed",
    default: false,
  }));
}

export function pullRequestSimple(ctx: RestContext, repo: SyntheticRepository, pr: SyntheticPull): Schemas["pull-request-simple"] {
  const base = `${ctx.api}/repos/${ctx.org.login}/${repo.name}`;
  const html = `${ctx.web}/${ctx.org.login}/${repo.name}/pull/${pr.number}`;
  const full = repository(ctx, repo);
  const side = (ref: string) => ({ label: `${ctx.org.login}:${ref}`, ref, repo: full, sha: repo.commits[0]?.oid ?? "0".repeat(40), user: simpleUser(ctx, ctx.org.login) });
  const link = (href: string) => ({ href });
  return {
    url: `${base}/pulls/${pr.number}`,
    id: repo.id * 10_000 + pr.number,
    node_id: nodeId("PR", repo.id * 10_000 + pr.number),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${base}/issues/${pr.number}`,
    commits_url: `${base}/pulls/${pr.number}/commits`,
    review_comments_url: `${base}/pulls/${pr.number}/comments`,
    review_comment_url: `${base}/pulls/comments{/number}`,
    comments_url: `${base}/issues/${pr.number}/comments`,
    statuses_url: `${base}/statuses/${repo.commits[0]?.oid ?? ""}`,
    number: pr.number,
    state: pr.state === "OPEN" ? "open" : "closed",
    locked: false,
    title: pr.title,
    user: simpleUser(ctx, pr.author),
    body: null,
    labels: labels(ctx, repo, pr.labels),
    milestone: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergedAt ? repo.commits[0]?.oid ?? null : null,
    assignee: null,
    head: side(`feature-${pr.number}`),
    base: side(repo.defaultBranch),
    _links: {
      comments: link(`${base}/issues/${pr.number}/comments`),
      commits: link(`${base}/pulls/${pr.number}/commits`),
      statuses: link(`${base}/statuses/x`),
      html: link(html),
      issue: link(`${base}/issues/${pr.number}`),
      review_comments: link(`${base}/pulls/${pr.number}/comments`),
      review_comment: link(`${base}/pulls/comments{/number}`),
      self: link(`${base}/pulls/${pr.number}`),
    },
    author_association: "MEMBER",
    auto_merge: null,
    draft: pr.isDraft,
  };
}

/** An issue, or a pull request as the issues list shows it (with `pull_request`). */
export function issueItem(ctx: RestContext, repo: SyntheticRepository, item: SyntheticIssue | SyntheticPull): Schemas["issue"] {
  const base = `${ctx.api}/repos/${ctx.org.login}/${repo.name}`;
  const isPull = "reviews" in item;
  const html = `${ctx.web}/${ctx.org.login}/${repo.name}/${isPull ? "pull" : "issues"}/${item.number}`;
  return {
    id: repo.id * 10_000 + item.number,
    node_id: nodeId(isPull ? "PR" : "I", repo.id * 10_000 + item.number),
    url: `${base}/issues/${item.number}`,
    repository_url: base,
    labels_url: `${base}/issues/${item.number}/labels{/name}`,
    comments_url: `${base}/issues/${item.number}/comments`,
    events_url: `${base}/issues/${item.number}/events`,
    html_url: html,
    number: item.number,
    state: item.state === "OPEN" ? "open" : "closed",
    state_reason: isPull ? null : item.stateReason === null ? null : item.stateReason === "NOT_PLANNED" ? "not_planned" : item.stateReason === "REOPENED" ? "reopened" : "completed",
    title: item.title,
    body: null,
    user: simpleUser(ctx, item.author),
    labels: item.labels.map((name) => ({ name })),
    assignee: null,
    milestone: null,
    locked: false,
    comments: 0,
    closed_at: item.closedAt,
    created_at: item.createdAt,
    updated_at: item.updatedAt,
    author_association: "MEMBER",
    ...(isPull
      ? { pull_request: { url: `${base}/pulls/${item.number}`, html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, merged_at: item.mergedAt } }
      : {}),
  };
}

export function reviewItem(ctx: RestContext, repo: SyntheticRepository, pr: SyntheticPull, review: SyntheticReview): Schemas["pull-request-review"] {
  const html = `${ctx.web}/${ctx.org.login}/${repo.name}/pull/${pr.number}`;
  return {
    id: review.id,
    node_id: nodeId("PRR", review.id),
    user: simpleUser(ctx, review.author),
    body: "",
    state: review.state,
    html_url: `${html}#pullrequestreview-${review.id}`,
    pull_request_url: `${ctx.api}/repos/${ctx.org.login}/${repo.name}/pulls/${pr.number}`,
    _links: { html: { href: `${html}#pullrequestreview-${review.id}` }, pull_request: { href: html } },
    ...(review.submittedAt ? { submitted_at: review.submittedAt } : {}),
    commit_id: repo.commits[0]?.oid ?? null,
    author_association: "MEMBER",
  };
}

export function basicError(message: string, status: number): Schemas["basic-error"] {
  return { message, documentation_url: "https://docs.github.com/rest", status: String(status) };
}

export function rateLimitOverview(core: Schemas["rate-limit"], graphql: Schemas["rate-limit"]): Schemas["rate-limit-overview"] {
  const search = { limit: 30, remaining: 30, reset: core.reset, used: 0 };
  return { resources: { core, graphql, search }, rate: core };
}
