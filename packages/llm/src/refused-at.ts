import { connect } from "node:net";
import { refusedDetail } from "./classify-failure.js";

/**
 * Whether nothing listens at `host`'s address, asked with a bare TCP connect: a refused
 * connection answers in a millisecond, before any HTTP request is built (the laptop default
 * has no Ollama at all).
 * Returns the failure's description, or null when something listens or the answer is not
 * clear (a timeout, an unusual URL): the HTTP request then decides.
 */
export async function refusedAt(host: string, timeoutMs = 1_000): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  // `[::1]` is a URL's spelling of an IPv6 address; connect wants it bare.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port });
    const done = (answer: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.once("connect", () => done(null));
    socket.once("error", (error: NodeJS.ErrnoException) => done(refusedDetail(error.code)));
  });
}
