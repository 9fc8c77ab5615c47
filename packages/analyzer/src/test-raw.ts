// Builders for raw fixtures shared by this package's tests (excluded from the build).
import { RawManifestSchema, RawRepositorySchema, identityKey, previousPeriod } from "@sparky/messages";
import type { PeriodSpec, RawCommit, RawManifest, RawRepository, WindowSummary } from "@sparky/messages";

export function commit(fields: Partial<RawCommit> & Pick<RawCommit, "sha" | "committedAt">): RawCommit {
  const isMerge = fields.isMerge ?? false;
  return {
    parents: isMerge ? ["p1", "p2"] : ["p1"],
    authorName: "Alice",
    authorEmail: "alice@example.com",
    authoredAt: fields.committedAt,
    subject: `change ${fields.sha}`,
    additions: 0,
    deletions: 0,
    filesChanged: 1,
    isMerge,
    isBot: false,
    ...fields,
  };
}

export function repository(
  spec: PeriodSpec,
  fullName: string,
  commits: RawCommit[],
  extra: { webUrl?: string | null; priorAuthors?: string[]; previous?: Partial<WindowSummary> } = {},
): RawRepository {
  const [owner = "", name = ""] = fullName.split("/");
  return RawRepositorySchema.parse({
    schema: "sparky.raw.repository/1",
    source: "git",
    owner,
    name,
    path: `/repos/${name}`,
    webUrl: extra.webUrl === undefined ? `https://github.com/${fullName}` : extra.webUrl,
    head: "f".repeat(40),
    branch: "main",
    window: spec.window,
    commits,
    priorAuthors: extra.priorAuthors ?? [],
    previous: { window: previousPeriod(spec).window, commits: 0, merges: 0, authors: [], ...extra.previous },
  });
}

export function manifest(spec: PeriodSpec, repositories: RawRepository[], complete = true): RawManifest {
  return RawManifestSchema.parse({
    schema: "sparky.raw.manifest/1",
    runId: spec.runId,
    period: spec.period,
    key: spec.key,
    window: spec.window,
    timezone: spec.timezone,
    collectedAt: "2026-12-01T08:00:00.000Z",
    complete,
    repositories: repositories.map((repo) => ({
      owner: repo.owner,
      name: repo.name,
      file: `${repo.owner}/${repo.name}.json`,
      commits: repo.commits.filter((c) => !c.isMerge).length,
      merges: repo.commits.filter((c) => c.isMerge).length,
      newestCommitAt: repo.commits[0]?.committedAt ?? null,
    })),
  });
}

export const key = (email: string) => identityKey("", email);
