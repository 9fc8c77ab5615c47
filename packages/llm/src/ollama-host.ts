const DEFAULT_PORT = "11434";

/**
 * The base URL requests go to, read as the `ollama` package read `host`, so a config that
 * worked with it still works: a bare `host:port` or `:port` means http, a host without a
 * scheme gets Ollama's port, one with a scheme its scheme's port; no trailing slash, and a
 * path prefix (Ollama behind a proxy) and credentials kept.
 */
export function ollamaBaseUrl(host: string): string {
  if (host === "") return `http://127.0.0.1:${DEFAULT_PORT}`;
  let explicit = host.includes("://");
  if (host.startsWith(":")) {
    host = `http://127.0.0.1${host}`;
    explicit = true;
  }
  const url = new URL(explicit ? host : `http://${host}`);
  const port = url.port || (!explicit ? DEFAULT_PORT : url.protocol === "https:" ? "443" : "80");
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ""}@` : "";
  return `${url.protocol}//${auth}${url.hostname}:${port}${url.pathname}`.replace(/\/$/, "");
}
