import { SparkyError } from "@sparky/messages";

/** A path given to collect does not exist on this machine. */
export class RepositoryNotFoundError extends SparkyError {
  override readonly name = "RepositoryNotFoundError";

  constructor(path: string) {
    super("SPARKY_REPO_NOT_FOUND", `${path} does not exist: pass the folder of a git clone on this machine`);
  }
}

/** A path exists but is not the top folder of a clone or a bare repository. */
export class NotAGitRepositoryError extends SparkyError {
  override readonly name = "NotAGitRepositoryError";

  constructor(path: string, detail?: string) {
    super(
      "SPARKY_NOT_A_GIT_REPO",
      `${path} is not a git repository${detail ? ` (${detail})` : ""}: ` +
        "pass the top folder of a clone (see git rev-parse --show-toplevel) or a bare repository",
    );
  }
}

/** The git executable is missing: nothing local can be collected until it is installed. */
export class GitNotFoundError extends SparkyError {
  override readonly name = "GitNotFoundError";

  constructor() {
    super("SPARKY_GIT_NOT_FOUND", "git was not found on PATH: install git (2.25 or newer) to collect local repositories");
  }
}

/** git ran but failed; `stderr` is what git said, so the user sees the real cause. */
export class GitCommandError extends SparkyError {
  override readonly name = "GitCommandError";
  readonly stderr: string;
  /** git's exit code, null when it was killed: some commands answer a question with it. */
  readonly exitCode: number | null;

  constructor(path: string, what: string, stderr: string, exitCode: number | null) {
    const said = stderr.trim().split("\n").slice(-3).join(" / ");
    const hint = /dubious ownership/.test(stderr)
      ? ` (the folder belongs to another user: run git config --global --add safe.directory ${path})`
      : "";
    super(
      "SPARKY_GIT_FAILED",
      `git ${what} failed in ${path}${exitCode === null ? "" : ` with exit code ${exitCode}`}: ${said || "no message"}${hint}`,
    );
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}
