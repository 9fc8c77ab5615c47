import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Test helper: temp folders that are removed after the test file. */
export function tempDirs() {
  const made: string[] = [];
  return {
    make(prefix = "sparky-collector-"): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    cleanup(): void {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Person {
  name: string;
  email: string;
}

export interface CommitOptions {
  message: string;
  /** ISO time of the committer date: the one Sparky's window is about. */
  committedAt: string;
  authoredAt?: string;
  author?: Person;
  committer?: Person;
  /** Files to write (string or bytes) or delete (null) before committing. */
  files?: Record<string, string | Uint8Array | null>;
}

const DEFAULT_PERSON: Person = { name: "Test Person", email: "test@example.com" };

/** A real git repository driven through the git CLI, with dates and identities set per commit. */
export class TestRepo {
  constructor(readonly path: string) {}

  static init(path: string, options: { bare?: boolean } = {}): TestRepo {
    mkdirSync(path, { recursive: true });
    const repo = new TestRepo(path);
    repo.git(["init", "-q", "-b", "main", ...(options.bare ? ["--bare"] : [])]);
    return repo;
  }

  git(args: string[], env: Record<string, string> = {}): string {
    return execFileSync("git", args, { cwd: this.path, env: { ...isolatedEnv(), ...env }, encoding: "utf8" }).trim();
  }

  commit(options: CommitOptions): string {
    for (const [file, content] of Object.entries(options.files ?? {})) {
      const target = join(this.path, file);
      if (content === null) {
        rmSync(target);
      } else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
    }
    this.git(["add", "-A"]);
    this.git(["commit", "-q", "--allow-empty", "-m", options.message], this.identity(options));
    return this.git(["rev-parse", "HEAD"]);
  }

  /** A true merge commit (`--no-ff`) of `branch` into the current branch. */
  merge(branch: string, options: Omit<CommitOptions, "files">): string {
    this.git(["merge", "-q", "--no-ff", "-m", options.message, branch], this.identity(options));
    return this.git(["rev-parse", "HEAD"]);
  }

  private identity(options: Omit<CommitOptions, "files">): Record<string, string> {
    const author = options.author ?? DEFAULT_PERSON;
    const committer = options.committer ?? author;
    return {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: gitDate(options.authoredAt ?? options.committedAt),
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: gitDate(options.committedAt),
    };
  }
}

/** git's raw date format: exact, whatever the date parser thinks of ISO strings. */
function gitDate(iso: string): string {
  return `@${Math.floor(Date.parse(iso) / 1000)} +0000`;
}

/** No system or global git config: CI machines differ, and have no identity set. */
function isolatedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("GIT_")) env[key] = value;
  return { ...env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
}
