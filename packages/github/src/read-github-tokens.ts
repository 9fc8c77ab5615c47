/**
 * The GitHub tokens to use, from the environment only (a token never comes from a config
 * file): `GITHUB_TOKENS` (several, separated by commas, spaces or newlines) and
 * `GITHUB_TOKEN`, each once, in that order.
 */
export function readGithubTokens(env: NodeJS.ProcessEnv = process.env): string[] {
  const all = [...(env.GITHUB_TOKENS ?? "").split(/[\s,]+/), env.GITHUB_TOKEN ?? ""].map((t) => t.trim()).filter(Boolean);
  return [...new Set(all)];
}
