/**
 * Userinfo in a URL (`https://user:token@host/...`, `https://token@host/...`) is how git
 * remotes usually carry credentials. Git echoes remote URLs in its errors, and we echo
 * them in ours and in logs, so every text that may name a remote passes through here
 * first. The whole userinfo goes, not only the password: a bare token is often the user part.
 *
 * Works on any text (a whole git error message), not only on a lone URL.
 */
export function redactUrl(text: string): string {
  // Greedy up to the last `@` before the first `/`, so a password containing `@` is covered too.
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/'"<>]*@/gi, "$1***@");
}
