import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FixtureCommit {
  /** Committer and author time, ISO. */
  at: string;
  author: string;
  email: string;
  subject: string;
  /** file -> content; lines added are what git's numstat counts. */
  files?: Record<string, string>;
}

/** A git repository built commit by commit with exact dates and identities. */
export class GitFixture {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.git("init", "-q", "-b", "main");
  }

  git(...args: string[]): string {
    return execFileSync("git", ["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", ...args], {
      cwd: this.dir,
      encoding: "utf8",
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: this.dir },
    }).trim();
  }

  private env(c: FixtureCommit) {
    return {
      GIT_AUTHOR_NAME: c.author,
      GIT_AUTHOR_EMAIL: c.email,
      GIT_AUTHOR_DATE: c.at,
      GIT_COMMITTER_NAME: c.author,
      GIT_COMMITTER_EMAIL: c.email,
      GIT_COMMITTER_DATE: c.at,
    };
  }

  commit(c: FixtureCommit): string {
    const files = c.files ?? { [`file-${Math.abs(hash(c.subject + c.at))}.txt`]: `${c.subject}\n` };
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(this.dir, name, ".."), { recursive: true });
      writeFileSync(join(this.dir, name), content);
      this.git("add", name);
    }
    execFileSync("git", ["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", c.subject], {
      cwd: this.dir,
      env: { ...process.env, HOME: this.dir, GIT_CONFIG_NOSYSTEM: "1", ...this.env(c) },
    });
    return this.git("rev-parse", "HEAD");
  }

  merge(branch: string, c: Omit<FixtureCommit, "files">): string {
    execFileSync("git", ["-c", "commit.gpgsign=false", "merge", "-q", "--no-ff", "-m", c.subject, branch], {
      cwd: this.dir,
      env: { ...process.env, HOME: this.dir, GIT_CONFIG_NOSYSTEM: "1", ...this.env(c) },
    });
    return this.git("rev-parse", "HEAD");
  }
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

/**
 * Two repositories with known activity in ISO week 2026-W47 (Mon 2026-11-16 .. Sun 2026-11-22, UTC):
 * out-of-order committer dates, a merge, a bot and a .mailmap. Expected figures in `expected`.
 */
export function buildWeekFixture(root: string) {
  const alpha = new GitFixture(join(root, "alpha"));
  alpha.commit({ at: "2026-11-10T09:00:00Z", author: "Alice Old", email: "alice@old.example", subject: "initial", files: { ".mailmap": "Alice Liddell <alice@example.com> <alice@old.example>\n", "README.md": "alpha\n" } });
  alpha.commit({ at: "2026-11-16T10:00:00Z", author: "Alice Liddell", email: "alice@example.com", subject: "feat: add parser", files: { "src/parser.ts": "a\nb\nc\n" } });
  alpha.commit({ at: "2026-11-17T09:00:00Z", author: "Bob Builder", email: "bob@example.com", subject: "fix: handle <script>alert(1)</script> [x](https://evil.example)", files: { "src/fix.ts": "x\ny\n" } });
  alpha.git("checkout", "-q", "-b", "feature");
  alpha.commit({ at: "2026-11-18T08:00:00Z", author: "Carol Coder", email: "carol@example.com", subject: "feat: feature branch work", files: { "src/feature.ts": "1\n2\n3\n4\n" } });
  alpha.git("checkout", "-q", "main");
  alpha.merge("feature", { at: "2026-11-18T12:00:00Z", author: "Alice Liddell", email: "alice@example.com", subject: "Merge branch 'feature'" });
  alpha.commit({ at: "2026-11-19T07:00:00Z", author: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com", subject: "chore(deps): bump lodash", files: { "package.json": "{}\n" } });
  // Out of order: after the window, then inside it, then before it (HEAD). `git log --since` stops at HEAD.
  alpha.commit({ at: "2026-11-25T10:00:00Z", author: "Alice Liddell", email: "alice@example.com", subject: "docs: after the window", files: { "docs/after.md": "later\n" } });
  alpha.commit({ at: "2026-11-21T10:00:00Z", author: "Alice Old", email: "alice@old.example", subject: "refactor: inside the window behind a later parent", files: { "src/parser.ts": "a\nb\nc\nd\n" } });
  alpha.commit({ at: "2026-11-01T10:00:00Z", author: "Alice Liddell", email: "alice@example.com", subject: "chore: clock skew before the window", files: { "skew.txt": "s\n" } });

  const beta = new GitFixture(join(root, "beta"));
  beta.commit({ at: "2026-11-02T10:00:00Z", author: "Erin Early", email: "erin@example.com", subject: "beta: start", files: { "b.txt": "1\n" } });
  beta.commit({ at: "2026-11-20T15:30:00Z", author: "Bob Builder", email: "bob@example.com", subject: "beta: second", files: { "b.txt": "1\n2\n" } });

  return {
    repos: [alpha.dir, beta.dir],
    date: "2026-11-18",
    runId: "weekly-2026-W47",
    expected: { commits: 6, merges: 1, contributors: 3, repositories: 2, newContributors: 2 },
  };
}
