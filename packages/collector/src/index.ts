export { collectGit } from "./collect-git.js";
export type { CollectContext, CollectInput } from "./collect-git.js";
export { newestCommitTime } from "./newest-commit-time.js";
export type { NewestCommitCache } from "./newest-commit-time.js";
export { GitCommandError, GitNotFoundError, NotAGitRepositoryError, RepositoryNotFoundError } from "./errors.js";
export { createCollector } from "./create-collector.js";
