import { fakeOid, noreplyEmail, seededRandom } from "./synthetic-org.js";
import type { SyntheticCommit, SyntheticOrg, SyntheticPull, SyntheticRepository, SyntheticUser } from "./synthetic-org.js";

export interface GenerateOrgOptions {
  login: string;
  repositories: number;
  /** Repositories with activity in the day; as many again (half of them the same) were active the day before. */
  active: number;
  /** The day (YYYY-MM-DD, UTC) the activity is in. */
  day: string;
  seed?: number;
}

const TITLES = [
  "Fix flaky retry in `client.ts`",
  "Add **bold** claims to the README",
  "Übersetzung: Fehlermeldungen auf Deutsch",
  "Speed up the build by 30% 🚀",
  "Handle <script> in titles [safely](https://evil.example)",
  "日本語のドキュメントを更新",
  "Bump lodash from 4.17.20 to 4.17.21",
  "Refactor | pipes | in tables",
  "Remove dead code",
  "Support GitHub Enterprise base URLs",
];
const LABELS = ["bug", "enhancement", "docs", "dependencies", "good first issue"];
const NAMES = ["Zoë Ångström", "José Núñez", "Ada Lovelace", "Grace Hopper", "Линус", "李雷", "O'Brien, Pat", "Dev Null"];

const at = (day: string, minute: number) => new Date(Date.parse(`${day}T00:00:00.000Z`) + minute * 60_000).toISOString();
const dayBefore = (day: string, n = 1) => new Date(Date.parse(`${day}T00:00:00.000Z`) - n * 86_400_000).toISOString().slice(0, 10);

/**
 * Give a pull request the draft events GitHub would show: one still a draft now and then
 * opened ready and converted; a merged one marked ready before it was merged (GitHub merges
 * no draft); a quarter of the others opened as drafts and marked ready later that day.
 */
function draftHistory(pr: SyntheticPull, day: string, rnd: ReturnType<typeof seededRandom>): void {
  const opened = Date.parse(pr.createdAt);
  if (pr.isDraft && pr.state === "OPEN") {
    if (rnd.chance(0.3)) pr.timeline = [{ type: "draft", at: new Date(opened + rnd.int(5, 60) * 60_000).toISOString() }];
    return;
  }
  const wasDraft = pr.isDraft || rnd.chance(0.25);
  pr.isDraft = false;
  if (!wasDraft) return;
  const latest = pr.mergedAt ? Date.parse(pr.mergedAt) : Date.parse(`${day}T23:59:00.000Z`);
  const ready = new Date(Math.min(latest, opened + rnd.int(10, 240) * 60_000)).toISOString();
  pr.timeline = [{ type: "ready", at: ready }];
  if (ready > pr.updatedAt) pr.updatedAt = ready;
}

/**
 * An organisation with realistic counts: most repositories quiet, `active` of them with
 * a working day of commits, pull requests, reviews, issues and the odd release, a
 * previous day of the same, bots, unicode and Markdown in titles, archived repositories
 * and forks. The same options give the same organisation.
 */
export function generateOrg(options: GenerateOrgOptions): SyntheticOrg {
  const rnd = seededRandom(options.seed ?? 7);
  // Draft histories draw from a stream of their own, so adding them left every other
  // figure of an organisation generated with the same options as it was.
  const drafts = seededRandom(((options.seed ?? 7) * 7919 + 17) >>> 0);
  const humans: SyntheticUser[] = Array.from({ length: 40 }, (_, i) => ({
    login: `dev-${String(i + 1).padStart(2, "0")}`,
    id: 1000 + i,
    name: i < NAMES.length ? NAMES[i]! : `Developer ${i + 1}`,
    type: "User",
  }));
  const bots: SyntheticUser[] = [
    { login: "dependabot[bot]", id: 49699333, name: null, type: "Bot" },
    { login: "github-actions[bot]", id: 41898282, name: null, type: "Bot" },
  ];
  const webFlow: SyntheticUser = { login: "web-flow", id: 19864447, name: "GitHub", type: "User" };
  const users = [...humans, ...bots, webFlow];
  // Each person commits with their work email, some also with a home or noreply address.
  const signature = (user: SyntheticUser): SyntheticCommit["author"] => {
    if (user.type === "Bot") return { name: user.login, email: noreplyEmail(user), login: user.login };
    const email = rnd.chance(0.2) ? noreplyEmail(user) : rnd.chance(0.2) ? `${user.login}@home.example` : `${user.login}@corp.example`;
    return { name: user.name ?? user.login, email, login: user.login };
  };
  const contractor = { name: "Casey Contractor", email: "casey@agency.example", login: null };

  const names = Array.from({ length: options.repositories }, (_, i) => `service-${String(i + 1).padStart(3, "0")}`);
  const activeToday = new Set(names.slice(0, options.active));
  // Half of yesterday's active repositories are also active today.
  const half = Math.floor(options.active / 2);
  const activeYesterday = new Set([...names.slice(0, half), ...names.slice(options.active, options.active + options.active - half)]);

  const repositories: SyntheticRepository[] = names.map((name, index) => {
    const team = humans.slice((index * 3) % 30, ((index * 3) % 30) + 8);
    const commits: SyntheticCommit[] = [];
    const pulls: SyntheticPull[] = [];
    const repo: SyntheticRepository = {
      id: 500_000 + index,
      name,
      archived: index % 40 === 39,
      fork: index % 50 === 49,
      private: index % 3 === 0,
      createdAt: "2024-01-15T09:00:00Z",
      pushedAt: at(dayBefore(options.day, rnd.int(3, 400)), rnd.int(0, 1439)),
      defaultBranch: index % 7 === 0 ? "master" : "main",
      commits,
      pulls,
      issues: [],
      releases: [],
    };
    let number = 0;
    const addCommit = (day: string, minute: number, author: SyntheticCommit["author"], merge = false) => {
      const message = `${rnd.pick(TITLES)}\n\nDetails for ${name} #${commits.length}.`;
      commits.push({
        oid: fakeOid(`${name}:${day}:${minute}:${commits.length}`),
        message,
        author,
        committer: merge ? { name: "GitHub", email: "noreply@github.com", login: "web-flow" } : author,
        authoredAt: at(day, minute - rnd.int(0, 600)),
        committedAt: at(day, minute),
        additions: merge ? 40 : rnd.int(1, 400),
        deletions: merge ? 10 : rnd.int(0, 200),
        changedFiles: rnd.int(1, 12),
        parents: merge ? [fakeOid(`${name}:p1:${minute}`), fakeOid(`${name}:p2:${minute}`)] : [fakeOid(`${name}:p:${minute}`)],
      });
    };
    const workDay = (day: string) => {
      for (let c = rnd.int(2, 10); c > 0; c--) {
        const who = rnd.chance(0.1) ? signature(bots[0]!) : rnd.chance(0.05) ? contractor : signature(rnd.pick(team));
        addCommit(day, rnd.int(480, 1380), who, rnd.chance(0.15));
      }
      for (let p = rnd.int(1, 5); p > 0; p--) {
        const opened = rnd.chance(0.7) ? at(day, rnd.int(420, 1200)) : at(dayBefore(day, rnd.int(1, 9)), rnd.int(0, 1439));
        const author = rnd.chance(0.1) ? bots[0]!.login : rnd.pick(team).login;
        const end = Date.parse(`${day}T23:59:00.000Z`);
        const mergedAt = rnd.chance(0.5) ? new Date(Math.min(end, Date.parse(opened) + rnd.int(30, 600) * 60_000)).toISOString() : null;
        const reviews = Array.from({ length: rnd.int(0, 3) }, (_, r) => ({
          id: 9_000_000 + index * 1000 + number * 10 + r,
          author: rnd.pick(team.filter((u) => u.login !== author)).login,
          state: rnd.pick(["APPROVED", "COMMENTED", "CHANGES_REQUESTED"] as const),
          submittedAt: new Date(Math.max(Date.parse(opened), Date.parse(`${day}T00:00:00.000Z`)) + (r + 1) * rnd.int(5, 60) * 60_000).toISOString(),
        }));
        const times = [opened, mergedAt, ...reviews.map((r) => r.submittedAt)].filter((t): t is string => t !== null);
        pulls.push({
          number: ++number,
          title: rnd.pick(TITLES),
          author,
          labels: rnd.chance(0.5) ? [rnd.pick(LABELS)] : [],
          isDraft: rnd.chance(0.1),
          state: mergedAt ? "MERGED" : "OPEN",
          createdAt: opened,
          updatedAt: times.sort().pop()!,
          mergedAt,
          closedAt: mergedAt,
          mergedBy: mergedAt ? rnd.pick(team).login : null,
          additions: rnd.int(1, 800),
          deletions: rnd.int(0, 300),
          changedFiles: rnd.int(1, 30),
          reviews,
        });
        draftHistory(pulls[pulls.length - 1]!, day, drafts);
      }
      for (let i = rnd.int(0, 3); i > 0; i--) {
        const createdAt = at(day, rnd.int(0, 1200));
        const closed = rnd.chance(0.3) ? at(day, rnd.int(1201, 1439)) : null;
        repo.issues.push({
          number: ++number,
          title: rnd.pick(TITLES),
          author: rnd.pick([...humans, ...bots]).login,
          labels: rnd.chance(0.5) ? [rnd.pick(LABELS)] : [],
          state: closed ? "CLOSED" : "OPEN",
          stateReason: closed ? "COMPLETED" : null,
          createdAt,
          updatedAt: closed ?? createdAt,
          closedAt: closed,
        });
      }
      if (rnd.chance(0.1)) {
        const published = at(day, rnd.int(900, 1400));
        repo.releases.push({ id: 7_000_000 + index * 100 + repo.releases.length, name: `v1.${repo.releases.length} — “release”`, tagName: `v1.${repo.releases.length}.0`, author: rnd.pick(team).login, isDraft: false, isPrerelease: rnd.chance(0.2), createdAt: published, publishedAt: published });
      }
    };
    // An old history, so some of the day's authors are not new.
    for (let old = 0; old < 3; old++) addCommit(dayBefore(options.day, 30 + old * 40), 600, signature(rnd.pick(team)));
    const yesterday = dayBefore(options.day);
    if (activeYesterday.has(name)) {
      workDay(yesterday);
      repo.pushedAt = at(yesterday, 1439);
    }
    if (activeToday.has(name)) {
      workDay(options.day);
      repo.pushedAt = at(options.day, 1439);
    }
    commits.sort((a, b) => (a.committedAt < b.committedAt ? 1 : a.committedAt > b.committedAt ? -1 : 0));
    return repo;
  });
  return { login: options.login, id: 90_000, users, repositories };
}
